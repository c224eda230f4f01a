"""The policydocs pages, one module per concern."""

from .documents import (
    version_compare,
    version_detail,
    version_discard,
    version_import,
    version_list,
    version_ratify,
)
from .reading import policy_public, policy_read
from .reports import (
    report_export,
    report_index,
    report_job,
    report_job_download,
    report_job_status,
    report_page,
)

__all__ = [
    "policy_public",
    "policy_read",
    "report_export",
    "report_index",
    "report_job",
    "report_job_download",
    "report_job_status",
    "report_page",
    "version_compare",
    "version_detail",
    "version_discard",
    "version_import",
    "version_list",
    "version_ratify",
]
