"""Common Transfer Files for the tests, written from the DfE's CTF structure (docs/imports.md)."""

from people.importers.ctf import upn_check_letter


def upn(serial: int, la: int = 801, estab: int = 7001, year: int = 14) -> str:
    """A valid permanent UPN: check letter, LA, establishment, year of allocation, serial."""
    body = f"{la:03d}{estab:04d}{year:02d}{serial:03d}"
    return upn_check_letter("A" + body) + body


def contact(order, surname, forename, relationship="PAM", responsibility=True, email="", phone="") -> str:
    phones = (
        f"<Phones><Phone><TelephoneType>M</TelephoneType><PhoneNo>{phone}</PhoneNo></Phone></Phones>"
        if phone
        else ""
    )
    mail = f"<Email>{email}</Email>" if email else ""
    return (
        f"<Contact><Order>{order}</Order><Title>Ms</Title><Surname>{surname}</Surname>"
        f"<Forename>{forename}</Forename><Relationship>{relationship}</Relationship>"
        f"<Responsibility>{'true' if responsibility else 'false'}</Responsibility>{phones}{mail}</Contact>"
    )


def pupil(upn_value, surname, forename, dob, sex="F", year="5", contacts=(), reg_group="", sex_tag="Sex"):
    reg = f"<RegGroup>{reg_group}</RegGroup>" if reg_group else ""
    upn_tag = f"<UPN>{upn_value}</UPN>" if upn_value is not None else ""
    return (
        f"<Pupil>{upn_tag}<Surname>{surname}</Surname><Forename>{forename}</Forename>"
        f"<DOB>{dob}</DOB><{sex_tag}>{sex}</{sex_tag}>"
        f"<BasicDetails><NCyearActual>{year}</NCyearActual>{reg}</BasicDetails>"
        f"<Contacts>{''.join(contacts)}</Contacts></Pupil>"
    )


def ctf(pupils, version="22.0") -> bytes:
    return (
        '<?xml version="1.0" encoding="UTF-8"?>\n<CTfile><Header><DocumentName>Common Transfer File'
        f"</DocumentName><CTFversion>{version}</CTFversion><DateTime>2026-11-30T10:00:00</DateTime>"
        "<DocumentQualifier>full</DocumentQualifier><SourceSchool><LEA>801</LEA><Estab>7001</Estab>"
        "<SchoolName>Test School</SchoolName><AcademicYear>2026</AcademicYear></SourceSchool>"
        "<DestSchool><LEA>801</LEA><Estab>7001</Estab></DestSchool></Header>"
        f"<CTFpupilData>{''.join(pupils)}</CTFpupilData></CTfile>"
    ).encode()


def many(count: int) -> bytes:
    """`count` pupils, each with two parents; pupils 2k and 2k+1 are siblings sharing them."""
    return ctf(
        pupil(
            upn(n),
            f"Family{n // 2}",
            f"Child{n}",
            "2015-03-04",
            year="4",
            reg_group=f"4{'AB'[n % 2]}",
            contacts=[
                contact(1, f"Family{n // 2}", "Mum", email=f"mum{n // 2}@example.org"),
                contact(2, f"Family{n // 2}", "Dad", "PAF", phone=f"0770090{n // 2:04d}"),
            ],
        )
        for n in range(count)
    )
