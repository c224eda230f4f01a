"""Publication permission pages (§6): ask, see your requests, decide (the Executive Head only, with a
confirm step), and the register of agreed permissions."""

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.shortcuts import get_object_or_404, redirect, render
from django.views.decorators.http import require_GET, require_http_methods

from core.viewtools import record_id

from .. import policies, selectors, services
from ..filters import PermissionRegisterFilter
from ..forms import PermissionDecisionForm, PermissionForm
from ..models import Proposal, ProposalStatus
from ..services.permissions import refusal_for
from ._helpers import apply_form_errors, confirmed, going_back, page_of, posted, require


def _permission(request, pk):
    return get_object_or_404(selectors.permission_for_page(request.user, pk))


@require_GET
def permission_list(request):
    require(policies.can_use_approvals(request.user))
    return render(
        request,
        "approvals/permission_list.html",
        {
            "page": page_of(request, selectors.permissions_of(request.user)),
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
        {"page": page_of(request, selectors.permissions_awaiting(request.user))},
    )


@require_http_methods(["GET", "POST"])
def permission_create(request):
    require(policies.can_request_permission(request.user))
    schools = policies.permission_request_schools(request.user)
    approved = Proposal.objects.filter(school__in=schools, status=ProposalStatus.APPROVED).order_by(
        "school__name", "title"
    )
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
            "can_decide": policies.can_decide_permission(request.user, permission)
            and refusal_for(permission, "agree") is None,
            "history": selectors.workflow_history(permission),
        },
    )


@require_http_methods(["GET", "POST"])
def permission_decide(request, pk):
    """The Executive Head agrees or declines (§6): the form, a confirm step, then the decision."""
    permission = _permission(request, pk)
    require(policies.can_decide_permission(request.user, permission))
    refusal = refusal_for(permission, "agree")
    if request.method == "GET" and refusal:
        messages.info(request, refusal)
        return redirect(permission)
    form = PermissionDecisionForm(posted(request))
    context = {"permission": permission, "form": form}
    if request.method == "POST" and form.is_valid() and not going_back(request):
        if not confirmed(request):
            return render(request, "approvals/permission_decide_confirm.html", context)
        data = form.cleaned_data
        try:
            if data["decision"] == PermissionDecisionForm.AGREE:
                services.permission_agree(actor=request.user, permission=permission, note=data["note"])
            else:
                services.permission_decline(actor=request.user, permission=permission, reason=data["note"])
        except ValidationError as exc:
            apply_form_errors(form, exc)
        else:
            messages.success(
                request,
                f"The request is {permission.get_status_display().lower()}. The requester has been told.",
            )
            return redirect(permission)
    return render(request, "approvals/permission_decide.html", context)


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
