"""Report a concern, the author's own reports, the pupil-incident entry point, and the safeguarding
team's inbox of reports."""

from django.contrib import messages
from django.core.paginator import Paginator
from django.shortcuts import get_object_or_404, redirect, render
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from audit.services import audit_view
from core.confirm import Question, ask_first
from core.viewtools import PAGE_SIZE

from .. import notices, policies, services
from ..forms import ConcernCloseForm, ConcernForm
from ..models import Concern
from .common import posted, require


@require_http_methods(["GET", "POST"])
def concern_report(request):
    """Report a concern: any member of staff, one click from every page."""
    require(policies.can_report_concern(request.user))
    schools = list(policies.schools_to_report_at(request.user).order_by("name"))
    subjects = policies.possible_subjects(schools).exclude(pk=policies.access_for(request.user).person_id)
    form = ConcernForm(posted(request), schools=schools, subjects=subjects)

    def run():
        data = form.cleaned_data
        return services.concern_submit(
            actor=request.user,
            school=data["school"],
            category=data["category"],
            subject=data["subject"],
            what_happened=data["what_happened"],
            platforms=list(data["platforms"]),
            happened_on=data["happened_on"],
        )

    concern, response = ask_first(
        request,
        question=Question(
            title="Check your report before you send it",
            confirm_label="Send the report",
            warning="Once sent, the report goes to the safeguarding team and cannot be withdrawn.",
        ),
        run=run,
        form=form,
        template="incidents/concern_form.html",
    )
    if concern is not None:
        return redirect("incidents:concern_thanks", pk=concern.pk)
    return response


@require_GET
def concern_thanks(request, pk):
    concern = get_object_or_404(policies.concerns_reported_by(request.user), pk=pk)
    return render(
        request,
        "incidents/concern_thanks.html",
        {"concern": concern, "route": notices.concern_went(concern)},
    )


@require_GET
def my_reports(request):
    """The author's own reports and their broad status; never the case file."""
    require(policies.can_report_concern(request.user))
    page = Paginator(
        policies.concerns_reported_by(request.user).select_related("school").order_by("-created_at", "-id"),
        PAGE_SIZE,
    ).get_page(request.GET.get("page"))
    return render(request, "incidents/concern_mine.html", {"page": page})


@require_GET
def pupil_incidents(request):
    """Pupil incidents (§8) and cyberbullying (§10) are recorded separately: where to go. The buttons to
    record them are offered only to those who may (staff and the Executive Head, not governors)."""
    return render(
        request,
        "incidents/pupil_incidents.html",
        {"can_record": policies.can_record_pupil_incident(request.user)},
    )


# --- The safeguarding team's inbox ---------------------------------------------------------------


@require_GET
def concern_list(request):
    require(policies.can_triage_concerns(request.user))
    status = request.GET.get("status", Concern.Status.RECEIVED)
    concerns = policies.concerns_visible_to(request.user).select_related("school", "subject")
    if status in Concern.Status.values:
        concerns = concerns.filter(status=status)
    page = Paginator(concerns.order_by("-created_at", "-id"), PAGE_SIZE).get_page(request.GET.get("page"))
    return render(
        request,
        "incidents/concern_list.html",
        {
            "page": page,
            "status": status,
            "statuses": Concern.Status.choices,
            "query": f"status={status}",
        },
    )


def _visible_concern(request, pk) -> Concern:
    return get_object_or_404(
        policies.concerns_visible_to(request.user).select_related("school", "subject", "allegation"), pk=pk
    )


@require_GET
def concern_detail(request, pk):
    concern = _visible_concern(request, pk)
    audit_view(actor=request.user, target=concern, school=concern.school_id)
    allegation = getattr(concern, "allegation", None)
    steps = services.CONCERN.allowed_names(request.user, concern)
    return render(
        request,
        "incidents/concern_detail.html",
        {
            "concern": concern,
            "allegation_visible": allegation is not None
            and policies.allegations_visible_to(request.user).filter(pk=allegation.pk).exists(),
            "can_record": "take_forward" in steps,
            "can_close": "close" in steps,
            "can_reveal": policies.can_reveal_concern_reporter(request.user, concern),
        },
    )


@require_http_methods(["GET", "POST"])
def concern_close(request, pk):
    concern = _visible_concern(request, pk)
    form = ConcernCloseForm(posted(request))
    closed, response = ask_first(
        request,
        question=Question(
            title=f"Close report {concern.reference}",
            confirm_label="Close the report",
            warning="A closed report cannot be reopened. Its author will see it as closed.",
            cancel_url=concern.get_absolute_url(),
        ),
        run=lambda: services.concern_close(
            actor=request.user, concern=concern, closing_note=form.cleaned_data["closing_note"]
        ),
        form=form,
        template="incidents/concern_close.html",
        context={"concern": concern},
    )
    if closed is not None:
        messages.success(request, f"Report {closed.reference} was closed.")
        return redirect(closed)
    return response


@require_POST
def concern_reveal_reporter(request, pk):
    """Show the author of a report to the DSL or the Executive Head; the look is audited."""
    concern = _visible_concern(request, pk)
    name = services.concern_reveal_reporter(actor=request.user, concern=concern)
    return render(
        request,
        "incidents/reporter_revealed.html",
        {"record": concern, "reporter": name, "back_url": concern.get_absolute_url()},
    )
