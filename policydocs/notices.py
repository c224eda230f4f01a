"""The notices policydocs sends, registered with the notifications catalogue.

Each prints the version's label, the school's name and a sign-in link (and, for reminders, a
number of days or a date): never the policy's text.
"""

from notifications.catalogue import register_template

from .acknowledgements import ACK_REMINDER, ACK_REQUESTED
from .services import REVIEW_DUE

register_template(
    ACK_REQUESTED,
    label="Policy: a new version to read and confirm",
    prints={"version_label", "school_name", "url"},
)
register_template(
    ACK_REMINDER,
    label="Policy: reminder to read and confirm",
    prints={"version_label", "days", "school_name", "url"},
)
register_template(
    REVIEW_DUE,
    label="Policy: review due",
    prints={"version_label", "review_date", "days", "school_name", "url"},
)
