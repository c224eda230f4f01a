"""The steps of an allegation's workflow, each behind a confirmation, and its append-only notes."""

from dataclasses import dataclass
from typing import Any

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import Http404
from django.shortcuts import redirect, render
from django.utils import timezone
from django.views.decorators.http import require_http_methods

from core import formats
from core.confirm import Question, ask_first

from .. import policies, services
from ..forms import (
    ActionForm,
    AdviceForm,
    CloseForm,
    HarmAssessmentForm,
    NoteForm,
    OutcomeForm,
    ReferralForm,
    StartInvestigationForm,
)
from ..models import Allegation, CaseNote
from ..services.allegations import HARM_TESTS
from .allegations import visible_case
from .common import apply_form_errors, posted, require


@dataclass(frozen=True)
class StepPage:
    """How a step's page reads: its form, heading, the confirmation's button and warning, and what is said
    once it is taken. The step itself (its states, who may take it, its button) is the service's."""

    form: Any
    title: str
    confirm_label: str
    warning: str
    done: str


STEPS = {
    "assess": StepPage(
        HarmAssessmentForm,
        "Assess the harm threshold",
        "Record the assessment",
        "If no test is met the case becomes a low-level concern, handled inside the school; "
        "if any is met it must be referred to the LADO.",
        "The harm threshold assessment was recorded.",
    ),
    "refer": StepPage(
        ReferralForm,
        "Record the referral to the LADO",
        "Record the referral",
        "The referral cannot be undone.",
        "The referral to the LADO was recorded.",
    ),
    "advice": StepPage(
        AdviceForm,
        "Record the LADO's advice",
        "Record the advice",
        "Once advice is recorded, suspension, a disciplinary referral and telling the subject or parents "
        "may be recorded.",
        "The LADO's advice was recorded.",
    ),
    "investigate": StepPage(
        StartInvestigationForm,
        "Start the investigation",
        "Start the investigation",
        "The case moves to ‘Investigating’. This cannot be undone.",
        "The investigation has started.",
    ),
    "outcome": StepPage(
        OutcomeForm,
        "Record the outcome",
        "Record the outcome",
        "The outcome cannot be changed once recorded. It sets how long the record is kept; a malicious "
        "allegation is removed once the case is closed.",
        "The outcome was recorded.",
    ),
    "close": StepPage(
        CloseForm,
        "Close the case",
        "Close the case",
        "A closed case cannot be reopened or changed.",
        "The case was closed.",
    ),
    "action": StepPage(
        ActionForm,
        "Record a step taken",
        "Record the step",
        "Steps cannot be removed once recorded.",
        "The step was recorded.",
    ),
}

SERVICES = {
    "assess": services.allegation_assess_harm,
    "refer": services.allegation_refer_to_lado,
    "advice": services.allegation_record_advice,
    "investigate": services.allegation_start_investigation,
    "outcome": services.allegation_record_outcome,
    "close": services.allegation_close,
    "action": services.allegation_record_action,
}

REMOVED_ON_CLOSE = (
    "The outcome is malicious: once closed, the case is removed at the next nightly run, "
    "with its notes, steps and files, and the staff report it was opened from, if any. Only an audit entry "
    "with no detail stays."
)


def _harm_consequence(allegation: Allegation, answers: dict) -> str:
    """What the answers given will do to the case, said before they are recorded."""
    met = sum(1 for name in HARM_TESTS if answers.get(name))
    if not met:
        return (
            "You answered No to all four tests: the case becomes a low-level concern, handled inside the "
            "school, and is not referred to the LADO. This cannot be undone."
        )
    due = timezone.localtime(allegation.referral_due_at)
    tests = "one test" if met == 1 else f"{met} tests"
    when = formats.deadline(due)
    refer = (
        f"the referral to the LADO was due by {when}: make it now"
        if due < timezone.now()
        else f"the case must be referred to the LADO by {when}"
    )
    return f"You answered Yes to {tests}: {refer}. This cannot be undone."


@require_http_methods(["GET", "POST"])
def allegation_step(request, pk, step):
    """One step of the workflow, with a confirmation before it is taken."""
    if step not in STEPS:
        raise Http404
    allegation = visible_case(request, pk)
    require(policies.can_work_case(request.user, allegation))
    page = STEPS[step]
    form = page.form(posted(request))
    warning = page.warning
    if step == "close" and allegation.removal_due_on is not None:
        warning = f"{REMOVED_ON_CLOSE} {warning}"
    if step == "assess" and request.method == "POST" and form.is_valid():
        warning = _harm_consequence(allegation, form.cleaned_data)
    result, response = ask_first(
        request,
        question=Question(
            title=f"{page.title}: {allegation.reference}",
            confirm_label=page.confirm_label,
            warning=warning,
            cancel_url=allegation.get_absolute_url(),
            include="" if form.fields else "incidents/allegation_step_nothing_entered.html",
        ),
        run=lambda: SERVICES[step](actor=request.user, allegation=allegation, **form.cleaned_data),
        form=form,
        template="incidents/allegation_step.html",
        context={
            "case": allegation,
            "step": page,
            "now": timezone.now(),
            "held_step": step == "action",
            "awaiting_referral": services.case_state(allegation)["awaiting_referral"],
            "warning": warning if warning != page.warning else "",
        },
    )
    if result is not None:
        messages.success(request, page.done)
        return redirect(allegation)
    return response


@require_http_methods(["GET", "POST"])
def allegation_note(request, pk):
    """Append a note (no confirmation: a mistake is put right by a correcting note)."""
    allegation = visible_case(request, pk)
    require(policies.can_work_case(request.user, allegation))
    notes = list(CaseNote.objects.filter(allegation=allegation).order_by("created_at", "id"))
    form = NoteForm(posted(request), notes=notes)
    if request.method == "POST" and form.is_valid():
        corrects = next((n for n in notes if n.pk == form.cleaned_data["corrects"]), None)
        try:
            services.allegation_add_note(
                actor=request.user,
                allegation=allegation,
                text=form.cleaned_data["text"],
                corrects=corrects,
                third_party=form.cleaned_data["third_party"],
            )
        except ValidationError as exc:
            apply_form_errors(form, exc)
        else:
            messages.success(request, "The note was added.")
            return redirect(allegation)
    return render(request, "incidents/allegation_note.html", {"case": allegation, "form": form})
