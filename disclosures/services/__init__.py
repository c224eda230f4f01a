"""Every write of the disclosures app."""

from .redactions import redaction_add_phrase, redaction_decide, redactions_refresh
from .requests import (
    request_assemble,
    request_extend,
    request_record,
    request_refuse,
    request_release,
    request_review,
    request_withdraw,
)

__all__ = [
    "redaction_add_phrase",
    "redaction_decide",
    "redactions_refresh",
    "request_assemble",
    "request_extend",
    "request_record",
    "request_refuse",
    "request_release",
    "request_review",
    "request_withdraw",
]
