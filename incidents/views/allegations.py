"""The LADO referrals list, recording an allegation, the case page, its steps and its print page."""

from dataclasses import dataclass
from typing import Any

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from audit.services import audit_view
from core.viewtools import fetch_choices, fetched_page
from people.models import Person, User

from .. import evidence, policies, selectors, services
from ..clauses import labels_for
from ..exceptions import InvalidTransition
from ..filters import AllegationFilter
from ..forms import (
    ActionForm,
    AdviceForm,
    AllegationForm,
    CloseForm,
    HarmAssessmentForm,
    NoteForm,
    OutcomeForm,
    ReferralForm,
    StartInvestigationForm,
)
from ..models import AWAITING_REFERRAL_FIRST, Allegation, CaseNote, Outcome, Platform, Source
from ..services.allegations import TRANSITIONS
from ..services.case_steps import receiver_label, reporter_label
from .common import PAGE_SIZE, apply_form_errors, confirmed_step, posted, require

S = Allegation.Status


@require_GET
def allegation_list(request):
    """ "LADO referrals": every case the user may see, the ones awaiting referral first, by deadline."""
    require(policies.is_case_team(request.user))
    cases = (
        policies.allegations_visible_to(request.user)
        .select_related("school", "subject")
        .annotate(awaiting=AWAITING_REFERRAL_FIRST)
        .order_by("awaiting", "referral_due_at", "id")
    )
    case_filter = AllegationFilter(
        request.GET or None, queryset=cases, schools=policies.case_schools(request.user).order_by("name")
    )
    page = fetched_page(case_filter.qs, request.GET.get("page"), PAGE_SIZE)
    fetch_choices(case_filter.form)
    query = request.GET.copy()
    query.pop("page", None)
    return render(
        request,
        "incidents/allegation_list.html",
        {
            "filter": case_filter,
            "page": page,
            "now": timezone.now(),
            "query": query.urlencode(),
            "can_record": policies.can_record_allegation(request.user),
            "can_triage": policies.can_triage_concerns(request.user),
        },
    )


@require_http_methods(["GET", "POST"])
def allegation_create(request):
    """Record a disclosure (§9), directly, from a staff report (?concern=<id>) or from an improper-contact
    incident by an adult of the school (?incident=<id>, §8)."""
    require(policies.can_record_allegation(request.user))
    concern = None
    concern_id = request.POST.get("concern") or request.GET.get("concern")
    if concern_id:
        concern = get_object_or_404(
            policies.concerns_visible_to(request.user).select_related("school"), pk=_int_or_404(concern_id)
        )
    incident = None
    incident_id = request.POST.get("incident") or request.GET.get("incident")
    if incident_id and concern is None:
        incident = get_object_or_404(
            policies.pupil_incidents_visible_to(request.user).select_related("school"),
            pk=_int_or_404(incident_id),
        )
        require(policies.can_open_allegation_from(request.user, incident))
        if Allegation.objects.filter(pupil_incident=incident).exists():
            messages.error(
                request,
                f"An allegation has already been opened from incident {incident.reference}: add to that case "
                "instead.",
            )
            return redirect(incident)
    origin = concern or incident
    schools = list(policies.schools_where_can_record(request.user).order_by("name"))
    if origin is not None:
        require(any(school.pk == origin.school_id for school in schools))
        schools = [school for school in schools if school.pk == origin.school_id]
    own = policies.access_for(request.user).person_id
    form = AllegationForm(
        posted(request),
        schools=schools,
        subjects=policies.possible_subjects(schools).exclude(pk=own),
        receivers=policies.possible_receivers(schools),
        reporters=policies.possible_reporters(schools),
        from_concern=concern,
        from_incident=incident,
    )
    if incident is not None and own is not None:
        # Received through the incident by the person opening the case (the recorder is the sealed source).
        form.fields["received_by"].initial = own
    if origin is not None and request.method == "GET":
        # The form shows the report's or the incident's account: a view of that record.
        audit_view(actor=request.user, target=origin, school=origin.school_id)

    def run():
        data = form.service_fields()
        return services.allegation_record(
            actor=request.user,
            school=data["school"],
            received_at=data["received_at"],
            received_by=data["received_by"],
            source=data.get("source", Source.STAFF),
            reporter=data.get("reporter"),
            reporter_name=data.get("reporter_name", ""),
            subject=data["subject"],
            platforms=data["platforms"],
            platform_other=data["platform_other"],
            what_happened=data["what_happened"],
            clauses=data["clauses"],
            concern=concern,
            pupil_incident=incident,
        )

    if concern is not None:
        extra_hidden = {"concern": concern.pk}
    elif incident is not None:
        extra_hidden = {"incident": incident.pk}
    else:
        extra_hidden = {}
    allegation, response = confirmed_step(
        request,
        form=form,
        run=run,
        template="incidents/allegation_form.html",
        context={"concern": concern, "incident": incident},
        confirm={
            "title": "Check the allegation before you record it",
            "confirm_label": "Record the allegation",
            "warning": "Recording starts the LADO referral deadline and tells the case manager and the "
            "safeguarding team. A recorded case cannot be deleted; corrections are added as notes.",
            "back_url": origin.get_absolute_url() if origin else "",
            "extra_hidden": extra_hidden,
        },
    )
    if allegation is not None:
        messages.success(request, f"Allegation {allegation.reference} was recorded.")
        return redirect(allegation)
    return response


def _int_or_404(value) -> int:
    try:
        return int(value)
    except (TypeError, ValueError):
        raise Http404 from None


# On the case page the people named and the accounts that took each step are read in one query each
# rather than joined to the case: joined, they made a seven- to thirteen-table query that PostgreSQL
# took five to ten times longer to plan than to run.
CASE_PEOPLE = ("subject", "received_by", "reporter")
CASE_ACCOUNTS = (
    "recorded_by",
    "harm_assessed_by",
    "referred_by",
    "advice_recorded_by",
    "outcome_by",
    "closed_by",
)


def _attach(allegation: Allegation, fields: tuple[str, ...], model) -> None:
    """Set each of `fields` on the case from one query of `model` by key."""
    found = model.objects.in_bulk({getattr(allegation, f"{field}_id") for field in fields} - {None})
    for field in fields:
        key = getattr(allegation, f"{field}_id")
        if key is not None:
            setattr(allegation, field, found[key])


def _visible_case(request, pk, *, with_people: bool = False) -> Allegation:
    """The case if the user may see it (404 otherwise). With `with_people`, for the case page and its
    print: the people named and every account that took a step, in two more queries, always two."""
    if not with_people:
        related = ("school", "subject", "received_by", "recorded_by", "concern")
        return get_object_or_404(
            policies.allegations_visible_to(request.user).select_related(*related), pk=pk
        )
    allegation = get_object_or_404(
        policies.allegations_visible_to(request.user).select_related("school", "concern"), pk=pk
    )
    _attach(allegation, CASE_PEOPLE, Person)
    _attach(allegation, CASE_ACCOUNTS, User)
    return allegation


def _available_steps(user, allegation: Allegation) -> list[dict]:
    """The steps the case's state allows, if the user may work the case."""
    if not policies.can_work_case(user, allegation):
        return []
    steps = []
    if allegation.status == S.RECORDED:
        # Met once, the threshold stands (the service refuses a second assessment): only the referral is left.
        if allegation.harm_assessed and allegation.harm_threshold_met:
            steps.append(STEPS["refer"])
        else:
            steps.append(STEPS["assess"])
    for name, step in STEPS.items():
        if name in ("assess", "refer", "action"):
            continue
        if step.to in TRANSITIONS.get(allegation.status, set()):
            steps.append(step)
    return [{"name": step.name, "label": step.button, "danger": step.name == "close"} for step in steps]


@require_GET
def allegation_detail(request, pk):
    allegation = _visible_case(request, pk, with_people=True)
    audit_view(actor=request.user, target=allegation, school=allegation.school_id)
    notes = list(allegation.notes.select_related("author").order_by("created_at", "id"))
    files = list(allegation.files.select_related("uploaded_by"))
    actions = list(allegation.actions.select_related("recorded_by"))
    can_work = policies.can_work_case(request.user, allegation)
    return render(
        request,
        "incidents/allegation_detail.html",
        {
            **_case_context(request, allegation, files=files, notes=notes),
            "notes": notes,
            "note_numbers": {note.pk: number for number, note in enumerate(notes, start=1)},
            "files": files,
            "actions": actions,
            "can_work": can_work,
            "steps": _available_steps(request.user, allegation),
            "can_reveal": policies.reporter_is_sealed(allegation)
            and policies.can_reveal_reporter(request.user, allegation),
            "low_level_count": selectors.low_level_count_for(request.user, allegation)
            if allegation.is_low_level
            else None,
            "held": allegation.status in (S.RECORDED, S.REFERRED_TO_LADO),
            "max_megabytes": evidence.megabytes(evidence.max_bytes()),
        },
    )


def _case_context(request, allegation: Allegation, *, files, notes=None) -> dict:
    platforms = dict(Platform.choices)
    return {
        "case": allegation,
        "now": timezone.now(),
        "reporter": reporter_label(allegation),
        "receiver": receiver_label(allegation),
        "sealed": policies.reporter_is_sealed(allegation),
        "platforms": [platforms.get(code, code) for code in allegation.platforms],
        "clauses": labels_for(allegation.clauses),
        "chronology": selectors.chronology(allegation, files=files, notes=notes),
        "is_pupil_source": allegation.source == Source.PUPIL,
        "outcome_label": Outcome(allegation.outcome).label if allegation.outcome else "",
    }


@require_GET
def allegation_print(request, pk):
    """The chronology on one printable page. The reporter of a staff disclosure stays sealed."""
    allegation = _visible_case(request, pk, with_people=True)
    audit_view(actor=request.user, target=allegation, school=allegation.school_id)
    files = list(allegation.files.all())
    return render(request, "incidents/allegation_print.html", _case_context(request, allegation, files=files))


# --- Steps --------------------------------------------------------------------------------------


@dataclass(frozen=True)
class Step:
    name: str
    to: str | None
    form: Any
    title: str
    button: str
    confirm_label: str
    warning: str
    done: str


STEPS = {
    "assess": Step(
        "assess",
        None,
        HarmAssessmentForm,
        "Assess the harm threshold",
        "Assess the harm threshold",
        "Record the assessment",
        "If no test is met the case becomes a low-level concern, handled inside the school; "
        "if any is met it must be referred to the LADO.",
        "The harm threshold assessment was recorded.",
    ),
    "refer": Step(
        "refer",
        S.REFERRED_TO_LADO,
        ReferralForm,
        "Record the referral to the LADO",
        "Record the LADO referral",
        "Record the referral",
        "The referral cannot be undone.",
        "The referral to the LADO was recorded.",
    ),
    "advice": Step(
        "advice",
        S.LADO_ADVICE_RECORDED,
        AdviceForm,
        "Record the LADO's advice",
        "Record the LADO's advice",
        "Record the advice",
        "Once advice is recorded, suspension, a disciplinary referral and telling the subject or parents "
        "may be recorded.",
        "The LADO's advice was recorded.",
    ),
    "investigate": Step(
        "investigate",
        S.INVESTIGATING,
        StartInvestigationForm,
        "Start the investigation",
        "Start the investigation",
        "Start the investigation",
        "The case moves to ‘Investigating’. This cannot be undone.",
        "The investigation has started.",
    ),
    "outcome": Step(
        "outcome",
        S.OUTCOME_RECORDED,
        OutcomeForm,
        "Record the outcome",
        "Record the outcome",
        "Record the outcome",
        "The outcome cannot be changed once recorded. It sets how long the record is kept; a malicious "
        "allegation is removed once the case is closed.",
        "The outcome was recorded.",
    ),
    "close": Step(
        "close",
        S.CLOSED,
        CloseForm,
        "Close the case",
        "Close the case",
        "Close the case",
        "A closed case cannot be reopened or changed.",
        "The case was closed.",
    ),
    "action": Step(
        "action",
        None,
        ActionForm,
        "Record a step taken",
        "Record a step taken",
        "Record the step",
        "Steps cannot be removed once recorded.",
        "The step was recorded.",
    ),
}


REMOVED_ON_CLOSE = (
    "The outcome is malicious: once closed, the case is removed at the next nightly run, "
    "with its notes, steps and files, and the staff report it was opened from, if any. Only an audit entry "
    "with no detail stays."
)


HARM_TESTS = ("harm_to_child", "criminal_offence", "risk_to_children", "unsuitable_to_work")


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
    when = f"{due:%A %d %B, %H:%M}"
    refer = (
        f"the referral to the LADO was due by {when}: make it now"
        if due < timezone.now()
        else f"the case must be referred to the LADO by {when}"
    )
    return f"You answered Yes to {tests}: {refer}. This cannot be undone."


def _run_step(name: str, *, actor, allegation: Allegation, data: dict):
    if name == "assess":
        return services.allegation_assess_harm(actor=actor, allegation=allegation, **data)
    if name == "refer":
        return services.allegation_refer_to_lado(actor=actor, allegation=allegation, **data)
    if name == "advice":
        return services.allegation_record_advice(actor=actor, allegation=allegation, **data)
    if name == "investigate":
        return services.allegation_start_investigation(actor=actor, allegation=allegation)
    if name == "outcome":
        return services.allegation_record_outcome(actor=actor, allegation=allegation, **data)
    if name == "close":
        return services.allegation_close(actor=actor, allegation=allegation, **data)
    return services.allegation_record_action(actor=actor, allegation=allegation, **data)


@require_http_methods(["GET", "POST"])
def allegation_step(request, pk, step):
    """One step of the workflow, with a confirmation before it is taken."""
    if step not in STEPS:
        raise Http404
    allegation = _visible_case(request, pk)
    require(policies.can_work_case(request.user, allegation))
    spec = STEPS[step]
    form = spec.form(posted(request))
    warning = spec.warning
    if step == "close" and allegation.removal_due_on is not None:
        warning = f"{REMOVED_ON_CLOSE} {warning}"
    if step == "assess" and request.method == "POST" and form.is_valid():
        warning = _harm_consequence(allegation, form.cleaned_data)
    result, response = confirmed_step(
        request,
        form=form,
        run=lambda: _run_step(step, actor=request.user, allegation=allegation, data=dict(form.cleaned_data)),
        template="incidents/allegation_step.html",
        context={
            "case": allegation,
            "step": spec,
            "now": timezone.now(),
            "held_step": step == "action",
            "warning": warning if warning != spec.warning else "",
        },
        confirm={
            "title": f"{spec.title}: {allegation.reference}",
            "confirm_label": spec.confirm_label,
            "warning": warning,
            "back_url": allegation.get_absolute_url(),
        },
    )
    if result is not None:
        messages.success(request, spec.done)
        return redirect(allegation)
    return response


@require_http_methods(["GET", "POST"])
def allegation_note(request, pk):
    """Append a note (no confirmation: a mistake is put right by a correcting note)."""
    allegation = _visible_case(request, pk)
    require(policies.can_work_case(request.user, allegation))
    notes = list(CaseNote.objects.filter(allegation=allegation).order_by("created_at", "id"))
    form = NoteForm(posted(request), notes=notes)
    if request.method == "POST" and form.is_valid():
        corrects = next((n for n in notes if n.pk == form.cleaned_data["corrects"]), None)
        try:
            services.allegation_add_note(
                actor=request.user, allegation=allegation, text=form.cleaned_data["text"], corrects=corrects
            )
        except ValidationError as exc:
            apply_form_errors(form, exc)
        else:
            messages.success(request, "The note was added.")
            return redirect(allegation)
    return render(request, "incidents/allegation_note.html", {"case": allegation, "form": form})


@require_POST
def allegation_parent_checklist(request, pk):
    """§9: record that the process was explained to the parent who disclosed."""
    allegation = _visible_case(request, pk)
    try:
        services.allegation_mark_parent_process_explained(actor=request.user, allegation=allegation)
    except InvalidTransition as exc:
        messages.error(request, " ".join(exc.messages))
    else:
        messages.success(request, "Recorded: the process was explained to the parent or carer.")
    return redirect(allegation)


@require_POST
def allegation_reveal_reporter(request, pk):
    """ "Show the reporter": the case manager or the DSL sees who made a staff disclosure; audited."""
    allegation = _visible_case(request, pk)
    name = services.allegation_reveal_reporter(actor=request.user, allegation=allegation)
    return render(
        request,
        "incidents/reporter_revealed.html",
        {"record": allegation, "reporter": name, "back_url": allegation.get_absolute_url()},
    )
