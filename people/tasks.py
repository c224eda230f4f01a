"""Celery tasks of the registry: applying a confirmed import in the background. Takes a primary key,
is idempotent (the job is claimed before any work) and calls a service."""

from celery import shared_task

from .services import imports


@shared_task(acks_late=True)
def import_job_task(job_id: int) -> str:
    return imports.import_job_run(job_id)
