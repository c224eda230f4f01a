"""The Terms of Use (§6), in the portal's own words, with clause numbers for reference.

The proposer of a service confirms these before submitting (§5 says every school
representative keeps to them, on any platform, hosted by the school or not).
"""

TERMS_OF_USE: list[tuple[str, str]] = [
    (
        "6.1",
        "Publish nothing that could lead to a claim for defamation, discrimination, breach of copyright or "
        "data protection, or other damages. That includes anything illegal, sexual or offensive that could "
        "bring the school into disrepute.",
    ),
    ("6.2", "Do not use it to promote your own financial interests, a business or a personal campaign."),
    ("6.3", "Do not use it to abuse anyone or to spread hate."),
    (
        "6.4",
        "Do not use it in any way that would break the school's codes of conduct or its policies for staff.",
    ),
    (
        "6.5",
        "Do not break the school's policies on misconduct, equal opportunities, or bullying and harassment.",
    ),
    ("6.6", "Do not use it to discuss, or give advice on, school matters, staff, pupils or parents."),
    ("6.7", "Staff do not have a pupil or a former pupil as a 'friend' to share information with."),
    ("6.8", "Employees do not present themselves as speaking for the school."),
    (
        "6.9",
        "Refer to a member of staff, a pupil, a parent, or a school activity or event only with permission "
        "agreed beforehand with the Executive Head (ask through Publication permissions).",
    ),
    (
        "6.10",
        "Out-of-work activity that embarrasses the school or harms its reputation may lead to disciplinary "
        "action.",
    ),
]

CONSEQUENCES = (
    "Breaking these terms may be treated as gross misconduct, and may lead to disciplinary action up to "
    "and including dismissal."
)
