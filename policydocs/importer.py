"""Reading a policy from plain text or Markdown: numbered sections, and the bulleted clauses in them.

A section heading is a line of its own numbered one more than the last section ("1. Introduction",
"## 2. Purpose", "§3 Scope"), short, and not ending like a sentence. The text before the first
section is the title page: the title and "Ratified by <who>: <date>" are read from it. Each
top-level bullet ("- ", "* ", "•") of a section is a clause, numbered <section>.<n>; a line that
follows a bullet directly (no blank line) continues it.
"""

import hashlib
import re
from dataclasses import dataclass, field
from datetime import date, datetime

from django.core.exceptions import ValidationError

MAX_TITLE = 200
MAX_SECTION_TITLE = 90
MAX_SECTIONS = 60

_HEADING = re.compile(
    r"^\s{0,3}(?P<hashes>#{1,6}\s*)?(?P<section>§\s*)?(?P<number>\d{1,2})(?P<stop>[.)])?\s+"
    r"(?P<title>\S.*?)\s*#*\s*$"
)
_MD_HEADING_MARK = re.compile(r"^\s{0,3}#{1,6}\s")
_BULLET = re.compile(r"^\s{0,3}[-*•‣◦]\s+(?P<text>\S.*)$")
_RATIFIED = re.compile(
    r"ratified\s+by\s+(?:the\s+)?(?P<who>[^:\n]+?)\s*(?:[:\-–—,]|\bon\b)\s*"
    r"(?P<day>\d{1,2})(?:st|nd|rd|th)?\s+(?P<month>[A-Za-z]+)\s+(?P<year>\d{4})",
    re.IGNORECASE,
)
_EMPHASIS = re.compile(r"(\*\*|__|\*|_)")


class PolicyImportError(ValidationError):
    """The file cannot be read as a policy; the message says how to fix it."""


@dataclass
class ParsedClause:
    number: str
    position: int
    text: str


@dataclass
class ParsedSection:
    number: int
    title: str
    body: str
    clauses: list[ParsedClause] = field(default_factory=list)


@dataclass
class ParsedPolicy:
    title: str
    ratified_by: str
    ratified_on: date | None
    body: str
    sections: list[ParsedSection]

    @property
    def content_hash(self) -> str:
        return content_hash(self.body)

    @property
    def clause_count(self) -> int:
        return sum(len(section.clauses) for section in self.sections)


def content_hash(body: str) -> str:
    return hashlib.sha256(body.encode("utf-8")).hexdigest()


def decode(data: bytes) -> str:
    """Text of an uploaded file: UTF-8 (with or without a byte-order mark), else Windows-1252."""
    if b"\x00" in data:
        raise PolicyImportError(
            "This file is not plain text. Save the policy as a .txt or .md file and upload that.",
            code="binary",
        )
    try:
        return data.decode("utf-8-sig")
    except UnicodeDecodeError:
        try:
            return data.decode("cp1252")
        except UnicodeDecodeError:
            raise PolicyImportError(
                "The file's characters could not be read. Save it as UTF-8 text and upload it again.",
                code="encoding",
            ) from None


def normalise(text: str) -> str:
    """One form of the text whatever the editor: Unix line ends, no trailing spaces, no runs of
    more than one blank line, no blank lines at either end."""
    text = text.replace("\r\n", "\n").replace("\r", "\n").replace("\t", "    ").replace("\ufeff", "")
    lines = [line.rstrip() for line in text.split("\n")]
    out: list[str] = []
    for line in lines:
        if not line and (not out or not out[-1]):
            continue
        out.append(line)
    while out and not out[-1]:
        out.pop()
    return "\n".join(out)


def plain(text: str) -> str:
    """Markdown emphasis and heading marks removed, for titles."""
    text = _MD_HEADING_MARK.sub("", text)
    return " ".join(_EMPHASIS.sub("", text).split())


def _heading(line: str, expected: int, previous_blank: bool) -> tuple[int, str] | None:
    match = _HEADING.match(line)
    if not match or int(match["number"]) != expected:
        return None
    # "6. Terms of Use", "§6 Terms of Use" or "## 6 Terms of Use"; never a bare "6 pupils ...".
    if not (match["stop"] or match["section"] or match["hashes"]):
        return None
    title = plain(match["title"])
    if not title or len(title) > MAX_SECTION_TITLE or title[-1] in ".,;:!?":
        return None
    # A numbered list item inside a section reads like a heading; a heading stands apart.
    if not previous_blank and not _MD_HEADING_MARK.match(line):
        return None
    if title.isupper() and len(title) > 3:
        title = title.capitalize()
    return expected, title


def _title_and_ratification(preamble: list[str]) -> tuple[str, str, date | None]:
    lines = [plain(line) for line in preamble if plain(line)]
    title = next((line for line in lines if "policy" in line.lower()), lines[0] if lines else "")
    ratified_by, ratified_on = "", None
    match = _RATIFIED.search("\n".join(lines))
    if match:
        ratified_by = match["who"].strip()[:200]
        for fmt in ("%d %B %Y", "%d %b %Y"):
            try:
                ratified_on = datetime.strptime(
                    f"{match['day']} {match['month']} {match['year']}", fmt
                ).date()
                break
            except ValueError:
                continue
    return title[:MAX_TITLE], ratified_by, ratified_on


def _clauses(section_number: int, lines: list[str]) -> list[ParsedClause]:
    clauses: list[ParsedClause] = []
    current: list[str] | None = None
    for line in lines:
        bullet = _BULLET.match(line)
        if bullet:
            current = [bullet["text"].strip()]
            clauses.append(ParsedClause(number="", position=0, text=""))
            clauses[-1].text = current[0]
        elif current is not None and line.strip():
            current.append(line.strip())
            clauses[-1].text = " ".join(current)
        else:
            current = None
    for position, clause in enumerate(clauses, start=1):
        clause.position = position
        clause.number = f"{section_number}.{position}"
    return clauses


def parse_policy(text: str) -> ParsedPolicy:
    """Sections and clauses of a policy's text. Raises PolicyImportError with what to change."""
    body = normalise(text)
    if not body.strip():
        raise PolicyImportError(
            "The file is empty: choose the file that holds the policy's text.", code="empty"
        )
    lines = body.split("\n")
    preamble: list[str] = []
    sections: list[tuple[int, str, list[str]]] = []
    previous_blank = True
    for line in lines:
        heading = _heading(line, len(sections) + 1, previous_blank)
        if heading is not None:
            sections.append((heading[0], heading[1], []))
        elif sections:
            sections[-1][2].append(line)
        else:
            preamble.append(line)
        previous_blank = not line.strip()
    if not sections:
        raise PolicyImportError(
            "No numbered sections were found. Put each section heading on a line of its own, numbered "
            "from 1, for example '1. Introduction' or '## 1. Introduction'.",
            code="no_sections",
        )
    if len(sections) > MAX_SECTIONS:
        raise PolicyImportError(
            f"The file has {len(sections)} numbered sections; at most {MAX_SECTIONS} are accepted. Check that "
            "numbered lists inside sections are not read as headings (indent them or use bullets).",
            code="too_many_sections",
        )
    title, ratified_by, ratified_on = _title_and_ratification(preamble)
    parsed_sections = []
    for number, heading, section_lines in sections:
        section_body = normalise("\n".join(section_lines))
        parsed_sections.append(
            ParsedSection(
                number=number, title=heading, body=section_body, clauses=_clauses(number, section_lines)
            )
        )
    return ParsedPolicy(
        title=title or "Policy",
        ratified_by=ratified_by,
        ratified_on=ratified_on,
        body=body,
        sections=parsed_sections,
    )
