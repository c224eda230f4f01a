"""Concerns reported by staff, allegations about adults with the LADO workflow, pupil incidents and
cyberbullying reports (§6 to §10; KCSIE part four), and what their case files hold.

Nothing here decides who may see what (that is `incidents.policies`) and nothing writes these
rows except `incidents.services`.
"""

from core.vocabulary import Platform

from .allegations import (
    AWAITING_REFERRAL_FIRST,
    Allegation,
    CaseAction,
    CaseManager,
    HeldAction,
    LowLevelReview,
    Outcome,
    ReferralMethod,
    Source,
)
from .case_records import (
    CASE_FIELDS,
    CASE_MODELS,
    CONTENT_TYPES,
    ActionKind,
    ActionOwner,
    CaseNote,
    CaseRecord,
    EvidenceFile,
    EvidenceKind,
    IncidentAction,
    case_keys,
)
from .concerns import CATEGORIES_ABOUT_AN_ADULT, ROUTES, Concern, ConcernCategory, Routing
from .cyberbullying import (
    BullyingChannel,
    CyberbullyingReport,
    Perpetrator,
    ReportSource,
    TriageRule,
    WhenItHappens,
)
from .pupil_incidents import IctSanction, IncidentType, PupilIncident

__all__ = [
    "AWAITING_REFERRAL_FIRST",
    "CASE_FIELDS",
    "CASE_MODELS",
    "CATEGORIES_ABOUT_AN_ADULT",
    "CONTENT_TYPES",
    "ROUTES",
    "ActionKind",
    "ActionOwner",
    "Allegation",
    "BullyingChannel",
    "CaseAction",
    "CaseManager",
    "CaseNote",
    "CaseRecord",
    "Concern",
    "ConcernCategory",
    "CyberbullyingReport",
    "EvidenceFile",
    "EvidenceKind",
    "HeldAction",
    "IctSanction",
    "IncidentAction",
    "IncidentType",
    "LowLevelReview",
    "Outcome",
    "Perpetrator",
    "Platform",
    "PupilIncident",
    "ReferralMethod",
    "ReportSource",
    "Routing",
    "Source",
    "TriageRule",
    "WhenItHappens",
    "case_keys",
]
