"""The policy clauses an allegation may breach, in the portal's own words, with their section.

Codes are stored on the case (`Allegation.clauses`), so a wording can be improved without
touching the records. The policy document itself is the authority; these are summaries.
"""

from dataclasses import dataclass


@dataclass(frozen=True)
class Clause:
    code: str
    section: str
    summary: str

    @property
    def label(self) -> str:
        return f"{self.section}: {self.summary}"


CLAUSES = [
    # §6 Terms of Use.
    Clause(
        "6.content",
        "§6",
        "published content that is defamatory, discriminatory, illegal, sexual or offensive",
    ),
    Clause("6.interests", "§6", "promoted personal financial interests, a business or a personal campaign"),
    Clause("6.abuse", "§6", "used social media in an abusive or hateful way"),
    Clause("6.codes", "§6", "acted against the staff code of conduct or staff policies"),
    Clause(
        "6.misconduct",
        "§6",
        "breached the misconduct, equal opportunities or bullying and harassment policies",
    ),
    Clause("6.school_matters", "§6", "discussed school matters, staff, pupils or parents"),
    Clause("6.pupil_friend", "§6", "has a pupil or former pupil as a friend or contact"),
    Clause("6.representative", "§6", "presented themselves as speaking for the school"),
    Clause(
        "6.references",
        "§6",
        "referred to staff, pupils, parents or school events without the Executive Head's agreement",
    ),
    Clause("6.reputation", "§6", "out-of-work activity that embarrasses the school or harms its reputation"),
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
