"""3. The approved social media services register (§5, §6) and 4. the family-link declarations
register (§7), from the approvals app. Registers list what was approved or declared: the proposal's
purpose, a declaration's own words and any case detail stay in the portal."""

from django.db.models import Count, Prefetch, Q

from approvals import policies as approvals_policies
from approvals.models import REGISTER_STATUSES, Declaration, DeclarationKind, Proposal
from core.formats import day
from people.models import Person

from .base import Filters, Report, Table, local_bounds
from .people import user_name
from .registry import register

_BY_NAME = Person.objects.order_by("last_name", "first_name", "id")


@register
class ApprovedServicesReport(Report):
    key = "approved_services"
    title = "Approved social media services register"
    summary = (
        "Social media services approved for a school service (§5): approved, suspended and expired, with their "
        "approver, conditions and review date."
    )
    landscape = True
    date_label = "Approved between"

    paged = True

    def default_dates(self, today):
        return None, None

    def build(self, user, filters: Filters, target=None, page=None):
        start, end = local_bounds(filters)
        schools = list(self.scope(user, filters))
        services = Proposal.objects.filter(
            status__in=REGISTER_STATUSES, school_id__in_ids=[s.pk for s in schools]
        )
        if start is not None:
            services = services.filter(decided_at__gte=start)
        if end is not None:
            services = services.filter(decided_at__lt=end)
        services = (
            services.select_related("school", "decided_by__person")
            .prefetch_related(Prefetch("moderators", queryset=_BY_NAME))
            .order_by("school__name", "status", "title", "id")
        )
        shown, page_note = None, ""
        if page is None:  # every row (the PDF, the CSV)
            services = list(services)
            counts = {"all": len(services), "approved": sum(s.status == "approved" for s in services)}
        else:  # one page of rows, the facts counted over every row in SQL
            counts = services.aggregate(all=Count("pk"), approved=Count("pk", filter=Q(status="approved")))
            shown, page_note = self.page_of(services, counts["all"], page)
            services = shown.object_list
        rows = [
            [
                service.school.name,
                service.title,
                service.platform_label,
                service.account,
                ", ".join(str(label) for label in service.audience_labels),
                ", ".join(person.full_name for person in service.moderators.all()),
                user_name(service.decided_by),
                day(service.decided_at),
                day(service.review_date),
                service.get_status_display(),
                service.conditions,
            ]
            for service in services
        ]
        return self.result(
            filters,
            schools=schools,
            facts=[
                ("Services", str(counts["all"])),
                ("Approved", str(counts["approved"])),
            ],
            tables=[
                Table(
                    title="Services",
                    columns=[
                        "School",
                        "Service",
                        "Platform",
                        "Account",
                        "Audience",
                        "Moderators",
                        "Approved by",
                        "Approved on",
                        "Review date",
                        "Status",
                        "Conditions",
                    ],
                    rows=rows,
                    # Governors read the register here, not in the approvals pages.
                    links=[service.get_absolute_url() for service in services]
                    if approvals_policies.can_view_register(user)
                    else None,
                    link_column=1,
                    page=shown,
                    page_note=page_note,
                    empty="No approved services in these dates.",
                )
            ],
        )


@register
class DeclarationsReport(Report):
    key = "declarations"
    title = "Family-link declarations register"
    summary = (
        "Declarations by staff of family links with pupils, and of social media connections with parents (§7), "
        "and whether the head has acknowledged them."
    )
    landscape = True
    date_label = "Declared between"

    paged = True

    def default_dates(self, today):
        return None, None

    def build(self, user, filters: Filters, target=None, page=None):
        schools = list(self.scope(user, filters))
        declarations = Declaration.objects.filter(school_id__in_ids=[s.pk for s in schools])
        if filters.date_from is not None:
            declarations = declarations.filter(declared_on__gte=filters.date_from)
        if filters.date_to is not None:
            declarations = declarations.filter(declared_on__lte=filters.date_to)
        declarations = (
            declarations.select_related("school", "declarant__person", "acknowledged_by__person")
            .prefetch_related(Prefetch("pupils", queryset=_BY_NAME), Prefetch("parents", queryset=_BY_NAME))
            .order_by("school__name", "declarant__last_name", "declarant__first_name", "-declared_on", "id")
        )
        shown, page_note = None, ""
        if page is None:  # every row (the PDF, the CSV)
            declarations = list(declarations)
            counts = {
                "all": len(declarations),
                "waiting": sum(d.status == "submitted" for d in declarations),
            }
        else:  # one page of rows, the facts counted over every row in SQL
            counts = declarations.aggregate(
                all=Count("pk"), waiting=Count("pk", filter=Q(status="submitted"))
            )
            shown, page_note = self.page_of(declarations, counts["all"], page)
            declarations = shown.object_list
        rows = []
        for declaration in declarations:
            family = declaration.kind == DeclarationKind.FAMILY_LINK
            rows.append(
                [
                    declaration.school.name,
                    user_name(declaration.declarant),
                    declaration.get_kind_display(),
                    declaration.get_relationship_display() if family else declaration.get_platform_display(),
                    ", ".join(p.full_name for p in declaration.pupils.all()),
                    ", ".join(p.full_name for p in declaration.parents.all()),
                    day(declaration.declared_on),
                    declaration.get_status_display(),
                    user_name(declaration.acknowledged_by),
                    day(declaration.acknowledged_at),
                ]
            )
        return self.result(
            filters,
            schools=schools,
            facts=[
                ("Declarations", str(counts["all"])),
                ("Waiting for acknowledgement", str(counts["waiting"])),
            ],
            tables=[
                Table(
                    title="Declarations",
                    columns=[
                        "School",
                        "Declared by",
                        "Kind",
                        "Relationship or platform",
                        "Pupils",
                        "Parents or carers",
                        "Declared on",
                        "Status",
                        "Acknowledged by",
                        "Acknowledged on",
                    ],
                    rows=rows,
                    page=shown,
                    page_note=page_note,
                    empty="No declarations in these dates.",
                )
            ],
        )
