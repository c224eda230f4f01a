"""Pupil incidents (§8): recorded by any member of staff; listed and worked by the DSL, SLT and heads."""

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.db.models import Count, Q
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.views.decorators.http import require_GET, require_http_methods

from audit.services import audit_view
from core.confirm import Question, ask_first
from core.viewtools import PAGE_SIZE, record_id

from .. import evidence, notices, policies, selectors, services
from ..forms import NoteForm, PupilIncidentForm
from ..models import CaseNote, IctSanction, IncidentAction, IncidentType, PupilIncident
from .common import action_finish_page, apply_form_errors, close_page, parent_notice_page, posted, require
from .evidence import upload_to_case


@require_http_methods(["GET", "POST"])
def pupil_incident_record(request):
    """Record a §8 incident: any member of staff."""
    require(policies.can_record_pupil_incident(request.user))
    schools = list(policies.schools_to_record_pupil_incident(request.user).order_by("name"))
    me = policies.access_for(request.user).person_id
    form = PupilIncidentForm(
        posted(request),
        schools=schools,
        pupils=policies.possible_pupils(schools),
        adults=policies.possible_subjects(schools).exclude(pk=me),
    )

    def run():
        data = form.cleaned_data
        return services.pupil_incident_record(
            actor=request.user,
            school=data["school"],
            kind=data["kind"],
            pupils=list(data["pupils"]),
            occurred_at=data["occurred_at"],
            in_school_day=data["in_school_day"],
            location=data["location"],
            what_happened=data["what_happened"],
            platform=data["platform"],
            adult=data["adult"],
            adult_description=data["adult_description"],
            sanction_starts_on=data["sanction_starts_on"],
            sanction_ends_on=data["sanction_ends_on"],
        )

    valid = request.method == "POST" and form.is_valid()
    incident, response = ask_first(
        request,
        question=Question(
            title="Check the incident",
            confirm_label="Record the incident",
            warning=what_follows(form.cleaned_data) if valid else "",
        ),
        run=run,
        form=form,
        template="incidents/pupil_incident_form.html",
    )
    if response is not None:
        return response
    messages.success(request, f"Incident {incident.reference} recorded. The safeguarding team can see it.")
    if policies.pupil_incidents_visible_to(request.user).filter(pk=incident.pk).exists():
        return redirect(incident)
    return redirect("incidents:pupil_incident_record")


FOLLOWS = {
    IncidentType.FIREWALL_BREACH: "Each pupil's use of the school's computers is restricted for the dates "
    "given, and the senior leadership team is asked to supervise it.",
    IncidentType.UNDER_AGE_ACCOUNT: "The designated safeguarding lead is asked to warn each pupil's parents "
    "or carers about the platform's minimum age.",
}


def what_follows(data: dict) -> str:
    """Said before an incident is recorded: who is told and what it sets in motion (§8)."""
    kind, adult = data["kind"], data.get("adult")
    adult_id = adult.pk if adult else None
    follows = FOLLOWS.get(kind, "")
    if kind == IncidentType.IMPROPER_CONTACT:
        follows = notices.improper_contact_routing(data["school"].pk, adult_id).explanation
    if kind == IncidentType.JOINED_STAFF_SOCIAL:
        school = data["school"]
        follows = notices.joined_staff_social_routing(school.pk, school.federation_id, adult_id).explanation
    return (
        " ".join(
            filter(None, ["Once recorded, the incident is on the school's safeguarding list (§8).", follows])
        )
        + " It cannot be withdrawn."
    )


def _options(choices, chosen: str) -> list[tuple[str, str, bool]]:
    """A filter's options as (value, label, chosen) for its select."""
    return [(value, label, value == chosen) for value, label in choices]


@require_GET
def pupil_incident_list(request):
    """Every pupil incident of the user's schools (§8: zero tolerance, all reach the DSL's list)."""
    require(policies.can_see_pupil_incidents(request.user))
    incidents = (
        policies.pupil_incidents_visible_to(request.user)
        .select_related("school")
        .annotate(open_actions=Count("actions", filter=Q(actions__status=IncidentAction.Status.OPEN)))
        .prefetch_related("pupils")
    )
    schools = list(policies.case_schools(request.user).order_by("name"))
    filters = {key: request.GET.get(key, "") for key in ("school", "kind", "status", "pupil", "open_actions")}
    if record_id(filters["school"]) is not None:
        incidents = incidents.filter(school_id=record_id(filters["school"]))
    if filters["kind"] in IncidentType.values:
        incidents = incidents.filter(kind=filters["kind"])
    if filters["status"] in PupilIncident.Status.values:
        incidents = incidents.filter(status=filters["status"])
    # PostgreSQL cannot compare text holding NUL: the character is dropped from a search.
    if filters["pupil"].replace("\x00", "").strip():
        term = filters["pupil"].replace("\x00", "").strip()
        incidents = incidents.filter(
            Q(pupils__first_name__icontains=term) | Q(pupils__last_name__icontains=term)
        ).distinct()
    if filters["open_actions"] == "yes":
        incidents = incidents.filter(open_actions__gt=0)
    page = Paginator(incidents.order_by("-occurred_at", "-id"), PAGE_SIZE).get_page(request.GET.get("page"))
    query = request.GET.copy()
    query.pop("page", None)
    sanctions = (
        IctSanction.objects.filter(
            incident__in=policies.pupil_incidents_visible_to(request.user),
            starts_on__lte=timezone.localdate(),
            ends_on__gte=timezone.localdate(),
        )
        .select_related("pupil", "incident")
        .order_by("ends_on", "id")
    )
    return render(
        request,
        "incidents/pupil_incident_list.html",
        {
            "page": page,
            "filters": filters,
            "schools": schools,
            "kinds": _options(IncidentType.choices, filters["kind"]),
            "statuses": _options(PupilIncident.Status.choices, filters["status"]),
            "query": query.urlencode(),
            "sanctions": list(sanctions),
        },
    )


def _visible(request, pk, *related) -> PupilIncident:
    return get_object_or_404(
        policies.pupil_incidents_visible_to(request.user).select_related(
            "school", "adult", "recorded_by__person", *related
        ),
        pk=pk,
    )


def _opened_allegation(user, incident: PupilIncident) -> dict:
    """The allegation an improper-contact incident opened (§8 → §9): linked only for those who may see it
    (never its subject); the intake offered while none exists."""
    opened = getattr(incident, "allegation", None)
    return {
        "allegation": opened
        if opened is not None and policies.allegations_visible_to(user).filter(pk=opened.pk).exists()
        else None,
        "allegation_opened": opened is not None,
        "can_open_allegation": opened is None and policies.can_open_allegation_from(user, incident),
    }


# The colour of the status badge on the incident's page.
BADGES = {PupilIncident.Status.OPEN: "warning"}


@require_GET
def pupil_incident_detail(request, pk):
    incident = _visible(request, pk, "allegation")
    audit_view(actor=request.user, target=incident, school=incident.school)
    user = request.user
    actions = list(incident.actions.select_related("pupil", "finished_by__person"))
    notes = list(incident.notes.select_related("author").order_by("created_at", "id"))
    files = list(incident.files.select_related("uploaded_by"))
    sealed_user_id = (
        incident.recorded_by_id if policies.incident_recorder_sealed(request.user, incident) else None
    )
    return render(
        request,
        "incidents/pupil_incident_detail.html",
        {
            "incident": incident,
            "pupils": list(incident.pupils.order_by("last_name", "first_name")),
            "actions": actions,
            # Each follow-up with the steps the user may take on it now, and the incident's own steps.
            "action_rows": [(action, services.action_steps(user, action)) for action in actions],
            "steps": services.PUPIL_INCIDENT.allowed_names(user, incident),
            "badge": BADGES.get(incident.status, "secondary"),
            "sanctions": list(incident.sanctions.select_related("pupil")),
            "can_work": policies.can_work_pupil_incident(user, incident),
            "open_actions": sum(1 for action in actions if services.is_open(action)),
            "notes": notes,
            "note_numbers": {note.pk: number for number, note in enumerate(notes, start=1)},
            "files": files,
            "chronology": selectors.chronology(
                incident, files=files, notes=notes, sealed_user_id=sealed_user_id
            ),
            "sealed_user_id": sealed_user_id,
            "max_megabytes": evidence.megabytes(evidence.max_bytes()),
            **_opened_allegation(request.user, incident),
        },
    )


def _action(request, pk, action_pk) -> IncidentAction:
    incident = _visible(request, pk)
    require(policies.can_work_pupil_incident(request.user, incident))
    return get_object_or_404(incident.actions.select_related("incident__school", "pupil"), pk=action_pk)


@require_http_methods(["GET", "POST"])
def incident_action_finish(request, pk, action_pk):
    """Mark a follow-up done, or waive it with a reason."""
    return action_finish_page(request, _action(request, pk, action_pk))


@require_http_methods(["GET", "POST"])
def incident_parent_notice(request, pk, action_pk):
    """Choose the parent notice, see it as parents will, then send it to those who may be contacted."""
    return parent_notice_page(request, _action(request, pk, action_pk))


@require_http_methods(["GET", "POST"])
def pupil_incident_close(request, pk):
    """Close the incident: asked first, and refused with the reason while an action is still to do."""
    incident = _visible(request, pk)
    require(policies.can_work_pupil_incident(request.user, incident))
    return close_page(
        request,
        incident,
        what="incident",
        run=lambda: services.pupil_incident_close(actor=request.user, incident=incident),
        template="incidents/pupil_incident_close.html",
        context={"incident": incident},
    )


def _back_list() -> tuple[str, str]:
    return reverse("incidents:pupil_incident_list"), "Pupil incidents"


@require_http_methods(["GET", "POST"])
def pupil_incident_note(request, pk):
    """Append a note to the incident (no confirmation: a mistake is put right by a correcting note)."""
    incident = _visible(request, pk)
    require(policies.can_work_pupil_incident(request.user, incident))
    notes = list(CaseNote.objects.filter(incident=incident).order_by("created_at", "id"))
    form = NoteForm(posted(request), notes=notes)
    if request.method == "POST" and form.is_valid():
        corrects = next((n for n in notes if n.pk == form.cleaned_data["corrects"]), None)
        try:
            services.pupil_incident_add_note(
                actor=request.user,
                incident=incident,
                text=form.cleaned_data["text"],
                corrects=corrects,
                third_party=form.cleaned_data["third_party"],
            )
        except ValidationError as exc:
            apply_form_errors(form, exc)
        else:
            messages.success(request, "The note was added.")
            return redirect(incident)
    return render(
        request, "incidents/allegation_note.html", {"case": incident, "form": form, "back_list": _back_list()}
    )


@require_http_methods(["GET", "POST"])
def pupil_incident_evidence_upload(request, pk):
    """Add a file to the incident: checked by its content and size, like an allegation's files."""
    incident = _visible(request, pk)
    require(policies.can_work_pupil_incident(request.user, incident))
    return upload_to_case(request, incident, context={"back_list": _back_list()})


@require_GET
def my_actions(request):
    """ "My open actions": the open follow-ups of pupil incidents and cyberbullying reports owned by a role the
    user holds at the case's school, soonest due first, each linked to its case."""
    require(policies.can_see_pupil_incidents(request.user))
    actions = selectors.my_open_incident_actions(request.user).select_related(
        "incident__school", "report__school", "pupil"
    )
    page = Paginator(actions.order_by("due_on", "id"), PAGE_SIZE).get_page(request.GET.get("page"))
    return render(
        request,
        "incidents/my_actions.html",
        {"page": page, "today": timezone.localdate(), "query": ""},
    )
