"""A person's sign-in and roles, for the heads who may change them; each change that decides who sees
what is asked first (`core.confirm`, with the questions of `people.access_confirm`)."""

from functools import partial

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.db.models import Prefetch
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.views.decorators.http import require_http_methods

from core.confirm import ask_first
from core.viewtools import apply_form_errors, record_id

from .. import access_confirm, policies, services
from ..forms import RoleGrantForm, SignInCreateForm
from ..models import KINDS_WITH_LOGIN, RoleAssignment

ACCESS_TEMPLATE = "people/person_access.html"


@require_http_methods(["GET", "POST"])
def person_access(request, pk):
    """A person's sign-in and roles, for the heads who may change them."""
    person = get_object_or_404(
        policies.people_visible_to(request.user)
        .select_related("user")
        .prefetch_related(
            Prefetch("roles", queryset=RoleAssignment.objects.select_related("school", "federation"))
        ),
        pk=pk,
    )
    if not policies.can_manage_access(request.user, person):
        raise PermissionDenied
    schools = policies.schools_whose_roles_user_keeps(request.user)
    federation_roles = policies.can_grant_federation_roles(request.user)
    role_form = RoleGrantForm(schools=schools, federation_roles=federation_roles)
    sign_in_form = SignInCreateForm()
    action = request.POST.get("action")

    def page() -> dict:
        return {
            "person": person,
            "role_form": role_form,
            "sign_in_form": sign_in_form,
            "may_sign_in": person.kind in KINDS_WITH_LOGIN,
            # Called by the template when the page shows it: a confirmation does not pay for it.
            "can_manage_sign_in": partial(policies.can_manage_sign_in, request.user, person),
        }

    if request.method == "POST":
        # Roles decide who sees safeguarding records, and a sign-in switched off ends every session:
        # each of those changes is asked first (`_asked_first`).
        try:
            if action == "grant":
                role_form = RoleGrantForm(request.POST, schools=schools, federation_roles=federation_roles)
                if role_form.is_valid():
                    role, school = role_form.cleaned_data["role"], role_form.cleaned_data["school"]
                    return _asked_first(
                        request,
                        person,
                        access_confirm.grant_question(person, role, school),
                        lambda: services.role_grant(
                            actor=request.user, person=person, role=role, school=school
                        ),
                        f"{person.full_name} now holds that role.",
                        # Only a person who may sign in has the role form on the page to show a refusal.
                        form=role_form if person.kind in KINDS_WITH_LOGIN else None,
                        page=page(),
                    )
            elif action == "revoke":
                # One of the roles already loaded, with its school: forbidden and missing alike are 404.
                wanted = record_id(request.POST.get("assignment"))
                assignment = next((r for r in person.roles.all() if r.pk == wanted), None)
                if assignment is None:
                    raise Http404
                return _asked_first(
                    request,
                    person,
                    access_confirm.revoke_question(person, assignment),
                    lambda: services.role_revoke(actor=request.user, assignment=assignment),
                    f"The role {assignment.get_role_display()} was removed.",
                    page=page(),
                )
            elif action == "create_sign_in":
                sign_in_form = SignInCreateForm(request.POST)
                if sign_in_form.is_valid():
                    services.user_create_for_person(
                        actor=request.user,
                        person=person,
                        username=sign_in_form.cleaned_data["username"],
                        password=None,
                    )
                    person.refresh_from_db()
                    services.send_set_password_link(actor=request.user, person=person)
                    messages.success(
                        request, f"A sign-in was created; a link to set the password went to {person.email}."
                    )
                    return redirect("people:person_access", pk=person.pk)
            elif action == "send_link":
                services.send_set_password_link(actor=request.user, person=person)
                messages.success(request, f"A link to set the password went to {person.email}.")
                return redirect("people:person_access", pk=person.pk)
            elif action in ("deactivate", "activate"):
                active = action == "activate"
                state = "switched on" if active else "switched off: every session has ended"
                return _asked_first(
                    request,
                    person,
                    access_confirm.set_active_question(person, active=active),
                    lambda: services.user_set_active(actor=request.user, person=person, active=active),
                    f"{person.full_name}'s sign-in is {state}.",
                    page=page(),
                )
        except ValidationError as exc:
            form = sign_in_form if action == "create_sign_in" else role_form
            if action in ("create_sign_in", "grant") and person.kind in KINDS_WITH_LOGIN:
                apply_form_errors(form, exc)
            else:
                messages.error(request, " ".join(exc.messages))
    return render(request, ACCESS_TEMPLATE, page())


def _asked_first(request, person, question, run, done: str, *, page: dict, form=None):
    """A change to roles or to the sign-in, asked first (`core.confirm.ask_first`). Confirmed: `run`
    acts and the page says `done`. Otherwise `run` is tried and rolled back, so that a refusal shows
    on the page (on `form`, or raised for a message) before anyone confirms, and the question is
    asked. The trial may leave loaded rows changed in memory (a removed role's id, the sign-in's
    switch): the question was built before it."""
    _result, response = ask_first(
        request,
        question=question,
        run=run,
        form=form,
        template=ACCESS_TEMPLATE,
        context=page,
        confirm_template="people/person_access_confirm.html",
    )
    if response is not None:
        return response
    messages.success(request, done)
    return redirect("people:person_access", pk=person.pk)
