"""Report a concern, the author's own reports, the pupil-incident entry point, and the safeguarding
team's inbox of reports."""

from django.contrib import messages
from django.core.paginator import Paginator
from django.shortcuts import get_object_or_404, redirect, render
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from audit.services import audit_view

from .. import notices, policies, services
from ..forms import ConcernCloseForm, ConcernForm
from ..models import Concern, Routing
from .common import PAGE_SIZE, confirmed_step, posted, require

NEXT_STEPS = {
    Routing.SLT_AND_DSL: "The senior leadership team and the designated safeguarding lead have been told. "
    "They decide what happens next, which may include advice from the Local Authority Designated "
    "Officer (LADO).",
    Routing.DSL: "The designated safeguarding lead (the named Child Protection person) has been told and will "
    "decide what happens next.",
    Routing.SLT: "A member of the senior leadership team has been told and will decide how to deal with it.",
}
# §9: a report that cannot go where it is routed goes to the rest of the team and the heads instead, or to
# the Executive Head when no one else at the school can be told.
WIDER = {
    notices.WIDER_FOR_SUBJECT: "Your report is about someone who would usually receive it, so it has gone "
    "instead to others in the school's safeguarding team and its heads, or to the Executive Head if there is "
    "no one else. It has not been sent to the person it is about. They decide what happens next, which may "
    "include advice from the Local Authority Designated Officer (LADO).",
    notices.WIDER_FOR_NO_ONE: "The school does not have everyone who would usually receive this report, so it "
    "has gone to those in its safeguarding team and its heads who are there, or to the Executive Head if "
    "there is no one. They decide what happens next.",
}
NOBODY = (
    "The portal found no one who could be sent your report: it is kept, but no one has been told yet. "
    "Please tell the Head of School or the Executive Head in person, and give them the reference above."
)


def reach_of(concern: Concern) -> str:
    """Where the report went when it was filed; for one filed before that was kept, where the routing
    sends it today."""
    if concern.reach:
        return concern.reach
    _told, why = notices.concern_recipients(concern)
    return why or Concern.Reach.ROUTED


def next_steps_for(concern: Concern, reach: str) -> str:
    """What the author is told happened to their report."""
    if reach == Concern.Reach.NOBODY:
        return NOBODY
    return WIDER.get(reach) or NEXT_STEPS[Routing(concern.routed_to)]


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

    concern, response = confirmed_step(
        request,
        form=form,
        run=run,
        template="incidents/concern_form.html",
        context={},
        confirm={
            "title": "Check your report before you send it",
            "confirm_label": "Send the report",
            "warning": "Once sent, the report goes to the safeguarding team and cannot be withdrawn.",
            "back_url": "",
        },
    )
    if concern is not None:
        return redirect("incidents:concern_thanks", pk=concern.pk)
    return response


@require_GET
def concern_thanks(request, pk):
    concern = get_object_or_404(policies.concerns_reported_by(request.user), pk=pk)
    reach = reach_of(concern)
    return render(
        request,
        "incidents/concern_thanks.html",
        {
            "concern": concern,
            "next_steps": next_steps_for(concern, reach),
            "about_a_receiver": reach == Concern.Reach.WIDER_FOR_SUBJECT,
            "told_no_one": reach == Concern.Reach.NOBODY,
        },
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
    """Pupil incidents (§8) and cyberbullying (§10) are recorded separately: where to go."""
    return render(request, "incidents/pupil_incidents.html")


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
    return render(
        request,
        "incidents/concern_detail.html",
        {
            "concern": concern,
            "allegation_visible": allegation is not None
            and policies.allegations_visible_to(request.user).filter(pk=allegation.pk).exists(),
            "can_record": concern.status == Concern.Status.RECEIVED
            and policies.schools_where_can_record(request.user).filter(pk=concern.school_id).exists(),
            "can_reveal": policies.can_reveal_concern_reporter(request.user, concern),
        },
    )


@require_http_methods(["GET", "POST"])
def concern_close(request, pk):
    concern = _visible_concern(request, pk)
    form = ConcernCloseForm(posted(request))
    closed, response = confirmed_step(
        request,
        form=form,
        run=lambda: services.concern_close(
            actor=request.user, concern=concern, closing_note=form.cleaned_data["closing_note"]
        ),
        template="incidents/concern_close.html",
        context={"concern": concern},
        confirm={
            "title": f"Close report {concern.reference}",
            "confirm_label": "Close the report",
            "warning": "A closed report cannot be reopened. Its author will see it as closed.",
            "back_url": concern.get_absolute_url(),
        },
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
