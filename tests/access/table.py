"""The access policy of every URL of the portal, as one table, checked by `test_matrix.py`.

Each row names a URL (namespaced, as `reverse` takes it), how to build its keyword arguments
(a builder from `builders.py`), and, for each scope it is asked in, the answer each role gets:

    page("incidents:allegation_detail", b.allegation,
         own=expect(404, dsl=200, slt=200, head=200, exec_head=200),
         other=expect(404, exec_head=200),
         subject=expect(404),
         reporter=expect(404, dsl=200, slt=200, head=200, exec_head=200)),

- `expect(default, **by_role)`: every role answers `default` unless named; anonymous visitors are
  sent to sign in (`LOGIN`: a 302 to /account/login/) unless `anonymous=` says otherwise.
  Roles: anonymous, staff, teacher, dsl, slt, head, office, governor, exec_head, chair.
- Answers: 200; `LOGIN`; `REDIRECT` (a 302 elsewhere: the page sends the user on, e.g. a decision
  already taken); 403 (the user sees the record but may not act); 404 (the record is invisible to
  them, exactly like a missing one); 405 (the URL takes only POST: see `test_cross_school_posts.py`).
- Scopes: ``none`` (the URL takes no record), ``own`` (a record of the signed-in user's school),
  ``other`` (the same at the other school of the federation), ``subject`` (about the signed-in
  person), ``reporter`` (made by the signed-in person). The subject and reporter scopes are asked
  of signed-in roles only.

Adding a URL: add a `page(...)` row here under its app (a URL missing from the table fails
`test_every_url_is_in_the_table`), with a builder in `builders.py` if it takes a record. Write
the answers the policy says (each app's `policies.py`, and the roles of the design), not what
the page happens to answer: a mismatch is a finding.

URLs that accept POST are also listed in `POSTS` (see `test_cross_school_posts.py`).
"""

from dataclasses import dataclass

from approvals.models import ProposalStatus

from . import builders as b

LOGIN = "login"
REDIRECT = "redirect"


def expect(default=404, **by_role):
    by_role.setdefault("anonymous", LOGIN)
    return {"default": default, **by_role}


def answer(expected: dict, role: str):
    return expected.get(role, expected["default"])


@dataclass
class Page:
    name: str
    build: object
    scopes: dict
    label: str = ""
    methods: tuple = ("GET",)

    @property
    def id(self):
        return self.name + (f"[{self.label}]" if self.label else "")


def page(name, build=None, *, label="", **scopes):
    return Page(name=name, build=build, scopes=scopes, label=label)


PAGES = [
    # --- The portal's own pages and sign-in ---------------------------------------------------------
    page("dashboard", none=expect(200)),
    page("deadlines", none=expect(200)),
    page("healthz", none=expect(200, anonymous=200)),
    page("logout", none=expect(405)),
    page("password_reset", none=expect(200, anonymous=200)),
    page("password_reset_done", none=expect(200, anonymous=200)),
    page("password_reset_confirm", b.password_reset_link, none=expect(REDIRECT, anonymous=REDIRECT)),
    page("password_reset_complete", none=expect(200, anonymous=200)),
    page("password_change", none=expect(200)),
    page("password_change_done", none=expect(200)),
    page("two_factor:login", none=expect(200, anonymous=200)),
    # Sign-in with the school's OpenID Provider: no provider is configured here, so none is found. The
    # code step sends anyone without a sign-in waiting for a code back to the sign-in page.
    page("oidc_start", b.oidc_provider, none=expect(404, anonymous=404)),
    page("oidc_callback", b.oidc_provider, none=expect(404, anonymous=404)),
    page("oidc_verify", none=expect(LOGIN)),
    page("two_factor:setup", none=expect(REDIRECT, staff=200, teacher=200, office=200, governor=200)),
    page("two_factor:qr", none=expect(404)),
    # The library's otp_required pages send a user with no second factor back to sign in.
    page(
        "two_factor:setup_complete",
        none=expect(200, staff=LOGIN, teacher=LOGIN, office=LOGIN, governor=LOGIN),
    ),
    page(
        "two_factor:backup_tokens", none=expect(200, staff=LOGIN, teacher=LOGIN, office=LOGIN, governor=LOGIN)
    ),
    page("two_factor:profile", none=expect(200)),
    page(
        "two_factor:disable",
        none=expect(200, staff=REDIRECT, teacher=REDIRECT, office=REDIRECT, governor=REDIRECT),
    ),
    # --- people ----------------------------------------------------------------------------------
    page("people:person_list", none=expect(200, governor=403, chair=403)),
    page("people:person_create", none=expect(403, head=200, office=200, exec_head=200)),
    page("people:person_import", none=expect(403, head=200, office=200, exec_head=200)),
    page("people:ctf_import", none=expect(403, head=200, office=200, exec_head=200)),
    # An import's page is its uploader's alone, while they keep the registry.
    page(
        "people:import_job",
        b.import_job,
        own=expect(404),
        reporter=expect(404, head=200, office=200, exec_head=200),
    ),
    page(
        "people:import_job_status",
        b.import_job,
        own=expect(404),
        reporter=expect(404, head=200, office=200, exec_head=200),
    ),
    page(
        "people:person_detail",
        b.person,
        own=expect(200, governor=404, chair=404),
        other=expect(404, exec_head=200),
        subject=expect(200, governor=404, chair=404),
    ),
    page(
        "people:person_edit",
        b.person,
        own=expect(404, head=200, office=200, exec_head=200),
        other=expect(404, exec_head=200),
        subject=expect(404, head=200, office=200, exec_head=200),
    ),
    page(
        "people:person_access",
        b.person,
        own=expect(403, head=200, governor=404, exec_head=200, chair=404),
        other=expect(404, exec_head=200),
        subject=expect(403, governor=404, chair=404),
    ),
    page(
        "people:person_mark_left",
        b.person,
        own=expect(404, head=200, office=200, exec_head=200),
        other=expect(404, exec_head=200),
        subject=expect(404, head=200, office=200, exec_head=200),
    ),
    page(
        "people:parent_link_create",
        b.pupil,
        own=expect(404, head=200, office=200, exec_head=200),
        other=expect(404, exec_head=200),
    ),
    page("people:class_list", none=expect(200, governor=403, chair=403)),
    page("people:class_create", none=expect(403, head=200, office=200, exec_head=200)),
    page(
        "people:class_detail",
        b.class_group,
        own=expect(200, governor=404, chair=404),
        other=expect(404, exec_head=200),
    ),
    page(
        "people:class_edit",
        b.class_group,
        own=expect(404, head=200, office=200, exec_head=200),
        other=expect(404, exec_head=200),
    ),
    # --- notifications ---------------------------------------------------------------------------
    page("notifications:inbox", none=expect(200)),
    page("notifications:mark_all_read", none=expect(405)),
    page("notifications:mark_read", b.notification, own=expect(405), reporter=expect(405)),
    page("notifications:log", none=expect(403, dsl=200, head=200, office=200, exec_head=200)),
    page("notifications:send_test", none=expect(405)),
    page("notifications:retry", b.notification, own=expect(405), reporter=expect(405)),
    page("notifications:cancel", b.notification, own=expect(405), reporter=expect(405)),
    page("notifications:delivered", b.notification, own=expect(405), reporter=expect(405)),
    # --- approvals -------------------------------------------------------------------------------
    page("approvals:proposal_list", none=expect(200, governor=403, chair=403)),
    page("approvals:proposal_start", none=expect(200, governor=403, chair=403)),
    page("approvals:proposal_not_needed", none=expect(200, governor=403, chair=403)),
    page("approvals:proposal_create", none=expect(200, governor=403, chair=403)),
    page("approvals:proposal_awaiting", none=expect(403, head=200, exec_head=200)),
    page("approvals:register", none=expect(200, governor=403, chair=403)),
    page(
        "approvals:proposal_detail",
        b.proposal(ProposalStatus.SUBMITTED),
        own=expect(404, head=200, exec_head=200),
        other=expect(404, exec_head=200),
        reporter=expect(200),
    ),
    page(
        "approvals:proposal_detail",
        b.proposal(ProposalStatus.APPROVED),
        label="approved",
        own=expect(200, governor=404, chair=404),
        other=expect(404, exec_head=200),
        reporter=expect(200),
    ),
    page(
        "approvals:proposal_edit",
        b.proposal(ProposalStatus.DRAFT),
        own=expect(404),
        other=expect(404),
        reporter=expect(200),
    ),
    page(
        "approvals:proposal_submit",
        b.proposal(ProposalStatus.DRAFT),
        own=expect(404),
        other=expect(404),
        reporter=expect(200),
    ),
    page(
        "approvals:proposal_decide",
        b.proposal(ProposalStatus.SUBMITTED),
        own=expect(404, head=200, exec_head=200),
        other=expect(404, exec_head=200),
        reporter=expect(403),
    ),
    page(
        "approvals:proposal_suspend",
        b.proposal(ProposalStatus.APPROVED),
        own=expect(403, head=200, governor=404, exec_head=200, chair=404),
        other=expect(404, exec_head=200),
        reporter=expect(403),
    ),
    page(
        "approvals:proposal_reinstate",
        b.proposal(ProposalStatus.SUSPENDED),
        own=expect(403, head=200, governor=404, exec_head=200, chair=404),
        other=expect(404, exec_head=200),
        reporter=expect(403),
    ),
    page(
        "approvals:proposal_renew",
        b.proposal(ProposalStatus.APPROVED),
        own=expect(403, head=200, governor=404, exec_head=200, chair=404),
        other=expect(404, exec_head=200),
        reporter=expect(403),
    ),
    page(
        "approvals:proposal_withdraw",
        b.proposal(ProposalStatus.APPROVED),
        own=expect(403, head=200, governor=404, exec_head=200, chair=404),
        other=expect(404, exec_head=200),
        reporter=expect(200),
    ),
    page("approvals:declaration_list", none=expect(200, governor=403, chair=403)),
    page("approvals:declaration_create", none=expect(200, governor=403, chair=403)),
    page("approvals:declaration_register", none=expect(403, dsl=200, head=200, exec_head=200)),
    page(
        "approvals:declaration_detail",
        b.declaration,
        own=expect(404, dsl=200, head=200, exec_head=200),
        other=expect(404, exec_head=200),
        reporter=expect(200),
    ),
    page(
        "approvals:declaration_acknowledge",
        b.declaration,
        own=expect(404, dsl=403, head=200, exec_head=200),
        other=expect(404, exec_head=200),
        reporter=expect(403),
    ),
    page(
        "approvals:declaration_withdraw",
        b.declaration,
        own=expect(404, dsl=403, head=403, exec_head=403),
        other=expect(404, exec_head=403),
        reporter=expect(200),
    ),
    page(
        "approvals:declaration_redeclare",
        b.declaration,
        own=expect(404, dsl=403, head=403, exec_head=403),
        other=expect(404, exec_head=403),
        reporter=expect(200),
    ),
    page("approvals:permission_list", none=expect(200, governor=403, chair=403)),
    page("approvals:permission_create", none=expect(200, governor=403, exec_head=403, chair=403)),
    page("approvals:permission_awaiting", none=expect(403, exec_head=200)),
    page("approvals:permission_register", none=expect(403, head=200, exec_head=200)),
    page(
        "approvals:permission_detail",
        b.permission,
        own=expect(404, head=200, exec_head=200),
        other=expect(404, exec_head=200),
        reporter=expect(200),
    ),
    page(
        "approvals:permission_decide",
        b.permission,
        own=expect(404, head=403, exec_head=200),
        other=expect(404, exec_head=200),
        reporter=expect(403),
    ),
    # --- incidents -------------------------------------------------------------------------------
    page("incidents:report", none=expect(200)),
    page("incidents:concern_thanks", b.concern, own=expect(404), reporter=expect(200)),
    page("incidents:my_reports", none=expect(200)),
    page("incidents:pupil_incidents", none=expect(200)),
    # incidents.policies.can_record_pupil_incident: any member of staff and the Executive Head record a
    # breach (§8); governors and the chair of governors are not staff.
    page("incidents:pupil_incident_record", none=expect(200, governor=403, chair=403)),
    page("incidents:pupil_incident_list", none=expect(403, dsl=200, slt=200, head=200, exec_head=200)),
    page(
        "incidents:pupil_incident_detail",
        b.incident,
        own=expect(404, dsl=200, slt=200, head=200, exec_head=200),
        other=expect(404, exec_head=200),
        subject=expect(404),
        reporter=expect(404, dsl=200, slt=200, head=200, exec_head=200),
    ),
    page(
        "incidents:pupil_incident_close",
        b.incident,
        own=expect(404, dsl=200, slt=200, head=200, exec_head=200),
        other=expect(404, exec_head=200),
        subject=expect(404),
        reporter=expect(404, dsl=200, slt=200, head=200, exec_head=200),
    ),
    page(
        "incidents:incident_action_finish",
        b.incident_action,
        own=expect(404, dsl=200, slt=200, head=200, exec_head=200),
        other=expect(404, exec_head=200),
        subject=expect(404),
        reporter=expect(404, dsl=200, slt=200, head=200, exec_head=200),
    ),
    page(
        "incidents:incident_parent_notice",
        b.incident_parent_action,
        own=expect(404, dsl=200, slt=200, head=200, exec_head=200),
        other=expect(404, exec_head=200),
        subject=expect(404),
        reporter=expect(404, dsl=200, slt=200, head=200, exec_head=200),
    ),
    page("incidents:my_actions", none=expect(403, dsl=200, slt=200, head=200, exec_head=200)),
    page(
        "incidents:pupil_incident_note",
        b.incident,
        own=expect(404, dsl=200, slt=200, head=200, exec_head=200),
        other=expect(404, exec_head=200),
        subject=expect(404),
        reporter=expect(404, dsl=200, slt=200, head=200, exec_head=200),
    ),
    page(
        "incidents:pupil_incident_evidence_upload",
        b.incident,
        own=expect(404, dsl=200, slt=200, head=200, exec_head=200),
        other=expect(404, exec_head=200),
        subject=expect(404),
        reporter=expect(404, dsl=200, slt=200, head=200, exec_head=200),
    ),
    # Cyberbullying (§10): every role holder records a report (incidents.policies.can_record_pupil_incident);
    # the case team sees it (cyberbullying_visible_to) and, as on a pupil incident, the school's case team
    # (the DSL, the SLT and the Head of School) and the Executive Head decide and work it
    # (can_decide_cyberbullying).
    # A report names no adult as its subject, so there is no subject scope. Whoever recorded it and is
    # outside the case team is sent from the case page to the thanks page, which only they may see.
    page("incidents:cyberbullying_record", none=expect(200, governor=403, chair=403)),
    page("incidents:cyberbullying_list", none=expect(403, dsl=200, slt=200, head=200, exec_head=200)),
    page(
        "incidents:cyberbullying_thanks",
        b.cyberbullying,
        own=expect(404),
        other=expect(404),
        reporter=expect(200, governor=404, chair=404),
    ),
    page(
        "incidents:cyberbullying_detail",
        b.cyberbullying,
        own=expect(404, dsl=200, slt=200, head=200, exec_head=200),
        other=expect(404, exec_head=200),
        reporter=expect(REDIRECT, governor=404, chair=404, dsl=200, slt=200, head=200, exec_head=200),
    ),
    page(
        "incidents:cyberbullying_decide",
        b.cyberbullying,
        own=expect(404, dsl=200, slt=200, head=200, exec_head=200),
        other=expect(404, exec_head=200),
        reporter=expect(404, dsl=200, slt=200, head=200, exec_head=200),
    ),
    page(
        "incidents:cyberbullying_note",
        b.cyberbullying,
        own=expect(404, dsl=200, slt=200, head=200, exec_head=200),
        other=expect(404, exec_head=200),
        reporter=expect(404, dsl=200, slt=200, head=200, exec_head=200),
    ),
    page(
        "incidents:cyberbullying_evidence_upload",
        b.cyberbullying,
        own=expect(404, dsl=200, slt=200, head=200, exec_head=200),
        other=expect(404, exec_head=200),
        reporter=expect(404, dsl=200, slt=200, head=200, exec_head=200),
    ),
    # A report's file downloads through the view of every case's files: only those who see the report.
    page(
        "incidents:evidence_download",
        b.cyberbullying_file,
        label="cyberbullying",
        own=expect(404, dsl=200, slt=200, head=200, exec_head=200),
        other=expect(404, exec_head=200),
        reporter=expect(404, dsl=200, slt=200, head=200, exec_head=200),
    ),
    page(
        "incidents:cyberbullying_close",
        b.cyberbullying,
        own=expect(404, dsl=200, slt=200, head=200, exec_head=200),
        other=expect(404, exec_head=200),
        reporter=expect(404, dsl=200, slt=200, head=200, exec_head=200),
    ),
    page(
        "incidents:cyberbullying_action",
        b.cyberbullying_action,
        own=expect(404, dsl=200, slt=200, head=200, exec_head=200),
        other=expect(404, exec_head=200),
        reporter=expect(404, dsl=200, slt=200, head=200, exec_head=200),
    ),
    page(
        "incidents:cyberbullying_parent_notice",
        b.cyberbullying_parent_action,
        own=expect(404, dsl=200, slt=200, head=200, exec_head=200),
        other=expect(404, exec_head=200),
        reporter=expect(404, dsl=200, slt=200, head=200, exec_head=200),
    ),
    page("incidents:concern_list", none=expect(403, dsl=200, slt=200, head=200, exec_head=200)),
    page(
        "incidents:concern_detail",
        b.concern,
        own=expect(404, dsl=200, slt=200, head=200, exec_head=200),
        other=expect(404, exec_head=200),
        subject=expect(404),
        reporter=expect(404, dsl=200, slt=200, head=200, exec_head=200),
    ),
    page(
        "incidents:concern_close",
        b.concern,
        own=expect(404, dsl=200, slt=200, head=200, exec_head=200),
        other=expect(404, exec_head=200),
        subject=expect(404),
        reporter=expect(404, dsl=200, slt=200, head=200, exec_head=200),
    ),
    page(
        "incidents:concern_reveal_reporter",
        b.concern,
        own=expect(405),
        other=expect(405),
        subject=expect(405),
        reporter=expect(405),
    ),
    page("incidents:allegation_list", none=expect(200, staff=403, teacher=403, office=403, governor=403)),
    page("incidents:allegation_create", none=expect(403, dsl=200, slt=200, head=200, exec_head=200)),
    page(
        "incidents:allegation_detail",
        b.allegation,
        own=expect(404, dsl=200, slt=200, head=200, exec_head=200),
        other=expect(404, exec_head=200),
        subject=expect(404),
        reporter=expect(404, dsl=200, slt=200, head=200, exec_head=200),
    ),
    page(
        "incidents:allegation_print",
        b.allegation,
        own=expect(404, dsl=200, slt=200, head=200, exec_head=200),
        other=expect(404, exec_head=200),
        subject=expect(404),
        reporter=expect(404, dsl=200, slt=200, head=200, exec_head=200),
    ),
    page(
        "incidents:allegation_note",
        b.allegation,
        own=expect(404, dsl=200, slt=200, head=200, exec_head=200),
        other=expect(404, exec_head=200),
        subject=expect(404),
        reporter=expect(404, dsl=200, slt=200, head=200, exec_head=200),
    ),
    page(
        "incidents:evidence_upload",
        b.allegation,
        own=expect(404, dsl=200, slt=200, head=200, exec_head=200),
        other=expect(404, exec_head=200),
        subject=expect(404),
        reporter=expect(404, dsl=200, slt=200, head=200, exec_head=200),
    ),
    page(
        "incidents:allegation_parent_checklist",
        b.allegation_from_parent,
        own=expect(405),
        other=expect(405),
        subject=expect(405),
    ),
    page(
        "incidents:allegation_reveal_reporter",
        b.allegation,
        own=expect(405),
        other=expect(405),
        subject=expect(405),
        reporter=expect(405),
    ),
    page(
        "incidents:allegation_step",
        b.allegation_step("assess"),
        own=expect(404, dsl=200, slt=200, head=200, exec_head=200),
        other=expect(404, exec_head=200),
        subject=expect(404),
        reporter=expect(404, dsl=200, slt=200, head=200, exec_head=200),
    ),
    page(
        "incidents:evidence_download",
        b.evidence_file,
        own=expect(404, dsl=200, slt=200, head=200, exec_head=200),
        other=expect(404, exec_head=200),
        subject=expect(404),
        reporter=expect(404, dsl=200, slt=200, head=200, exec_head=200),
    ),
    page("incidents:low_level_list", none=expect(403, dsl=200, exec_head=200)),
    page(
        "incidents:low_level_review",
        b.low_level,
        own=expect(403, dsl=200, exec_head=200),
        other=expect(403, dsl=404, exec_head=200),
        subject=expect(403, dsl=404, exec_head=404),
    ),
    # --- policydocs ------------------------------------------------------------------------------
    page("policydocs:read", none=expect(200)),
    page("policydocs:public", none=expect(200, anonymous=200)),
    page("policydocs:version_list", none=expect(200)),
    page("policydocs:version_import", none=expect(403, head=200, exec_head=200)),
    page("policydocs:version_compare", none=expect(200)),
    page(
        "policydocs:version_detail",
        b.policy_version,
        own=expect(404, head=200, exec_head=200),
        other=expect(404),
    ),
    page(
        "policydocs:version_ratify",
        b.policy_version,
        own=expect(404, head=200, exec_head=200),
        other=expect(404),
    ),
    page(
        "policydocs:version_discard",
        b.policy_version,
        own=expect(404, head=200, exec_head=200),
        other=expect(404),
    ),
    page("policydocs:report_index", none=expect(200, staff=403, teacher=403)),
    page(
        "policydocs:report_job", b.report_job, own=expect(404), reporter=expect(200, staff=404, teacher=404)
    ),
    page(
        "policydocs:report_job_status",
        b.report_job,
        own=expect(404),
        reporter=expect(200, staff=404, teacher=404),
    ),
    page(
        "policydocs:report_job_download",
        b.report_job,
        own=expect(404),
        reporter=expect(200, staff=404, teacher=404),
    ),
    page(
        "policydocs:report",
        b.report("lado_log"),
        label="lado_log",
        none=expect(403, dsl=200, slt=200, head=200, exec_head=200),
    ),
    page(
        "policydocs:report",
        b.report("incident_summary"),
        label="incident_summary",
        none=expect(200, staff=403, teacher=403),
    ),
    page(
        "policydocs:report",
        b.report("governors_termly"),
        label="governors_termly",
        none=expect(200, staff=403, teacher=403),
    ),
    page(
        "policydocs:report",
        b.report("approved_services"),
        label="approved_services",
        none=expect(200, staff=403, teacher=403),
    ),
    page(
        "policydocs:report",
        b.report("declarations"),
        label="declarations",
        none=expect(200, staff=403, teacher=403, governor=403, chair=403),
    ),
    page(
        "policydocs:report",
        b.report("ack_compliance"),
        label="ack_compliance",
        none=expect(200, staff=403, teacher=403, governor=403, chair=403),
    ),
    page(
        "policydocs:report_export",
        b.report("lado_log", "csv"),
        label="lado_log",
        none=expect(403, dsl=200, slt=200, head=200, exec_head=200),
    ),
    page(
        "policydocs:report_export",
        b.report("incident_summary", "csv"),
        label="incident_summary",
        none=expect(200, staff=403, teacher=403),
    ),
    page(
        "policydocs:report_record",
        b.report_record(),
        own=expect(403, dsl=200, slt=200, head=200, exec_head=200, chair=404),
        other=expect(404, staff=403, teacher=403, office=403, governor=403, exec_head=200),
        subject=expect(404, staff=403, teacher=403, office=403, governor=403),
    ),
    page(
        "policydocs:report_record_export",
        b.report_record("csv"),
        own=expect(403, dsl=200, slt=200, head=200, exec_head=200, chair=404),
        other=expect(404, staff=403, teacher=403, office=403, governor=403, exec_head=200),
        subject=expect(404, staff=403, teacher=403, office=403, governor=403),
    ),  # --- Subject access requests: the handling role (the Executive Head by default) only ------------
    # Everyone else is answered 404, the register included; a handler never sees a request about
    # themselves.
    page("disclosures:register", none=expect(404, exec_head=200)),
    page("disclosures:record", none=expect(404, exec_head=200)),
    page(
        "disclosures:detail",
        b.access_request,
        own=expect(404, exec_head=200),
        other=expect(404, exec_head=200),
        subject=expect(404),
    ),
    *[
        page(
            "disclosures:step",
            b.access_request_step(step),
            label=step,
            own=expect(404, exec_head=200),
            other=expect(404, exec_head=200),
            subject=expect(404),
        )
        for step in ("assemble", "release", "refuse")
    ],
    page(
        "disclosures:review",
        b.access_request_in_review,
        own=expect(404, exec_head=200),
        other=expect(404, exec_head=200),
        subject=expect(404),
    ),
    page("disclosures:refresh", b.access_request, own=expect(405)),
    page("disclosures:decide", b.access_request_redaction, own=expect(405)),
    *[
        page(
            "disclosures:pack",
            b.access_request_pack(fmt),
            label=fmt,
            own=expect(404, exec_head=200),
            other=expect(404, exec_head=200),
            subject=expect(404),
        )
        for fmt in ("pdf", "csv")
    ],
]
