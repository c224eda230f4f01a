"""Substituting the accepted redactions into a pack before it is rendered.

The text itself is replaced ("[redacted: other pupil]"), never covered: what a PDF or a CSV made from
the result holds cannot give back what was taken out, in its text, its layout or its metadata.
"""

import re
from dataclasses import replace

from .records import Entry, Pack, Record, Section


def phrase_pattern(phrase: str) -> re.Pattern:
    """The phrase wherever it appears, whatever its case, however its words are spaced."""
    words = [re.escape(word) for word in phrase.split()]
    return re.compile(r"\s+".join(words), re.IGNORECASE)


def redact_text(text: str, phrases: list[tuple[str, str]]) -> str:
    """`text` with each (phrase, replacement) substituted, the longest phrase first (so that a full name
    goes before a part of it)."""
    for phrase, replacement in sorted(phrases, key=lambda item: -len(item[0])):
        text = phrase_pattern(phrase).sub(replacement, text)
    return text


def apply(pack: Pack, redactions) -> Pack:
    """A copy of the pack with every redaction in `redactions` applied, to every piece of its text."""
    phrases = [(r.phrase, r.replacement) for r in redactions if r.phrase]
    notes = {r.note_id: r.replacement for r in redactions if r.note_id}

    def clean(text: str) -> str:
        return redact_text(text, phrases)

    sections = [
        Section(
            clean(section.title),
            [
                Record(
                    clean(record.title),
                    [
                        Entry(
                            clean(entry.label), notes.get(entry.note_id) or clean(entry.value), entry.note_id
                        )
                        for entry in record.entries
                    ],
                )
                for record in section.records
            ],
        )
        for section in pack.sections
    ]
    return replace(
        pack,
        title=clean(pack.title),
        school_label=clean(pack.school_label),
        about=clean(pack.about),
        facts=[(clean(label), clean(value)) for label, value in pack.facts],
        sections=sections,
        mentions=[],
    )
