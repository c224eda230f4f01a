"""Subject blindness (KCSIE part four): the subject of an allegation never sees any trace of it, whatever
roles they hold: not in lists, counts, dashboard cards, search, notices, the delivery log, reports or
the audit panel.

The canary test writes a unique string into every free-text part of a case, then signs in as its
subject (who holds SLT rights, and in a second run every role of the school's safeguarding team),
crawls every page they can reach, asks for every URL of the project that takes no argument and every
URL of the case itself, and checks the string never comes back, nor reaches any email.
"""

import re
import uuid
from collections import deque
from datetime import timedelta
from urllib.parse import urldefrag, urljoin, urlsplit

import pytest
from django.core import mail
from django.urls import URLResolver, get_resolver, reverse
from django.utils import timezone

from audit.models import AuditEvent
from core.dashboard import cards_for, count_up_to, read_figures
from incidents import selectors, services
from incidents.models import Allegation, ConcernCategory, HeldAction, Source
from notifications.models import Notification
from notifications.policies import delivery_log_visible_to
from people.models import Role

from ..factories import make_user
from .casework import advise, assess, record_case, refer
from .test_evidence_files import PDF

pytestmark = pytest.mark.django_db

HREF = re.compile(r'href="([^"#][^"]*)"')
SKIP = ("/account/logout/", "/static/", "/admin/logout/")


def no_argument_paths():
    """Every URL pattern of the project that takes no argument, as a path."""

    def walk(patterns, prefix):
        for pattern in patterns:
            route = str(pattern.pattern).lstrip("^").rstrip("$")
            if isinstance(pattern, URLResolver):
                yield from walk(pattern.url_patterns, prefix + route)
            else:
                yield prefix + route

    return sorted(
        {"/" + path for path in walk(get_resolver().url_patterns, "") if not re.search(r"[<(?*+\\\[]", path)}
    )


def text_of(response) -> str:
    body = b"".join(response.streaming_content) if response.streaming else response.content
    return body.decode("utf-8", "replace")


def crawl(client, start="/", limit=600, errors=None):
    """GET every same-origin page reachable by links from `start`; returns {path: body}. Paths that
    answered with a server error are added to `errors`."""
    seen, queue, bodies = {start}, deque([start]), {}
    while queue and len(bodies) < limit:
        path = queue.popleft()
        response = client.get(path)
        bodies[path] = text_of(response)
        if errors is not None and response.status_code >= 500:
            errors.append(path)
        if "text/html" not in response.get("Content-Type", ""):
            continue
        for href in HREF.findall(bodies[path]):
            target = urldefrag(urljoin(f"http://testserver{path}", href.replace("&amp;", "&")))[0]
            parts = urlsplit(target)
            if parts.netloc != "testserver" or parts.path.startswith(SKIP):
                continue
            local = parts.path + (f"?{parts.query}" if parts.query else "")
            if local not in seen:
                seen.add(local)
                queue.append(local)
    return bodies


def _with_email(*roles, school, **names):
    user = make_user(*roles, school=school, **names)
    user.email = f"{user.username}@example.org"
    user.save()
    return user


@pytest.fixture
def world(school, django_capture_on_commit_callbacks, request):
    """A case about a senior leader, carried through every kind of write with a canary in each, a
    control case about someone else, and the team around them (with email addresses)."""
    canary = f"CANARY-{uuid.uuid4().hex}"
    subject_roles = request.param
    subject = _with_email(*subject_roles, Role.STAFF, school=school, first_name="Sasha", last_name="Senior")
    dsl = _with_email(Role.DSL, Role.STAFF, school=school, first_name="Dee", last_name="Lead")
    slt = _with_email(Role.SLT, Role.STAFF, school=school, first_name="Sol", last_name="Team")
    exec_head = make_user(Role.EXECUTIVE_HEAD, federation=school.federation)
    exec_head.email = "exec@example.org"
    exec_head.save()
    reporter = _with_email(Role.STAFF, school=school, first_name="Rory", last_name="Witness")
    other = make_user(Role.STAFF, school=school, first_name="Oli", last_name="Other").person

    with django_capture_on_commit_callbacks(execute=True):
        concern = services.concern_submit(
            actor=reporter,
            school=school,
            category=ConcernCategory.ADULT_CONDUCT,
            subject=subject.person,
            what_happened=f"{canary} seen in the staff group",
        )
        case = record_case(
            dsl,
            school,
            subject.person,
            concern=concern,
            what_happened=f"{canary} what was seen",
            platforms=["other"],
            platform_other=f"{canary[:20]} app",
        )
        case = services.allegation_assess_harm(
            actor=dsl,
            allegation=case,
            harm_to_child=True,
            criminal_offence=False,
            risk_to_children=False,
            unsuitable_to_work=False,
            rationale=f"{canary} rationale",
        )
        case = services.allegation_refer_to_lado(
            actor=dsl,
            allegation=case,
            referred_at=timezone.now() - timedelta(minutes=20),
            lado_name=f"{canary} LADO",
            lado_contact="lado@example.org",
            referral_method="email",
            lado_reference=canary[:50],
        )
        case = services.allegation_record_advice(
            actor=dsl,
            allegation=case,
            advice_at=timezone.now() - timedelta(minutes=10),
            advice=f"{canary} advice",
            police_involved=False,
            strategy_meeting=False,
            suspension_advised=False,
            actions_advised=f"{canary} actions",
        )
        services.allegation_record_action(
            actor=dsl,
            allegation=case,
            kind=HeldAction.PARENTS_NOTIFIED,
            taken_on=timezone.localdate(),
            note=canary,
        )
        services.allegation_add_note(actor=dsl, allegation=case, text=f"{canary} note")
        file = services.evidence_upload(
            actor=dsl, allegation=case, name=f"{canary}.txt", data=canary.encode()
        )
        services.evidence_upload(actor=dsl, allegation=case, name="letter.pdf", data=PDF)
        # Three low-level concerns about the subject: enough to flag them for the DSL's review.
        low_level = []
        for days in (30, 20, 10):
            low = record_case(
                dsl,
                school,
                subject.person,
                what_happened=f"{canary} low-level {days}",
                received_at=timezone.now() - timedelta(days=days),
            )
            low_level.append(assess(dsl, low, met=False))
        # An overdue case about the subject, swept for reminders.
        overdue = record_case(
            dsl,
            school,
            subject.person,
            what_happened=f"{canary} overdue",
            received_at=timezone.now() - timedelta(days=6),
        )
        services.lado_deadlines_sweep()
        # A control case about someone else, which the subject, as SLT, may see.
        control = record_case(dsl, school, other, what_happened="CONTROL-visible-to-slt")
        advise(dsl, refer(dsl, assess(dsl, control)))
    return {
        "canary": canary,
        "subject": subject,
        "dsl": dsl,
        "slt": slt,
        "case": case,
        "concern": concern,
        "file": file,
        "low_level": low_level,
        "overdue": overdue,
        "control": control,
    }


SUBJECT_ROLES = [
    pytest.param((Role.SLT,), id="subject-with-slt-rights"),
    pytest.param(
        (Role.SLT, Role.DSL, Role.HEAD_OF_SCHOOL, Role.OFFICE_ADMIN), id="subject-with-every-school-role"
    ),
]


@pytest.mark.parametrize("world", SUBJECT_ROLES, indirect=True)
def test_canary_never_reaches_the_subject(client, world):
    canary, subject = world["canary"], world["subject"]
    client.force_login(subject)
    # A page that fails is reported below rather than stopping the crawl.
    client.raise_request_exception = False
    errors = []

    bodies = crawl(client, errors=errors)
    for path in no_argument_paths():
        if not path.startswith(SKIP):
            response = client.get(path)
            bodies[path] = text_of(response)
            if response.status_code >= 500:
                errors.append(path)

    case_ids = [world["case"].pk, world["overdue"].pk] + [low.pk for low in world["low_level"]]
    own = []
    for pk in case_ids:
        own += [
            reverse("incidents:allegation_detail", args=[pk]),
            reverse("incidents:allegation_print", args=[pk]),
            reverse("incidents:allegation_note", args=[pk]),
            reverse("incidents:evidence_upload", args=[pk]),
        ]
        own += [
            reverse("incidents:allegation_step", args=[pk, step])
            for step in ("assess", "refer", "action", "close")
        ]
    own += [
        reverse("incidents:evidence_download", args=[world["file"].pk]),
        reverse("incidents:concern_detail", args=[world["concern"].pk]),
        reverse("incidents:concern_close", args=[world["concern"].pk]),
        reverse("incidents:low_level_review", args=[subject.person.pk, world["case"].school_id]),
        reverse("incidents:allegation_list") + f"?f-q={subject.person.last_name}",
        reverse("incidents:allegation_list") + f"?f-q=ALG-{world['case'].pk}",
        reverse("people:person_detail", args=[subject.person.pk]),
    ]
    answered = {}
    for path in own:
        response = client.get(path)
        bodies[path] = text_of(response)
        answered[path] = response.status_code
    for name in ("allegation_reveal_reporter", "allegation_parent_checklist"):
        path = reverse(f"incidents:{name}", args=[world["case"].pk])
        response = client.post(path)
        bodies[f"POST {path}"] = text_of(response)
        answered[f"POST {path}"] = response.status_code

    leaks = [path for path, body in bodies.items() if canary in body or canary[:20] in body]
    assert leaks == []
    # The case's own addresses answer as if it did not exist.
    found = {
        path: status
        for path, status in answered.items()
        if status not in (403, 404) and "/incidents/" in path and "?" not in path
    }
    assert found == {}
    assert errors == [], "pages that failed for the subject"
    # The crawl did reach case pages: the control case, about someone else, was read.
    assert any("CONTROL-visible-to-slt" in body for body in bodies.values())
    assert len(bodies) > 20

    assert mail.outbox, "the notices were sent, so the check below can fail"
    for message in mail.outbox:
        parts = [message.subject, message.body] + [
            content for content, _ in getattr(message, "alternatives", [])
        ]
        assert canary not in " ".join(parts)
        if subject.email in message.to:
            # They are told about other cases (as SLT), never about one of theirs.
            assert not any(
                Allegation.objects.get(pk=pk).get_absolute_url() in message.body for pk in case_ids
            ), message.body
            assert world["concern"].get_absolute_url() not in message.body


@pytest.mark.parametrize("world", SUBJECT_ROLES[:1], indirect=True)
def test_no_count_card_list_panel_or_notice_includes_the_subjects_cases(client, world):
    subject = world["subject"]
    open_cases, _overdue = read_figures(selectors.case_counts(subject))
    assert open_cases == 1  # only the control case
    assert count_up_to(selectors.concerns_received(subject)) == 0
    assert selectors.low_level_flags(subject) == []
    card = next(card for card in cards_for(subject) if card.title == "LADO referrals")
    assert card.count == 1 and "overdue" not in card.body
    assert not any(card.title == "Reported concerns" for card in cards_for(subject))

    about_subject = Allegation.objects.filter(subject=subject.person)
    assert not Notification.objects.filter(
        recipient_user=subject, about_id__in=[str(a.pk) for a in about_subject]
    )
    assert (
        not delivery_log_visible_to(subject)
        .filter(about_type="incidents.allegation")
        .exclude(about_id=str(world["control"].pk))
    )
    # Other people's counts do include them.
    assert read_figures(selectors.case_counts(world["dsl"]))[0] == 6
    client.force_login(world["dsl"])
    person_page = client.get(reverse("people:person_detail", args=[subject.person.pk])).text
    assert "Allegations about this person" in person_page and world["case"].reference in person_page


@pytest.mark.parametrize("world", SUBJECT_ROLES[:1], indirect=True)
def test_the_audit_trail_records_but_never_shows_it_to_the_subject(client, world):
    """The events exist (target the case, never the subject's person), and the subject's own person
    page shows none of them."""
    subject = world["subject"]
    assert AuditEvent.objects.filter(
        target_type="incidents.allegation", target_id=str(world["case"].pk)
    ).exists()
    assert not AuditEvent.objects.filter(
        target_type="people.person", target_id=str(subject.person.pk)
    ).filter(action__startswith="incidents.")
    client.force_login(world["slt"])
    page = client.get(reverse("people:person_detail", args=[subject.person.pk])).text
    assert "incidents" not in page.lower() or "Allegations about this person" in page


def test_a_subject_who_records_nothing_still_cannot_see_a_case_by_any_role(client, school, dsl_user):
    """Even an Executive Head who is also the school's DSL does not see a case about themselves."""
    exec_head = make_user(Role.EXECUTIVE_HEAD, Role.DSL, Role.STAFF, school=school)
    case = record_case(dsl_user, school, exec_head.person, source=Source.OTHER)
    client.force_login(exec_head)
    assert client.get(case.get_absolute_url()).status_code == 404
    assert case.reference not in client.get(reverse("incidents:allegation_list")).text
