"""Approvals' forms. Each checks what a person can correct field by field; the services check
the rest again (and the views show a service's refusal on the form)."""

from crispy_forms.helper import FormHelper
from django import forms
from django.core.exceptions import ValidationError
from django.db.models import QuerySet
from django.utils import timezone

from core.vocabulary import SERVICE_PLATFORM_CHOICES, Platform, minimum_ages_for_display
from people.forms import ModelMultipleIdField, PeopleChoiceField
from people.models import ClassGroup, Person, PersonKind, School

from .models import DeclarationKind, Hosting, Proposal, Relationship
from .services import add_months
from .services._common import review_months

DATE_INPUT_FORMATS = ["%Y-%m-%d", "%d/%m/%Y"]

AUDIENCE_CHOICES = [
    ("pupils", "Pupils"),
    ("parents", "Parents and carers"),
    ("staff", "Staff"),
    ("public", "The public"),
]
SAFEGUARDS = [
    "safeguard_comment_moderation",
    "safeguard_privacy_settings",
    "safeguard_no_personal_details",
    "safeguard_image_consent",
]


class DateInput(forms.DateInput):
    input_type = "date"

    def __init__(self, **kwargs):
        super().__init__(format="%Y-%m-%d", **kwargs)


class ClassChoiceField(ModelMultipleIdField):
    def label_from_instance(self, obj):
        return obj.name


def _helper() -> FormHelper:
    helper = FormHelper()
    helper.form_tag = False
    helper.disable_csrf = True  # the page's own form tag carries the token
    return helper


def _members(schools: QuerySet[School], kind: str) -> QuerySet[Person]:
    return (
        Person.objects.filter(kind=kind, memberships__school__in=schools, left_on__isnull=True)
        .distinct()
        .order_by("last_name", "first_name", "id")
    )


class StartForm(forms.Form):
    """The first question of "Propose a social media service" (§5)."""

    school_service = forms.TypedChoiceField(
        label="Is this use of social media part of a school service?",
        choices=[
            ("yes", "Yes: the school, a class or a school activity would run or use it"),
            ("no", "No: for example, contributing to a professional association's wiki"),
        ],
        widget=forms.RadioSelect,
        error_messages={"required": "Choose yes or no."},
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.helper = _helper()


# What to do about each empty required field, in words a proposer can act on.
PROPOSAL_REQUIRED = {
    "school": "Choose the school.",
    "title": "Give the service a short name.",
    "platform": "Choose a platform from the list, or Other.",
    "account": "Enter the account's name or address.",
    "purpose": "Say what the service is for.",
    "hosting": "Choose who hosts it.",
    "moderation_plan": "Describe how the service will be moderated and what will be posted.",
}


class ProposalForm(forms.Form):
    """A proposal's details. The school is chosen when starting, and fixed after that."""

    school = forms.ModelChoiceField(queryset=School.objects.none(), empty_label=None)
    title = forms.CharField(max_length=200, help_text="A short name, for example 'Year 9 history blog'.")
    platform = forms.ChoiceField(choices=[("", "Choose a platform")] + SERVICE_PLATFORM_CHOICES)
    platform_name = forms.CharField(
        max_length=100, required=False, label="Platform's name", help_text="Only when you chose Other."
    )
    minimum_age = forms.IntegerField(
        min_value=0,
        max_value=99,
        required=False,
        label="Platform's minimum age",
        help_text="Only when you chose Other: the youngest age its terms allow.",
    )
    account = forms.CharField(max_length=300, label="Account name or address")
    purpose = forms.CharField(widget=forms.Textarea(attrs={"rows": 3}), help_text="What the service is for.")
    hosting = forms.ChoiceField(choices=Hosting.choices, widget=forms.RadioSelect, label="Hosted by")
    audience = forms.MultipleChoiceField(
        choices=AUDIENCE_CHOICES,
        widget=forms.CheckboxSelectMultiple,
        label="Who is it for?",
        error_messages={"required": "Choose who the service is for."},
    )
    classes = ClassChoiceField(
        queryset=ClassGroup.objects.none(),
        required=False,
        widget=forms.CheckboxSelectMultiple,
        label="Classes taking part",
        help_text="When pupils are in the audience.",
    )
    pupils = PeopleChoiceField(
        queryset=Person.objects.none(),
        required=False,
        label="Other pupils taking part",
        help_text="Pupils not in a class above.",
    )
    moderators = PeopleChoiceField(
        queryset=Person.objects.none(),
        required=False,
        label="Moderators",
        help_text="Staff who will moderate it.",
    )
    moderation_plan = forms.CharField(
        widget=forms.Textarea(attrs={"rows": 4}),
        label="Moderation and content plan",
        help_text="Who posts, who checks, how often, and what happens when something goes wrong.",
    )
    safeguard_comment_moderation = forms.BooleanField(
        required=False,
        label=Proposal._meta.get_field("safeguard_comment_moderation").verbose_name.capitalize(),
    )
    safeguard_privacy_settings = forms.BooleanField(
        required=False, label=Proposal._meta.get_field("safeguard_privacy_settings").verbose_name.capitalize()
    )
    safeguard_no_personal_details = forms.BooleanField(
        required=False,
        label=Proposal._meta.get_field("safeguard_no_personal_details").verbose_name.capitalize(),
    )
    safeguard_image_consent = forms.BooleanField(
        required=False, label=Proposal._meta.get_field("safeguard_image_consent").verbose_name.capitalize()
    )

    def __init__(self, *args, schools: QuerySet[School], proposal: Proposal | None = None, **kwargs):
        if proposal is not None and not kwargs.get("data"):
            kwargs["initial"] = initial_from(proposal)
        super().__init__(*args, **kwargs)
        self.proposal = proposal
        if proposal is not None:
            del self.fields["school"]
            schools = School.objects.filter(pk=proposal.school_id)
        else:
            self.fields["school"].queryset = schools
        self.fields["classes"].queryset = ClassGroup.objects.filter(school__in=schools).order_by(
            "school__name", "year_group", "name"
        )
        self.fields["pupils"].queryset = _members(schools, PersonKind.PUPIL)
        self.fields["moderators"].queryset = _members(schools, PersonKind.STAFF)
        for name, message in PROPOSAL_REQUIRED.items():
            if name in self.fields:
                self.fields[name].error_messages["required"] = message
        ages = ", ".join(f"{label} {age}" for label, age in minimum_ages_for_display())
        self.fields["platform"].help_text = f"Minimum ages: {ages}."
        self.helper = _helper()

    def clean(self):
        cleaned = super().clean()
        if cleaned.get("platform") == Platform.OTHER:
            if not cleaned.get("platform_name"):
                self.add_error("platform_name", "Give the platform's name.")
            if cleaned.get("minimum_age") is None and "minimum_age" not in self.errors:
                self.add_error("minimum_age", "Give the platform's minimum age (see its terms of use).")
        # Whether each class, pupil and moderator belongs to the school is checked by the service.
        return cleaned

    def proposal_fields(self) -> dict:
        data = self.cleaned_data
        audience = set(data["audience"])
        fields = {
            name: data[name]
            for name in ("title", "platform", "platform_name", "minimum_age", "account", "purpose", "hosting")
        }
        fields.update({f"audience_{name}": name in audience for name, _ in AUDIENCE_CHOICES})
        fields["moderation_plan"] = data["moderation_plan"]
        fields.update({name: data[name] for name in SAFEGUARDS})
        fields["classes"] = list(data["classes"])
        fields["pupils"] = list(data["pupils"])
        fields["moderators"] = list(data["moderators"])
        return fields


def initial_from(proposal: Proposal) -> dict:
    initial = {
        name: getattr(proposal, name)
        for name in ("title", "platform", "platform_name", "account", "purpose", "hosting", "moderation_plan")
    }
    if proposal.platform == Platform.OTHER:
        initial["minimum_age"] = proposal.minimum_age
    initial["audience"] = [name for name, _ in AUDIENCE_CHOICES if getattr(proposal, f"audience_{name}")]
    initial.update({name: getattr(proposal, name) for name in SAFEGUARDS})
    initial["classes"] = list(proposal.classes.all())
    initial["pupils"] = list(proposal.pupils.all())
    initial["moderators"] = list(proposal.moderators.all())
    return initial


class SubmitForm(forms.Form):
    confirm_terms = forms.BooleanField(
        label="I have read the Terms of Use (§6). The service will keep to them, and so will I.",
        error_messages={"required": "Confirm that the service will keep to the Terms of Use (§6)."},
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.helper = _helper()


def default_review_date():
    return add_months(timezone.localdate(), review_months())


class DecisionForm(forms.Form):
    """Approve (with conditions and a review date), send back for changes, or turn down (§5)."""

    APPROVE, CHANGES, REJECT = "approve", "request_changes", "reject"

    decision = forms.ChoiceField(
        choices=[
            (APPROVE, "Approve"),
            (CHANGES, "Send back for changes"),
            (REJECT, "Turn down"),
        ],
        widget=forms.RadioSelect,
        error_messages={"required": "Choose a decision."},
    )
    conditions = forms.CharField(
        widget=forms.Textarea(attrs={"rows": 3}),
        required=False,
        label="Conditions (when approving)",
        help_text="Anything the service must do or avoid, for example 'comments switched off'.",
    )
    review_date = forms.DateField(
        widget=DateInput(),
        input_formats=DATE_INPUT_FORMATS,
        required=False,
        label="Review date (when approving)",
        help_text="The approval lapses on this day unless renewed.",
    )
    reason = forms.CharField(
        widget=forms.Textarea(attrs={"rows": 3}),
        required=False,
        label="Reason (when sending back or turning down)",
        help_text="The proposer reads this.",
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["review_date"].initial = default_review_date()
        self.helper = _helper()

    def clean(self):
        cleaned = super().clean()
        decision = cleaned.get("decision")
        if decision in (self.CHANGES, self.REJECT) and not (cleaned.get("reason") or "").strip():
            what = "saying what must change" if decision == self.CHANGES else "for turning the proposal down"
            self.add_error("reason", f"Give a reason {what}: the proposer reads it.")
        if (
            decision == self.APPROVE
            and cleaned.get("review_date") is None
            and "review_date" not in self.errors
        ):
            self.add_error("review_date", "Choose a review date.")
        return cleaned


class ReasonForm(forms.Form):
    reason = forms.CharField(widget=forms.Textarea(attrs={"rows": 3}), label="Reason")

    def __init__(self, *args, label: str = "Reason", required: bool = True, help_text: str = "", **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["reason"].label = label
        self.fields["reason"].required = required
        self.fields["reason"].help_text = help_text
        self.fields["reason"].error_messages["required"] = f"Enter the {label.lower()}."
        self.helper = _helper()


class RenewForm(forms.Form):
    review_date = forms.DateField(
        widget=DateInput(), input_formats=DATE_INPUT_FORMATS, label="New review date"
    )
    conditions = forms.CharField(
        widget=forms.Textarea(attrs={"rows": 3}),
        required=False,
        help_text="The conditions from now on (leave as they are to keep them).",
    )

    def __init__(self, *args, proposal: Proposal, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["review_date"].initial = default_review_date()
        self.fields["conditions"].initial = proposal.conditions
        self.helper = _helper()


# --- Declarations ------------------------------------------------------------------------------


class DeclarationForm(forms.Form):
    """A written declaration of family links with pupils, or of social media connections with parents (§7)."""

    school = forms.ModelChoiceField(queryset=School.objects.none(), empty_label=None)
    kind = forms.ChoiceField(
        choices=DeclarationKind.choices,
        widget=forms.RadioSelect,
        label="What are you declaring?",
        error_messages={"required": "Choose what you are declaring."},
    )
    pupils = PeopleChoiceField(
        queryset=Person.objects.none(),
        required=False,
        label="Pupils you are linked with",
        help_text="For a family or friendship link.",
    )
    relationship = forms.ChoiceField(
        choices=[("", "Choose")] + Relationship.choices,
        required=False,
        label="How you are linked",
        help_text="For a family or friendship link.",
    )
    parents = PeopleChoiceField(
        queryset=Person.objects.none(),
        required=False,
        label="Parents or carers you are connected with",
        help_text="For a social media connection.",
    )
    platform = forms.ChoiceField(
        choices=[("", "Choose")] + SERVICE_PLATFORM_CHOICES,
        required=False,
        label="Platform",
        help_text="For a social media connection.",
    )
    statement = forms.CharField(
        widget=forms.Textarea(attrs={"rows": 4}),
        label="Your statement",
        help_text="Describe the link in a sentence or two.",
        error_messages={"required": "Describe the link in a sentence or two."},
    )

    def __init__(self, *args, schools: QuerySet[School], **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["school"].queryset = schools
        self.fields["pupils"].queryset = _members(schools, PersonKind.PUPIL)
        self.fields["parents"].queryset = _members(schools, PersonKind.PARENT)
        self.helper = _helper()

    def clean(self):
        cleaned = super().clean()
        kind = cleaned.get("kind")
        if kind == DeclarationKind.FAMILY_LINK:
            if not cleaned.get("pupils") and "pupils" not in self.errors:
                self.add_error(
                    "pupils", "Choose the pupil or pupils you have a family or friendship link with."
                )
            if not cleaned.get("relationship"):
                self.add_error("relationship", "Choose how you are linked.")
        elif kind == DeclarationKind.PARENT_CONNECTION:
            if not cleaned.get("parents") and "parents" not in self.errors:
                self.add_error("parents", "Choose the parent or carer you are connected with.")
            if not cleaned.get("platform"):
                self.add_error("platform", "Choose the platform you are connected on.")
        return cleaned


class NoteForm(forms.Form):
    note = forms.CharField(widget=forms.Textarea(attrs={"rows": 3}), label="Note")

    def __init__(self, *args, label: str = "Note", required: bool = True, help_text: str = "", **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["note"].label = label
        self.fields["note"].required = required
        self.fields["note"].help_text = help_text
        self.fields["note"].error_messages["required"] = f"Add a {label.lower()}."
        self.helper = _helper()


class RedeclareForm(forms.Form):
    statement = forms.CharField(
        widget=forms.Textarea(attrs={"rows": 4}),
        label="Your statement",
        help_text="Update it if anything has changed.",
        error_messages={"required": "Describe the link in a sentence or two."},
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.helper = _helper()


# --- Publication permissions -------------------------------------------------------------------


class ServiceChoiceField(forms.ModelChoiceField):
    def label_from_instance(self, obj):
        return f"{obj.title} ({obj.platform_label}, {obj.school.name})"


class PermissionForm(forms.Form):
    """Ask before a post refers to a member of staff, a pupil, a parent or a school event (§6)."""

    service = ServiceChoiceField(
        queryset=Proposal.objects.none(), label="Approved service", empty_label="Choose a service"
    )
    post_text = forms.CharField(
        widget=forms.Textarea(attrs={"rows": 4}), label="What the post will say", max_length=5000
    )
    staff = PeopleChoiceField(
        queryset=Person.objects.none(), required=False, label="Members of staff it refers to"
    )
    pupils = PeopleChoiceField(queryset=Person.objects.none(), required=False, label="Pupils it refers to")
    parents = PeopleChoiceField(
        queryset=Person.objects.none(), required=False, label="Parents or carers it refers to"
    )
    event = forms.CharField(max_length=200, required=False, label="School activity or event it refers to")

    def __init__(self, *args, services: QuerySet[Proposal], schools: QuerySet[School], **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["service"].queryset = services.select_related("school")
        self.fields["service"].error_messages["required"] = "Choose the approved service the post goes on."
        self.fields["post_text"].error_messages["required"] = "Enter what the post will say."
        self.fields["staff"].queryset = _members(schools, PersonKind.STAFF)
        self.fields["pupils"].queryset = _members(schools, PersonKind.PUPIL)
        self.fields["parents"].queryset = _members(schools, PersonKind.PARENT)
        self.helper = _helper()

    def clean(self):
        cleaned = super().clean()
        if not (
            cleaned.get("staff") or cleaned.get("pupils") or cleaned.get("parents") or cleaned.get("event")
        ):
            if not any(f in self.errors for f in ("staff", "pupils", "parents", "event")):
                raise ValidationError(
                    "Say who or what the post refers to: a member of staff, a pupil, a parent or carer, or a "
                    "school activity or event. A post that refers to none of them needs no permission."
                )
        return cleaned


class PermissionDecisionForm(forms.Form):
    AGREE, DECLINE = "agree", "decline"

    decision = forms.ChoiceField(
        choices=[(AGREE, "Agree"), (DECLINE, "Decline")],
        widget=forms.RadioSelect,
        error_messages={"required": "Choose agree or decline."},
    )
    note = forms.CharField(
        widget=forms.Textarea(attrs={"rows": 3}),
        required=False,
        label="Reason or note",
        help_text="Needed when declining; the requester reads it.",
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.helper = _helper()

    def clean(self):
        cleaned = super().clean()
        if cleaned.get("decision") == self.DECLINE and not (cleaned.get("note") or "").strip():
            self.add_error("note", "Give a reason for declining: the requester reads it.")
        return cleaned
