"""The policy clauses an allegation may breach, in the portal's own words, with their section.

Codes are stored on the case (`Allegation.clauses`), so a wording can be improved without
touching the records. The policy document itself is the authority; these are summaries.
"""

from dataclasses import dataclass

from core.vocabulary import TERMS_OF_USE


@dataclass(frozen=True)
class Clause:
    code: str
    section: str
    summary: str

    @property
    def label(self) -> str:
        return f"{self.section}: {self.summary}"


CLAUSES = [
    # §6 Terms of Use: the clauses a proposer confirms, as a breach of them reads on a case.
    *(Clause(term.code, "§6", term.breach) for term in TERMS_OF_USE),
    # §7 Guidance and protection for staff.
    Clause("7.pupil_contact", "§7", "interacted with a current pupil on social media"),
    Clause("7.former_pupil_contact", "§7", "interacted with a former pupil on social media"),
    Clause("7.pupil_access", "§7", "asked for, or allowed, a pupil's access to a personal social media area"),
    Clause("7.posing_as_child", "§7", "posed online as a child (illegal)"),
    Clause(
        "7.working_day", "§7", "used social networking in lesson time or on school equipment for personal use"
    ),
    Clause("7.school_systems", "§7", "communicated with pupils outside the school's own systems"),
    Clause("7.comments", "§7", "posted comments about the school, pupils, parents, colleagues or governors"),
    Clause("7.standards", "§7", "used social networking in conflict with the Teachers' Standards"),
]

CLAUSES_BY_CODE = {clause.code: clause for clause in CLAUSES}
CLAUSE_CHOICES = [(clause.code, clause.label) for clause in CLAUSES]


def labels_for(codes) -> list[str]:
    """Readable labels for stored codes; an unknown (retired) code is shown as it is."""
    return [CLAUSES_BY_CODE[code].label if code in CLAUSES_BY_CODE else code for code in codes or []]
