"""Shared by the incidents views: form errors, refusals, the parent notice page and a follow-up's page.
Every page asks first through `core.confirm`."""

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.shortcuts import redirect, render

from core.confirm import Question, ask_first, confirmed
from core.viewtools import apply_form_errors
from core.viewtools import posted as posted  # noqa: F401  (re-exported)
from core.viewtools import require as require  # noqa: F401
from notifications.catalogue import label_for
from notifications.recipients import contactable_parents_of
from notifications.rendering import preview

from .. import notices, services
from ..forms import ActionFinishForm, ParentNoticeForm
from ..models import ActionKind

CHANGED_AFTER_PREVIEW = (
    "The notice chosen changed after the preview, so nothing was sent. Check this preview, then send it."
)


def parent_notice_page(request, action):
    """The notice to a pupil's parents for a follow-up action (a pupil incident's or a cyberbullying
    report's): choose the notice, see it as parents will (the question before it is sent), then send it to
    those the school may contact, by the channel each prefers. A pupil with no contactable parent is shown
    as such, never skipped."""
    templates = [(key, label_for(key)) for key in notices.PARENT_TEMPLATES.get(action.kind, [])]
    require(bool(templates))
    form = ParentNoticeForm(posted(request), templates=templates)
    case = action.case
    context = {
        "action": action,
        "case": case,
        "case_label": "Report" if action.report_id else "Incident",
        "recipients": contactable_parents_of(action.pupil_id),
    }
    template, changed = "", False
    if request.method == "POST" and form.is_valid():
        template = form.cleaned_data["template"]
        # What is sent is what was previewed: a choice changed after the preview is previewed first.
        changed = confirmed(request) and request.POST.get("previewed") != template
        subject, text, _html = preview(template, notices.parent_context(action))
        context.update({"preview_subject": subject, "preview_text": text, "template": template})
    question = Question(
        title="Notice to parents and carers",
        question="Send this notice?",
        consequence="It goes to the parents and carers listed, by the channel each prefers. It cannot be "
        "called back once sent.",
        warning=CHANGED_AFTER_PREVIEW if changed else "",
        confirm_label="Send this notice",
        cancel_url=case.get_absolute_url(),
        hidden={"previewed": template},
        include="incidents/includes/parent_notice_preview.html",
    )
    sent, response = ask_first(
        request,
        question=question,
        run=lambda: services.incident_parent_notice_send(
            actor=request.user, action=action, template=template
        ),
        form=form,
        template="incidents/parent_notice.html",
        context=context,
        stale=changed,
    )
    if response is not None:
        return response
    messages.success(request, f"Notice queued for {len(sent)} parent or carer contact(s).")
    return redirect(case)


def action_finish_page(request, action):
    """Mark a follow-up done (a police referral with the police's reference, §10), or waive it with a
    reason; for a pupil incident's actions and a cyberbullying report's alike. Notices to parents are done
    by sending them, on their own page. The buttons are the steps the service allows now."""
    form = ActionFinishForm(posted(request), with_reference=action.kind == ActionKind.REFER_POLICE)
    case = action.case
    steps = services.action_steps(request.user, action)
    if request.method == "POST" and form.is_valid():
        try:
            if request.POST.get("outcome") == "waive":
                services.incident_action_waive(
                    actor=request.user, action=action, reason=form.cleaned_data["note"]
                )
            else:
                services.incident_action_complete(
                    actor=request.user,
                    action=action,
                    note=form.cleaned_data["note"],
                    reference=form.cleaned_data.get("reference", ""),
                )
        except ValidationError as exc:
            if hasattr(exc, "error_dict") and "reason" in exc.error_dict:
                # The reason for waiving is written in the note box.
                exc = ValidationError({"note": exc.error_dict["reason"]})
            apply_form_errors(form, exc)
        else:
            messages.success(request, "Action updated.")
            return redirect(case)
    context = {
        "action": action,
        "case": case,
        "case_label": "Report" if action.report_id else "Incident",
        "form": form,
        "sent_by_notice": services.sent_by_notice(action),
        "steps": steps,
        # Why nothing can be done here now (already done or waived, or the case is closed).
        "refusal": "" if steps else services.INCIDENT_ACTION.refusal(request.user, action, "waive"),
    }
    return render(request, "incidents/incident_action.html", context)


def close_page(request, case, *, what: str, run, template: str, context: dict):
    """Close a pupil incident or a cyberbullying report: asked first (core.confirm), and refused with the
    service's reason, on the close page itself, while one of its actions is still to do. `what` names the
    case in the page's words ("incident", "report")."""
    question = Question(
        title=f"Close {what} {case.reference}",
        consequence="Closing records that every action is done or waived. It cannot be reopened.",
        confirm_label=f"Close the {what}",
        cancel_url=case.get_absolute_url(),
    )
    page = {**context, "question": question}
    try:
        closed, response = ask_first(request, question=question, run=run, template=template, context=page)
    except ValidationError as exc:  # no form to show it on: the close page says why
        return render(request, template, {**page, "error": " ".join(exc.messages)})
    if response is not None:
        return response
    messages.success(request, f"{what.capitalize()} {closed.reference} closed.")
    return redirect(closed)
