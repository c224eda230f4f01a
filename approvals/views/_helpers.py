"""What approvals' views share: showing a service's refusal on a form, paging, the confirm step."""

from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator

PAGE_SIZE = 25


def apply_form_errors(form, exc: ValidationError) -> None:
    """Show a service's ValidationError on the form, by field where it names one the form has."""
    if hasattr(exc, "error_dict"):
        for field, errors in exc.error_dict.items():
            form.add_error(field if field in form.fields else None, errors)
    else:
        form.add_error(None, exc)


def posted(request):
    """The POST data to bind a form to, even when empty (an empty form must show its errors), or None."""
    return request.POST if request.method == "POST" else None


def require(allowed: bool) -> None:
    """A record the user may see but not act on: 403."""
    if not allowed:
        raise PermissionDenied


def page_of(request, queryset):
    return Paginator(queryset, PAGE_SIZE).get_page(request.GET.get("page"))


def confirmed(request) -> bool:
    """The second press of a two-step action: the person has seen what will happen and confirmed it."""
    return request.method == "POST" and request.POST.get("step") == "confirm"


def going_back(request) -> bool:
    """ "Change my answers" from the confirm step: show the form again with what was entered."""
    return request.method == "POST" and request.POST.get("step") == "edit"
