"""Evidence files on a case: every upload and every download is audited on the case."""

from django.core.exceptions import PermissionDenied
from django.db import transaction

from audit.services import audit_record

from .. import evidence, policies
from ..exceptions import InvalidTransition
from ..models import Allegation, EvidenceFile
from .allegations import _lock


@transaction.atomic
def evidence_upload(*, actor, allegation: Allegation, name: str, data: bytes) -> EvidenceFile:
    """Check the file by its content, store it under a generated name, record it on the case.

    Refused with a message that says why (EvidenceRejected) when it is not a PNG, JPEG, PDF or
    plain text file, is empty, too large or incomplete.
    """
    row = _lock(actor, allegation)
    if row.status == Allegation.Status.CLOSED:
        raise InvalidTransition("This case is closed: no more files can be added to it.", code="closed")
    checked = evidence.check(data)
    stored_name = evidence.store(checked.data)
    try:
        file = EvidenceFile.objects.create(
            allegation=row,
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
    """Check again that the actor may see the case, and record the download on it."""
    row = (
        EvidenceFile.objects.filter(allegation__in=policies.allegations_visible_to(actor))
        .select_related("allegation")
        .filter(pk=file.pk)
        .first()
    )
    if row is None:
        raise PermissionDenied("You cannot see this file.")
    audit_record(
        actor=actor,
        action="incidents.evidence.download",
        target=row.allegation,
        school=row.allegation.school_id,
        data={"file_id": row.pk},
    )
    return row
