"""The policy's versions: the list, one version, import with a preview, ratify and discard (each with a
confirmation step), and the comparison of two versions. Thin: bind a form, call a service, redirect."""

from django.contrib import messages
from django.core import signing
from django.core.exceptions import ValidationError
from django.db.models import Count
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.views.decorators.http import require_GET, require_http_methods

from audit.selectors import history_for
from core.confirm import Question, ask_first
from core.viewtools import posted
from people.models import Federation, RoleAssignment

from .. import policies, selectors, services
from ..compare import compare
from ..forms import CompareForm, PolicyUploadForm, RatifyForm
from ..importer import PolicyImportError, parse_policy
from ..rendering import render_section
from ..workflow import VERSION
from .common import apply_form_errors, require, trial

IMPORT_SIGNING_SALT = "policydocs.import"
IMPORT_MAX_AGE_SECONDS = 30 * 60


def sections_html(version) -> list[tuple[object, str]]:
    return [(section, render_section(section)) for section in version.sections.all()]


@require_GET
def version_list(request):
    require(policies.works_for_federation(request.user))
    versions = list(selectors.versions_for_list(request.user))
    compare_form = None
    if len(versions) > 1:
        # The newest version against the one before it, to start with.
        compare_form = CompareForm(
            initial={"old": versions[1].pk, "new": versions[0].pk},
            versions=selectors.versions_to_compare(request.user),
        )
    return render(
        request,
        "policydocs/version_list.html",
        {
            "versions": versions,
            "can_manage": policies.can_manage_policy(request.user),
            "compare_form": compare_form,
        },
    )


@require_GET
def version_detail(request, pk):
    version = get_object_or_404(selectors.version_for_page(request.user, pk))
    can_manage = policies.can_manage_policy_of(request.user, version.policy.federation_id)
    return render(
        request,
        "policydocs/version_detail.html",
        {
            "version": version,
            "sections": sections_html(version),
            "clause_count": len(version.clauses.all()),
            "steps": VERSION.allowed_names(request.user, version),
            "acknowledgement": selectors.acknowledgement_of(request.user, version)
            if version.is_current
            else None,
            "history": history_for(version) if can_manage else None,
        },
    )


def _federations_managed(user):
    return Federation.objects.filter(pk__in=policies.policy_federations_managed_by(user)).order_by("name")


@require_http_methods(["GET", "POST"])
def version_import(request):
    """Upload a text or Markdown file, see its sections and clauses, then save it as a draft."""
    require(policies.can_manage_policy(request.user))
    federation = _federations_managed(request.user).first()
    require(federation is not None)
    if request.method == "POST" and "token" in request.POST:
        return _version_import_confirm(request, federation)
    form = PolicyUploadForm(request.POST or None, request.FILES or None)
    context = {"form": form, "federation": federation}
    if request.method == "POST" and form.is_valid():
        parsed = form.parsed
        title = form.cleaned_data["title"] or parsed.title
        try:
            trial(
                lambda: services.policy_version_import(
                    actor=request.user, federation=federation, text=form.text, parsed=parsed, title=title
                )
            )
        except ValidationError as exc:
            apply_form_errors(form, exc)
        else:
            payload = {"text": form.text, "source_name": form.cleaned_data["file"].name[:255], "title": title}
            context.update(
                {
                    "parsed": parsed,
                    "title": title,
                    "token": signing.dumps(payload, salt=IMPORT_SIGNING_SALT, compress=True),
                }
            )
    return render(request, "policydocs/version_import.html", context)


def _version_import_confirm(request, federation):
    try:
        payload = signing.loads(
            request.POST.get("token", ""), salt=IMPORT_SIGNING_SALT, max_age=IMPORT_MAX_AGE_SECONDS
        )
        parsed = parse_policy(payload["text"])
    except (signing.BadSignature, PolicyImportError, KeyError, TypeError):
        messages.error(request, "The preview has expired or was changed. Upload the file again.")
        return redirect("policydocs:version_import")
    try:
        version = services.policy_version_import(
            actor=request.user,
            federation=federation,
            text=payload["text"],
            parsed=parsed,
            title=payload.get("title"),
            source_name=payload.get("source_name", ""),
        )
    except ValidationError as exc:
        messages.error(request, "Nothing was saved: " + " ".join(exc.messages))
        return redirect("policydocs:version_import")
    messages.success(
        request,
        f"{version.label} was saved as a draft, with {len(parsed.sections)} sections and "
        f"{parsed.clause_count} clauses. Record its ratification once the governors have agreed it.",
    )
    return redirect(version)


def _staff_count(federation_id: int) -> int:
    return (
        RoleAssignment.objects.filter(
            role__in=policies.ACKNOWLEDGING_ROLES,
            school__federation_id=federation_id,
            person__left_on__isnull=True,
        ).aggregate(n=Count("person", distinct=True))["n"]
        or 0
    )


def _ratify_question(version, current) -> Question:
    superseded = (
        f"Version {current.number} will be superseded and stop being the current policy. " if current else ""
    )
    staff = _staff_count(version.policy.federation_id)
    return Question(
        title=f"Confirm the ratification of version {version.number}",
        warning="This cannot be undone.",
        consequence=(
            f"{superseded}Every member of staff ({staff} at the federation's schools) will be asked to read "
            f"and confirm version {version.number}."
        ),
        confirm_label=f"Ratify version {version.number}",
        cancel_url=version.get_absolute_url(),
    )


@require_http_methods(["GET", "POST"])
def version_ratify(request, pk):
    """Record the governors' ratification of a draft: the form, a confirmation, then the change."""
    version = get_object_or_404(selectors.version_for_page(request.user, pk))
    require(policies.can_manage_policy_of(request.user, version.policy.federation_id))
    form = RatifyForm(posted(request), initial={"ratified_on": timezone.localdate()})
    current = selectors.current_version_for(version.policy.federation_id)
    current = current if current != version else None
    ratified, response = ask_first(
        request,
        # Asked only once the form is posted: a GET shows the form alone.
        question=_ratify_question(version, current) if request.method == "POST" else None,
        run=lambda: services.policy_version_ratify(
            actor=request.user,
            version=version,
            ratified_by=form.cleaned_data["ratified_by"],
            ratified_on=form.cleaned_data["ratified_on"],
            review_due_on=form.cleaned_data["review_due_on"],
        ),
        form=form,
        template="policydocs/version_ratify.html",
        context={"version": version, "current": current},
    )
    if response is not None:
        return response
    messages.success(
        request,
        f"{ratified.label} is now the current policy. Every member of staff has been asked to read and confirm it.",
    )
    return redirect(ratified)


@require_http_methods(["GET", "POST"])
def version_discard(request, pk):
    version = get_object_or_404(selectors.version_for_page(request.user, pk))
    require(policies.can_manage_policy_of(request.user, version.policy.federation_id))
    error = ""
    if request.method == "POST":
        try:
            services.policy_version_discard(actor=request.user, version=version)
        except ValidationError as exc:
            error = " ".join(exc.messages)
        else:
            messages.success(request, f"The draft {version.label} was discarded.")
            return redirect("policydocs:version_list")
    return render(request, "policydocs/version_discard.html", {"version": version, "error": error})


@require_GET
def version_compare(request):
    """Two versions side by side: the clauses that changed, then the text line by line."""
    require(policies.works_for_federation(request.user))
    versions = selectors.versions_to_compare(request.user)
    form = CompareForm(request.GET or None, versions=versions)
    comparison = old = new = None
    if request.GET and form.is_valid():
        old, new = form.cleaned_data["old"], form.cleaned_data["new"]
        if old.number > new.number:
            old, new = new, old
        comparison = compare(old.body, new.body, list(old.clauses.all()), list(new.clauses.all()))
    elif not request.GET:
        latest = list(versions[:2])
        if len(latest) == 2:
            form = CompareForm(initial={"old": latest[1], "new": latest[0]}, versions=versions)
    return render(
        request,
        "policydocs/version_compare.html",
        {
            "form": form,
            "comparison": comparison,
            "old": old,
            "new": new,
            "list_url": reverse("policydocs:version_list"),
        },
    )
