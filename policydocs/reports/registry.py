"""The reports, by key. Each report module registers its class when imported (see `catalogue`)."""

from .base import Report

_reports: dict[str, Report] = {}


def register(report_class: type[Report]) -> type[Report]:
    report = report_class()
    existing = _reports.get(report.key)
    if existing is not None and type(existing) is not report_class:
        raise ValueError(f"A report is already registered as {report.key!r}.")
    _reports[report.key] = report
    return report_class


def get(key: str) -> Report | None:
    return _reports.get(key)


def all_reports() -> list[Report]:
    return list(_reports.values())


def reports_for(user) -> list[Report]:
    return [report for report in _reports.values() if report.allowed(user)]
