"""The DfE Common Transfer File (CTF): the XML every English school MIS exports.

What is read (docs/imports.md says where the names come from):

    CTfile
      Header: CTFversion (18 and later), SourceSchool (LEA, Estab, SchoolName), DestSchool
      CTFpupilData
        Pupil: UPN, Surname, Forename, DOB, Sex (Gender before version 19),
               NCyearActual (in BasicDetails, or on the Pupil), RegGroup (optional, not every MIS),
          Contacts
            Contact: Order, Title, Surname, Forename, Relationship, Responsibility,
                     Phones > Phone > PhoneNo (TelephoneType M first), Email (or Emails > Email > EmailAddress)

The file is parsed with defusedxml and no document type is allowed: a CTF never has one, and refusing
it refuses external entities and entity expansion ("billion laughs") before anything is read. A file
that is not well-formed, not a CTF, or of a version too old is refused whole (`CTFRefused`); a pupil the
file gets wrong (no UPN, a UPN whose check letter is wrong, an impossible date of birth) is refused alone
with its reason, and the rest of the file is previewed.
"""

import re
from datetime import date
from xml.etree.ElementTree import Element, ParseError

from defusedxml import DefusedXmlException
from defusedxml.ElementTree import fromstring
from django.core.exceptions import ValidationError
from django.core.validators import validate_email
from django.utils import timezone

from core.text import has_hidden_formatting

from ..models import ParentLink, PersonKind, Sex
from .records import ContactIn, Parsed, PersonIn

MAX_CTF_BYTES = 25 * 1024 * 1024
MAX_CTF_PUPILS = 5000
OLDEST_VERSION = 18

NOT_A_CTF = "The file is not a Common Transfer File: export a CTF (XML) from the MIS and upload that file."
NOT_WELL_FORMED = "The file is not well-formed XML, so it cannot be a Common Transfer File: export it again."
UNSAFE = (
    "The file declares a document type or entities, which a Common Transfer File never does: "
    "it was not read. Export the file again from the MIS."
)

# DfE codes for a contact's relationship to the pupil, mapped to the registry's relationships. Codes
# and words not listed here are recorded as "Other relative" rather than guessed.
RELATIONSHIPS = {
    "PAM": ParentLink.Relationship.MOTHER,
    "PAF": ParentLink.Relationship.FATHER,
    "STM": ParentLink.Relationship.MOTHER,
    "STF": ParentLink.Relationship.FATHER,
    "FOM": ParentLink.Relationship.CARER,
    "FOF": ParentLink.Relationship.CARER,
    "CAR": ParentLink.Relationship.CARER,
    "PAR": ParentLink.Relationship.GUARDIAN,
    "GRM": ParentLink.Relationship.GRANDPARENT,
    "GRF": ParentLink.Relationship.GRANDPARENT,
    "MOTHER": ParentLink.Relationship.MOTHER,
    "FATHER": ParentLink.Relationship.FATHER,
    "CARER": ParentLink.Relationship.CARER,
    "GUARDIAN": ParentLink.Relationship.GUARDIAN,
    "GRANDPARENT": ParentLink.Relationship.GRANDPARENT,
}
TRUE_WORDS = {"true", "1", "y", "yes"}
SEXES = {"M": Sex.MALE, "F": Sex.FEMALE, "MALE": Sex.MALE, "FEMALE": Sex.FEMALE}
NC_YEAR = re.compile(r"^(N1|N2|R|[1-9]|1[0-4]|X)$")

UPN_LETTERS = "ABCDEFGHJKLMNPQRTUVWXYZ"  # the 23 letters a UPN uses (no I, O, S)
UPN_SHAPE = re.compile(r"^[A-HJ-NP-RT-Z]\d{11}[0-9A-HJ-NP-RT-Z]$")


class CTFRefused(ValidationError):
    """The whole file is refused: nothing of it is read."""


def upn_check_letter(upn: str) -> str:
    """The check letter of a UPN: characters 2 to 13, each weighted by its position, summed modulo 23.

    The 13th character is a digit, or a letter in a temporary UPN (counted by its place in the
    letter table)."""
    total = 0
    for position, char in enumerate(upn[1:13], start=2):
        value = int(char) if char.isdigit() else UPN_LETTERS.index(char)
        total += value * position
    return UPN_LETTERS[total % 23]


def upn_problem(upn: str) -> str:
    """Why a UPN cannot be right, or "" when it can."""
    if not UPN_SHAPE.match(upn):
        return f"the UPN {upn[:20]} is not a letter, 11 digits and a digit or letter."
    if upn_check_letter(upn) != upn[0]:
        return f"the UPN {upn} has the wrong check letter (a typing error in the MIS?)."
    return ""


def _local(tag) -> str:
    return tag.rsplit("}", 1)[-1] if isinstance(tag, str) else ""


def _child(element: Element | None, *names: str) -> Element | None:
    if element is None:
        return None
    for child in element:
        if _local(child.tag) in names:
            return child
    return None


def _children(element: Element | None, name: str) -> list[Element]:
    return [child for child in element if _local(child.tag) == name] if element is not None else []


def _text(element: Element | None, *names: str) -> str:
    found = _child(element, *names)
    return (found.text or "").strip() if found is not None else ""


def parse_ctf(data: bytes, *, today: date | None = None) -> Parsed:
    """Read a CTF's pupils and their contacts. Raises `CTFRefused` for a file that must not be read."""
    if len(data) > MAX_CTF_BYTES:
        raise CTFRefused(f"The file is larger than {MAX_CTF_BYTES // (1024 * 1024)} MB.")
    try:
        root = fromstring(data, forbid_dtd=True, forbid_entities=True, forbid_external=True)
    except DefusedXmlException as exc:
        raise CTFRefused(UNSAFE) from exc
    except (ParseError, ValueError) as exc:
        raise CTFRefused(NOT_WELL_FORMED) from exc
    if _local(root.tag) != "CTfile" or _child(root, "Header") is None:
        raise CTFRefused(NOT_A_CTF)
    version = _text(_child(root, "Header"), "CTFversion")
    major = re.match(r"^(\d+)", version)
    if not major or int(major.group(1)) < OLDEST_VERSION:
        raise CTFRefused(
            f"The file is a CTF of version {version or 'unknown'}; versions {OLDEST_VERSION} and later "
            "are read. Export it again from an up-to-date MIS."
        )
    pupils = _children(_child(root, "CTFpupilData"), "Pupil")
    if len(pupils) > MAX_CTF_PUPILS:
        raise CTFRefused(f"The file has more than {MAX_CTF_PUPILS} pupils: export one school at a time.")
    today = today or timezone.localdate()
    people, refused, seen, refused_references = [], [], {}, set()
    for number, pupil in enumerate(pupils, start=1):
        row = f"pupil {number}"
        person, problems = _pupil(pupil, row, today)
        if person is not None and person.reference in seen:
            problems.append(f"the UPN {person.reference} is also given to pupil {seen[person.reference]}.")
        if problems:
            refused.extend((row, problem) for problem in problems)
            refused_references.add(_text(pupil, "UPN").upper())
            continue
        seen[person.reference] = number
        person.contacts = _contacts(pupil, row, refused)
        people.append(person)
    return Parsed(people=people, refused=refused, refused_references=refused_references - {""})


def _name_problem(value: str, what: str) -> str:
    if not value:
        return f"no {what}."
    if len(value) > 100:
        return f"the {what} is longer than 100 characters."
    if has_hidden_formatting(value):
        return f"the {what} has hidden formatting characters (such as a right-to-left override)."
    return ""


def _pupil(pupil: Element, row: str, today: date) -> tuple[PersonIn | None, list[str]]:
    problems = []
    upn = _text(pupil, "UPN").upper()
    if not upn:
        problems.append("no UPN: pupils are matched by UPN, so a pupil without one cannot be imported.")
    elif problem := upn_problem(upn):
        problems.append(problem)
    else:
        row = f"{row} (UPN {upn})"
    surname, forename = _text(pupil, "Surname"), _text(pupil, "Forename")
    problems += [p for p in (_name_problem(surname, "surname"), _name_problem(forename, "forename")) if p]
    raw_dob = _text(pupil, "DOB")
    dob = None
    try:
        dob = date.fromisoformat(raw_dob)
    except ValueError:
        problems.append(
            f"the date of birth {raw_dob[:20]!r} is not a real date (YYYY-MM-DD)."
            if raw_dob
            else "no date of birth."
        )
    if dob is not None and dob > today:
        problems.append(f"the date of birth {raw_dob} is in the future.")
    basic = _child(pupil, "BasicDetails")
    sex = SEXES.get((_text(pupil, "Sex", "Gender") or _text(basic, "Sex", "Gender")).upper(), "")
    nc_year = (_text(basic, "NCyearActual") or _text(pupil, "NCyearActual")).upper()
    if nc_year and not NC_YEAR.match(nc_year):
        problems.append(f"the NC year {nc_year[:10]!r} is not one of N1, N2, R, 1 to 14 or X.")
    class_name = _text(basic, "RegGroup") or _text(pupil, "RegGroup")
    if len(class_name) > 100 or has_hidden_formatting(class_name):
        class_name = ""
    if problems:
        return None, problems
    person = PersonIn(
        row=row,
        kind=PersonKind.PUPIL,
        reference=upn,
        first_name=forename,
        last_name=surname,
        date_of_birth=dob,
        sex=sex,
        nc_year="" if nc_year == "X" else nc_year,
        class_name=class_name,
    )
    return person, []


def _contacts(pupil: Element, row: str, refused: list) -> list[ContactIn]:
    contacts = []
    for number, contact in enumerate(_children(_child(pupil, "Contacts"), "Contact"), start=1):
        where = f"{row}, contact {number}"
        surname, forename = _text(contact, "Surname"), _text(contact, "Forename")
        problems = [p for p in (_name_problem(surname, "surname"),) if p]
        if forename:
            problems += [p for p in (_name_problem(forename, "forename"),) if p]
        else:
            # Some MIS give only a title for a contact ("Mrs Stone"): the title stands in for the forename.
            forename = _text(contact, "Title")
        email = _email(contact)
        if email:
            try:
                validate_email(email)
            except ValidationError:
                problems.append(f"the email address {email[:60]!r} is not valid.")
        phone = _phone(contact)
        if len(phone) > 40:
            problems.append("the phone number is longer than 40 characters.")
        if problems:
            refused.extend((where, problem) for problem in problems)
            continue
        order = _text(contact, "Order")
        contacts.append(
            ContactIn(
                first_name=forename[:100],
                last_name=surname,
                email=email.lower(),
                phone=phone,
                relationship=RELATIONSHIPS.get(
                    _text(contact, "Relationship").upper(), ParentLink.Relationship.OTHER
                ),
                parental_responsibility=_text(contact, "Responsibility").lower() in TRUE_WORDS,
                order=int(order) if order.isdigit() and int(order) < 100 else None,
            )
        )
    return contacts


def _email(contact: Element) -> str:
    email = _child(contact, "Email")
    if email is not None and len(email):
        return _text(email, "EmailAddress")
    if email is not None:
        return (email.text or "").strip()
    return _text(_child(_child(contact, "Emails"), "Email"), "EmailAddress")


def _phone(contact: Element) -> str:
    phones = _children(_child(contact, "Phones"), "Phone")
    # A mobile first: it reaches the person wherever they are.
    phones.sort(key=lambda phone: _text(phone, "TelephoneType").upper() != "M")
    for phone in phones:
        number = _text(phone, "PhoneNo", "TelephoneNumber")
        if number:
            return number
    return ""
