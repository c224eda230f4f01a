"""Case records are deliberately not in the Django admin.

Every view of a case is audited, its subject must never see it and a staff reporter stays sealed
(§9, KCSIE part four); the admin would bypass all three. Cases are worked only through the portal's
own pages, which apply `incidents.policies`.
"""
