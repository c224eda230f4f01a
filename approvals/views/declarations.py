"""Family-link declaration pages (§7): declare, see your own, acknowledge, withdraw, re-declare,
and the register for the heads and the DSL. Viewing a declaration is audited."""

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.db.models import Exists, OuterRef
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.views.decorators.http import require_GET, require_http_methods

from audit.selectors import viewers_of
from audit.services import audit_view
from core.viewtools import apply_form_errors, fetched_page, posted, require
from people.models import Person, PersonKind, User

from .. import policies, selectors, services
from ..filters import DeclarationRegisterFilter
from ..forms import DeclarationForm, NoteForm, ReasonForm, RedeclareForm
from ..services.declarations import due_date, is_due
from ..services.workflows import DECLARATION


def _declaration(request, pk):
    return get_object_or_404(selectors.declaration_for_page(request.user, pk))


@require_GET
def declaration_list(request):
    require(policies.can_use_approvals(request.user))
    today = timezone.localdate()
    page = fetched_page(selectors.declarations_of(request.user), request.GET.get("page"))
    rows = [(d, is_due(d, today), due_date(d)) for d in page.object_list]
    return render(
        request,
        "approvals/declaration_list.html",
        {
            "page": page,
            "rows": rows,
            "can_view_register": policies.can_view_declaration_register(request.user),
        },
    )


@require_http_methods(["GET", "POST"])
def declaration_create(request):
    require(policies.can_use_approvals(request.user))
    form = DeclarationForm(posted(request), schools=policies.schools_for_staff(request.user))
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            declaration = services.declaration_create(
                actor=request.user,
                school=data["school"],
                kind=data["kind"],
                statement=data["statement"],
                pupils=data["pupils"],
                parents=data["parents"],
                relationship=data["relationship"],
                platform=data["platform"],
            )
        except ValidationError as exc:
            apply_form_errors(form, exc)
        else:
            messages.success(
                request,
                "Your declaration was recorded. The Head of School and the Executive Head have been told.",
            )
            return redirect(declaration)
    return render(request, "approvals/declaration_form.html", {"form": form})


@require_GET
def declaration_detail(request, pk):
    declaration = _declaration(request, pk)
    user = request.user
    audit_view(actor=user, target=declaration, school=declaration.school_id)
    today = timezone.localdate()
    steps = services.declaration_steps(actor=user, declaration=declaration)
    actions = {name: name in steps for name in ("acknowledge", "redeclare", "withdraw")}
    show_viewers = policies.can_see_declaration_viewers(user, declaration)
    return render(
        request,
        "approvals/declaration_detail.html",
        {
            "declaration": declaration,
            "actions": actions,
            "any_action": any(actions.values()),
            "is_due": is_due(declaration, today),
            "due_date": due_date(declaration),
            "history": selectors.workflow_history(declaration),
            "viewers": viewers_of(declaration) if show_viewers else None,
        },
    )


def _refused(request, declaration, step) -> bool:
    """Who may not take the step: 403. On opening its page: say so and go back when the declaration's
    state no longer allows it."""
    require(DECLARATION.may(request.user, declaration, step))
    if request.method != "GET":
        return False
    refusal = DECLARATION.state_refusal(declaration, step)
    if refusal:
        messages.info(request, refusal)
    return bool(refusal)


@require_http_methods(["GET", "POST"])
def declaration_acknowledge(request, pk):
    declaration = _declaration(request, pk)
    if _refused(request, declaration, "acknowledge"):
        return redirect(declaration)
    form = NoteForm(
        posted(request),
        label="Note",
        help_text="What you have noted, and any advice given. The declarant reads this.",
    )
    if request.method == "POST" and form.is_valid():
        try:
            services.declaration_acknowledge(
                actor=request.user, declaration=declaration, note=form.cleaned_data["note"]
            )
        except ValidationError as exc:
            apply_form_errors(form, exc)
        else:
            messages.success(request, "The declaration is acknowledged. The declarant has been told.")
            return redirect(declaration)
    return render(
        request,
        "approvals/declaration_action.html",
        {
            "declaration": declaration,
            "form": form,
            "title": "Acknowledge this declaration",
            "explanation": "Acknowledging records that you have received and considered it. This cannot be undone; "
            "the declarant is told.",
            "button": "Acknowledge",
            "button_class": "btn-primary",
        },
    )


@require_http_methods(["GET", "POST"])
def declaration_withdraw(request, pk):
    declaration = _declaration(request, pk)
    if _refused(request, declaration, "withdraw"):
        return redirect(declaration)
    form = ReasonForm(posted(request), label="Reason", required=False, help_text="Optional.")
    if request.method == "POST" and form.is_valid():
        try:
            services.declaration_withdraw(
                actor=request.user, declaration=declaration, reason=form.cleaned_data["reason"]
            )
        except ValidationError as exc:
            apply_form_errors(form, exc)
        else:
            messages.success(request, "Your declaration is withdrawn.")
            return redirect(declaration)
    return render(
        request,
        "approvals/declaration_action.html",
        {
            "declaration": declaration,
            "form": form,
            "title": "Withdraw this declaration",
            "explanation": "Withdraw a declaration only when the link no longer applies. This is final; "
            "its history is kept.",
            "button": "Withdraw",
            "button_class": "btn-danger",
        },
    )


@require_http_methods(["GET", "POST"])
def declaration_redeclare(request, pk):
    declaration = _declaration(request, pk)
    if _refused(request, declaration, "redeclare"):
        return redirect(declaration)
    form = RedeclareForm(posted(request), initial={"statement": declaration.statement})
    if request.method == "POST" and form.is_valid():
        try:
            services.declaration_redeclare(
                actor=request.user, declaration=declaration, statement=form.cleaned_data["statement"]
            )
        except ValidationError as exc:
            apply_form_errors(form, exc)
        else:
            messages.success(
                request, "Your declaration is renewed for another year and goes to be acknowledged."
            )
            return redirect(declaration)
    return render(
        request,
        "approvals/declaration_action.html",
        {
            "declaration": declaration,
            "form": form,
            "title": "Declare this again",
            "explanation": "Confirm that the link still applies. It is dated today and goes to the Head of School "
            "and the Executive Head to be acknowledged again.",
            "button": "Declare again",
            "button_class": "btn-primary",
        },
    )


@require_GET
def declaration_register(request):
    """Every declaration of the schools whose register the user keeps; by school, pupil, staff member."""
    require(policies.can_view_declaration_register(request.user))
    on_register = policies.declarations_on_register(request.user)
    declared = on_register.filter(pupils=OuterRef("pk"))
    declarants = on_register.filter(declarant=OuterRef("pk"))
    register_filter = DeclarationRegisterFilter(
        request.GET or None,
        queryset=selectors.declaration_register(request.user),
        schools=policies.declaration_register_schools(request.user).order_by("name"),
        pupils=Person.objects.filter(
            Exists(declared), kind__in=[PersonKind.PUPIL, PersonKind.FORMER_PUPIL]
        ).order_by("last_name", "first_name"),
        declarants=User.objects.filter(Exists(declarants)).order_by("last_name", "first_name"),
    )
    today = timezone.localdate()
    rows = [(d, is_due(d, today)) for d in register_filter.qs]
    return render(
        request,
        "approvals/declaration_register.html",
        {"filter": register_filter, "rows": rows, "today": today},
    )
