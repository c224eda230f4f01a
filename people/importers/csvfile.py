"""The portal's own CSV columns, read into the same records as a CTF (`records.py`).

A CSV import is a sync: a row whose reference is already in the school's registry updates that person
(the columns the file has, field by field); a row without one is added. A parent or carer row may name
the pupils it is linked to (`parent_of`: their references, separated by ";"), with `relationship` and
`parental_responsibility` (yes or no). A file with any invalid row is refused whole, every row listed
with its line number.
"""

import csv
import io

from ..forms import ImportRowForm
from ..models import ParentLink, PersonKind
from .records import ContactIn, Parsed, PersonIn

PERSON_COLUMNS = ["kind", "first_name", "last_name", "date_of_birth", "email", "phone", "reference"]
LINK_COLUMNS = ["parent_of", "relationship", "parental_responsibility"]
IMPORT_COLUMNS = PERSON_COLUMNS + LINK_COLUMNS
REQUIRED_COLUMNS = {"kind", "first_name", "last_name"}
MAX_IMPORT_BYTES = 2 * 1024 * 1024
MAX_IMPORT_ROWS = 5000
YES, NO = {"yes", "y", "true", "1"}, {"no", "n", "false", "0", ""}


def parse_people_csv(text: str) -> tuple[Parsed, list[tuple[int, str]]]:
    """Validate every row of an import. Returns (the rows read, [(line number, reason), ...]).

    Line numbers count the header as line 1, as a spreadsheet shows them.
    """
    errors: list[tuple[int, str]] = []
    parsed = Parsed(people=[], refused=[])
    reader = csv.DictReader(io.StringIO(text))
    header = [h.strip().lower() for h in (reader.fieldnames or [])]
    missing = REQUIRED_COLUMNS - set(header)
    if missing:
        return parsed, [(1, "The header row is missing the column(s): " + ", ".join(sorted(missing)) + ".")]
    unknown = set(header) - set(IMPORT_COLUMNS)
    if unknown:
        return parsed, [(1, "The header row has unknown column(s): " + ", ".join(sorted(unknown)) + ".")]
    reader.fieldnames = header
    given = tuple(c for c in ("first_name", "last_name", "date_of_birth", "email", "phone") if c in header)
    kinds = {value: value for value, _ in PersonKind.choices}
    kinds.update({label.lower(): value for value, label in PersonKind.choices})
    relationships = {value: value for value, _ in ParentLink.Relationship.choices}
    relationships.update({label.lower(): value for value, label in ParentLink.Relationship.choices})
    seen_refs: dict[str, int] = {}
    for index, raw in enumerate(reader, start=2):
        if index - 1 > MAX_IMPORT_ROWS:
            errors.append((index, f"More than {MAX_IMPORT_ROWS} rows: split the file."))
            break
        if None in raw:
            errors.append((index, "The row has more values than the header has columns."))
            continue
        data = {k: (v or "").strip() for k, v in raw.items()}
        if not any(data.values()):
            continue
        data["kind"] = kinds.get(data.get("kind", "").lower(), data.get("kind", ""))
        form = ImportRowForm(data=data)
        reasons = []
        if not form.is_valid():
            for field, messages in form.errors.items():
                label = "row" if field == "__all__" else field
                reasons.extend(f"{label}: {m}" for m in messages)
        refs = [ref.strip() for ref in data.get("parent_of", "").split(";") if ref.strip()]
        relationship = relationships.get(data.get("relationship", "").lower())
        responsibility = data.get("parental_responsibility", "").lower()
        if refs:
            if data["kind"] != PersonKind.PARENT:
                reasons.append("parent_of: only a parent or carer row names the pupils they are linked to.")
            if relationship is None:
                reasons.append(
                    "relationship: give one of "
                    + ", ".join(v for v, _ in ParentLink.Relationship.choices)
                    + "."
                )
            if responsibility not in YES | NO:
                reasons.append("parental_responsibility: give yes or no.")
        if reasons:
            errors.append((index, "; ".join(reasons)))
            continue
        fields = form.person_fields()
        ref = fields["reference"]
        if ref:
            if ref in seen_refs:
                errors.append((index, f"reference: {ref} is also used on line {seen_refs[ref]}."))
                continue
            seen_refs[ref] = index
        row = f"line {index}"
        if refs:
            contact = ContactIn(
                first_name=fields["first_name"],
                last_name=fields["last_name"],
                email=fields["email"].lower(),
                phone=fields["phone"],
                reference=ref,
                relationship=relationship,
                parental_responsibility=responsibility in YES,
            )
            parsed.parent_rows.append((row, contact, refs))
        else:
            parsed.people.append(PersonIn(row=row, given=given, **fields))
    if not parsed.people and not parsed.parent_rows and not errors:
        errors.append((1, "The file has no rows to import."))
    return parsed, errors
