"""Gathering every record the portal holds about a person, for a subject access request (art. 15).

The subject's own records, wherever they are the subject, the reporter, a victim, a perpetrator, a pupil
named, the adult concerned, the parent told: their registry record, concerns, allegations, pupil
incidents, cyberbullying reports with their notes and actions, proposals, declarations, publication
permissions, policy acknowledgements and the notices sent to them. Every other person named on the way
is noted as a mention (other pupil, other adult, a confidential reporter (§9, §8)), and every note
marked as third-party information, so that the review can redact them.

A copy of an allegation record for its subject holds that allegation alone, with its notes and actions.
"""

from django.db.models import Q

from approvals.models import Declaration, Proposal, PublicationPermission
from core.formats import day, moment
from core.vocabulary import display_name
from incidents.models import Allegation, Concern, CyberbullyingReport, IncidentAction, PupilIncident
from incidents.models.cyberbullying import ReportSource
from incidents.policies import reporter_is_sealed
from notifications.models import Notification
from people.models import ParentLink, Person, PersonKind
from policydocs.models import Acknowledgement

from ..models import AccessRequest, RedactionKind, RequestKind
from .records import Mention, Pack, Record, Section

PUPIL_KINDS = (PersonKind.PUPIL, PersonKind.FORMER_PUPIL)


class Gatherer:
    """Builds the sections and notes every other person it names."""

    def __init__(self, request: AccessRequest):
        self.request = request
        self.subject = request.subject
        self.user_id = self.subject.user_id
        # Names that are the requester's own business: the subject, and the parent asking.
        self.keep = {request.subject_id, request.requester_id}
        self.mentions: dict = {}

    # --- names ----------------------------------------------------------------------------------

    def _mention(self, kind: str, where: str, *, phrase: str = "", note_id: int | None = None) -> None:
        mention = Mention(kind=kind, found_in=where, phrase=phrase.strip(), note_id=note_id)
        if not mention.phrase and not note_id:
            return
        known = self.mentions.get(mention.key)
        # A confidential reporter named elsewhere as an adult stays a confidential reporter.
        if known is None or (kind == RedactionKind.SEALED_REPORTER and known.kind != kind):
            self.mentions[mention.key] = mention

    def person(self, person: Person | None, where: str, *, sealed: bool = False) -> str:
        if person is None:
            return ""
        if person.pk not in self.keep:
            kind = RedactionKind.OTHER_PUPIL if person.kind in PUPIL_KINDS else RedactionKind.OTHER_ADULT
            self._mention(RedactionKind.SEALED_REPORTER if sealed else kind, where, phrase=person.full_name)
        return person.full_name

    def people(self, people, where: str) -> str:
        return "; ".join(self.person(p, where) for p in people)

    def user(self, user, where: str, *, sealed: bool = False) -> str:
        if user is None:
            return ""
        person = getattr(user, "person", None)
        if person is not None:
            return self.person(person, where, sealed=sealed)
        name = display_name(user, registry=False)
        if user.pk != self.user_id:
            kind = RedactionKind.SEALED_REPORTER if sealed else RedactionKind.OTHER_ADULT
            self._mention(kind, where, phrase=name)
        return name

    def free_name(self, name: str, where: str, kind: str) -> str:
        self._mention(kind, where, phrase=name)
        return name

    def notes(self, record: Record, notes, where: str) -> None:
        for number, note in enumerate(notes, start=1):
            label = f"Note {number} ({moment(note.created_at)}, {self.user(note.author, where)})"
            record.add(label, note.text, note_id=note.pk)
            if note.third_party:
                self._mention(RedactionKind.THIRD_PARTY_NOTE, f"{where}: note {number}", note_id=note.pk)

    # --- sections -------------------------------------------------------------------------------

    def person_section(self) -> Section:
        subject = self.subject
        record = Record("Registry record")
        record.add("Name", subject.full_name)
        record.add("Kind", subject.get_kind_display())
        record.add("Date of birth", day(subject.date_of_birth))
        record.add("Email", subject.email)
        record.add("Phone", subject.phone)
        record.add("Schools", "; ".join(m.school.name for m in subject.memberships.select_related("school")))
        record.add("Roles", "; ".join(r.get_role_display() for r in subject.roles.all()))
        links = ParentLink.objects.filter(Q(pupil=subject) | Q(parent=subject)).select_related(
            "parent", "pupil"
        )
        for link in links:
            if link.pupil_id == subject.pk:
                record.add(
                    f"Parent or carer ({link.get_relationship_display()})",
                    self.person(link.parent, "Registry record"),
                )
            else:
                record.add(
                    f"Child ({link.get_relationship_display()})", self.person(link.pupil, "Registry record")
                )
        return Section("Your record in the registry", [record])

    def allegation_record(self, allegation: Allegation) -> Record:
        where = f"Allegation {allegation.pk}"
        record = Record(f"{where}, received {moment(allegation.received_at)}")
        record.add("School", allegation.school.name)
        record.add("Status", allegation.get_status_display())
        record.add("About", self.person(allegation.subject, where))
        record.add("Disclosed by", allegation.get_source_display())
        # §9: a member of staff who reports a colleague is kept confidential.
        sealed = reporter_is_sealed(allegation)
        record.add("Reporter", self.person(allegation.reporter, where, sealed=sealed))
        if allegation.reporter_name:
            kind = RedactionKind.SEALED_REPORTER if sealed else RedactionKind.OTHER_ADULT
            record.add("Reporter", self.free_name(allegation.reporter_name, where, kind))
        record.add("Received by", self.person(allegation.received_by, where))
        record.add("What happened", allegation.what_happened)
        record.add("Harm assessment", allegation.harm_rationale)
        record.add("LADO advice", allegation.advice)
        record.add("Actions advised", allegation.actions_advised)
        record.add("Outcome", allegation.get_outcome_display() if allegation.outcome else "")
        record.add("Decision notes", allegation.decision_notes)
        record.add("Closing note", allegation.closing_note)
        for action in allegation.actions.select_related("recorded_by__person"):
            record.add(f"Action on {day(action.taken_on)}: {action.get_kind_display()}", action.note)
        self.notes(record, allegation.notes.select_related("author__person"), where)
        return record

    def allegations(self) -> Section:
        mine = Q(subject=self.subject) | Q(reporter=self.subject) | Q(received_by=self.subject)
        found = (
            Allegation.objects.filter(mine)
            .select_related("school", "subject", "reporter", "received_by")
            .order_by("received_at", "pk")
        )
        return Section("Allegations", [self.allegation_record(a) for a in found])

    def concerns(self) -> Section:
        mine = Q(subject=self.subject) | (Q(reported_by_id=self.user_id) if self.user_id else Q(pk__in=[]))
        found = Concern.objects.filter(mine).select_related("school", "subject", "reported_by__person")
        records = []
        for concern in found.order_by("created_at", "pk"):
            where = f"Concern {concern.pk}"
            record = Record(f"{where}, reported {moment(concern.created_at)}")
            record.add("School", concern.school.name)
            record.add("Category", concern.get_category_display())
            record.add("Status", concern.get_status_display())
            record.add("About", self.person(concern.subject, where))
            # A report about a colleague is made in confidence (§9).
            record.add(
                "Reported by", self.user(concern.reported_by, where, sealed=concern.subject_id is not None)
            )
            record.add("What happened", concern.what_happened)
            record.add("Closing note", concern.closing_note)
            records.append(record)
        return Section("Concerns reported", records)

    def pupil_incidents(self) -> Section:
        found = (
            PupilIncident.objects.filter(Q(pupils=self.subject) | Q(adult=self.subject))
            .distinct()
            .select_related("school", "adult", "recorded_by__person")
            .prefetch_related("pupils")
            .order_by("occurred_at", "pk")
        )
        records = []
        for incident in found:
            where = f"Pupil incident {incident.pk}"
            record = Record(f"{where}, {moment(incident.occurred_at)}")
            record.add("School", incident.school.name)
            record.add("Kind", incident.get_kind_display())
            record.add("Status", incident.get_status_display())
            record.add("Pupils", self.people(incident.pupils.all(), where))
            record.add("Adult concerned", self.person(incident.adult, where))
            record.add("Adult described", incident.adult_description)
            record.add("Where", incident.location)
            record.add("What happened", incident.what_happened)
            # §9: whoever recorded improper contact by a colleague reported that colleague in confidence.
            record.add(
                "Recorded by", self.user(incident.recorded_by, where, sealed=incident.adult_id is not None)
            )
            self.notes(record, incident.notes.select_related("author__person"), where)
            records.append(record)
        return Section("Pupil incidents", records)

    def cyberbullying(self) -> Section:
        mine = Q(victims=self.subject) | Q(reporter=self.subject) | Q(perpetrators__person=self.subject)
        found = (
            CyberbullyingReport.objects.filter(mine)
            .distinct()
            .select_related("school", "reporter", "recorded_by__person")
            .prefetch_related("victims", "perpetrators__person")
            .order_by("reported_on", "pk")
        )
        records = []
        for report in found:
            where = f"Cyberbullying report {report.pk}"
            record = Record(f"{where}, {day(report.reported_on)}")
            record.add("School", report.school.name)
            record.add("Status", report.get_status_display())
            # §8: a pupil who reported in confidence is kept confidential.
            sealed = report.source == ReportSource.PUPIL
            record.add("Reported by", self.person(report.reporter, where, sealed=sealed))
            record.add("Victims", self.people(report.victims.all(), where))
            for perpetrator in report.perpetrators.all():
                if perpetrator.person is not None:
                    name = self.person(perpetrator.person, where)
                else:
                    adult = perpetrator.kind in ("adult", "unknown")
                    kind = RedactionKind.OTHER_ADULT if adult else RedactionKind.OTHER_PUPIL
                    name = self.free_name(perpetrator.name, where, kind)
                record.add(f"Said to have done it ({perpetrator.get_kind_display()})", name)
            record.add("What happened", report.what_happened)
            record.add("Reasoning", report.reasoning)
            self.notes(record, report.notes.select_related("author__person"), where)
            records.append(record)
        return Section("Cyberbullying reports", records)

    def actions(self) -> Section:
        records = []
        for action in IncidentAction.objects.filter(pupil=self.subject).order_by("due_on", "pk"):
            record = Record(f"Follow-up action {action.pk}: {action.get_kind_display()}")
            record.add("Due", day(action.due_on))
            record.add("Status", action.get_status_display())
            record.add("Note", action.note)
            records.append(record)
        return Section("Follow-up actions about you", records)

    def approvals(self) -> Section:
        records = []
        mine = Q(pupils=self.subject) | Q(moderators=self.subject)
        if self.user_id:
            mine |= Q(proposer_id=self.user_id)
        for proposal in Proposal.objects.filter(mine).distinct().select_related("school").order_by("pk"):
            record = Record(f"Proposal {proposal.pk}: {proposal.title}")
            record.add("School", proposal.school.name)
            record.add("Status", proposal.get_status_display())
            record.add("Purpose", proposal.purpose)
            records.append(record)
        mine = Q(pupils=self.subject) | Q(parents=self.subject)
        if self.user_id:
            mine |= Q(declarant_id=self.user_id)
        declarations = Declaration.objects.filter(mine).distinct().prefetch_related("pupils", "parents")
        for declaration in declarations.order_by("pk"):
            where = f"Declaration {declaration.pk}"
            record = Record(f"{where}: {declaration.get_kind_display()}")
            record.add("Pupils", self.people(declaration.pupils.all(), where))
            record.add("Parents and carers", self.people(declaration.parents.all(), where))
            record.add("Statement", declaration.statement)
            records.append(record)
        mine = Q(staff=self.subject) | Q(pupils=self.subject) | Q(parents=self.subject)
        for permission in PublicationPermission.objects.filter(mine).distinct().order_by("pk"):
            record = Record(f"Publication permission {permission.pk}")
            record.add("Status", permission.get_status_display())
            record.add("What the post says", permission.post_text)
            records.append(record)
        return Section("Proposals, declarations and permissions", records)

    def acknowledgements(self) -> Section:
        found = Acknowledgement.objects.filter(person=self.subject).select_related("version__policy")
        records = []
        for ack in found.order_by("acknowledged_at", "pk"):
            record = Record(f"{ack.version.policy.title}, {ack.version.label}")
            record.add("Confirmed", moment(ack.acknowledged_at))
            record.add("Existing posts checked", moment(ack.posts_checked_at))
            records.append(record)
        return Section("Policy acknowledgements", records)

    def notifications(self) -> Section:
        mine = Q(recipient_person=self.subject)
        if self.user_id:
            mine |= Q(recipient_user_id=self.user_id)
        records = []
        for notice in Notification.objects.filter(mine).order_by("created_at", "pk"):
            record = Record(f"Notice {notice.pk}, {moment(notice.created_at)}")
            record.add("Channel", notice.get_channel_display())
            record.add("Kind", notice.template)
            record.add("Status", notice.get_status_display())
            records.append(record)
        return Section("Notices sent to you", records)


def assemble(request: AccessRequest) -> Pack:
    """The request's pack, unredacted, with the mentions found in it."""
    gatherer = Gatherer(request)
    if request.kind == RequestKind.ALLEGATION_COPY:
        allegation = Allegation.objects.select_related("school", "subject", "reporter", "received_by").get(
            pk=request.allegation_id
        )
        sections = [Section("The allegation record", [gatherer.allegation_record(allegation)])]
    else:
        sections = [
            gatherer.person_section(),
            gatherer.concerns(),
            gatherer.allegations(),
            gatherer.pupil_incidents(),
            gatherer.cyberbullying(),
            gatherer.actions(),
            gatherer.approvals(),
            gatherer.acknowledgements(),
            gatherer.notifications(),
        ]
    facts = [
        ("Request", request.reference),
        ("Kind", request.get_kind_display()),
        ("About", request.subject.full_name),
        ("Received", day(request.received_on)),
    ]
    return Pack(
        title=f"Subject access pack, {request.reference}",
        school_label=request.school.name,
        about=request.subject.full_name,
        facts=facts,
        sections=sections,
        mentions=list(gatherer.mentions.values()),
    )
