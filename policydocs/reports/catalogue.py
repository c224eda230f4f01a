"""Imports every report so that each registers itself (AppConfig.ready imports this)."""

from . import (  # noqa: F401
    chronology,
    compliance,
    governors,
    incident_summary,
    lado,
    registers,
)
