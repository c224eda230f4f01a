"""The notices approvals sends, registered with the notifications catalogue.

Each prints a category ("social media proposal"), the school's name and a sign-in link:
never a proposal's content, a declared link or a post's wording.
"""

from notifications.catalogue import register_template

from .services._common import ACTION_NEEDED, DECLARATION_DUE, EXPIRED, OUTCOME, REVIEW_DUE

register_template(
    ACTION_NEEDED,
    label="Approvals: a request needs your attention",
    prints={"category", "school_name", "url"},
)
register_template(
    OUTCOME, label="Approvals: your request was decided", prints={"category", "outcome", "school_name", "url"}
)
register_template(
    REVIEW_DUE,
    label="Approvals: a service's review is due",
    prints={"category", "days", "review_date", "school_name", "url"},
)
register_template(
    EXPIRED, label="Approvals: a service's approval expired", prints={"category", "school_name", "url"}
)
register_template(
    DECLARATION_DUE, label="Approvals: a declaration is due again", prints={"category", "school_name", "url"}
)
