"""The public policy page (no sign-in, §10: parents should know the policy) and read-and-sign."""

from django.contrib import messages
from django.contrib.auth.decorators import login_not_required
from django.core.exceptions import ValidationError
from django.shortcuts import redirect, render
from django.views.decorators.http import require_GET, require_http_methods

from people.models import Person

from .. import acknowledgements, policies, selectors
from ..forms import AcknowledgeForm
from .common import apply_form_errors, require
from .documents import sections_html


@login_not_required
@require_GET
def policy_public(request):
    """The current version of the policy for parents and anyone else: no sign-in."""
    versions = selectors.public_versions()
    return render(
        request,
        "policydocs/policy_public.html",
        {"versions": [(version, sections_html(version)) for version in versions]},
    )


@require_http_methods(["GET", "POST"])
def policy_read(request):
    """The current version for staff, and the confirmation that they read it (read-and-sign)."""
    require(policies.works_for_federation(request.user))
    version = selectors.current_for(request.user)
    acknowledgement = form = None
    if version is not None and policies.must_acknowledge(request.user):
        acknowledgement = selectors.acknowledgement_of(request.user, version)
        if acknowledgement is None:
            person = Person.objects.get(pk=policies.access_for(request.user).person_id)
            needs_check = acknowledgements.needs_posts_check(person, version.policy)
            form = AcknowledgeForm(
                request.POST if request.method == "POST" else None,
                needs_posts_check=needs_check,
                initial={"content_hash": version.content_hash},
            )
            if request.method == "POST" and form.is_valid():
                try:
                    acknowledgements.acknowledgement_record(
                        actor=request.user,
                        version=version,
                        content_hash=form.cleaned_data["content_hash"],
                        read_confirmed=form.cleaned_data["read_confirmed"],
                        posts_checked=form.cleaned_data.get("posts_checked", False),
                    )
                except ValidationError as exc:
                    apply_form_errors(form, exc)
                else:
                    messages.success(request, f"Thank you: your confirmation of {version.label} is recorded.")
                    return redirect("policydocs:read")
    elif request.method == "POST":
        require(False)
    return render(
        request,
        "policydocs/policy_read.html",
        {
            "version": version,
            "sections": sections_html(version) if version is not None else [],
            "acknowledgement": acknowledgement,
            "form": form,
        },
    )
