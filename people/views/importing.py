"""Importing from the school's MIS: a Common Transfer File or the portal's CSV. One flow for both: the
file is checked and kept in private storage, the preview says what would change (added, updated field by
field, leavers, refused rows with their reasons), and only a confirmation (`core.confirm`) queues the
import, which runs in the background, all or nothing, while its page shows the progress."""

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import JsonResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.views.decorators.http import require_GET, require_http_methods

from core.confirm import Question, ask_first, confirmed
from core.viewtools import apply_form_errors, posted, record_id, require

from .. import policies
from ..forms import CTFImportForm, PeopleImportForm
from ..models import ImportJob, ImportStatus
from ..services import imports


@require_http_methods(["GET", "POST"])
def person_import(request):
    """Upload the portal's CSV: people matched by reference are updated, the others added."""
    return _import_page(
        request,
        source=ImportJob.Source.CSV,
        form_class=PeopleImportForm,
        template="people/person_import.html",
        here="people:person_import",
    )


@require_http_methods(["GET", "POST"])
def ctf_import(request):
    """Upload a Common Transfer File exported from the school's MIS."""
    return _import_page(
        request,
        source=ImportJob.Source.CTF,
        form_class=CTFImportForm,
        template="people/ctf_import.html",
        here="people:ctf_import",
    )


def _import_page(request, *, source, form_class, template, here):
    require(policies.can_manage_registry(request.user))
    schools = policies.schools_managed_by(request.user)
    if confirmed(request):
        return _start(request, here)
    form = form_class(posted(request), request.FILES or None, schools=schools)
    context = {"form": form}
    if request.method == "POST" and form.is_valid():
        school = form.cleaned_data["school"]
        mark_leavers = bool(form.cleaned_data.get("leavers"))
        try:
            job, plan = imports.import_job_prepare(
                actor=request.user,
                school=school,
                source=source,
                data=form.cleaned_data["file"],
                mark_leavers=mark_leavers,
            )
        except imports.FileRefused as exc:
            context["refusal"] = exc.messages
        except ValidationError as exc:
            apply_form_errors(form, exc)
        else:
            counts = plan.counts()
            context.update({"plan": plan, "counts": counts, "school": school, "job": job})
            if not plan.changes_anything:
                context["nothing_to_do"] = True
            else:
                _none, response = ask_first(
                    request,
                    question=Question(
                        title="Import into the registry",
                        question=f"Apply these changes to the registry of {school.name}?",
                        consequence=(
                            "The changes are made together, or none of them: the import runs in the "
                            "background and its page shows when it has finished."
                        ),
                        warning=(
                            f"{counts['left']} pupil{'s' if counts['left'] != 1 else ''} will be recorded as "
                            "having left."
                            if counts["left"]
                            else ""
                        ),
                        confirm_label="Import",
                        cancel_url=reverse(here),
                        hidden={"job": job.pk},
                        include="people/includes/import_preview.html",
                    ),
                    run=lambda: None,
                    check=lambda: None,
                    context=context,
                )
                return response
    return render(request, template, context)


def _start(request, here):
    job_id = record_id(request.POST.get("job"))
    job = get_object_or_404(ImportJob, pk=job_id or 0, user=request.user)
    try:
        job = imports.import_job_start(actor=request.user, job=job)
    except ValidationError as exc:
        messages.error(request, " ".join(exc.messages))
        return redirect(here)
    return redirect(job)


def _own_job(request, pk) -> ImportJob:
    """The user's own import, while they keep the registry of its school: anyone else's is 404."""
    jobs = ImportJob.objects.filter(user=request.user, school__in=policies.schools_managed_by(request.user))
    return get_object_or_404(jobs.select_related("school"), pk=pk)


@require_GET
def import_job(request, pk):
    """The progress of a confirmed import, and its outcome."""
    job = _own_job(request, pk)
    again = "people:ctf_import" if job.source == ImportJob.Source.CTF else "people:person_import"
    return render(
        request,
        "people/import_job.html",
        {"job": job, "previewed": job.status == ImportStatus.PREVIEWED, "again_url": reverse(again)},
    )


@require_GET
def import_job_status(request, pk):
    job = _own_job(request, pk)
    return JsonResponse(
        {
            "finished": job.is_finished,
            "status_label": job.get_status_display(),
            "progress": job.progress,
            "stage": job.stage,
        }
    )
