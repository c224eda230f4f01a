"""The Terms of Use (§6), in the portal's own words, with clause numbers for reference.

The proposer of a service confirms these before submitting (§5 says every school
representative keeps to them, on any platform, hosted by the school or not).
"""

from core import vocabulary

TERMS_OF_USE: list[tuple[str, str]] = [(term.number, term.rule) for term in vocabulary.TERMS_OF_USE]

CONSEQUENCES = (
    "Breaking these terms may be treated as gross misconduct, and may lead to disciplinary action up to "
    "and including dismissal."
)
