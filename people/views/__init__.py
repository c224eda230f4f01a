"""The people app's pages, one module per concern: the registry (people, parents, classes), the imports
(CTF and CSV), sign-in and roles, and the dashboard with the health check and error pages."""

from .access import person_access
from .importing import ctf_import, import_job, import_job_status, person_import
from .pages import (
    PasswordResetView,
    dashboard,
    deadlines,
    healthz,
    page_not_found,
    permission_denied,
    server_error,
)
from .registry import (
    class_detail,
    class_edit,
    class_list,
    parent_link_create,
    person_create,
    person_detail,
    person_edit,
    person_list,
    person_mark_left,
)

__all__ = [
    "class_detail",
    "class_edit",
    "class_list",
    "ctf_import",
    "dashboard",
    "deadlines",
    "healthz",
    "import_job",
    "import_job_status",
    "PasswordResetView",
    "page_not_found",
    "parent_link_create",
    "permission_denied",
    "person_access",
    "person_create",
    "person_detail",
    "person_edit",
    "person_import",
    "person_list",
    "person_mark_left",
    "server_error",
]
