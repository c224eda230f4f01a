"""What a parser hands to the plan: incoming people, their contacts, and the rows it refused."""

from dataclasses import dataclass, field
from datetime import date


@dataclass
class ContactIn:
    """A parent or carer as the file gives them, with their link to one pupil."""

    first_name: str
    last_name: str
    email: str = ""
    phone: str = ""
    reference: str = ""
    relationship: str = "other"
    parental_responsibility: bool = False
    order: int | None = None


@dataclass
class PersonIn:
    """A person of the file, matched with the registry by `reference` (a pupil's UPN), never by name."""

    row: str  # where the file has them, as a person reads it ("line 3", "pupil 12")
    kind: str
    reference: str
    first_name: str
    last_name: str
    date_of_birth: date | None = None
    email: str = ""
    phone: str = ""
    sex: str = ""
    nc_year: str = ""
    class_name: str = ""
    contacts: list[ContactIn] = field(default_factory=list)
    # The fields the file gives: only these are compared and updated (a column the file lacks clears nothing).
    given: tuple[str, ...] = ("first_name", "last_name", "date_of_birth", "sex", "nc_year")


@dataclass
class Parsed:
    """A parsed file: its people and the rows refused with their reasons."""

    people: list[PersonIn]
    refused: list[tuple[str, str]]
    # References of the refused rows: a refused pupil is not missing from the file, so never a leaver.
    refused_references: set[str] = field(default_factory=set)
    # Parents whose links are given by the pupils' references (CSV `parent_of`): (row, contact, [refs]).
    parent_rows: list[tuple[str, ContactIn, list[str]]] = field(default_factory=list)
