"""6. The case chronology pack for one allegation, for a LADO meeting (§9, KCSIE part four).

Everything comes through the incidents app's own rules: the case only if
`allegations_visible_to` holds it (the subject never gets it), and the reporter of a staff
disclosure named only when `can_reveal_reporter` says the reader may know (the case manager and the
school's DSL); everyone else reads "A member of staff". Whether the name was shown is recorded
with the report's audit event. OFFICIAL-SENSITIVE."""

from django.utils import timezone

from core.formats import day, moment
from incidents import policies as incident_policies
from incidents import selectors as incident_selectors
from incidents.clauses import labels_for
from incidents.models import Allegation, CaseNote, Platform
from incidents.services.case_steps import receiver_label, reporter_label

from .base import Filters, Report, Table, TextBlock, yes_no
from .lado import deadline_status
from .people import user_name
from .registry import register


def _lado(case: Allegation) -> str:
    if case.lado_reference:
        return f"{case.lado_name} (reference {case.lado_reference})".strip()
    return case.lado_name


@register
class ChronologyPackReport(Report):
    key = "chronology_pack"
    title = "Case chronology pack"
    summary = "One allegation's summary, what happened, the LADO's advice and the full chronology, for a LADO meeting."
    case_level = True
    uses_dates = False
    per_record = True

    def target(self, user, pk):
        if pk is None:
            return None
        return (
            incident_policies.allegations_visible_to(user)
            .select_related("school__federation", "subject", "reporter", "received_by", "concern")
            .filter(pk=pk)
            .first()
        )

    def build(self, user, filters: Filters, target: Allegation | None = None):
        case = target
        if case is None:
            raise ValueError("The chronology pack is made for one allegation.")
        revealed = incident_policies.reporter_is_sealed(case) and incident_policies.can_reveal_reporter(
            user, case
        )
        notes = list(CaseNote.objects.filter(allegation=case).select_related("author"))
        files = list(case.files.select_related("uploaded_by__person"))
        actions = list(case.actions.select_related("recorded_by__person"))
        entries = [e for e in incident_selectors.chronology(case, files=files, notes=notes) if not e.is_view]
        platforms = dict(Platform.choices)
        platform_labels = [platforms.get(code, code) for code in case.platforms]
        if case.platform_other:
            platform_labels.append(case.platform_other)
        facts = [
            ("Case", case.reference),
            ("School", case.school.name),
            ("Status", case.get_status_display()),
            ("Received", moment(case.received_at)),
            ("Received by", receiver_label(case, revealed=revealed)),
            ("Disclosed by", case.get_source_display()),
            ("Reporter", reporter_label(case, revealed=revealed)),
            ("About", case.subject.full_name),
            ("Case manager", case.get_case_manager_display()),
            ("Where", "; ".join(platform_labels)),
            ("Policy clauses", "; ".join(labels_for(case.clauses))),
            ("Referral due", moment(case.referral_due_at)),
            ("Referred to the LADO", moment(case.referred_at) if case.referred_at else "Not referred"),
            ("Within deadline", deadline_status(case, timezone.now())),
            ("LADO", _lado(case)),
            ("Advice given", moment(case.advice_at)),
            ("Police involved", yes_no(case.police_involved)),
            ("Strategy meeting", yes_no(case.strategy_meeting)),
            ("Suspension advised", yes_no(case.suspension_advised)),
            ("Outcome", case.get_outcome_display() if case.outcome else ""),
        ]
        blocks = [TextBlock("What happened", [case.what_happened])]
        advice = [text for text in (case.advice, case.actions_advised) if text]
        if advice:
            blocks.append(TextBlock("The LADO's advice", advice))
        if case.decision_notes:
            blocks.append(TextBlock("Decision", [case.decision_notes]))
        chronology_rows = []
        for entry in entries:
            detail = entry.detail
            if entry.note is not None:
                detail = (detail + " " if detail else "") + entry.note.text
            chronology_rows.append([moment(entry.at), entry.who, entry.what, detail])
        tables = [
            Table(
                title="Chronology",
                columns=["When", "Who", "What", "Detail"],
                rows=chronology_rows,
                empty="Nothing has been recorded on this case yet.",
            ),
            Table(
                title="Steps taken",
                columns=["Step", "Taken on", "Recorded by", "Note"],
                rows=[
                    [a.get_kind_display(), day(a.taken_on), user_name(a.recorded_by), a.note] for a in actions
                ],
                empty="No suspension, disciplinary referral or notice to the subject or parents is recorded.",
            ),
            Table(
                title="Files on the case",
                columns=["File", "Kind", "Added", "Added by"],
                rows=[
                    [
                        f.original_name,
                        f.get_kind_display(),
                        moment(f.created_at),
                        user_name(f.uploaded_by),
                    ]
                    for f in files
                ],
                empty="No files.",
            ),
        ]
        result = self.result(
            filters,
            school_label=case.school.name,
            title=f"{self.title}: {case.reference}",
            facts=[(label, value) for label, value in facts if value],
            blocks=blocks,
            tables=tables,
            notes=["Views of the case are left out of this pack; they are listed on the case's page."],
        )
        result.audit_extra = {"reporter_revealed": revealed}
        return result

    def file_stem(self, filters, target=None) -> str:
        return f"official-sensitive-chronology-{target.reference}" if target is not None else "chronology"
