"""The LADO referrals list, recording an allegation, the case page and its print page (its steps are in
allegation_steps.py)."""

from django.contrib import messages
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from audit.services import audit_view
from core.confirm import Question, ask_first
from core.deadlines import week_for
from core.viewtools import PAGE_SIZE, fetch_choices, fetched_page
from core.workflow import InvalidTransition
from people.models import Person, User

from .. import deadlines, evidence, policies, selectors, services
from ..clauses import labels_for
from ..filters import AllegationFilter
from ..forms import AllegationForm
from ..models import AWAITING_REFERRAL_FIRST, Allegation, Outcome, Platform, Source
from ..services.case_steps import receiver_label, reporter_label
from .common import posted, require


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
            # The week's referral deadlines by day (one query), above the list.
            "week": week_for(request.user, sources=[deadlines.referral_deadlines]),
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
    allegation, response = ask_first(
        request,
        question=Question(
            title="Check the allegation before you record it",
            confirm_label="Record the allegation",
            warning="Recording starts the LADO referral deadline and tells the case manager and the "
            "safeguarding team. A recorded case cannot be deleted; corrections are added as notes.",
            cancel_url=origin.get_absolute_url() if origin else "",
            hidden=extra_hidden,
        ),
        run=run,
        form=form,
        template="incidents/allegation_form.html",
        context={"concern": concern, "incident": incident},
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


def visible_case(request, pk, *, with_people: bool = False) -> Allegation:
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


@require_GET
def allegation_detail(request, pk):
    allegation = visible_case(request, pk, with_people=True)
    audit_view(actor=request.user, target=allegation, school=allegation.school_id)
    notes = list(allegation.notes.select_related("author").order_by("created_at", "id"))
    files = list(allegation.files.select_related("uploaded_by"))
    actions = list(allegation.actions.select_related("recorded_by"))
    can_work = policies.can_work_case(request.user, allegation)
    steps = services.allegation_steps(request.user, allegation)
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
            "steps": [{"name": s.name, "label": s.label, "danger": s.name == "close"} for s in steps],
            "can_reveal": policies.reporter_is_sealed(allegation)
            and policies.can_reveal_reporter(request.user, allegation),
            "low_level_count": selectors.low_level_count_for(request.user, allegation)
            if allegation.is_low_level
            else None,
            "max_megabytes": evidence.megabytes(evidence.max_bytes()),
        },
    )


def _case_context(request, allegation: Allegation, *, files, notes=None) -> dict:
    platforms = dict(Platform.choices)
    return {
        "case": allegation,
        **services.case_state(allegation),
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
    allegation = visible_case(request, pk, with_people=True)
    audit_view(actor=request.user, target=allegation, school=allegation.school_id)
    files = list(allegation.files.all())
    return render(request, "incidents/allegation_print.html", _case_context(request, allegation, files=files))


@require_POST
def allegation_parent_checklist(request, pk):
    """§9: record that the process was explained to the parent who disclosed."""
    allegation = visible_case(request, pk)
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
    allegation = visible_case(request, pk)
    name = services.allegation_reveal_reporter(actor=request.user, allegation=allegation)
    return render(
        request,
        "incidents/reporter_revealed.html",
        {"record": allegation, "reporter": name, "back_url": allegation.get_absolute_url()},
    )
