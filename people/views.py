"""Registry pages, the dashboard and the error pages. Thin: bind a form, call a service, redirect."""

import logging
import sys
from datetime import date

from django.contrib import messages
from django.contrib.auth.decorators import login_not_required
from django.core import signing
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.db import InterfaceError, OperationalError, connection
from django.db.models import Prefetch
from django.http import Http404, HttpResponse, JsonResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.template import loader
from django.urls import reverse
from django.utils import timezone
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET, require_http_methods

from audit.selectors import history_for, viewers_of
from audit.services import audit_view
from core.dashboard import cards_for, person_panels_for
from core.viewtools import PAGE_SIZE, apply_form_errors, record_id, require, trial

from . import access_confirm, policies, services
from .filters import PersonFilter
from .forms import (
    ClassGroupForm,
    MarkLeftForm,
    ParentLinkForm,
    PeopleImportForm,
    PersonForm,
    RoleGrantForm,
    SignInCreateForm,
    parse_people_csv,
)
from .models import KINDS_WITH_LOGIN, ClassGroup, Membership, ParentLink, Person, PersonKind, RoleAssignment

log = logging.getLogger(__name__)
IMPORT_SIGNING_SALT = "people.import"
IMPORT_MAX_AGE_SECONDS = 30 * 60


# --- Public ---------------------------------------------------------------------------------


@login_not_required
@never_cache
@require_GET
def healthz(request):
    """Liveness and database reachability, for load balancers and compose health checks."""
    try:
        with connection.cursor() as cursor:
            cursor.execute("SELECT 1")
    except Exception:  # any database failure means "not ready"
        log.warning("health check: database unreachable")
        return JsonResponse({"status": "unavailable"}, status=503)
    return JsonResponse({"status": "ok"})


# --- Dashboard -----------------------------------------------------------------------------


@require_GET
def dashboard(request):
    access = policies.access_for(request.user)
    return render(
        request,
        "people/dashboard.html",
        {"cards": cards_for(request.user), "has_roles": bool(access.roles)},
    )


# --- People --------------------------------------------------------------------------------


@require_GET
def person_list(request):
    require(policies.can_view_registry(request.user))
    schools = policies.schools_visible_to(request.user)
    classes = policies.classes_visible_to(request.user).select_related("school")
    people = policies.people_visible_to(request.user).prefetch_related(
        Prefetch("memberships", queryset=Membership.objects.select_related("school"))
    )
    person_filter = PersonFilter(request.GET or None, queryset=people, schools=schools, classes=classes)
    page = Paginator(person_filter.qs.order_by("last_name", "first_name", "id"), PAGE_SIZE).get_page(
        request.GET.get("page")
    )
    query = request.GET.copy()
    query.pop("page", None)
    return render(
        request,
        "people/person_list.html",
        {
            "filter": person_filter,
            "page": page,
            "query": query.urlencode(),
            "can_manage": policies.can_manage_registry(request.user),
        },
    )


@require_GET
def person_detail(request, pk):
    person = get_object_or_404(
        policies.people_visible_to(request.user).prefetch_related(
            Prefetch("memberships", queryset=Membership.objects.select_related("school")),
            Prefetch("roles", queryset=RoleAssignment.objects.select_related("school", "federation")),
            Prefetch("parent_links", queryset=ParentLink.objects.select_related("parent")),
            Prefetch("children_links", queryset=ParentLink.objects.select_related("pupil")),
            Prefetch("classes_attended", queryset=ClassGroup.objects.select_related("school")),
            Prefetch("classes_taught", queryset=ClassGroup.objects.select_related("school")),
        ),
        pk=pk,
    )
    school_ids = [m.school_id for m in person.memberships.all()]
    audit_view(actor=request.user, target=person, school=school_ids[0] if school_ids else None)
    show_history = any(policies.can_view_history(request.user, s) for s in school_ids)
    return render(
        request,
        "people/person_detail.html",
        {
            "person": person,
            "age": person.age_on(timezone.localdate()),
            "can_edit": policies.can_edit_person(request.user, person),
            "can_manage_access": policies.can_manage_access(request.user, person),
            "is_pupil": person.kind in (PersonKind.PUPIL, PersonKind.FORMER_PUPIL),
            "panels": person_panels_for(request.user, person),
            "history": history_for(person) if show_history else None,
            "viewers": viewers_of(person) if show_history else None,
        },
    )


@require_http_methods(["GET", "POST"])
def person_create(request):
    require(policies.can_manage_registry(request.user))
    schools = policies.schools_managed_by(request.user)
    form = PersonForm(request.POST or None, schools=schools)
    if request.method == "POST" and form.is_valid():
        try:
            person = services.person_create(
                actor=request.user, school=form.cleaned_data["school"], **form.person_fields()
            )
        except ValidationError as exc:
            apply_form_errors(form, exc)
        else:
            messages.success(request, f"{person.full_name} was added to the registry.")
            return redirect(person)
    return render(request, "people/person_form.html", {"form": form, "title": "Add a person"})


@require_http_methods(["GET", "POST"])
def person_edit(request, pk):
    person = get_object_or_404(policies.people_editable_by(request.user), pk=pk)
    form = PersonForm(request.POST or None, instance=person)
    if request.method == "POST" and form.is_valid():
        original = Person.objects.get(pk=pk)
        try:
            services.person_update(actor=request.user, person=original, **form.person_fields())
        except ValidationError as exc:
            apply_form_errors(form, exc)
        else:
            messages.success(request, f"{original.first_name}'s details were saved.")
            return redirect(original)
    return render(
        request,
        "people/person_form.html",
        {"form": form, "title": f"Edit {person.full_name}", "person": person},
    )


@require_http_methods(["GET", "POST"])
def person_mark_left(request, pk):
    person = get_object_or_404(policies.people_editable_by(request.user), pk=pk)
    form = MarkLeftForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            services.person_mark_left(actor=request.user, person=person, left_on=form.cleaned_data["left_on"])
        except ValidationError as exc:
            apply_form_errors(form, exc)
        else:
            messages.success(request, f"{person.full_name} is recorded as having left.")
            return redirect(person)
    return render(request, "people/person_confirm_left.html", {"form": form, "person": person})


@require_http_methods(["GET", "POST"])
def parent_link_create(request, pk):
    pupil = get_object_or_404(
        policies.people_editable_by(request.user).filter(
            kind__in=[PersonKind.PUPIL, PersonKind.FORMER_PUPIL]
        ),
        pk=pk,
    )
    school_ids = pupil.memberships.values_list("school_id", flat=True)
    # Parents of the pupil's schools whose registry the user keeps.
    parents = (
        policies.people_editable_by(request.user)
        .filter(kind=PersonKind.PARENT, memberships__school_id__in=school_ids)
        .distinct()
    )
    form = ParentLinkForm(request.POST or None, parents=parents)
    if request.method == "POST" and form.is_valid():
        try:
            link = services.parent_link_create(
                actor=request.user,
                pupil=pupil,
                parent=form.cleaned_data["parent"],
                new_parent=form.new_parent(),
                relationship=form.cleaned_data["relationship"],
                parental_responsibility=form.cleaned_data["parental_responsibility"],
                may_contact=form.cleaned_data["may_contact"],
                preferred_channel=form.cleaned_data["preferred_channel"],
            )
        except ValidationError as exc:
            apply_form_errors(form, exc)
        else:
            messages.success(request, f"{link.parent.full_name} is now linked to {pupil.full_name}.")
            return redirect(pupil)
    return render(request, "people/parentlink_form.html", {"form": form, "pupil": pupil})


@require_http_methods(["GET", "POST"])
def person_import(request):
    """Upload a CSV, see every bad row with its line number, and import only a wholly valid file."""
    require(policies.can_manage_registry(request.user))
    schools = policies.schools_managed_by(request.user)
    if request.method == "POST" and "confirm" in request.POST:
        return _person_import_confirm(request, schools)
    form = PeopleImportForm(request.POST or None, request.FILES or None, schools=schools)
    context = {"form": form}
    if request.method == "POST" and form.is_valid():
        rows, errors = parse_people_csv(form.cleaned_data["file"])
        context.update({"rows": rows, "errors": errors, "school": form.cleaned_data["school"]})
        if not errors:
            # The validated rows travel back with the confirmation, signed so they cannot be altered.
            payload = {
                "school": form.cleaned_data["school"].pk,
                "rows": [_jsonable_row(row) for row in rows],
            }
            context["token"] = signing.dumps(payload, salt=IMPORT_SIGNING_SALT, compress=True)
    return render(request, "people/person_import.html", context)


def _jsonable_row(row: dict) -> dict:
    dob = row.get("date_of_birth")
    return {**row, "date_of_birth": dob.isoformat() if dob else None}


def _person_import_confirm(request, schools):
    try:
        payload = signing.loads(
            request.POST.get("token", ""), salt=IMPORT_SIGNING_SALT, max_age=IMPORT_MAX_AGE_SECONDS
        )
    except signing.BadSignature:
        messages.error(request, "The preview has expired or was changed. Upload the file again.")
        return redirect("people:person_import")
    school = get_object_or_404(schools, pk=payload["school"])
    rows = []
    for row in payload["rows"]:
        row = dict(row)
        if row.get("date_of_birth"):
            row["date_of_birth"] = date.fromisoformat(row["date_of_birth"])
        rows.append(row)
    try:
        created = services.people_import(actor=request.user, school=school, rows=rows)
    except ValidationError as exc:
        messages.error(request, "Nothing was imported: " + "; ".join(exc.messages))
        return redirect("people:person_import")
    messages.success(request, f"{len(created)} people were added to {school.name}.")
    return redirect(f"{reverse('people:person_list')}?f-school={school.pk}")


# --- Sign-in and roles ---------------------------------------------------------------------


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
    if request.method == "POST":
        # Roles decide who sees safeguarding records, and a sign-in switched off ends every session:
        # each of those changes is asked first (`_asked_first`).
        try:
            if action == "grant":
                role_form = RoleGrantForm(request.POST, schools=schools, federation_roles=federation_roles)
                if role_form.is_valid() and "edit" not in request.POST:
                    role, school = role_form.cleaned_data["role"], role_form.cleaned_data["school"]
                    return _asked_first(
                        request,
                        person,
                        access_confirm.grant_step(person, role, school),
                        lambda: services.role_grant(
                            actor=request.user, person=person, role=role, school=school
                        ),
                        f"{person.full_name} now holds that role.",
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
                    access_confirm.revoke_step(person, assignment),
                    lambda: services.role_revoke(actor=request.user, assignment=assignment),
                    f"The role {assignment.get_role_display()} was removed.",
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
                    access_confirm.set_active_step(person, active=active),
                    lambda: services.user_set_active(actor=request.user, person=person, active=active),
                    f"{person.full_name}'s sign-in is {state}.",
                )
        except ValidationError as exc:
            form = sign_in_form if action == "create_sign_in" else role_form
            if action in ("create_sign_in", "grant") and person.kind in KINDS_WITH_LOGIN:
                apply_form_errors(form, exc)
            else:
                messages.error(request, " ".join(exc.messages))
    return render(
        request,
        "people/person_access.html",
        {
            "person": person,
            "role_form": role_form,
            "sign_in_form": sign_in_form,
            "may_sign_in": person.kind in KINDS_WITH_LOGIN,
            "can_manage_sign_in": policies.can_manage_sign_in(request.user, person),
        },
    )


def _asked_first(request, person, step, run, done: str):
    """A change to roles or to the sign-in, asked first. Confirmed (`confirm=yes`): `run` acts and the
    page says `done`. Otherwise `run` is tried and rolled back, so that a refusal shows on the page
    before anyone confirms, and the question is asked. The trial may leave loaded rows changed in
    memory (a removed role's id, the sign-in's switch): the question was built before it."""
    if request.POST.get("confirm") == "yes":
        run()
        messages.success(request, done)
        return redirect("people:person_access", pk=person.pk)
    trial(run)
    return render(request, "people/person_access_confirm.html", {"person": person, "step": step})


# --- Classes -------------------------------------------------------------------------------


@require_GET
def class_list(request):
    require(policies.can_view_registry(request.user))
    classes = (
        policies.classes_visible_to(request.user)
        .select_related("school")
        .prefetch_related("teachers")
        .order_by("school__name", "year_group", "name")
    )
    page = Paginator(classes, PAGE_SIZE).get_page(request.GET.get("page"))
    return render(
        request,
        "people/classgroup_list.html",
        {"page": page, "can_manage": policies.can_manage_registry(request.user)},
    )


@require_GET
def class_detail(request, pk):
    class_group = get_object_or_404(
        policies.classes_visible_to(request.user)
        .select_related("school")
        .prefetch_related("teachers", "pupils"),
        pk=pk,
    )
    return render(
        request,
        "people/classgroup_detail.html",
        {
            "class_group": class_group,
            "can_manage": policies.schools_managed_by(request.user).filter(pk=class_group.school_id).exists(),
        },
    )


@require_http_methods(["GET", "POST"])
def class_edit(request, pk=None):
    managed = policies.schools_managed_by(request.user)
    if pk is None:
        require(policies.can_manage_registry(request.user))
        class_group = None
        raw_school = request.GET.get("school") or request.POST.get("school")
        if raw_school:
            # A school named but not kept by the user (or not an id at all) is missing to them, never
            # swapped for another.
            school_id = record_id(raw_school)
            school = managed.filter(pk=school_id).first() if school_id is not None else None
            if school is None:
                raise Http404
        else:
            school = managed.first()
        if school is None:
            raise PermissionDenied
    else:
        class_group = get_object_or_404(ClassGroup.objects.filter(school__in=managed), pk=pk)
        school = class_group.school
    members = Person.objects.filter(memberships__school=school)
    staff = members.filter(kind=PersonKind.STAFF)
    pupils = members.filter(kind=PersonKind.PUPIL)
    initial = None
    if class_group:
        initial = {
            "name": class_group.name,
            "year_group": class_group.year_group,
            "teachers": list(class_group.teachers.all()),
            "pupils": list(class_group.pupils.all()),
        }
    form = ClassGroupForm(request.POST or None, initial=initial, staff=staff, pupils=pupils)
    if request.method == "POST" and form.is_valid():
        name = form.cleaned_data["name"]
        clash = ClassGroup.objects.filter(school=school, name__iexact=name)
        if class_group:
            clash = clash.exclude(pk=class_group.pk)
        if clash.exists():
            form.add_error("name", f"{school.name} already has a class called {name}.")
        else:
            class_group = services.class_group_save(
                actor=request.user,
                school=school,
                name=name,
                year_group=form.cleaned_data["year_group"],
                teachers=list(form.cleaned_data["teachers"]),
                pupils=list(form.cleaned_data["pupils"]),
                class_group=class_group,
            )
            messages.success(request, f"{class_group.name} was saved.")
            return redirect("people:class_detail", pk=class_group.pk)
    return render(
        request,
        "people/classgroup_form.html",
        {"form": form, "school": school, "class_group": class_group},
    )


# --- Error pages ---------------------------------------------------------------------------


def permission_denied(request, exception=None):
    return render(request, "403.html", status=403)


def page_not_found(request, exception=None):
    return render(request, "404.html", status=404)


def server_error(request):
    """500, or 503 when the database cannot be reached (it recovers on its own: try again shortly).

    No context processors: the failure may be in them, or in the database they read.
    """
    exc = sys.exc_info()[1]
    if isinstance(exc, OperationalError | InterfaceError):
        log.error("database unavailable (%s)", type(exc).__name__)
        response = HttpResponse(loader.get_template("503.html").render(), status=503)
        response["Retry-After"] = "30"
        return response
    return HttpResponse(loader.get_template("500.html").render(), status=500)
