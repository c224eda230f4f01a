"""Cyberbullying (§10): any member of staff records a report; the school's case team (the DSL, the SLT and the
Head of School) and the Executive Head see every report of the school (§8, zero tolerance), record the triage's
decision, work its actions, add notes and files, and close it, as on a pupil incident."""

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.db.models import Count, IntegerField, OuterRef, Subquery
from django.db.models.functions import Coalesce
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.template.defaultfilters import pluralize
from django.urls import reverse
from django.views.decorators.http import require_GET, require_http_methods

from audit.services import audit_view
from core.viewtools import PAGE_SIZE

from .. import evidence, policies, selectors, services
from ..filters import CyberbullyingFilter
from ..forms import (
    CyberbullyingDecideForm,
    CyberbullyingReportForm,
    NoteForm,
    PerpetratorFormSet,
)
from ..models import (
    ActionKind,
    ActionOwner,
    BullyingChannel,
    CyberbullyingReport,
    IncidentAction,
    Perpetrator,
    TriageRule,
    WhenItHappens,
)
from ..services.cyberbullying import SECTION
from .common import action_finish_page, apply_form_errors, close_page, parent_notice_page, posted, require
from .evidence import upload_to_case

# --- Recording ----------------------------------------------------------------------------------------------


def _perpetrators(formset) -> list[dict]:
    """The rows that say who is responsible; blank rows are skipped."""
    items = []
    for row in formset.forms:
        data = getattr(row, "cleaned_data", None) or {}
        if not data.get("kind"):
            continue
        kind = data["kind"]
        items.append(
            {
                "kind": kind,
                "person": data.get("person") if kind == Perpetrator.Kind.PUPIL else None,
                "name": data.get("name") or "",
                "left_on": data.get("left_on") if kind == Perpetrator.Kind.FORMER_PUPIL else None,
                "new_school": data.get("new_school") if kind == Perpetrator.Kind.FORMER_PUPIL else "",
            }
        )
    return items


@require_http_methods(["GET", "POST"])
def cyberbullying_record(request):
    """Record a report (§10): any member of staff of the school."""
    require(policies.can_record_pupil_incident(request.user))
    schools = list(policies.schools_to_record_pupil_incident(request.user).order_by("name"))
    pupils = policies.possible_pupils(schools)
    form = CyberbullyingReportForm(
        posted(request),
        schools=schools,
        pupils=pupils,
        reporters=policies.possible_reporters(schools),
    )
    formset = PerpetratorFormSet(posted(request), prefix="perp", form_kwargs={"pupils": pupils})
    perpetrator_errors: list[str] = []
    if request.method == "POST" and form.is_valid() and formset.is_valid():
        data = form.cleaned_data
        try:
            report = services.cyberbullying_report_record(
                actor=request.user,
                school=data["school"],
                source=data["source"],
                reporter=data["reporter"],
                victims=list(data["victims"]),
                perpetrators=_perpetrators(formset),
                when=data["when"],
                channels=data["channels"],
                platform=data["platform"],
                what_happened=data["what_happened"],
                parents_refuse_to_engage=data["parents_refuse_to_engage"],
                bullying_continues=data["bullying_continues"],
            )
        except ValidationError as exc:
            errors = dict(getattr(exc, "error_dict", {}))
            # Who is responsible is a list of rows: its error shows above them, the rest against their fields.
            perpetrator_errors = [m for e in errors.pop("perpetrators", []) for m in e.messages]
            if errors or not perpetrator_errors:
                apply_form_errors(form, ValidationError(errors) if errors else exc)
        else:
            messages.success(
                request,
                f"Report {report.reference} recorded. The designated safeguarding lead has been told.",
            )
            if policies.cyberbullying_visible_to(request.user).filter(pk=report.pk).exists():
                return redirect(report)
            return redirect("incidents:cyberbullying_thanks", pk=report.pk)
    return render(
        request,
        "incidents/cyberbullying_form.html",
        {"form": form, "formset": formset, "perpetrator_errors": perpetrator_errors},
    )


@require_GET
def cyberbullying_thanks(request, pk):
    """What the member of staff who recorded a report sees of it: that it reached the DSL."""
    report = get_object_or_404(
        CyberbullyingReport.objects.select_related("school"), pk=pk, recorded_by_id=request.user.pk
    )
    return render(request, "incidents/cyberbullying_thanks.html", {"report": report})


# --- The list -----------------------------------------------------------------------------------------------


def _open_actions():
    """Open actions of each report, as a subquery: a join would be multiplied by the pupil filter's joins."""
    counts = (
        IncidentAction.objects.filter(report=OuterRef("pk"), status=IncidentAction.Status.OPEN)
        .order_by()
        .values("report")
        .annotate(n=Count("id"))
        .values("n")
    )
    return Coalesce(Subquery(counts, output_field=IntegerField()), 0)


@require_GET
def cyberbullying_list(request):
    """Every report of the user's schools, even those the school is not responsible for (§8)."""
    require(policies.can_see_pupil_incidents(request.user))
    reports = (
        policies.cyberbullying_visible_to(request.user)
        .select_related("school")
        .annotate(open_actions=_open_actions())
        .order_by("-reported_on", "-id")
    )
    report_filter = CyberbullyingFilter(
        request.GET or None, queryset=reports, schools=policies.case_schools(request.user).order_by("name")
    )
    page = Paginator(report_filter.qs, PAGE_SIZE).get_page(request.GET.get("page"))
    query = request.GET.copy()
    query.pop("page", None)
    labels = dict(TriageRule.choices)
    rows = [
        (report, [labels.get(rule, rule).split(":")[0] for rule in report.rules])
        for report in page.object_list
    ]
    return render(
        request,
        "incidents/cyberbullying_list.html",
        {"filter": report_filter, "page": page, "rows": rows, "query": query.urlencode()},
    )


# --- The case -----------------------------------------------------------------------------------------------


def _visible(request, pk, *, detail: bool = False) -> CyberbullyingReport:
    reports = policies.cyberbullying_visible_to(request.user).select_related("school")
    if detail:
        reports = reports.select_related(
            "reporter", "recorded_by__person", "decided_by__person"
        ).prefetch_related("victims", "perpetrators__person")
    return get_object_or_404(reports, pk=pk)


def _rules(codes) -> list[dict]:
    labels = dict(TriageRule.choices)
    return [{"code": c, "label": labels.get(c, c), "section": SECTION.get(c, "§10")} for c in codes]


# The colour of the status badge on the report's page.
BADGES = {CyberbullyingReport.Status.REPORTED: "warning", CyberbullyingReport.Status.DECIDED: "info"}


@require_GET
def cyberbullying_detail(request, pk):
    try:
        report = _visible(request, pk, detail=True)
    except Http404:
        # The member of staff who recorded it, outside the case team, sees only that it reached the DSL.
        if CyberbullyingReport.objects.filter(pk=pk, recorded_by_id=request.user.pk).exists():
            return redirect("incidents:cyberbullying_thanks", pk=pk)
        raise
    audit_view(actor=request.user, target=report, school=report.school)
    user = request.user
    actions = list(report.actions.select_related("pupil", "finished_by__person"))
    notes = list(report.notes.select_related("author"))
    files = list(report.files.select_related("uploaded_by"))
    can_work = policies.can_decide_cyberbullying(user, report)
    steps = services.CYBERBULLYING.allowed_names(user, report)
    awaiting_decision = services.awaiting_decision(report)
    context = {
        "report": report,
        "reporter": policies.cyberbullying_reporter_label(request.user, report),
        "victims": sorted(report.victims.all(), key=lambda p: (p.last_name, p.first_name)),
        "perpetrators": list(report.perpetrators.all()),
        "when": [label for code, label in WhenItHappens.choices if code in report.when],
        "channels": [label for code, label in BullyingChannel.choices if code in report.channels],
        "actions": actions,
        # Each action with the steps the user may take on it now, and the report's own steps.
        "action_rows": [(action, services.action_steps(user, action)) for action in actions],
        "steps": steps,
        "awaiting_decision": awaiting_decision,
        "badge": BADGES.get(report.status, "secondary"),
        "notes": notes,
        "open_actions": sum(1 for action in actions if services.is_open(action)),
        "can_work": can_work,
        "files": files,
        "max_megabytes": evidence.megabytes(evidence.max_bytes()),
        "chronology": selectors.chronology(report, files=files, notes=notes),
        "decided_rules": _rules(report.rules),
        "suggested_rules": _rules(report.suggested_rules),
    }
    if awaiting_decision:
        found = services.triage(report)
        context["triage_rules"] = _rules(found.rules)
        context["planned"] = [
            {"label": ActionKind(a.kind).label, "owner": ActionOwner(a.owner).label, "pupil": a.pupil}
            for a in found.actions
        ]
        if "decide" in steps:
            context["decide_form"] = CyberbullyingDecideForm(initial={"rules": found.rules})
    return render(request, "incidents/cyberbullying_detail.html", context)


@require_http_methods(["GET", "POST"])
def cyberbullying_decide(request, pk):
    """Record the decision: the triage as it stands, or other outcomes with a written reason."""
    report = _visible(request, pk, detail=True)
    require(policies.can_decide_cyberbullying(request.user, report))
    if not services.awaiting_decision(report):
        messages.info(request, "The decision on this report is already recorded.")
        return redirect(report)
    found = services.triage(report)
    form = CyberbullyingDecideForm(posted(request), initial={"rules": found.rules})
    if request.method == "POST" and form.is_valid():
        try:
            decided = services.cyberbullying_decide(
                actor=request.user,
                report=report,
                rules=form.cleaned_data["rules"],
                override_reason=form.cleaned_data["override_reason"],
            )
        except ValidationError as exc:
            apply_form_errors(form, exc)
        else:
            count = decided.actions.count()
            set_ = f"{count} action{pluralize(count)} set" if count else "no action to follow"
            messages.success(request, f"Decision on {report.reference} recorded: {set_}.")
            return redirect(report)
    return render(
        request,
        "incidents/cyberbullying_decide.html",
        {
            "report": report,
            "form": form,
            "triage_rules": _rules(found.rules),
            "planned": [
                {"label": ActionKind(a.kind).label, "owner": ActionOwner(a.owner).label, "pupil": a.pupil}
                for a in found.actions
            ],
        },
    )


def _action(request, pk, action_pk) -> IncidentAction:
    report = _visible(request, pk)
    require(policies.can_decide_cyberbullying(request.user, report))
    return get_object_or_404(report.actions.select_related("report__school", "pupil"), pk=action_pk)


@require_http_methods(["GET", "POST"])
def cyberbullying_action(request, pk, action_pk):
    """Mark an action done (a police referral with the police's reference), or waive it with a reason."""
    return action_finish_page(request, _action(request, pk, action_pk))


@require_http_methods(["GET", "POST"])
def cyberbullying_parent_notice(request, pk, action_pk):
    """The warning to a pupil's parents: choose the notice, see it as they will, send it to those the
    school may contact, by the channel each prefers."""
    return parent_notice_page(request, _action(request, pk, action_pk))


@require_http_methods(["GET", "POST"])
def cyberbullying_note(request, pk):
    """Append a note (a mistake is put right by a correcting note)."""
    report = _visible(request, pk)
    require(policies.can_decide_cyberbullying(request.user, report))
    notes = list(report.notes.order_by("created_at", "id"))
    form = NoteForm(posted(request), notes=notes)
    if request.method == "POST" and form.is_valid():
        corrects = next((n for n in notes if n.pk == form.cleaned_data["corrects"]), None)
        try:
            services.cyberbullying_add_note(
                actor=request.user,
                report=report,
                text=form.cleaned_data["text"],
                corrects=corrects,
                third_party=form.cleaned_data["third_party"],
            )
        except ValidationError as exc:
            apply_form_errors(form, exc)
        else:
            messages.success(request, "The note was added.")
            return redirect(report)
    return render(request, "incidents/cyberbullying_note.html", {"report": report, "form": form})


@require_http_methods(["GET", "POST"])
def cyberbullying_evidence_upload(request, pk):
    """Add a file to the report (a screenshot of the posts, a letter): checked by its content and size, like a
    pupil incident's files."""
    report = _visible(request, pk)
    require(policies.can_decide_cyberbullying(request.user, report))
    back_list = (reverse("incidents:cyberbullying_list"), "Cyberbullying")
    return upload_to_case(request, report, context={"back_list": back_list})


@require_http_methods(["GET", "POST"])
def cyberbullying_close(request, pk):
    """Close the report: asked first, and refused with the reason until its actions are done or waived."""
    report = _visible(request, pk)
    require(policies.can_decide_cyberbullying(request.user, report))
    return close_page(
        request,
        report,
        what="report",
        run=lambda: services.cyberbullying_close(actor=request.user, report=report),
        template="incidents/cyberbullying_close.html",
        context={"report": report},
    )
