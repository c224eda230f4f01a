"""My notifications and the delivery log. Thin: check access, call a service, redirect."""

from dataclasses import replace

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.http import QueryDict
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.views.decorators.http import require_GET, require_POST

from core.confirm import Question, ask_first
from core.viewtools import PAGE_SIZE

from . import policies, selectors, services
from .catalogue import label_for
from .filters import DeliveryLogFilter
from .rendering import in_app_lines, render_notification
from .workflow import DELIVERY

# What the confirmation of a log step shows of the notice: what its row in the log shows.
NOTICE_SUMMARY = "notifications/includes/notice_summary.html"
# Query parameters the delivery log keeps across its actions.
LOG_QUERY_KEYS = ("f-status", "f-channel", "page")


def _require_log(user) -> None:
    if not policies.can_view_delivery_log(user):
        raise PermissionDenied


def _log_query(request) -> str:
    """The delivery log's filters and page as posted back to an action (only its own parameters)."""
    given = QueryDict(request.POST.get("query", ""))
    kept = QueryDict(mutable=True)
    for key in LOG_QUERY_KEYS:
        if given.get(key):
            kept[key] = given[key]
    return kept.urlencode()


def _log_url(request) -> str:
    """Back to the delivery log as it was filtered, rebuilt from its own parameters (never a posted URL)."""
    url = reverse("notifications:log")
    query = _log_query(request)
    return f"{url}?{query}" if query else url


# --- My notifications -------------------------------------------------------------------------------


@require_GET
def inbox(request):
    page = Paginator(selectors.inbox_for(request.user), PAGE_SIZE).get_page(request.GET.get("page"))
    items = in_app_lines(request.user, list(page.object_list))
    return render(
        request,
        "notifications/notification_list.html",
        {"page": page, "items": items, "can_view_log": policies.can_view_delivery_log(request.user)},
    )


@require_POST
def mark_read(request, pk):
    notification = get_object_or_404(selectors.inbox_for(request.user), pk=pk)
    services.notification_mark_read(actor=request.user, notification=notification)
    messages.success(request, "Marked as read.")
    return redirect("notifications:inbox")


@require_POST
def mark_all_read(request):
    count = services.notifications_mark_all_read(actor=request.user)
    messages.success(request, f"{count} notification{'' if count == 1 else 's'} marked as read.")
    return redirect("notifications:inbox")


# --- Delivery log --------------------------------------------------------------------------------------


@require_GET
def delivery_log(request):
    _require_log(request.user)
    log_filter = DeliveryLogFilter(request.GET or None, queryset=selectors.delivery_log(request.user))
    page = Paginator(log_filter.qs, PAGE_SIZE).get_page(request.GET.get("page"))
    rows = []
    for notification in page.object_list:
        # The office reads a manual notice out or writes it: show them its plain text.
        text = render_notification(notification)[1] if notification.awaits_office else ""
        steps = DELIVERY.allowed_names(request.user, notification)
        rows.append((notification, label_for(notification.template), text, steps))
    query = request.GET.copy()
    query.pop("page", None)
    return render(
        request,
        "notifications/notification_log.html",
        {
            "filter": log_filter,
            "page": page,
            "rows": rows,
            "query": query.urlencode(),
            "page_query": request.GET.urlencode(),
        },
    )


def _log_action(request, pk, action, done_message):
    _require_log(request.user)
    notification = get_object_or_404(selectors.delivery_log(request.user), pk=pk)
    try:
        action(actor=request.user, notification=notification)
    except ValidationError as exc:
        messages.error(request, " ".join(exc.messages))
    else:
        messages.success(request, done_message.format(name=notification.recipient_label))
    return redirect(_log_url(request))


@require_POST
def retry(request, pk):
    return _log_action(request, pk, services.notification_retry, "The notice to {name} will be sent again.")


def _confirmed_log_step(request, pk, *, step, action, done_message, question: Question):
    """A step that cannot be undone, asked first (`core.confirm`): the same refusals as the step itself
    come first (403 without the log, 404 for a row the user may not see), and a step the row's state
    rules out is refused on the log rather than offered for confirmation."""
    _require_log(request.user)
    notification = get_object_or_404(selectors.delivery_log(request.user), pk=pk)
    name = notification.recipient_label
    back_url = _log_url(request)
    try:
        _row, response = ask_first(
            request,
            question=replace(
                question,
                question=question.question.format(name=name),
                cancel_url=back_url,
                hidden={"query": _log_query(request)},
            ),
            run=lambda: action(actor=request.user, notification=notification),
            check=lambda: DELIVERY.check(request.user, notification, step),
            context={
                "notification": notification,
                "label": label_for(notification.template),
                "query": _log_query(request),
                "back_url": back_url,
            },
        )
    except ValidationError as exc:
        messages.error(request, " ".join(exc.messages))
        return redirect(back_url)
    if response is not None:
        return response
    messages.success(request, done_message.format(name=name))
    return redirect(back_url)


@require_POST
def cancel(request, pk):
    return _confirmed_log_step(
        request,
        pk,
        step="cancel",
        action=services.notification_cancel,
        done_message="The notice to {name} was cancelled.",
        question=Question(
            title="Cancel this notice?",
            question="Cancel this notice to {name}?",
            consequence="It will not be sent. This cannot be undone.",
            confirm_label="Cancel the notice",
            include=NOTICE_SUMMARY,
        ),
    )


@require_POST
def mark_delivered(request, pk):
    return _confirmed_log_step(
        request,
        pk,
        step="mark_delivered",
        action=services.notification_mark_delivered,
        done_message="The notice to {name} is recorded as delivered.",
        question=Question(
            title="Mark this notice as delivered?",
            question="Mark this notice to {name} as delivered?",
            consequence=(
                "Use this only when you have confirmed it reached them another way, e.g. by phone. "
                "This cannot be undone."
            ),
            confirm_label="Mark as delivered",
            include=NOTICE_SUMMARY,
        ),
    )


@require_POST
def send_test(request):
    _require_log(request.user)
    services.send_test_notice(actor=request.user)
    messages.success(
        request, "A test notice is on its way to you by email and in your notifications in the portal."
    )
    return redirect(_log_url(request))
