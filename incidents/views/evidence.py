"""Evidence files: upload to a case (an allegation, a pupil incident or a cyberbullying report), and download
through an access check on the file's case (never a public path)."""

import logging

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import FileResponse, Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.views.decorators.http import require_GET, require_http_methods

from .. import evidence, policies, services
from ..forms import EvidenceForm
from ..models import CASE_FIELDS
from .allegations import visible_case as _visible_case
from .common import posted, require

log = logging.getLogger(__name__)


def upload_to_case(request, case, *, context: dict | None = None):
    """The upload form for `case`, already found visible and workable; the file goes through the checks."""
    megabytes = evidence.megabytes(evidence.max_bytes())
    form = EvidenceForm(
        posted(request), request.FILES if request.method == "POST" else None, max_megabytes=megabytes
    )
    if request.method == "POST" and form.is_valid():
        upload = form.cleaned_data["file"]
        owner = {CASE_FIELDS[type(case)]: case}
        try:
            # The size is refused before the content is read into memory.
            evidence.check_size(upload.size)
            data = b"".join(upload.chunks())
            file = services.evidence_upload(actor=request.user, name=upload.name, data=data, **owner)
        except ValidationError as exc:
            form.add_error("file", exc)
        else:
            messages.success(request, f"{file.original_name} was added to the case.")
            return redirect(case)
    # A browser never keeps a chosen file when the form comes back: say so, by the file's name.
    chosen = request.FILES.get("file") if request.method == "POST" else None
    return render(
        request,
        "incidents/evidence_form.html",
        {"case": case, "form": form, "not_added": chosen.name if chosen else "", **(context or {})},
    )


@require_http_methods(["GET", "POST"])
def evidence_upload(request, pk):
    allegation = _visible_case(request, pk)
    require(policies.can_work_case(request.user, allegation))
    return upload_to_case(request, allegation)


@require_GET
def evidence_download(request, pk):
    """Sends a file only to someone who may see its case, as an attachment, never rendered inline."""
    file = get_object_or_404(policies.evidence_files_visible_to(request.user), pk=pk)
    path = evidence.path_for(file.stored_name)
    if not path.is_file():
        log.error("evidence file %s is missing from storage", file.pk)
        raise Http404
    services.evidence_record_download(actor=request.user, file=file)
    response = FileResponse(
        path.open("rb"), as_attachment=True, filename=file.original_name, content_type=file.content_type
    )
    response["X-Content-Type-Options"] = "nosniff"
    response["Content-Security-Policy"] = "default-src 'none'; sandbox"
    return response
