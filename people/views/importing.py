"""Importing people from a CSV file: every bad row listed with its line number, then the valid rows
previewed and added only once confirmed (`core.confirm`), all or nothing."""

from datetime import date

from django.contrib import messages
from django.core import signing
from django.core.exceptions import ValidationError
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.views.decorators.http import require_http_methods

from core.confirm import Question, ask_first, confirmed
from core.viewtools import apply_form_errors, posted, require

from .. import policies, services
from ..forms import PeopleImportForm, parse_people_csv

IMPORT_SIGNING_SALT = "people.import"
IMPORT_MAX_AGE_SECONDS = 30 * 60


@require_http_methods(["GET", "POST"])
def person_import(request):
    """Upload a CSV, see every bad row with its line number, and import only a wholly valid file."""
    require(policies.can_manage_registry(request.user))
    schools = policies.schools_managed_by(request.user)
    if confirmed(request):
        return _person_import_confirmed(request, schools)
    form = PeopleImportForm(posted(request), request.FILES or None, schools=schools)
    context = {"form": form}
    if request.method == "POST" and form.is_valid():
        rows, errors = parse_people_csv(form.cleaned_data["file"])
        school = form.cleaned_data["school"]
        context.update({"rows": rows, "errors": errors, "school": school})
        if not errors:
            # The validated rows travel back with the confirmation, signed so they cannot be altered;
            # the file itself cannot be posted again, so the form is not.
            payload = {"school": school.pk, "rows": [_jsonable_row(row) for row in rows]}
            context["token"] = signing.dumps(payload, salt=IMPORT_SIGNING_SALT, compress=True)
            try:
                _none, response = ask_first(
                    request,
                    question=Question(
                        title="Import people from a CSV file",
                        question=f"Add {len(rows)} people to {school.name}?",
                        confirm_label=f"Add {len(rows)} people",
                        cancel_url=reverse("people:person_import"),
                        hidden={"token": context["token"]},
                        include="people/includes/import_preview.html",
                    ),
                    run=lambda: services.people_import(actor=request.user, school=school, rows=rows),
                    context=context,
                )
            except ValidationError as exc:
                apply_form_errors(form, exc)
                del context["token"]
            else:
                return response
    return render(request, "people/person_import.html", context)


def _jsonable_row(row: dict) -> dict:
    dob = row.get("date_of_birth")
    return {**row, "date_of_birth": dob.isoformat() if dob else None}


def _person_import_confirmed(request, schools):
    try:
        payload = signing.loads(
            request.POST.get("token", ""), salt=IMPORT_SIGNING_SALT, max_age=IMPORT_MAX_AGE_SECONDS
        )
    except signing.BadSignature:
        messages.error(request, "The preview has expired or was changed. Upload the file again.")
        return redirect("people:person_import")
    school = get_object_or_404(schools, pk=payload["school"])
    rows = []
    for row in payload["rows"]:
        row = dict(row)
        if row.get("date_of_birth"):
            row["date_of_birth"] = date.fromisoformat(row["date_of_birth"])
        rows.append(row)
    try:
        created = services.people_import(actor=request.user, school=school, rows=rows)
    except ValidationError as exc:
        messages.error(request, "Nothing was imported: " + "; ".join(exc.messages))
        return redirect("people:person_import")
    messages.success(request, f"{len(created)} people were added to {school.name}.")
    return redirect(f"{reverse('people:person_list')}?f-school={school.pk}")
