"""Publication permission pages (§6): ask, see your requests, decide (the Executive Head only, with a
confirm step), and the register of agreed permissions."""

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.shortcuts import get_object_or_404, redirect, render
from django.views.decorators.http import require_GET, require_http_methods

from core.confirm import Question, ask_first
from core.viewtools import apply_form_errors, fetched_page, posted, record_id, require

from .. import policies, selectors, services
from ..filters import PermissionRegisterFilter
from ..forms import PermissionDecisionForm, PermissionForm
from ..services.permissions import awaiting_decision, note_label
from ..services.workflows import PERMISSION


def _permission(request, pk):
    return get_object_or_404(selectors.permission_for_page(request.user, pk))


@require_GET
def permission_list(request):
    require(policies.can_use_approvals(request.user))
    return render(
        request,
        "approvals/permission_list.html",
        {
            "page": fetched_page(selectors.permissions_of(request.user), request.GET.get("page")),
            "can_request": policies.can_request_permission(request.user),
            "can_decide": policies.can_decide_permissions(request.user),
            "can_view_register": policies.can_view_permission_register(request.user),
        },
    )


@require_GET
def permission_awaiting(request):
    require(policies.can_decide_permissions(request.user))
    return render(
        request,
        "approvals/permission_awaiting.html",
        {"page": fetched_page(selectors.permissions_awaiting(request.user), request.GET.get("page"))},
    )


@require_http_methods(["GET", "POST"])
def permission_create(request):
    require(policies.can_request_permission(request.user))
    schools = policies.permission_request_schools(request.user)
    approved = selectors.services_open_for_posts(schools)
    initial = {}
    if request.method == "GET" and record_id(request.GET.get("service")) is not None:
        initial["service"] = approved.filter(pk=record_id(request.GET["service"])).first()
    form = PermissionForm(posted(request), initial=initial, services=approved, schools=schools)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            permission = services.permission_request(
                actor=request.user,
                service=data["service"],
                post_text=data["post_text"],
                staff=data["staff"],
                pupils=data["pupils"],
                parents=data["parents"],
                event=data["event"],
            )
        except ValidationError as exc:
            apply_form_errors(form, exc)
        else:
            messages.success(
                request, "Your request was sent to the Executive Head. Do not post until it is agreed."
            )
            return redirect(permission)
    return render(
        request, "approvals/permission_form.html", {"form": form, "has_services": approved.exists()}
    )


@require_GET
def permission_detail(request, pk):
    permission = _permission(request, pk)
    return render(
        request,
        "approvals/permission_detail.html",
        {
            "permission": permission,
            "can_decide": bool(services.permission_steps(actor=request.user, permission=permission)),
            "awaiting_decision": awaiting_decision(permission),
            "note_label": note_label(permission),
            "history": selectors.workflow_history(permission),
        },
    )


def _decision_question(permission, form) -> Question:
    """What the Executive Head is about to do, in words, before it is done."""
    agreeing = form.is_valid() and form.cleaned_data["decision"] == PermissionDecisionForm.AGREE
    return Question(
        title="Confirm your decision",
        warning=f"You are {'agreeing to' if agreeing else 'declining'} request #{permission.pk} for "
        f"{permission.service.title}. This is final: it is recorded with your name, and the requester is told.",
        confirm_label="Confirm decision",
        cancel_url=permission.get_absolute_url(),
    )


@require_http_methods(["GET", "POST"])
def permission_decide(request, pk):
    """The Executive Head agrees or declines (§6): the form, a confirm step, then the decision."""
    permission = _permission(request, pk)
    require(PERMISSION.may(request.user, permission, "agree"))
    refusal = PERMISSION.state_refusal(permission, "agree")
    if request.method == "GET" and refusal:
        messages.info(request, refusal)
        return redirect(permission)
    form = PermissionDecisionForm(posted(request))

    def decide():
        data = form.cleaned_data
        if data["decision"] == PermissionDecisionForm.AGREE:
            return services.permission_agree(actor=request.user, permission=permission, note=data["note"])
        return services.permission_decline(actor=request.user, permission=permission, reason=data["note"])

    decided, response = ask_first(
        request,
        question=_decision_question(permission, form),
        run=decide,
        form=form,
        template="approvals/permission_decide.html",
        confirm_template="approvals/permission_decide_confirm.html",
        context={"permission": permission, "note_label": note_label(permission)},
    )
    if response is not None:
        return response
    messages.success(
        request, f"The request is {decided.get_status_display().lower()}. The requester has been told."
    )
    return redirect(decided)


@require_GET
def permission_register(request):
    """Agreed permissions of the schools the user heads (the Executive Head: the federation's)."""
    require(policies.can_view_permission_register(request.user))
    register_filter = PermissionRegisterFilter(
        request.GET or None,
        queryset=selectors.permission_register(request.user),
        schools=policies.schools_for_staff(request.user).order_by("name"),
    )
    return render(
        request,
        "approvals/permission_register.html",
        {"filter": register_filter, "permissions": list(register_filter.qs)},
    )
