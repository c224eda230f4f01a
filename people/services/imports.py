"""Importing a file from the school's MIS (a CTF, or the portal's CSV): read it, plan it, and apply the
plan all or nothing, audited as one import event with its counts.

The same functions serve the import page (through its background job) and `manage.py import_ctf`.
"""

import contextlib
import logging
import re
import uuid
from collections.abc import Callable
from datetime import date, timedelta
from functools import partial
from pathlib import Path

from celery import current_app
from django.conf import settings
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.db.models import F
from django.utils import timezone

from audit.services import audit_record

from ..importers.csvfile import parse_people_csv
from ..importers.ctf import parse_ctf
from ..importers.plan import Plan, build_plan
from ..importers.records import Parsed
from ..models import ClassGroup, ImportJob, ImportStatus, Membership, ParentLink, Person, PersonKind, School
from . import _check_manages, validate_person_fields

log = logging.getLogger(__name__)

PREVIEW_KEPT = timedelta(days=1)
CHANGED_SINCE_PREVIEW = (
    "The registry or the file has changed since the preview, so nothing was imported: check the file again."
)


class FileRefused(ValidationError):
    """The whole file is refused (not a CTF, not well-formed, unsafe, or with invalid CSV rows)."""


def read_file(*, source: str, data: bytes) -> Parsed:
    """Parse a file of either kind. Raises `FileRefused` for a file that cannot be imported at all."""
    if source == "ctf":
        try:
            return parse_ctf(data)
        except ValidationError as exc:
            raise FileRefused(exc.messages) from exc
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        raise FileRefused(
            "The file is not UTF-8 text; save it from your spreadsheet as 'CSV UTF-8'."
        ) from exc
    parsed, errors = parse_people_csv(text)
    if errors:
        raise FileRefused([f"Line {line}: {reason}" for line, reason in errors])
    return parsed


def import_plan(*, school: School, source: str, data: bytes, mark_leavers: bool = False) -> Plan:
    """What importing the file would do; writes nothing."""
    return build_plan(school=school, parsed=read_file(source=source, data=data), mark_leavers=mark_leavers)


def import_file(
    *,
    actor,
    school: School,
    source: str,
    data: bytes,
    mark_leavers: bool = False,
    left_on: date | None = None,
    expected: dict | None = None,
    progress: Callable[[int, str], None] | None = None,
) -> Plan:
    """Read, plan and apply a file in one go. `expected`: the counts the person confirmed at the preview;
    if the plan no longer has them, nothing is written."""
    progress = progress or (lambda percent, stage: None)
    _check_manages(actor, school)
    progress(10, "Reading the file")
    parsed = read_file(source=source, data=data)
    progress(40, "Comparing the file with the registry")
    plan = build_plan(school=school, parsed=parsed, mark_leavers=mark_leavers)
    if expected is not None and plan.counts() != expected:
        raise ValidationError(CHANGED_SINCE_PREVIEW)
    progress(60, "Writing the changes")
    import_apply(actor=actor, plan=plan, source=source, left_on=left_on)
    return plan


@transaction.atomic
def import_apply(*, actor, plan: Plan, source: str, left_on: date | None = None) -> dict:
    """Write a plan: everything in it, or (on any failure) nothing. Costs the same number of queries for
    10 pupils as for 1,500. Returns the counts recorded in the audit event."""
    school = plan.school
    _check_manages(actor, school)
    # One import at a time per school: a second waits here, then finds the registry it will change.
    School.objects.select_for_update().filter(pk=school.pk).first()
    today = timezone.localdate()
    left_on = left_on or today
    if plan.leavers and left_on > today:
        raise ValidationError({"left_on": "The leaving date cannot be in the future."})
    now = timezone.now()
    new_people = plan.added + plan.contacts_added
    for person in new_people:
        validate_person_fields(
            kind=person.kind,
            date_of_birth=person.date_of_birth,
            names={"first_name": person.first_name, "last_name": person.last_name},
            today=today,
        )
    Person.objects.bulk_create(new_people)
    Membership.objects.bulk_create(
        [Membership(person=person, school=school, started_on=today) for person in new_people]
    )
    _apply_updates(Person, plan.updated + plan.contacts_updated, now)
    leaver_ids = [person.pk for person in plan.leavers]
    if leaver_ids:
        Person.objects.filter(pk__in=leaver_ids, kind=PersonKind.PUPIL, left_on__isnull=True).update(
            kind=PersonKind.FORMER_PUPIL, left_on=left_on, updated_at=now
        )
        Membership.objects.filter(person_id__in=leaver_ids, ended_on__isnull=True).update(ended_on=left_on)
    if plan.classes_added:
        ClassGroup.objects.bulk_create(plan.classes_added)
    if plan.class_places:
        ClassGroup.pupils.through.objects.bulk_create(
            [
                ClassGroup.pupils.through(classgroup_id=class_group.pk, person_id=pupil.pk)
                for class_group, pupil in plan.class_places
            ],
            ignore_conflicts=True,
        )
    ParentLink.objects.bulk_create(
        [
            ParentLink(
                parent=link.parent,
                pupil=link.pupil,
                relationship=link.relationship,
                parental_responsibility=link.parental_responsibility,
                contact_order=link.contact_order,
                may_contact=True,
                preferred_channel=_channel(link.parent),
            )
            for link in plan.links_added
        ]
    )
    _apply_updates(ParentLink, plan.links_updated, now)
    counts = plan.counts()
    # Counts and record ids only: the names stay in the registry, not in the audit trail.
    audit_record(
        actor=actor,
        action="people.person.import",
        target=school,
        school=school,
        data={
            "source": source,
            "counts": counts,
            "added": [p.pk for p in plan.added],
            "updated": {str(u.record.pk): sorted(u.changes) for u in plan.updated},
            "left": leaver_ids,
            "contacts_added": [p.pk for p in plan.contacts_added],
        },
    )
    return counts


def _channel(parent: Person) -> str:
    if parent.email:
        return ParentLink.Channel.EMAIL
    if parent.phone:
        return ParentLink.Channel.PHONE
    return ParentLink.Channel.LETTER


def _apply_updates(model, updates: list, now) -> None:
    if not updates:
        return
    fields = sorted({name for update in updates for name in update.changes})
    records = []
    for update in updates:
        for name, (_old, new) in update.changes.items():
            setattr(update.record, name, new)
        update.record.updated_at = now
        records.append(update.record)
    model.objects.bulk_update(records, [*fields, "updated_at"], batch_size=2000)


# --- The import page's background job -----------------------------------------------------------------


def _imports_dir() -> Path:
    path = Path(settings.MEDIA_ROOT) / "imports"
    path.mkdir(parents=True, exist_ok=True)
    return path


def _job_file(job: ImportJob) -> Path:
    if not re.fullmatch(r"[0-9a-f]{32}\.(xml|csv)", job.file_name):
        raise ValueError("Not an import file name.")
    return _imports_dir() / job.file_name


@transaction.atomic
def import_job_prepare(
    *, actor, school: School, source: str, data: bytes, mark_leavers: bool = False
) -> tuple[ImportJob, Plan]:
    """Check a file and keep it, in private storage, until the person confirms its preview. Writes
    nothing to the registry. Raises `FileRefused` for a file that cannot be imported at all."""
    _check_manages(actor, school)
    plan = import_plan(school=school, source=source, data=data, mark_leavers=mark_leavers)
    _expire_unconfirmed()
    file_name = f"{uuid.uuid4().hex}.{'xml' if source == ImportJob.Source.CTF else 'csv'}"
    job = ImportJob.objects.create(
        user=actor,
        school=school,
        source=source,
        file_name=file_name,
        mark_leavers=mark_leavers,
        counts=plan.counts(),
        stage="Checked",
    )
    path = _job_file(job)
    path.write_bytes(data)
    audit_record(
        actor=actor,
        action="people.importjob.prepare",
        target=school,
        school=school,
        data={"job": job.pk, "source": source, "counts": job.counts},
    )
    return job, plan


def _expire_unconfirmed() -> None:
    """Files checked but never confirmed are kept a day, then deleted with their job marked as such."""
    cutoff = timezone.now() - PREVIEW_KEPT
    stale = list(ImportJob.objects.filter(status=ImportStatus.PREVIEWED, created_at__lt=cutoff))
    if not stale:
        return
    ImportJob.objects.filter(pk__in=[job.pk for job in stale]).update(
        status=ImportStatus.FAILED,
        error="Not confirmed within a day: the file was deleted and nothing was imported.",
        finished_at=timezone.now(),
        updated_at=timezone.now(),
    )

    def unlink():
        for job in stale:
            with contextlib.suppress(OSError, ValueError):
                _job_file(job).unlink(missing_ok=True)

    transaction.on_commit(unlink)


@transaction.atomic
def import_job_start(*, actor, job: ImportJob) -> ImportJob:
    """The person confirmed the preview: queue the import (after commit)."""
    job = ImportJob.objects.select_for_update().get(pk=job.pk)
    if job.user_id != getattr(actor, "pk", None):
        raise PermissionDenied("Only the person who checked the file may import it.")
    _check_manages(actor, job.school)
    if job.status != ImportStatus.PREVIEWED:
        raise ValidationError("This file has already been imported or refused: upload it again to check it.")
    job.status, job.stage = ImportStatus.QUEUED, "Waiting to start"
    job.save(update_fields=["status", "stage", "updated_at"])
    transaction.on_commit(partial(_dispatch, job.pk), robust=True)
    return job


def _dispatch(job_id: int) -> None:
    # Looked up by name in Celery's registry (people.extensions imports the tasks at start-up): the
    # tasks module imports this one.
    task = current_app.tasks["people.tasks.import_job_task"]
    try:
        task.delay(job_id)
    except Exception as exc:  # the broker is down: say so on the job's page rather than wait forever
        log.warning("import job %s not queued (%s)", job_id, type(exc).__name__)
        _finish(
            job_id, ImportStatus.FAILED, "The import service is not available just now: nothing was imported."
        )


def _progress(job_id: int, percent: int, stage: str) -> None:
    ImportJob.objects.filter(pk=job_id, status=ImportStatus.RUNNING).update(
        progress=percent, stage=stage[:100], updated_at=timezone.now()
    )


def _finish(job_id: int, status: str, error: str = "") -> None:
    now = timezone.now()
    ImportJob.objects.filter(pk=job_id).update(
        status=status,
        error=error[:300],
        progress=100 if status == ImportStatus.DONE else F("progress"),
        stage="Finished" if status == ImportStatus.DONE else "Stopped",
        finished_at=now,
        updated_at=now,
    )


def import_job_run(job_id: int) -> str:
    """Apply a confirmed import (called by the task). Claims the job first, so a repeated message does
    nothing; the file is deleted once the job has finished, whatever the outcome."""
    now = timezone.now()
    claimed = ImportJob.objects.filter(pk=job_id, status=ImportStatus.QUEUED).update(
        status=ImportStatus.RUNNING, progress=5, stage="Starting", updated_at=now
    )
    if not claimed:
        return "skipped"
    job = ImportJob.objects.select_related("user", "school").get(pk=job_id)
    try:
        path = _job_file(job)
        import_file(
            actor=job.user,
            school=job.school,
            source=job.source,
            data=path.read_bytes(),
            mark_leavers=job.mark_leavers,
            expected=job.counts,
            progress=partial(_progress, job.pk),
        )
    except (ValidationError, PermissionDenied) as exc:
        messages = exc.messages if isinstance(exc, ValidationError) else [str(exc)]
        _finish(job.pk, ImportStatus.FAILED, " ".join(messages))
        result = "refused"
    except Exception as exc:  # any failure is shown on the job's page; the log names the class only
        log.warning("import job %s failed (%s)", job.pk, type(exc).__name__)
        _finish(
            job.pk, ImportStatus.FAILED, "The import failed part-way, so nothing was imported. Try again."
        )
        result = "failed"
    else:
        _finish(job.pk, ImportStatus.DONE)
        result = "done"
    with contextlib.suppress(OSError, ValueError):
        _job_file(job).unlink(missing_ok=True)
    return result
