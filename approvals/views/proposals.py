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

from core import formats
from core.confirm import Question, ask_first
from core.viewtools import apply_form_errors, fetched_page, posted, require

from .. import policies, selectors, services
from ..filters import RegisterFilter
from ..forms import DecisionForm, ProposalForm, ReasonForm, RenewForm, StartForm, SubmitForm
from ..services.age_guard import check_ages, pupils_taking_part
from ..services.permissions import may_ask_permission_on
from ..services.proposals import reason_heading
from ..services.workflows import DECISIONS, PROPOSAL
from ..terms import CONSEQUENCES, TERMS_OF_USE


def _proposal(request, pk):
    return get_object_or_404(selectors.proposal_for_page(request.user, pk))


@require_GET
def proposal_list(request):
    require(policies.can_use_approvals(request.user))
    return render(
        request,
        "approvals/proposal_list.html",
        {
            "page": fetched_page(selectors.proposals_of(request.user), request.GET.get("page")),
            "is_decider": policies.is_decider(request.user),
        },
    )


@require_GET
def proposal_awaiting(request):
    require(policies.is_decider(request.user))
    return render(
        request,
        "approvals/proposal_awaiting.html",
        {"page": fetched_page(selectors.proposals_awaiting(request.user), request.GET.get("page"))},
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
    require(PROPOSAL.may(request.user, proposal, "update"))
    refusal = PROPOSAL.state_refusal(proposal, "update")
    if refusal:
        messages.error(request, refusal)
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
    return render(
        request,
        "approvals/proposal_form.html",
        {"form": form, "proposal": proposal, "reason_heading": reason_heading(proposal)},
    )


@require_GET
def proposal_detail(request, pk):
    proposal = _proposal(request, pk)
    steps = services.proposal_steps(actor=request.user, proposal=proposal)
    actions = {
        "edit": "update" in steps,
        "submit": "submit" in steps,
        "decide": bool(steps & DECISIONS),
        "renew": "renew" in steps,
        "suspend": "suspend" in steps,
        "reinstate": "reinstate" in steps,
        "withdraw": "withdraw" in steps,
        "ask_permission": may_ask_permission_on(request.user, proposal),
    }
    return render(
        request,
        "approvals/proposal_detail.html",
        {
            "proposal": proposal,
            "actions": actions,
            "any_action": any(actions.values()),
            "reason_heading": reason_heading(proposal),
            "history": selectors.workflow_history(proposal),
        },
    )


@require_http_methods(["GET", "POST"])
def proposal_submit(request, pk):
    """The proposer reviews the proposal, reads the Terms of Use (§6) in full, and submits."""
    proposal = _proposal(request, pk)
    require(PROPOSAL.may(request.user, proposal, "submit"))
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


def _decision_question(proposal, form) -> Question:
    """What the decider is about to do, in words, before it is done."""
    data = form.cleaned_data if form.is_valid() else {}
    decision = data.get("decision")
    if decision == DecisionForm.APPROVE:
        what = (
            f"You are approving “{proposal.title}” ({proposal.platform_label}, {proposal.school.name}) "
            f"until {formats.day(data['review_date'])}."
        )
    elif decision == DecisionForm.CHANGES:
        proposer = proposal.proposer.get_full_name() or proposal.proposer.username
        what = f"You are sending “{proposal.title}” back to {proposer} for changes."
    else:
        what = f"You are turning down “{proposal.title}”. This is final."
    return Question(
        title="Confirm your decision",
        warning=f"{what} The decision is recorded with your name, and the proposer is told.",
        confirm_label="Confirm decision",
        cancel_url=proposal.get_absolute_url(),
    )


@require_http_methods(["GET", "POST"])
def proposal_decide(request, pk):
    """Approve, send back or turn down: the form, then a confirm step, then the decision (§5)."""
    proposal = _proposal(request, pk)
    require(PROPOSAL.may(request.user, proposal, "approve"))
    refusal = PROPOSAL.state_refusal(proposal, "approve")
    if request.method == "GET" and refusal:
        messages.info(request, refusal)
        return redirect(proposal)
    form = DecisionForm(posted(request))

    def decide():
        data = form.cleaned_data
        if data["decision"] == DecisionForm.APPROVE:
            return services.proposal_approve(
                actor=request.user,
                proposal=proposal,
                conditions=data["conditions"],
                review_date=data["review_date"],
            )
        if data["decision"] == DecisionForm.CHANGES:
            return services.proposal_request_changes(
                actor=request.user, proposal=proposal, reason=data["reason"]
            )
        return services.proposal_reject(actor=request.user, proposal=proposal, reason=data["reason"])

    decided, response = ask_first(
        request,
        question=_decision_question(proposal, form),
        run=decide,
        form=form,
        template="approvals/proposal_decide.html",
        confirm_template="approvals/proposal_decide_confirm.html",
        context={
            "proposal": proposal,
            "age_check": check_ages(proposal, timezone.localdate()),
            "taking_part": pupils_taking_part(proposal) if proposal.audience_pupils else 0,
        },
    )
    if response is not None:
        return response
    messages.success(
        request, f"{decided.title} is {PROPOSAL.phrase(decided.status)}. The proposer has been told."
    )
    return redirect(decided)


# --- Acting on a running service, or withdrawing ---------------------------------------------------


@dataclass(frozen=True)
class ServiceAction:
    """One page that confirms a step on a proposal (the workflow's step of the same name): what it does."""

    title: str
    explanation: str
    button: str
    button_class: str
    done: str

    def form(self, data, proposal):
        raise NotImplementedError

    def run(self, user, proposal, data: dict[str, Any]):
        raise NotImplementedError


class Suspend(ServiceAction):
    def form(self, data, proposal):
        return ReasonForm(data, label="Reason for suspending", help_text="The proposer reads this.")

    def run(self, user, proposal, data):
        services.proposal_suspend(actor=user, proposal=proposal, reason=data["reason"])


class Reinstate(ServiceAction):
    def form(self, data, proposal):
        return ReasonForm(data, label="Note", required=False, help_text="Optional: what was put right.")

    def run(self, user, proposal, data):
        services.proposal_reinstate(actor=user, proposal=proposal, note=data["reason"])


class Renew(ServiceAction):
    def form(self, data, proposal):
        return RenewForm(data, proposal=proposal)

    def run(self, user, proposal, data):
        services.proposal_renew(
            actor=user, proposal=proposal, review_date=data["review_date"], conditions=data["conditions"]
        )


class Withdraw(ServiceAction):
    def form(self, data, proposal):
        return ReasonForm(data, label="Reason", required=False, help_text="Optional.")

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
    require(PROPOSAL.may(request.user, proposal, action))
    refusal = PROPOSAL.state_refusal(proposal, action)
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
