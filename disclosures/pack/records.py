"""The shape of a pack: sections of records, each record a list of labelled values; and the mentions
of other people the portal found while gathering them, which become its proposed redactions."""

from dataclasses import dataclass, field


@dataclass
class Entry:
    label: str
    value: str
    # A case note's id: a third-party note is redacted whole.
    note_id: int | None = None


@dataclass
class Record:
    title: str
    entries: list[Entry] = field(default_factory=list)

    def add(self, label: str, value, *, note_id: int | None = None) -> None:
        text = "" if value is None else str(value).strip()
        if text:
            self.entries.append(Entry(label, text, note_id))


@dataclass
class Section:
    title: str
    records: list[Record] = field(default_factory=list)


@dataclass(frozen=True)
class Mention:
    """Something the portal proposes to redact: a phrase (another person's name) or a whole note."""

    kind: str
    found_in: str
    phrase: str = ""
    note_id: int | None = None

    @property
    def key(self):
        return ("note", self.note_id) if self.note_id else ("phrase", " ".join(self.phrase.lower().split()))


@dataclass
class Pack:
    title: str
    school_label: str
    about: str
    facts: list[tuple[str, str]]
    sections: list[Section]
    mentions: list[Mention] = field(default_factory=list)

    @property
    def record_count(self) -> int:
        return sum(len(section.records) for section in self.sections)
