"""Every view that accepts POST, asked by a head or DSL of one school to act on the other school's
records, or on another person's: refused (403, 404, or the form shown again with an error), and
nothing changed: no row added, changed or removed, no write in the audit trail, no notice queued.

The POST-capable URLs come from the resolver (each view's allowed methods); one missing from
`POSTS` or `EXEMPT` fails. A `Post` names who signs in (a role of the signed-in school), how to
build the record it names (a builder of `builders.py`, in the scope ``other`` or, for another
person's record, ``own``), and the form data, which names the other school's ids wherever a form
field takes one.
"""

from dataclasses import dataclass
from datetime import timedelta

import pytest
from django.apps import apps
from django.forms.models import model_to_dict
from django.urls import reverse
from django.utils import timezone

from approvals.models import ProposalStatus
from audit.models import AuditEvent
from incidents import notices
from incidents.models import ConcernCategory, IncidentType, Source
from notifications.models import Channel, Status
from people.models import PersonKind, Role

from ..factories import ParentFactory, PersonFactory, PupilFactory
from . import builders as b
from .world import ROLE_FIXTURES, make_world

HTTP_METHODS = {"GET", "POST", "PUT", "PATCH", "DELETE", "HEAD", "OPTIONS", "TRACE"}


def allowed_methods(callback) -> set[str]:
    """The HTTP methods a view accepts: from a class-based view's handlers, or from the list a
    `require_http_methods` decorator (`require_GET`, `require_POST`) closes over. A view that says
    nothing accepts every method, so it counts as taking POST."""
    view_class = getattr(callback, "view_class", None)
    if view_class is not None:
        return {m.upper() for m in view_class.http_method_names if hasattr(view_class, m)}
    func = callback
    while func is not None:
        for cell in func.__closure__ or ():
            try:
                value = cell.cell_contents
            except ValueError:
                continue
            if isinstance(value, list | tuple | set | frozenset) and value and set(value) <= HTTP_METHODS:
                return set(value)
        func = getattr(func, "__wrapped__", None)
    return set(HTTP_METHODS)


def post_capable_names() -> set[str]:
    from django.urls import URLPattern, URLResolver, get_resolver

    from .test_matrix import SKIP_NAMESPACES

    names = set()

    def walk(patterns, namespace=""):
        for pattern in patterns:
            if isinstance(pattern, URLResolver):
                if pattern.namespace in SKIP_NAMESPACES:
                    continue
                walk(
                    pattern.url_patterns,
                    f"{namespace}{pattern.namespace}:" if pattern.namespace else namespace,
                )
            elif isinstance(pattern, URLPattern) and "POST" in allowed_methods(pattern.callback):
                names.add(namespace + pattern.name)

    walk(get_resolver().url_patterns)
    return names


# URLs that take POST but name no record of a school or of another person.
EXEMPT = {
    "logout": "ends the user's own session",
    "password_reset": "sends a link to whoever owns the address typed; names no record",
    "password_reset_confirm": "the signed token names the account; tested by Django",
    "password_change": "the user's own password",
    "two_factor:login": "the sign-in form",
    "oidc_verify": "the code for the sign-in waiting in the user's own session; takes no ids",
    "two_factor:setup": "the user's own second factor",
    "two_factor:backup_tokens": "the user's own backup codes",
    "two_factor:disable": "the user's own second factor",
    "notifications:mark_all_read": "marks the user's own inbox only; takes no ids",
    "notifications:send_test": "sends a test notice to the user themself; takes no ids",
    "approvals:proposal_start": "one yes/no question; writes nothing",
    "policydocs:read": "confirms the current version for the user; the version is chosen by the server",
    "policydocs:version_import": "imports into the user's own federation, chosen by the server",
}


@dataclass
class Post:
    name: str
    actor: str  # a key of ROLE_FIXTURES: the role signed in at the first school
    build: object = None  # (world) -> (url kwargs, the record to watch or None)
    data: object = None  # (world, kwargs) -> form data
    # (world, kwargs) -> the same form naming the signed-in school's own ids: it must be accepted,
    # so that the refusal above is the other school's doing, not a bad form.
    control: object = None


def naming(make):
    """Form data from `make(w, school)` for the other school (the probe) and for the user's own (control)."""
    return {
        "data": lambda w, k: make(w, w.other),
        "control": lambda w, k: make(w, w.school),
    }


def other(builder, model=None, scope="other", control=True):
    """The record `builder` makes at the other school (or, with scope="own", a colleague's)."""

    def build_for(record_scope):
        def build(w, user=None):
            kwargs = builder(w, record_scope, user)
            record = model.objects.get(pk=kwargs["pk"]) if model else None
            return kwargs, record

        return build

    build = build_for(scope)
    if control:
        # The counterpart the signed-in user may act on: their school's record, or their own.
        build.control = build_for("own" if scope == "other" else "reporter")
    return build


def none(w):
    return {}, None


def _m(label):
    return apps.get_model(label)


def _yesterday():
    return (timezone.localtime() - timedelta(hours=2)).strftime("%Y-%m-%d %H:%M")


def _person_data(w, s):
    return {"school": s.pk, "kind": PersonKind.STAFF, "first_name": "Nina", "last_name": "New"}


def _parent_link_data(w, s):
    return {
        "parent": ParentFactory(school=s).pk,
        "relationship": "mother",
        "parental_responsibility": "on",
        "preferred_channel": "email",
    }


def _proposal_data(w, s):
    return {
        "school": s.pk,
        "title": "Class blog",
        "platform": "blog",
        "minimum_age": 13,
        "account": "blog.example.org/x",
        "purpose": "News.",
        "hosting": "school",
        "audience": ["parents"],
        "moderation_plan": "Two moderators.",
    }


def _declaration_data(w, s):
    return {
        "school": s.pk,
        "kind": "family_link",
        "pupils": [PupilFactory(school=s).pk],
        "relationship": "relative",
        "statement": "My niece.",
    }


def _permission_data(w, s):
    service = b.proposal(ProposalStatus.APPROVED)(w, "other" if s == w.other else "own", None)["pk"]
    return {"service": service, "post_text": "Trip photos.", "event": "Trip"}


def _concern_data(w, s):
    return {
        "school": s.pk,
        "category": ConcernCategory.ADULT_CONDUCT,
        "subject": PersonFactory(school=s).pk,
        "what_happened": "CANARY-a post.",
        "confirm": "yes",
    }


def _pupil_incident_data(w, s):
    return {
        "school": s.pk,
        "kind": IncidentType.SOCIAL_MEDIA_IN_DAY,
        "pupils": [PupilFactory(school=s).pk],
        "occurred_at": _yesterday(),
        "in_school_day": "yes",
        "location": "Hall",
        "what_happened": "CANARY-phone.",
        "confirm": "yes",
    }


def _cyberbullying_data(w, s, perpetrator=None):
    """A report at `s` about a pupil of `s`; `perpetrator`: the school whose pupil is named as responsible."""
    perp = {"perp-0-kind": "unknown"}
    if perpetrator is not None:
        perp = {"perp-0-kind": "pupil", "perp-0-person": PupilFactory(school=perpetrator).pk}
    return {
        "school": s.pk,
        "source": "parent",
        "victims": [PupilFactory(school=s).pk],
        "when": ["weekends"],
        "channels": ["social_media"],
        "platform": "instagram",
        "what_happened": "CANARY-posts about a classmate.",
        "perp-TOTAL_FORMS": "1",
        "perp-INITIAL_FORMS": "0",
        "perp-MIN_NUM_FORMS": "0",
        "perp-MAX_NUM_FORMS": "10",
    } | perp


def _triage_data(w, k):
    """The decision the triage suggests for the report: accepted as it stands, with no reason needed."""
    from incidents import services

    report = _m("incidents.CyberbullyingReport").objects.get(pk=k["pk"])
    return {"rules": list(services.triage(report).rules)}


def _allegation_data(w, s):
    return {
        "school": s.pk,
        "received_at": _yesterday(),
        "received_by": w.users["dsl"].person.pk,
        "source": Source.OTHER,
        "reporter_name": "A visitor",
        "subject": PersonFactory(school=s).pk,
        "what_happened": "CANARY-a post.",
        "confirm": "yes",
    }


POSTS = [
    # --- people: records of the other school, and the other school named in a form ----------------
    Post("people:person_create", "office", none, **naming(_person_data)),
    Post(
        "people:person_import",
        "office",
        none,
        lambda w, k: {"school": w.other.pk, "file": _csv()},
    ),
    Post(
        "people:ctf_import",
        "office",
        none,
        lambda w, k: {"school": w.other.pk, "file": _ctf()},
    ),
    Post(
        "people:person_edit",
        "head",
        other(b.person, _m("people.Person")),
        lambda w, k: {"kind": PersonKind.STAFF, "first_name": "Changed", "last_name": "Name"},
    ),
    Post(
        "people:person_access",
        "head",
        other(b.person, _m("people.Person")),
        lambda w, k: {"action": "grant", "role": Role.DSL, "school": w.school.pk, "confirm": "yes"},
    ),
    Post(
        "people:person_access",
        "head",
        lambda w: ({"pk": PersonFactory(school=w.school).pk}, None),
        **naming(lambda w, s: {"action": "grant", "role": Role.DSL, "school": s.pk, "confirm": "yes"}),
    ),
    Post(
        "people:person_mark_left",
        "head",
        other(b.person, _m("people.Person")),
        lambda w, k: {"left_on": timezone.localdate().isoformat()},
    ),
    Post(
        "people:parent_link_create",
        "office",
        other(b.pupil, _m("people.Person")),
        lambda w, k: _parent_link_data(w, w.school),
    ),
    Post(
        "people:parent_link_create",
        "office",
        lambda w: (b.pupil(w, "own", None), None),
        **naming(_parent_link_data),
    ),
    Post("people:class_create", "office", none, **naming(lambda w, s: {"school": s.pk, "name": "Willow"})),
    Post(
        "people:class_edit",
        "office",
        other(b.class_group, _m("people.ClassGroup")),
        lambda w, k: {"name": "Renamed", "year_group": 4},
    ),
    # --- notifications ---------------------------------------------------------------------------
    Post(
        "notifications:mark_read",
        "head",
        other(b.notification, _m("notifications.Notification"), "own"),
        None,
    ),
    Post("notifications:retry", "head", other(b.notification, _m("notifications.Notification")), None),
    Post(
        "notifications:cancel",
        "head",
        other(b.notification_as(Channel.EMAIL, Status.PENDING), _m("notifications.Notification")),
        # The confirmed POST: the one that would act (the first only asks).
        lambda w, k: {"confirm": "yes"},
    ),
    Post(
        "notifications:delivered",
        "head",
        other(b.notification_as(Channel.MANUAL, Status.PENDING), _m("notifications.Notification")),
        # The confirmed POST: the one that would act (the first only asks).
        lambda w, k: {"confirm": "yes"},
    ),
    # --- approvals -------------------------------------------------------------------------------
    Post("approvals:proposal_create", "head", none, **naming(_proposal_data)),
    Post(
        "approvals:proposal_edit",
        "head",
        other(b.proposal(ProposalStatus.DRAFT), _m("approvals.Proposal"), "own"),
        lambda w, k: _proposal_data(w, w.school) | {"title": "Taken over"},
    ),
    Post(
        "approvals:proposal_submit",
        "head",
        other(b.proposal(ProposalStatus.DRAFT), _m("approvals.Proposal"), "own"),
        lambda w, k: {"confirm_terms": "on"},
    ),
    Post(
        "approvals:proposal_decide",
        "head",
        other(b.proposal(ProposalStatus.SUBMITTED), _m("approvals.Proposal")),
        lambda w, k: {
            "decision": "approve",
            "review_date": (timezone.localdate() + timedelta(days=200)).isoformat(),
            "confirm": "yes",
        },
    ),
    Post(
        "approvals:proposal_suspend",
        "head",
        other(b.proposal(ProposalStatus.APPROVED), _m("approvals.Proposal")),
        lambda w, k: {"reason": "Stop."},
    ),
    Post(
        "approvals:proposal_reinstate",
        "head",
        other(b.proposal(ProposalStatus.SUSPENDED), _m("approvals.Proposal")),
        lambda w, k: {"reason": "Go."},
    ),
    Post(
        "approvals:proposal_renew",
        "head",
        other(b.proposal(ProposalStatus.APPROVED), _m("approvals.Proposal")),
        lambda w, k: {"review_date": (timezone.localdate() + timedelta(days=300)).isoformat()},
    ),
    Post(
        "approvals:proposal_withdraw",
        "head",
        other(b.proposal(ProposalStatus.APPROVED), _m("approvals.Proposal")),
        lambda w, k: {"reason": "Done."},
    ),
    Post("approvals:declaration_create", "head", none, **naming(_declaration_data)),
    Post(
        "approvals:declaration_create",
        "staff",
        none,
        **naming(lambda w, s: _declaration_data(w, s) | {"school": w.school.pk}),
    ),
    Post(
        "approvals:declaration_acknowledge",
        "head",
        other(b.declaration, _m("approvals.Declaration")),
        lambda w, k: {"note": "Seen."},
    ),
    Post(
        "approvals:declaration_withdraw",
        "head",
        other(b.declaration, _m("approvals.Declaration"), "own"),
        lambda w, k: {"reason": "Gone."},
    ),
    Post(
        "approvals:declaration_redeclare",
        "head",
        other(b.declaration, _m("approvals.Declaration"), "own"),
        lambda w, k: {"statement": "Still true."},
    ),
    Post("approvals:permission_create", "staff", none, **naming(_permission_data)),
    Post(
        "approvals:permission_decide",
        "head",
        # Only the Executive Head decides (§6), across the federation: no role has a counterpart to try.
        other(b.permission, _m("approvals.PublicationPermission"), control=False),
        lambda w, k: {"decision": "agree"},
    ),
    # --- incidents -------------------------------------------------------------------------------
    Post("incidents:report", "staff", none, **naming(_concern_data)),
    Post(
        "incidents:report",
        "staff",
        none,
        **naming(lambda w, s: _concern_data(w, s) | {"school": w.school.pk}),
    ),
    Post(
        "incidents:pupil_incident_record",
        "dsl",
        none,
        **naming(lambda w, s: _pupil_incident_data(w, s) | {"school": w.school.pk}),
    ),
    Post("incidents:pupil_incident_record", "dsl", none, **naming(_pupil_incident_data)),
    Post(
        "incidents:pupil_incident_close",
        "dsl",
        # Closing waits for every follow-up (tested with the incident pages): no counterpart here.
        other(b.incident, _m("incidents.PupilIncident"), control=False),
        lambda w, k: {"confirm": "yes"},
    ),
    Post(
        "incidents:incident_action_finish",
        "dsl",
        other(b.incident_action, _m("incidents.PupilIncident")),
        # The incident's first follow-up is a notice to parents: waived here, as it is not sent.
        lambda w, k: {"outcome": "waive", "note": "Not needed.", "confirm": "yes"},
    ),
    Post(
        "incidents:incident_parent_notice",
        "dsl",
        other(b.incident_parent_action, _m("incidents.PupilIncident")),
        lambda w, k: {
            "template": notices.PARENT_UNDER_AGE,
            "previewed": notices.PARENT_UNDER_AGE,
            "confirm": "yes",
        },
    ),
    Post(
        "incidents:pupil_incident_note",
        "dsl",
        other(b.incident, _m("incidents.PupilIncident")),
        lambda w, k: {"text": "CANARY-a note."},
    ),
    Post(
        "incidents:pupil_incident_evidence_upload",
        "dsl",
        other(b.incident, _m("incidents.PupilIncident")),
        lambda w, k: {"file": _png(), "confirm": "on"},
    ),
    # Cyberbullying (§10): the other school's report, its actions and its pupils.
    Post("incidents:cyberbullying_record", "staff", none, **naming(_cyberbullying_data)),
    Post(
        "incidents:cyberbullying_record",
        "staff",
        none,
        **naming(lambda w, s: _cyberbullying_data(w, s) | {"school": w.school.pk}),
    ),
    Post(
        "incidents:cyberbullying_record",
        "dsl",
        none,
        **naming(lambda w, s: _cyberbullying_data(w, w.school, perpetrator=s)),
    ),
    Post(
        "incidents:cyberbullying_decide",
        "dsl",
        other(b.cyberbullying, _m("incidents.CyberbullyingReport")),
        _triage_data,
    ),
    Post(
        "incidents:cyberbullying_note",
        "dsl",
        other(b.cyberbullying, _m("incidents.CyberbullyingReport")),
        lambda w, k: {"text": "CANARY-a note."},
    ),
    Post(
        "incidents:cyberbullying_evidence_upload",
        "dsl",
        other(b.cyberbullying, _m("incidents.CyberbullyingReport")),
        lambda w, k: {"file": _png(), "confirm": "on"},
    ),
    Post(
        "incidents:cyberbullying_evidence_upload",
        "head",
        other(b.cyberbullying, _m("incidents.CyberbullyingReport")),
        lambda w, k: {"file": _png(), "confirm": "on"},
    ),
    Post(
        "incidents:cyberbullying_close",
        "dsl",
        other(b.cyberbullying_closable, _m("incidents.CyberbullyingReport")),
        lambda w, k: {"confirm": "yes"},
    ),
    Post(
        "incidents:cyberbullying_action",
        "slt",
        other(b.cyberbullying_action, _m("incidents.CyberbullyingReport")),
        lambda w, k: {"outcome": "done", "note": "Done.", "reference": "CR-1"},
    ),
    Post(
        "incidents:cyberbullying_parent_notice",
        "dsl",
        other(b.cyberbullying_parent_action, _m("incidents.CyberbullyingReport")),
        lambda w, k: {
            "template": notices.PARENT_UNDER_AGE,
            "previewed": notices.PARENT_UNDER_AGE,
            "confirm": "yes",
        },
    ),
    Post(
        "incidents:concern_close",
        "dsl",
        other(b.concern, _m("incidents.Concern")),
        lambda w, k: {"closing_note": "Closed.", "confirm": "yes"},
    ),
    Post("incidents:concern_reveal_reporter", "dsl", other(b.concern, _m("incidents.Concern")), None),
    Post(
        "incidents:allegation_create",
        "dsl",
        none,
        **naming(lambda w, s: _allegation_data(w, s) | {"school": w.school.pk}),
    ),
    Post("incidents:allegation_create", "dsl", none, **naming(_allegation_data)),
    Post(
        "incidents:allegation_note",
        "dsl",
        other(b.allegation, _m("incidents.Allegation")),
        lambda w, k: {"text": "CANARY-a note."},
    ),
    Post(
        "incidents:evidence_upload",
        "dsl",
        other(b.allegation, _m("incidents.Allegation")),
        lambda w, k: {"file": _png(), "confirm": "on"},
    ),
    Post(
        "incidents:allegation_parent_checklist",
        "dsl",
        other(b.allegation_from_parent, _m("incidents.Allegation")),
        None,
    ),
    Post(
        "incidents:allegation_reveal_reporter", "dsl", other(b.allegation, _m("incidents.Allegation")), None
    ),
    Post(
        "incidents:allegation_step",
        "dsl",
        other(b.allegation_step("assess"), _m("incidents.Allegation")),
        lambda w, k: {
            "harm_to_child": "yes",
            "criminal_offence": "no",
            "risk_to_children": "no",
            "unsuitable_to_work": "no",
            "rationale": "Judged.",
            "confirm": "yes",
        },
    ),
    Post(
        "incidents:low_level_review",
        "dsl",
        lambda w: (b.low_level(w, "other", None), None),
        lambda w, k: {"note": "Reviewed.", "confirm": "yes"},
    ),
    # --- disclosures: only the handling role (the Executive Head) works a request --------------------
    Post(
        "disclosures:record",
        "head",
        none,
        lambda w, k: {
            "school": w.other.pk,
            "kind": "own",
            "requester": PersonFactory(school=w.other).pk,
            "received_on": timezone.localdate().isoformat(),
        },
    ),
    *[
        Post(
            "disclosures:step",
            actor,
            other(b.access_request_step("refuse"), _m("disclosures.AccessRequest"), control=False),
            lambda w, k: {"reason": "CANARY-refused.", "confirm": "yes"},
        )
        for actor in ("dsl", "head")
    ],
    Post(
        "disclosures:review",
        "head",
        other(b.access_request_in_review, _m("disclosures.AccessRequest"), control=False),
        lambda w, k: {"phrase": "CANARY-phrase"},
    ),
    Post(
        "disclosures:decide",
        "head",
        other(b.access_request_redaction, _m("disclosures.AccessRequest"), control=False),
        lambda w, k: {"decision": "accepted"},
    ),
    Post(
        "disclosures:refresh",
        "dsl",
        other(b.access_request_in_review, _m("disclosures.AccessRequest"), control=False),
        None,
    ),
    # --- policydocs: the other federation's policy -------------------------------------------------
    Post(
        "policydocs:version_ratify",
        "head",
        lambda w: (b.policy_version(w, "other_draft", None), None),
        lambda w, k: {
            "ratified_by": "Governors",
            "ratified_on": timezone.localdate().isoformat(),
            "review_due_on": (timezone.localdate() + timedelta(days=365)).isoformat(),
            "confirm": "yes",
        },
    ),
    Post(
        "policydocs:version_discard",
        "head",
        lambda w: (b.policy_version(w, "other_draft", None), None),
        lambda w, k: {"confirm": "yes"},
    ),
]


def _ctf():
    from django.core.files.uploadedfile import SimpleUploadedFile

    from ..people.ctf.build import ctf, pupil, upn

    data = ctf([pupil(upn(1), "New", "Nina", "2015-01-01")])
    return SimpleUploadedFile("pupils.xml", data, content_type="application/xml")


def _csv():
    from django.core.files.uploadedfile import SimpleUploadedFile

    text = "kind,first_name,last_name,date_of_birth,email\nstaff,Nina,New,,nina@example.org\n"
    return SimpleUploadedFile("people.csv", text.encode(), content_type="text/csv")


def _png():
    from django.core.files.uploadedfile import SimpleUploadedFile

    from ..incidents.test_evidence_files import png

    return SimpleUploadedFile("shot.png", png(), content_type="image/png")


def test_every_post_url_is_in_the_table():
    capable = post_capable_names()
    listed = {post.name for post in POSTS} | set(EXEMPT)
    assert sorted(capable - listed) == [], "POST URLs with no row in POSTS or EXEMPT"
    assert sorted(listed - capable) == [], "rows of POSTS or EXEMPT whose URL no longer takes POST"
    assert not {post.name for post in POSTS} & set(EXEMPT)


DOMAIN_APPS = ("people", "audit", "notifications", "approvals", "incidents", "policydocs", "disclosures")


def snapshot():
    """Row counts of every model of the portal, and the number of writes in the audit trail."""
    counts = {
        model._meta.label: model.objects.count()
        for app in DOMAIN_APPS
        for model in apps.get_app_config(app).get_models()
    }
    counts["audit writes"] = AuditEvent.objects.exclude(action__endswith=".view").count()
    return counts


def _form_refused(response) -> bool:
    """A 200 that shows the form again with an error."""
    for context in response.context or []:
        for value in context.flatten().values():
            if hasattr(value, "errors") and hasattr(value, "is_bound") and value.is_bound and value.errors:
                return True
    return False


@pytest.fixture
def users(request, school, other_school):
    return {role: request.getfixturevalue(fixture) for role, fixture in ROLE_FIXTURES.items()}


@pytest.mark.django_db
@pytest.mark.parametrize("post", POSTS, ids=lambda post: f"{post.name}-as-{post.actor}")
def test_acting_on_another_schools_or_persons_record_is_refused(client, school, other_school, users, post):
    world = make_world(school, other_school, users)
    kwargs, record = post.build(world)
    data = post.data(world, kwargs) if post.data else {}
    before = snapshot()
    watched = model_to_dict(record) if record is not None else None
    client.force_login(users[post.actor])
    client.raise_request_exception = False
    response = client.post(reverse(post.name, kwargs=kwargs), data)
    refused = response.status_code in (403, 404) or (response.status_code == 200 and _form_refused(response))
    assert refused, f"{post.name}: answered {response.status_code} {response.get('Location', '')}"
    assert snapshot() == before, f"{post.name}: something was written"
    if record is not None:
        record.refresh_from_db()
        assert model_to_dict(record) == watched, f"{post.name}: the record changed"


CONTROLLED = [post for post in POSTS if post.control]


@pytest.mark.django_db
@pytest.mark.parametrize("post", CONTROLLED, ids=lambda post: f"{post.name}-as-{post.actor}")
def test_the_same_form_naming_the_users_own_school_is_accepted(client, school, other_school, users, post):
    world = make_world(school, other_school, users)
    kwargs, _ = post.build(world)
    data = post.control(world, kwargs)
    before = snapshot()
    client.force_login(users[post.actor])
    response = client.post(reverse(post.name, kwargs=kwargs), data)
    assert response.status_code == 302, (post.name, response.status_code, _errors(response))
    assert snapshot() != before


def _errors(response):
    found = []
    for context in response.context or []:
        for value in context.flatten().values():
            if hasattr(value, "errors") and hasattr(value, "is_bound") and value.is_bound and value.errors:
                found.append(dict(value.errors))
    return found


OWN_RECORD = [post for post in POSTS if hasattr(post.build, "control")]


@pytest.mark.django_db
@pytest.mark.parametrize("post", OWN_RECORD, ids=lambda post: f"{post.name}-as-{post.actor}")
def test_the_same_post_on_the_users_own_record_is_accepted(client, school, other_school, users, post):
    world = make_world(school, other_school, users)
    user = users[post.actor]
    kwargs, record = post.build.control(world, user)
    data = post.data(world, kwargs) if post.data else {}
    before = snapshot()
    watched = model_to_dict(record) if record is not None else None
    client.force_login(user)
    response = client.post(reverse(post.name, kwargs=kwargs), data)
    assert response.status_code in (200, 302), (post.name, response.status_code)
    assert not _errors(response), (post.name, _errors(response))
    if record is not None:
        record.refresh_from_db()
    assert snapshot() != before or (record is not None and model_to_dict(record) != watched), post.name
