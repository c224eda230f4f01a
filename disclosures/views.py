"""The register of subject access requests, a request's page, its steps and the redaction review.

Every page is for the handling role only (and superusers): anyone else, and any request they may not
see, is answered 404. Viewing a request, its review or its pack is audited.
"""

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import Http404, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.views.decorators.http import require_http_methods, require_POST

from audit.services import audit_view
from core.confirm import Question, ask_first
from core.viewtools import apply_form_errors, fetch_choices, fetched_page, posted
from incidents.models import Allegation

from . import policies, selectors, services
from .forms import PhraseForm, ReasonForm, RequestForm
from .models import Decision, RequestKind
from .workflow import ACCESS_REQUEST, PAGE_STEPS


def _handler(request):
    if not policies.can_handle_requests(request.user):
        raise Http404("No such page.")


def _visible(request, pk):
    _handler(request)
    return get_object_or_404(
        policies.requests_visible_to(request.user).select_related("school", "requester", "subject"), pk=pk
    )


@require_http_methods(["GET"])
def register(request):
    _handler(request)
    page = fetched_page(selectors.register(request.user), request.GET.get("page"))
    return render(
        request,
        "disclosures/request_list.html",
        {"page": page, "handler": policies.handler_role_label()},
    )


@require_http_methods(["GET", "POST"])
def record(request):
    _handler(request)
    form = RequestForm(
        posted(request),
        schools=policies.schools_for_requests(request.user),
        people=policies.people_for_requests(request.user),
    )
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        allegation = None
        if data["kind"] == RequestKind.ALLEGATION_COPY and data["allegation"]:
            allegation = Allegation.objects.filter(pk=data["allegation"], school=data["school"]).first()
            if allegation is None:
                form.add_error("allegation", "The school holds no allegation of that number.")
        if form.is_valid():
            try:
                created = services.request_record(
                    actor=request.user,
                    school=data["school"],
                    kind=data["kind"],
                    requester=data["requester"],
                    subject=data["subject"],
                    received_on=data["received_on"],
                    allegation=allegation,
                )
            except ValidationError as exc:
                apply_form_errors(form, exc)
            else:
                messages.success(request, f"Request {created.reference} entered in the register.")
                return redirect("disclosures:detail", pk=created.pk)
    fetch_choices(form)
    return render(request, "disclosures/request_form.html", {"form": form})


@require_http_methods(["GET"])
def detail(request, pk):
    found = _visible(request, pk)
    audit_view(actor=request.user, target=found, school=found.school_id)
    redactions = selectors.redactions_of(found)
    steps = [step for step in ACCESS_REQUEST.allowed_steps(request.user, found) if step.name in PAGE_STEPS]
    return render(
        request,
        "disclosures/request_detail.html",
        {
            "req": found,
            "steps": steps,
            "redaction_count": len(redactions),
            "undecided": selectors.undecided_count(redactions),
            "can_redact": "redact" in ACCESS_REQUEST.allowed_names(request.user, found),
            "released": found.released_pdf is not None,
        },
    )


QUESTIONS = {
    "assemble": ("Start assembling the pack?", "The request moves on to assembling its records.", False),
    "review": (
        "Propose redactions?",
        "The portal gathers the records now and proposes a redaction for every other person named and "
        "every third-party note; you then decide each one.",
        False,
    ),
    "release": (
        "Release the pack?",
        "The PDF and CSV are made now, with every redaction you accepted taken out of the text, and kept "
        "exactly as released. The request is then answered and cannot be changed.",
        False,
    ),
    "extend": (
        "Extend the deadline?",
        "The answer becomes due three months from receipt instead of one. It can be extended once.",
        True,
    ),
    "withdraw": ("Record that the request was withdrawn?", "The request is closed without a pack.", True),
    "refuse": (
        "Refuse the request?",
        "The refusal is the answer: tell the requester why, and that they may complain to the ICO.",
        True,
    ),
}


@require_http_methods(["GET", "POST"])
def step(request, pk, name):
    found = _visible(request, pk)
    if name not in PAGE_STEPS:
        raise Http404("No such step.")
    title, consequence, needs_reason = QUESTIONS[name]
    form = ReasonForm(posted(request)) if needs_reason else None
    service = getattr(services, f"request_{name}")

    def run():
        extra = {"reason": form.cleaned_data["reason"]} if needs_reason else {}
        return service(actor=request.user, request=found, **extra)

    question = Question(
        title=title,
        consequence=consequence,
        confirm_label=ACCESS_REQUEST[name].label,
        cancel_url=reverse("disclosures:detail", args=[found.pk]),
    )
    context = {
        "req": found,
        "question": question,
        "step": ACCESS_REQUEST[name],
        "refusal": ACCESS_REQUEST.refusal(request.user, found, name),
    }
    try:
        done, response = ask_first(
            request,
            question=question,
            run=run,
            form=form,
            template="disclosures/request_step.html",
            context=context,
        )
    except ValidationError as exc:  # a step with no form: its page says why
        return render(request, "disclosures/request_step.html", {**context, "error": " ".join(exc.messages)})
    if response is not None:
        return response
    messages.success(request, f"Request {done.reference}: {ACCESS_REQUEST[name].done}.")
    return redirect("disclosures:detail", pk=done.pk)


@require_http_methods(["GET", "POST"])
def review(request, pk):
    found = _visible(request, pk)
    form = PhraseForm(posted(request))
    if request.method == "POST" and form.is_valid():
        try:
            services.redaction_add_phrase(
                actor=request.user, request=found, phrase=form.cleaned_data["phrase"]
            )
        except ValidationError as exc:
            apply_form_errors(form, exc)
        else:
            messages.success(request, "Your redaction was added.")
            return redirect("disclosures:review", pk=found.pk)
    if request.method == "GET":
        audit_view(actor=request.user, target=found, school=found.school_id)
    redactions = selectors.redactions_of(found)
    return render(
        request,
        "disclosures/redaction_review.html",
        {
            "req": found,
            "form": form,
            "redactions": redactions,
            "undecided": selectors.undecided_count(redactions),
            "can_redact": "redact" in ACCESS_REQUEST.allowed_names(request.user, found),
            "refusal": ACCESS_REQUEST.refusal(request.user, found, "redact"),
            "can_release": "release" in ACCESS_REQUEST.allowed_names(request.user, found),
            "accept": Decision.ACCEPTED,
            "reject": Decision.REJECTED,
        },
    )


@require_POST
def decide(request, pk, redaction_pk):
    found = _visible(request, pk)
    try:
        services.redaction_decide(
            actor=request.user,
            request=found,
            redaction_id=redaction_pk,
            decision=request.POST.get("decision", ""),
        )
    except ValidationError as exc:
        messages.error(request, " ".join(exc.messages))
    return redirect(reverse("disclosures:review", args=[found.pk]) + f"#redaction-{redaction_pk}")


@require_POST
def refresh(request, pk):
    found = _visible(request, pk)
    try:
        count = services.redactions_refresh(actor=request.user, request=found)
    except ValidationError as exc:
        messages.error(request, " ".join(exc.messages))
    else:
        messages.success(request, f"{count} new redaction{'s' if count != 1 else ''} proposed.")
    return redirect("disclosures:review", pk=found.pk)


@require_http_methods(["GET"])
def pack(request, pk, fmt):
    """The pack exactly as released. Its file name carries the reference only."""
    found = _visible(request, pk)
    if fmt not in ("pdf", "csv"):
        raise Http404("No such file.")
    data = found.released_pdf if fmt == "pdf" else found.released_csv
    if data is None:
        raise Http404("The pack has not been released.")
    audit_view(actor=request.user, target=found, school=found.school_id)
    content_type = "application/pdf" if fmt == "pdf" else "text/csv; charset=utf-8"
    response = HttpResponse(bytes(data), content_type=content_type)
    response["Content-Disposition"] = f'attachment; filename="{found.reference}.{fmt}"'
    return response
