"""What approvals' views share: showing a service's refusal on a form, paging, the confirm step."""

from core.viewtools import PAGE_SIZE, fetched_page
from core.viewtools import apply_form_errors as apply_form_errors  # noqa: F401  (re-exported)
from core.viewtools import posted as posted  # noqa: F401
from core.viewtools import require as require  # noqa: F401


def page_of(request, queryset):
    return fetched_page(queryset, request.GET.get("page"), PAGE_SIZE)


def confirmed(request) -> bool:
    """The second press of a two-step action: the person has seen what will happen and confirmed it."""
    return request.method == "POST" and request.POST.get("step") == "confirm"


def going_back(request) -> bool:
    """ "Change my answers" from the confirm step: show the form again with what was entered."""
    return request.method == "POST" and request.POST.get("step") == "edit"
