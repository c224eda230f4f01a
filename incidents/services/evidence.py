"""Evidence files on a case (an allegation, a pupil incident or a cyberbullying report): every upload and
every download is audited on the case."""

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction

from audit.services import audit_record
from core.workflow import InvalidTransition

from .. import evidence, policies
from ..models import Allegation, CyberbullyingReport, EvidenceFile, PupilIncident
from .allegations import lock_case
from .cyberbullying import lock_report
from .pupil_incidents import lock_incident


def _lock_case(
    actor,
    *,
    allegation: Allegation | None,
    incident: PupilIncident | None,
    report: CyberbullyingReport | None,
) -> dict:
    """The case the file goes to, locked and checked, as the file's foreign key."""
    if sum(case is not None for case in (allegation, incident, report)) != 1:
        raise ValidationError("A file belongs to exactly one case.")
    if allegation is not None:
        row = lock_case(actor, allegation)
        if row.status == Allegation.Status.CLOSED:
            raise InvalidTransition("This case is closed: no more files can be added to it.", code="closed")
        return {"allegation": row}
    if report is not None:
        return {"report": lock_report(actor, report, "add_file")}
    return {"incident": lock_incident(actor, incident, "add_file")}


@transaction.atomic
def evidence_upload(
    *,
    actor,
    name: str,
    data: bytes,
    allegation: Allegation | None = None,
    incident: PupilIncident | None = None,
    report: CyberbullyingReport | None = None,
) -> EvidenceFile:
    """Check the file by its content, store it under a generated name, record it on the case.

    Refused with a message that says why (EvidenceRejected) when it is not a PNG, JPEG, PDF or
    plain text file, is empty, too large or incomplete.
    """
    owner = _lock_case(actor, allegation=allegation, incident=incident, report=report)
    (row,) = owner.values()
    checked = evidence.check(data)
    stored_name = evidence.store(checked.data)
    try:
        file = EvidenceFile.objects.create(
            **owner,
            uploaded_by=actor,
            original_name=evidence.clean_name(name),
            stored_name=stored_name,
            kind=checked.kind,
            size=checked.size,
            sha256=checked.sha256,
        )
        audit_record(
            actor=actor,
            action="incidents.evidence.upload",
            target=row,
            school=row.school_id,
            data={"file_id": file.pk, "kind": file.kind, "size": file.size, "sha256": file.sha256},
        )
    except BaseException:
        evidence.remove(stored_name)
        raise
    return file


@transaction.atomic
def evidence_record_download(*, actor, file: EvidenceFile) -> EvidenceFile:
    """Check again that the actor may see the file's case, and record the download on it."""
    row = (
        policies.evidence_files_visible_to(actor)
        .select_related("allegation", "incident", "report")
        .filter(pk=file.pk)
        .first()
    )
    if row is None:
        raise PermissionDenied("You cannot see this file.")
    audit_record(
        actor=actor,
        action="incidents.evidence.download",
        target=row.case,
        school=row.case.school_id,
        data={"file_id": row.pk},
    )
    return row
