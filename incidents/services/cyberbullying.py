"""Cyberbullying (§10): a report, and the triage that turns its facts into a recorded decision with the
policy's reasoning and the actions it sets in motion. Every report reaches the DSL's list (§8)."""

from dataclasses import dataclass, field
from datetime import date

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone

from audit.services import audit_record
from core.vocabulary import INCIDENT_PLATFORMS, platform_minimum_age
from core.workflow import Step, Workflow, lock, transition
from people.models import Person, School, age_on

from .. import notices, policies
from ..models import (
    ActionKind,
    ActionOwner,
    BullyingChannel,
    CaseNote,
    CyberbullyingReport,
    IncidentAction,
    Perpetrator,
    ReportSource,
    TriageRule,
    WhenItHappens,
)
from .case_steps import append_note
from .checks import raise_errors, required
from .pupil_incidents import follow_up_due, refuse_open_actions

S = CyberbullyingReport.Status
TEAM = "Only the school's safeguarding team"


def _wrong_state(report: CyberbullyingReport, step: Step) -> str:
    if step.name == "decide":
        return f"This report is already ‘{report.get_status_display()}’: its decision is recorded."
    if step.name == "add_file":
        return "This report is closed: no more files can be added to it."
    if report.status == S.REPORTED:
        return "Record the decision first: a report closes once its decision's actions are done or waived."
    return "This report is already closed."


# Reported → decided (the triage's outcomes, or others with a written reason) → closed once every action is
# done or waived. Notes may be added at any time; files until it is closed. The actions the decision sets
# have their own workflow (`actions.INCIDENT_ACTION`).
CYBERBULLYING = Workflow(
    model=CyberbullyingReport,
    audit="incidents.cyberbullying",
    noun="report",
    steps=[
        Step(
            "decide",
            {S.REPORTED},
            S.DECIDED,
            label="Record the decision",
            done="decided",
            may=policies.can_decide_cyberbullying,
            refused=f"{TEAM} records the decision.",
        ),
        Step(
            "close",
            {S.DECIDED},
            S.CLOSED,
            label="Close the report",
            done="closed",
            may=policies.can_decide_cyberbullying,
            refused=f"{TEAM} closes this report.",
        ),
        Step(
            "note",
            set(S.values),
            None,
            label="Add a note",
            done="noted",
            may=policies.can_decide_cyberbullying,
            refused=f"{TEAM} adds notes here.",
        ),
        Step(
            "add_file",
            {S.REPORTED, S.DECIDED},
            None,
            label="Add a file",
            done="given a file",
            may=policies.can_decide_cyberbullying,
            refused=f"{TEAM} adds files to this report.",
        ),
    ],
    wrong_state=_wrong_state,
)


def awaiting_decision(report: CyberbullyingReport) -> bool:
    """The triage is still to be decided (whoever looks): the page shows the triage rather than the decision."""
    return CYBERBULLYING.state_refusal(report, "decide") is None


SECTION = {rule: "§10" for rule in TriageRule.values}
SECTION[TriageRule.OUTSIDE_PUPILS] = "§8"
OUT_OF_SCHOOL = {WhenItHappens.EVENINGS, WhenItHappens.WEEKENDS}


@dataclass
class PlannedAction:
    kind: str
    owner: str = ActionOwner.DSL
    pupil: Person | None = None


@dataclass
class Triage:
    """What §10 makes of a report: the rules that apply, in plain words with their section, and the actions."""

    rules: list[str] = field(default_factory=list)
    actions: list[PlannedAction] = field(default_factory=list)

    @property
    def reasoning(self) -> str:
        return "\n".join(f"{SECTION[r]}: {TriageRule(r).label}." for r in self.rules)

    @property
    def declines_social_networking(self) -> bool:
        return TriageRule.DECLINE_SOCIAL in self.rules


def _current_pupils(perpetrators: list[Perpetrator]) -> list[Person]:
    return [p.person for p in perpetrators if p.kind == Perpetrator.Kind.PUPIL]


def _under_age(people: list[Person], on: date, platform: str) -> bool:
    minimum = platform_minimum_age(platform)
    return any(p.date_of_birth is not None and age_on(p.date_of_birth, on) < minimum for p in people)


def _warned_before(report: CyberbullyingReport, pupil_ids: set[int]) -> bool:
    """The parents were already warned about one of these pupils: an earlier report of the school decided
    a warning to all the parents, and its warning about one of these pupils was actually sent (the action
    is done; a waived or unsent warning does not count)."""
    return (
        IncidentAction.objects.filter(
            report__school_id=report.school_id,
            report__status__in=[CyberbullyingReport.Status.DECIDED, CyberbullyingReport.Status.CLOSED],
            report__decided_at__date__lte=report.reported_on,
            kind=ActionKind.WARN_PARENTS,
            status=IncidentAction.Status.DONE,
            pupil_id__in=pupil_ids,
        )
        .exclude(report_id=report.pk)
        .exists()
    )


def triage(report: CyberbullyingReport) -> Triage:
    """The §10 decision for a report's facts. Mixed cases get the union of what applies."""
    perpetrators = list(report.perpetrators.all())
    victims = list(report.victims.all())
    current = _current_pupils(perpetrators)
    when = set(report.when)
    rules: list[str] = []
    if any(p.kind == Perpetrator.Kind.FORMER_PUPIL for p in perpetrators):
        rules.append(TriageRule.FORMER_PUPIL)
    if current:
        involved = _involved(victims, perpetrators)
        if when & OUT_OF_SCHOOL:
            rules.append(TriageRule.DUTY_OF_CARE)
        if WhenItHappens.SCHOOL_TIME in when:
            rules.append(TriageRule.IN_SCHOOL)
        on_social = BullyingChannel.SOCIAL_MEDIA in report.channels
        if (
            TriageRule.DUTY_OF_CARE in rules
            and on_social
            and _under_age(involved, report.reported_on, report.platform)
        ):
            if _warned_before(report, {p.pk for p in involved}):
                rules.append(TriageRule.DECLINE_SOCIAL)
            else:
                rules.append(TriageRule.WARN_ALL_PARENTS)
    elif TriageRule.FORMER_PUPIL not in rules:
        rules.append(TriageRule.OUTSIDE_PUPILS)
    if report.parents_refuse_to_engage and report.bullying_continues:
        rules.append(TriageRule.POLICE)
    return Triage(rules=rules, actions=_plan(rules, victims, perpetrators))


def _involved(victims: list[Person], perpetrators: list[Perpetrator]) -> list[Person]:
    """The victims, then the school's pupils responsible who are not also victims."""
    seen = {v.pk for v in victims}
    return victims + [p for p in _current_pupils(perpetrators) if p.pk not in seen]


def planned_actions(report: CyberbullyingReport, rules: list[str]) -> list[PlannedAction]:
    """The actions the chosen §10 outcomes call for, whether they are the triage's or a decision otherwise."""
    return _plan(rules, list(report.victims.all()), list(report.perpetrators.all()))


def _plan(rules: list[str], victims: list[Person], perpetrators: list[Perpetrator]) -> list[PlannedAction]:
    chosen = set(rules)
    involved = _involved(victims, perpetrators)
    actions: list[PlannedAction] = []
    if TriageRule.FORMER_PUPIL in chosen:
        former = [p for p in perpetrators if p.kind == Perpetrator.Kind.FORMER_PUPIL] or [None]
        actions += [PlannedAction(ActionKind.CONTACT_NEW_SCHOOL, ActionOwner.DSL) for _ in former]
    # Declined on social networking: only bullying in school is still investigated.
    declined = TriageRule.DECLINE_SOCIAL in chosen and TriageRule.IN_SCHOOL not in chosen
    if chosen & {TriageRule.DUTY_OF_CARE, TriageRule.IN_SCHOOL} and not declined:
        actions.append(PlannedAction(ActionKind.INVESTIGATE, ActionOwner.SLT))
        actions += [PlannedAction(ActionKind.MEET_FAMILY, ActionOwner.SLT, pupil) for pupil in involved]
    if TriageRule.WARN_ALL_PARENTS in chosen:
        actions += [PlannedAction(ActionKind.WARN_PARENTS, ActionOwner.DSL, pupil) for pupil in involved]
    if TriageRule.OUTSIDE_PUPILS in chosen:
        actions.append(PlannedAction(ActionKind.SAFEGUARDING_REVIEW, ActionOwner.DSL))
    if TriageRule.POLICE in chosen:
        actions.append(PlannedAction(ActionKind.REFER_POLICE, ActionOwner.DSL))
    return actions


@transaction.atomic
def cyberbullying_report_record(
    *,
    actor,
    school: School,
    source: str,
    victims: list[Person],
    perpetrators: list[dict],
    when: list[str],
    channels: list[str],
    what_happened: str,
    reporter: Person | None = None,
    platform: str = "",
    parents_refuse_to_engage: bool = False,
    bullying_continues: bool = False,
    reported_on: date | None = None,
) -> CyberbullyingReport:
    """Record a report (§10). Any member of staff; a reporting pupil's identity is sealed (see policies)."""
    if not policies.schools_to_record_pupil_incident(actor).filter(pk=school.pk).exists():
        raise PermissionDenied("Only staff of this school record its cyberbullying reports.")
    errors: dict = {}
    pupils = policies.possible_pupils(school)
    victims = list(victims)
    if not victims:
        errors["victims"] = "Choose the pupil or pupils being bullied."
    elif pupils.filter(pk__in=[v.pk for v in victims]).count() != len({v.pk for v in victims}):
        errors["victims"] = "Choose pupils on roll at this school."
    if source not in ReportSource.values:
        errors["source"] = "Say who told the school."
    if reporter is not None and not policies.possible_reporters(school).filter(pk=reporter.pk).exists():
        errors["reporter"] = "Choose someone of this school as the person who told the school."
    if not perpetrators:
        errors["perpetrators"] = "Add who is said to be responsible, or say it is not known."
    for item in perpetrators:
        kind = item.get("kind")
        if kind not in Perpetrator.Kind.values:
            errors["perpetrators"] = "Choose what each person said to be responsible is."
        elif kind == Perpetrator.Kind.PUPIL and not (
            item.get("person") is not None and pupils.filter(pk=item["person"].pk).exists()
        ):
            errors["perpetrators"] = "Choose each pupil of the school from the school's roll."
    if not when or set(when) - set(WhenItHappens.values):
        errors["when"] = "Say when it happens: school time, evenings or weekends."
    if not channels or set(channels) - set(BullyingChannel.values):
        errors["channels"] = "Say how it happens: social media, texts, phone calls or messaging apps."
    if BullyingChannel.SOCIAL_MEDIA in (channels or []) and platform not in INCIDENT_PLATFORMS:
        errors["platform"] = "Name the social media platform: its minimum age matters to the decision."
    required(errors, "what_happened", (what_happened or "").strip(), "Say what happened.")
    raise_errors(errors)
    report = CyberbullyingReport.objects.create(
        school=school,
        recorded_by=actor,
        source=source,
        reporter=reporter,
        reported_on=reported_on or timezone.localdate(),
        when=list(when),
        channels=list(channels),
        platform=platform or "",
        what_happened=what_happened.strip(),
        parents_refuse_to_engage=parents_refuse_to_engage,
        bullying_continues=bullying_continues,
    )
    report.victims.set(victims)
    Perpetrator.objects.bulk_create(
        Perpetrator(
            report=report,
            kind=item["kind"],
            person=item.get("person"),
            name=(item.get("name") or "").strip(),
            left_on=item.get("left_on"),
            new_school=(item.get("new_school") or "").strip(),
        )
        for item in perpetrators
    )
    # The reporter's identity stays out of the audit data: it is sealed.
    audit_record(
        actor=actor,
        action="incidents.cyberbullying.record",
        target=report,
        school=school,
        data={"source": source, "victims": len(victims), "perpetrators": [p["kind"] for p in perpetrators]},
    )
    notices.cyberbullying_reported(report=report, actor=actor)
    return report


@transaction.atomic
def cyberbullying_decide(
    *, actor, report: CyberbullyingReport, rules: list[str] | None = None, override_reason: str = ""
) -> CyberbullyingReport:
    """Record the triage decision and create its actions. Staff may decide otherwise than the triage only
    with a written reason (audited)."""

    def apply(row: CyberbullyingReport) -> dict:
        found = triage(row)
        chosen = found.rules if rules is None else list(rules)
        if set(chosen) - set(TriageRule.values) or not chosen:
            raise ValidationError({"rules": "Choose the outcomes from the list."}, code="invalid_choice")
        overridden = sorted(chosen) != sorted(found.rules)
        if overridden and not (override_reason or "").strip():
            raise ValidationError(
                {"override_reason": "You decided differently from the policy's triage: write down why."},
                code="required",
            )
        due = follow_up_due()
        actions = found.actions if not overridden else planned_actions(row, chosen)
        IncidentAction.objects.bulk_create(
            IncidentAction(
                report=row, school_id=row.school_id, kind=a.kind, owner=a.owner, pupil=a.pupil, due_on=due
            )
            for a in actions
        )
        row.suggested_rules = list(found.rules)
        row.rules = chosen
        row.reasoning = found.reasoning
        row.override_reason = (override_reason or "").strip() if overridden else ""
        row.declined_social_networking = TriageRule.DECLINE_SOCIAL in chosen
        row.decided_at, row.decided_by = timezone.now(), actor
        return {"rules": chosen, "suggested": list(found.rules), "overridden": overridden}

    row, _event = transition(
        CYBERBULLYING, "decide", record=report, actor=actor, related=("school",), apply=apply
    )
    return row


def lock_report(actor, report: CyberbullyingReport, step: str) -> CyberbullyingReport:
    """The report, locked for update, once `actor` may take `step` on it now (a note, a file)."""
    row = lock(CyberbullyingReport.objects.all(), related=("school",), pk=report.pk)
    CYBERBULLYING.check(actor, row, step)
    return row


@transaction.atomic
def cyberbullying_add_note(
    *,
    actor,
    report: CyberbullyingReport,
    text: str,
    corrects: CaseNote | None = None,
    third_party: bool = False,
) -> CaseNote:
    """Append a note to the report, as on a pupil incident: never edited or removed; a correction points at
    the note it corrects. Notes may still be added once the report is closed."""
    row = lock_report(actor, report, "note")
    return append_note(
        actor=actor,
        case=row,
        field="report",
        action="incidents.cyberbullying.note",
        text=text,
        corrects=corrects,
        third_party=third_party,
    )


@transaction.atomic
def cyberbullying_close(*, actor, report: CyberbullyingReport) -> CyberbullyingReport:
    """Close a decided report once every action is done or waived."""
    row, _event = transition(
        CYBERBULLYING,
        "close",
        record=report,
        actor=actor,
        related=("school",),
        apply=refuse_open_actions,
    )
    return row
