"""A readable comparison of two versions: what changed clause by clause, and the text line by line.

Built with difflib. Everything here is plain text in data structures; the template escapes it,
so a version's text can never inject markup into the comparison page.
"""

import difflib
import re
from dataclasses import dataclass, field

# Unchanged lines shown around each change; longer unchanged runs fold into "n lines unchanged".
CONTEXT = 2
_TOKENS = re.compile(r"\s+|[^\s]+")


@dataclass(frozen=True)
class Segment:
    op: str  # "same", "del" or "ins"
    text: str


@dataclass
class Line:
    kind: str  # "same", "removed", "added", "changed" or "fold"
    old_number: int | None = None
    new_number: int | None = None
    old: list[Segment] = field(default_factory=list)
    new: list[Segment] = field(default_factory=list)
    folded: int = 0


@dataclass(frozen=True)
class ClauseChange:
    number: str
    kind: str  # "added", "removed" or "changed"
    old_text: str
    new_text: str


@dataclass
class Comparison:
    lines: list[Line]
    clause_changes: list[ClauseChange]
    added: int
    removed: int
    changed: int

    @property
    def identical(self) -> bool:
        return not (self.added or self.removed or self.changed)


def _words(old: str, new: str) -> tuple[list[Segment], list[Segment]]:
    a, b = _TOKENS.findall(old), _TOKENS.findall(new)
    old_segments, new_segments = [], []
    for tag, i1, i2, j1, j2 in difflib.SequenceMatcher(None, a, b, autojunk=False).get_opcodes():
        if tag == "equal":
            old_segments.append(Segment("same", "".join(a[i1:i2])))
            new_segments.append(Segment("same", "".join(b[j1:j2])))
            continue
        if i2 > i1:
            old_segments.append(Segment("del", "".join(a[i1:i2])))
        if j2 > j1:
            new_segments.append(Segment("ins", "".join(b[j1:j2])))
    return old_segments, new_segments


def _lines(old_lines: list[str], new_lines: list[str]) -> tuple[list[Line], int, int, int]:
    out: list[Line] = []
    added = removed = changed = 0
    opcodes = difflib.SequenceMatcher(None, old_lines, new_lines, autojunk=False).get_opcodes()
    for index, (tag, i1, i2, j1, j2) in enumerate(opcodes):
        if tag == "equal":
            run = list(range(i2 - i1))
            keep_start = CONTEXT if index > 0 else 0
            keep_end = CONTEXT if index < len(opcodes) - 1 else 0
            if len(run) > keep_start + keep_end + 1:
                shown = run[:keep_start] + [None] + run[len(run) - keep_end :]
            else:
                shown = run
            for offset in shown:
                if offset is None:
                    out.append(Line("fold", folded=len(run) - keep_start - keep_end))
                    continue
                text = old_lines[i1 + offset]
                out.append(
                    Line(
                        "same",
                        i1 + offset + 1,
                        j1 + offset + 1,
                        [Segment("same", text)],
                        [Segment("same", text)],
                    )
                )
            continue
        pairs = min(i2 - i1, j2 - j1) if tag == "replace" else 0
        for k in range(pairs):
            old_segments, new_segments = _words(old_lines[i1 + k], new_lines[j1 + k])
            out.append(Line("changed", i1 + k + 1, j1 + k + 1, old_segments, new_segments))
            changed += 1
        for k in range(i1 + pairs, i2):
            out.append(Line("removed", old_number=k + 1, old=[Segment("del", old_lines[k])]))
            removed += 1
        for k in range(j1 + pairs, j2):
            out.append(Line("added", new_number=k + 1, new=[Segment("ins", new_lines[k])]))
            added += 1
    return out, added, removed, changed


def _clause_changes(old_clauses, new_clauses) -> list[ClauseChange]:
    old = {clause.number: clause.text for clause in old_clauses}
    new = {clause.number: clause.text for clause in new_clauses}

    def order(number: str) -> tuple[int, ...]:
        return tuple(int(part) for part in number.split(".") if part.isdigit())

    changes = []
    for number in sorted(old.keys() | new.keys(), key=order):
        if number not in old:
            changes.append(ClauseChange(number, "added", "", new[number]))
        elif number not in new:
            changes.append(ClauseChange(number, "removed", old[number], ""))
        elif old[number] != new[number]:
            changes.append(ClauseChange(number, "changed", old[number], new[number]))
    return changes


def compare(old_body: str, new_body: str, old_clauses=(), new_clauses=()) -> Comparison:
    """Compare two versions' texts (and their clauses, rows with .number and .text)."""
    lines, added, removed, changed = _lines(old_body.split("\n"), new_body.split("\n"))
    return Comparison(
        lines=lines,
        clause_changes=_clause_changes(old_clauses, new_clauses),
        added=added,
        removed=removed,
        changed=changed,
    )
