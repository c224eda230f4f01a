"""Proposal pages: propose, edit, submit, decide, act on a running service, and the register.

Thin: bind a form, call a service, show its refusal on the form, redirect. A proposal the
user may not see answers 404; one they see but may not act on answers 403.
"""

from dataclasses import dataclass
from typing import Any

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.views.decorators.http import require_GET, require_http_methods

from .. import policies, selectors, services
from ..filters import RegisterFilter
from ..forms import DecisionForm, ProposalForm, ReasonForm, RenewForm, StartForm, SubmitForm
from ..models import ProposalStatus
from ..services.age_guard import check_ages, pupils_taking_part
from ..services.proposals import STATUS_PHRASES, TRANSITIONS, refusal_for
from ..terms import CONSEQUENCES, TERMS_OF_USE
from ._helpers import apply_form_errors, confirmed, going_back, page_of, posted, require


def _proposal(request, pk):
    return get_object_or_404(selectors.proposal_for_page(request.user, pk))


@require_GET
def proposal_list(request):
    require(policies.can_use_approvals(request.user))
    return render(
        request,
        "approvals/proposal_list.html",
        {
            "page": page_of(request, selectors.proposals_of(request.user)),
            "is_decider": policies.is_decider(request.user),
        },
    )


@require_GET
def proposal_awaiting(request):
    require(policies.is_decider(request.user))
    return render(
        request,
        "approvals/proposal_awaiting.html",
        {"page": page_of(request, selectors.proposals_awaiting(request.user))},
    )


@require_http_methods(["GET", "POST"])
def proposal_start(request):
    """First question (§5): only a use that is part of a school service needs approval."""
    require(policies.can_use_approvals(request.user))
    form = StartForm(posted(request))
    if request.method == "POST" and form.is_valid():
        if form.cleaned_data["school_service"] == "yes":
            return redirect("approvals:proposal_create")
        return redirect("approvals:proposal_not_needed")
    return render(request, "approvals/proposal_start.html", {"form": form})


@require_GET
def proposal_not_needed(request):
    """Nothing is filed: the use needs no approval, and the Terms of Use still apply (§5, §6)."""
    require(policies.can_use_approvals(request.user))
    return render(
        request, "approvals/proposal_not_needed.html", {"terms": TERMS_OF_USE, "consequences": CONSEQUENCES}
    )


@require_http_methods(["GET", "POST"])
def proposal_create(request):
    require(policies.can_use_approvals(request.user))
    form = ProposalForm(posted(request), schools=policies.schools_for_staff(request.user))
    if request.method == "POST" and form.is_valid():
        try:
            proposal = services.proposal_create(
                actor=request.user, school=form.cleaned_data["school"], **form.proposal_fields()
            )
        except ValidationError as exc:
            apply_form_errors(form, exc)
        else:
            messages.success(request, "Your draft was saved. Submit it for approval when it is ready.")
            return redirect(proposal)
    return render(request, "approvals/proposal_form.html", {"form": form, "proposal": None})


@require_http_methods(["GET", "POST"])
def proposal_edit(request, pk):
    proposal = _proposal(request, pk)
    require(policies.is_proposer(request.user, proposal))
    if not proposal.is_editable:
        messages.error(
            request,
            f"This proposal is {STATUS_PHRASES[proposal.status]}: it can be changed only while it is a draft "
            "or sent back for changes.",
        )
        return redirect(proposal)
    form = ProposalForm(posted(request), schools=None, proposal=proposal)
    if request.method == "POST" and form.is_valid():
        try:
            services.proposal_update(actor=request.user, proposal=proposal, **form.proposal_fields())
        except ValidationError as exc:
            apply_form_errors(form, exc)
        else:
            messages.success(request, "Your changes were saved.")
            return redirect(proposal)
    return render(request, "approvals/proposal_form.html", {"form": form, "proposal": proposal})


@require_GET
def proposal_detail(request, pk):
    proposal = _proposal(request, pk)
    user = request.user
    is_proposer = policies.is_proposer(user, proposal)
    may_decide = policies.can_decide_proposal(user, proposal)
    status = proposal.status
    actions = {
        "edit": is_proposer and proposal.is_editable,
        "submit": is_proposer and proposal.is_editable,
        "decide": may_decide and status == ProposalStatus.SUBMITTED,
        "renew": may_decide and status == ProposalStatus.APPROVED,
        "suspend": may_decide and status == ProposalStatus.APPROVED,
        "reinstate": may_decide and status == ProposalStatus.SUSPENDED,
        "withdraw": policies.can_withdraw_proposal(user, proposal)
        and status in TRANSITIONS["withdraw"].sources,
        "ask_permission": status == ProposalStatus.APPROVED
        and policies.can_request_permission_at(user, proposal.school_id),
    }
    return render(
        request,
        "approvals/proposal_detail.html",
        {
            "proposal": proposal,
            "actions": actions,
            "any_action": any(actions.values()),
            "history": selectors.workflow_history(proposal),
        },
    )


@require_http_methods(["GET", "POST"])
def proposal_submit(request, pk):
    """The proposer reviews the proposal, reads the Terms of Use (§6) in full, and submits."""
    proposal = _proposal(request, pk)
    require(policies.is_proposer(request.user, proposal))
    form = SubmitForm(posted(request))
    if request.method == "POST" and form.is_valid():
        try:
            services.proposal_submit(actor=request.user, proposal=proposal, terms_confirmed=True)
        except ValidationError as exc:
            apply_form_errors(form, exc)
        else:
            messages.success(
                request,
                "Your proposal was submitted. The Head of School and the Executive Head have been told.",
            )
            return redirect(proposal)
    return render(
        request,
        "approvals/proposal_submit.html",
        {"proposal": proposal, "form": form, "terms": TERMS_OF_USE, "consequences": CONSEQUENCES},
    )


@require_http_methods(["GET", "POST"])
def proposal_decide(request, pk):
    """Approve, send back or turn down: the form, then a confirm step, then the decision (§5)."""
    proposal = _proposal(request, pk)
    require(policies.can_decide_proposal(request.user, proposal))
    form = DecisionForm(posted(request))
    refusal = refusal_for(proposal, "approve")
    if request.method == "GET" and refusal:
        messages.info(request, refusal)
        return redirect(proposal)
    context = {
        "proposal": proposal,
        "form": form,
        "age_check": check_ages(proposal, timezone.localdate()),
        "taking_part": pupils_taking_part(proposal) if proposal.audience_pupils else 0,
    }
    if request.method == "POST" and form.is_valid() and not going_back(request):
        if not confirmed(request):
            return render(request, "approvals/proposal_decide_confirm.html", context)
        data = form.cleaned_data
        try:
            if data["decision"] == DecisionForm.APPROVE:
                services.proposal_approve(
                    actor=request.user,
                    proposal=proposal,
                    conditions=data["conditions"],
                    review_date=data["review_date"],
                )
            elif data["decision"] == DecisionForm.CHANGES:
                services.proposal_request_changes(
                    actor=request.user, proposal=proposal, reason=data["reason"]
                )
            else:
                services.proposal_reject(actor=request.user, proposal=proposal, reason=data["reason"])
        except ValidationError as exc:
            apply_form_errors(form, exc)
        else:
            messages.success(
                request,
                f"{proposal.title} is {STATUS_PHRASES[proposal.status]}. The proposer has been told.",
            )
            return redirect(proposal)
    return render(request, "approvals/proposal_decide.html", context)


# --- Acting on a running service, or withdrawing ---------------------------------------------------


@dataclass(frozen=True)
class ServiceAction:
    """One page that confirms an action on a proposal: what it does, and who may take it."""

    title: str
    explanation: str
    button: str
    button_class: str
    done: str

    def form(self, data, proposal):
        raise NotImplementedError

    def allowed(self, user, proposal) -> bool:
        raise NotImplementedError

    def run(self, user, proposal, data: dict[str, Any]):
        raise NotImplementedError


class Suspend(ServiceAction):
    def form(self, data, proposal):
        return ReasonForm(data, label="Reason for suspending", help_text="The proposer reads this.")

    def allowed(self, user, proposal):
        return policies.can_decide_proposal(user, proposal)

    def run(self, user, proposal, data):
        services.proposal_suspend(actor=user, proposal=proposal, reason=data["reason"])


class Reinstate(ServiceAction):
    def form(self, data, proposal):
        return ReasonForm(data, label="Note", required=False, help_text="Optional: what was put right.")

    def allowed(self, user, proposal):
        return policies.can_decide_proposal(user, proposal)

    def run(self, user, proposal, data):
        services.proposal_reinstate(actor=user, proposal=proposal, note=data["reason"])


class Renew(ServiceAction):
    def form(self, data, proposal):
        return RenewForm(data, proposal=proposal)

    def allowed(self, user, proposal):
        return policies.can_decide_proposal(user, proposal)

    def run(self, user, proposal, data):
        services.proposal_renew(
            actor=user, proposal=proposal, review_date=data["review_date"], conditions=data["conditions"]
        )


class Withdraw(ServiceAction):
    def form(self, data, proposal):
        return ReasonForm(data, label="Reason", required=False, help_text="Optional.")

    def allowed(self, user, proposal):
        return policies.can_withdraw_proposal(user, proposal)

    def run(self, user, proposal, data):
        services.proposal_withdraw(actor=user, proposal=proposal, reason=data["reason"])


ACTIONS = {
    "suspend": Suspend(
        title="Suspend this service",
        explanation="The service must stop until it is reinstated. It stays on the register as suspended, "
        "and the proposer is told with your reason.",
        button="Suspend the service",
        button_class="btn-danger",
        done="The service is suspended. The proposer has been told.",
    ),
    "reinstate": Reinstate(
        title="Reinstate this service",
        explanation="The service may run again until its review date. The proposer is told.",
        button="Reinstate the service",
        button_class="btn-primary",
        done="The service is reinstated. The proposer has been told.",
    ),
    "renew": Renew(
        title="Renew this service",
        explanation="The approval continues to a new review date, with the conditions below.",
        button="Renew the approval",
        button_class="btn-primary",
        done="The approval is renewed.",
    ),
    "withdraw": Withdraw(
        title="Withdraw this proposal",
        explanation="Withdrawing is final: a withdrawn proposal cannot be submitted or approved again, "
        "and a withdrawn service must stop. Its history is kept.",
        button="Withdraw",
        button_class="btn-danger",
        done="The proposal is withdrawn.",
    ),
}


@require_http_methods(["GET", "POST"])
def proposal_action(request, pk, action):
    spec = ACTIONS[action]
    proposal = _proposal(request, pk)
    require(spec.allowed(request.user, proposal))
    refusal = refusal_for(proposal, action)
    if request.method == "GET" and refusal:
        messages.info(request, refusal)
        return redirect(proposal)
    form = spec.form(posted(request), proposal)
    if request.method == "POST" and form.is_valid():
        try:
            spec.run(request.user, proposal, form.cleaned_data)
        except ValidationError as exc:
            apply_form_errors(form, exc)
        else:
            messages.success(request, spec.done)
            return redirect(proposal)
    return render(
        request, "approvals/proposal_action.html", {"proposal": proposal, "form": form, "spec": spec}
    )


# --- The approved-services register ---------------------------------------------------------------------


@require_GET
def register(request):
    """Every approved, suspended or expired service the user may see; filterable and printable."""
    require(policies.can_view_register(request.user))
    register_filter = RegisterFilter(
        request.GET or None,
        queryset=selectors.register(request.user),
        schools=policies.schools_for_staff(request.user).order_by("name"),
    )
    services_list = list(register_filter.qs)
    return render(
        request,
        "approvals/register.html",
        {
            "filter": register_filter,
            "services": services_list,
            "today": timezone.localdate(),
            "clear_url": reverse("approvals:register"),
        },
    )
