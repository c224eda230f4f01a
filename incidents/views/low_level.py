"""People flagged by repeated low-level concerns, and the DSL's review of them."""

from django.conf import settings
from django.contrib import messages
from django.http import Http404
from django.shortcuts import redirect, render
from django.views.decorators.http import require_GET, require_http_methods

from audit.services import audit_record
from core.confirm import Question, ask_first
from people.models import School

from .. import policies, selectors, services
from ..forms import LowLevelReviewForm
from .common import posted, require


@require_GET
def low_level_list(request):
    require(policies.can_review_low_level(request.user))
    flags = selectors.low_level_flags(request.user)
    schools = School.objects.in_bulk({flag.school_id for flag in flags}) if flags else {}
    return render(
        request,
        "incidents/low_level_list.html",
        {
            "flags": [(flag, schools[flag.school_id]) for flag in flags],
            "threshold": settings.INCIDENTS_LOW_LEVEL_THRESHOLD,
            "window_months": settings.INCIDENTS_LOW_LEVEL_WINDOW_MONTHS,
        },
    )


@require_http_methods(["GET", "POST"])
def low_level_review(request, person_pk, school_pk):
    require(policies.can_review_low_level(request.user))
    cases = policies.low_level_cases_visible_to(request.user).filter(
        subject_id=person_pk, school_id=school_pk
    )
    case_list = list(cases.select_related("school", "subject").order_by("-received_at"))
    if not case_list:
        raise Http404
    subject, school = case_list[0].subject, case_list[0].school
    if request.method == "GET":
        # The page lists the cases about one person: a view of them, recorded as one event.
        audit_record(
            actor=request.user,
            action="incidents.low_level.view",
            target=subject,
            school=school,
            data={"allegation_ids": [case.pk for case in case_list]},
        )
    form = LowLevelReviewForm(posted(request))
    review, response = ask_first(
        request,
        question=Question(
            title=f"Record the review of {subject.full_name}",
            confirm_label="Record the review",
            warning="The review is kept with the safeguarding record and cannot be changed.",
        ),
        run=lambda: services.low_level_review_record(
            actor=request.user, subject=subject, school=school, note=form.cleaned_data["note"]
        ),
        form=form,
        template="incidents/low_level_review.html",
        context={"subject": subject, "school": school, "cases": case_list},
    )
    if review is not None:
        messages.success(request, f"The review of {subject.full_name} was recorded.")
        return redirect("incidents:low_level_list")
    return response
