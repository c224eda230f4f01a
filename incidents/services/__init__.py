"""Every write of the incidents app. Each service checks the policy again, writes, audits in the same
transaction and leaves notices to the outbox (sent after commit)."""

from .actions import (
    INCIDENT_ACTION,
    action_steps,
    incident_action_complete,
    incident_action_waive,
    incident_parent_notice_send,
    is_open,
    sent_by_notice,
)
from .allegations import (
    ALLEGATION,
    allegation_assess_harm,
    allegation_close,
    allegation_record_advice,
    allegation_record_outcome,
    allegation_refer_to_lado,
    allegation_start_investigation,
    allegation_steps,
    case_state,
)
from .case_steps import (
    allegation_add_note,
    allegation_mark_parent_process_explained,
    allegation_record_action,
    allegation_reveal_reporter,
    receiver_label,
    reporter_label,
)
from .concerns import (
    CONCERN,
    concern_close,
    concern_reveal_reporter,
    concern_submit,
)
from .cyberbullying import (
    CYBERBULLYING,
    awaiting_decision,
    cyberbullying_add_note,
    cyberbullying_close,
    cyberbullying_decide,
    cyberbullying_report_record,
    triage,
)
from .evidence import evidence_record_download, evidence_upload
from .pupil_incidents import (
    PUPIL_INCIDENT,
    pupil_incident_add_note,
    pupil_incident_close,
    pupil_incident_record,
)
from .recording import allegation_record, case_manager_for
from .reminders import lado_deadlines_sweep
from .retention import allegation_purge, low_level_review_record, retention_sweep

__all__ = [
    "cyberbullying_add_note",
    "cyberbullying_close",
    "cyberbullying_decide",
    "cyberbullying_report_record",
    "triage",
    "CYBERBULLYING",
    "INCIDENT_ACTION",
    "PUPIL_INCIDENT",
    "action_steps",
    "is_open",
    "sent_by_notice",
    "awaiting_decision",
    "incident_action_complete",
    "incident_action_waive",
    "incident_parent_notice_send",
    "pupil_incident_add_note",
    "pupil_incident_close",
    "pupil_incident_record",
    "ALLEGATION",
    "CONCERN",
    "allegation_steps",
    "case_state",
    "allegation_add_note",
    "allegation_assess_harm",
    "allegation_close",
    "allegation_mark_parent_process_explained",
    "allegation_purge",
    "allegation_record",
    "allegation_record_action",
    "allegation_record_advice",
    "allegation_record_outcome",
    "allegation_refer_to_lado",
    "allegation_reveal_reporter",
    "allegation_start_investigation",
    "case_manager_for",
    "concern_close",
    "concern_reveal_reporter",
    "concern_submit",
    "evidence_record_download",
    "evidence_upload",
    "lado_deadlines_sweep",
    "receiver_label",
    "reporter_label",
    "low_level_review_record",
    "retention_sweep",
]
