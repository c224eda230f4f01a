"""Views of the incidents app, by concern. Thin: bind a form, call a service, redirect."""

from .allegation_steps import allegation_note, allegation_step
from .allegations import (
    allegation_create,
    allegation_detail,
    allegation_list,
    allegation_parent_checklist,
    allegation_print,
    allegation_reveal_reporter,
)
from .concerns import (
    concern_close,
    concern_detail,
    concern_list,
    concern_report,
    concern_reveal_reporter,
    concern_thanks,
    my_reports,
    pupil_incidents,
)
from .evidence import evidence_download, evidence_upload
from .low_level import low_level_list, low_level_review
from .pupil_cases import (
    incident_action_finish,
    incident_parent_notice,
    my_actions,
    pupil_incident_close,
    pupil_incident_detail,
    pupil_incident_evidence_upload,
    pupil_incident_list,
    pupil_incident_note,
    pupil_incident_record,
)

__all__ = [
    "incident_action_finish",
    "incident_parent_notice",
    "pupil_incident_close",
    "pupil_incident_detail",
    "pupil_incident_list",
    "pupil_incident_record",
    "pupil_incident_note",
    "pupil_incident_evidence_upload",
    "my_actions",
    "allegation_create",
    "allegation_detail",
    "allegation_list",
    "allegation_note",
    "allegation_parent_checklist",
    "allegation_print",
    "allegation_reveal_reporter",
    "allegation_step",
    "concern_close",
    "concern_detail",
    "concern_list",
    "concern_report",
    "concern_reveal_reporter",
    "concern_thanks",
    "evidence_download",
    "evidence_upload",
    "low_level_list",
    "low_level_review",
    "my_reports",
    "pupil_incidents",
    "cyberbullying_action",
    "cyberbullying_close",
    "cyberbullying_decide",
    "cyberbullying_detail",
    "cyberbullying_evidence_upload",
    "cyberbullying_list",
    "cyberbullying_note",
    "cyberbullying_parent_notice",
    "cyberbullying_record",
    "cyberbullying_thanks",
]

from .cyberbullying import (  # noqa: E402
    cyberbullying_action,
    cyberbullying_close,
    cyberbullying_decide,
    cyberbullying_detail,
    cyberbullying_evidence_upload,
    cyberbullying_list,
    cyberbullying_note,
    cyberbullying_parent_notice,
    cyberbullying_record,
    cyberbullying_thanks,
)
