"""Celery tasks of policydocs: making a large report's PDF in the background. Takes a primary key,
is idempotent (the job is claimed before any work) and calls a service."""

from celery import shared_task

from .reports import services


@shared_task(acks_late=True)
def report_pdf_task(job_id: str) -> str:
    return services.report_job_run(job_id)
