"""Forms of staff reports (concerns) and allegations about adults (§9), with their low-level reviews."""

from django import forms
from django.utils import timezone

from core.vocabulary import INCIDENT_PLATFORM_CHOICES
from people.models import Person, School

from ..clauses import CLAUSE_CHOICES
from ..models import (
    CATEGORIES_ABOUT_AN_ADULT,
    ConcernCategory,
    HeldAction,
    Outcome,
    ReferralMethod,
    Source,
)
from .base import (
    DATE_INPUT_FORMATS,
    DATETIME_INPUT_FORMATS,
    DateInput,
    DateTimeInput,
    PersonChoiceField,
    PortalForm,
    _as_queryset,
    _now_local,
    yes_no,
)

# --- Report a concern -------------------------------------------------------------------------


class ConcernForm(PortalForm):
    school = forms.ModelChoiceField(queryset=School.objects.none(), label="School")
    category = forms.ChoiceField(
        label="What is it about?", choices=ConcernCategory.choices, widget=forms.RadioSelect
    )
    subject = PersonChoiceField(
        queryset=Person.objects.none(),
        required=False,
        label="Who is it about?",
        empty_label="— no one in particular, or a pupil —",
        help_text="Needed when the concern is about an adult who works at the school.",
    )
    what_happened = forms.CharField(
        label="What happened?",
        widget=forms.Textarea(attrs={"rows": 6}),
        help_text="In your own words: what you saw or were told, and when. Do not look into it further or "
        "contact the person yourself.",
    )
    platforms = forms.MultipleChoiceField(
        label="Where did it happen?",
        choices=INCIDENT_PLATFORM_CHOICES,
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )
    happened_on = forms.DateField(
        label="When did it happen?",
        required=False,
        widget=DateInput(),
        input_formats=DATE_INPUT_FORMATS,
        help_text="If you know.",
    )

    def __init__(self, *args, schools, subjects, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["school"].queryset = _as_queryset(schools)
        self.fields["subject"].queryset = subjects
        if len(schools) == 1:
            self.fields["school"].initial = schools[0]
            self.fields["school"].widget = forms.HiddenInput()

    def clean(self):
        # Said here as well as by the service, so it shows with the other missing answers at once.
        cleaned = super().clean()
        if cleaned.get("category") in CATEGORIES_ABOUT_AN_ADULT and not cleaned.get("subject"):
            self.add_error("subject", "Choose the adult this is about.")
        return cleaned


# --- Recording an allegation ------------------------------------------------------------------------


class AllegationForm(PortalForm):
    school = forms.ModelChoiceField(queryset=School.objects.none(), label="School")
    received_at = forms.DateTimeField(
        label="When was it received?", widget=DateTimeInput(), input_formats=DATETIME_INPUT_FORMATS
    )
    received_by = PersonChoiceField(queryset=Person.objects.none(), label="Who received it?")
    source = forms.ChoiceField(label="Where did the disclosure come from?", choices=Source.choices)
    reporter = PersonChoiceField(
        queryset=Person.objects.none(),
        required=False,
        label="Who made the disclosure?",
        empty_label="— not in the registry, or anonymous —",
        help_text="A member of staff's identity is kept confidential to the case manager and the DSL (§9).",
    )
    reporter_name = forms.CharField(
        max_length=200,
        required=False,
        label="Their name, if they are not in the registry",
    )
    subject = PersonChoiceField(
        queryset=Person.objects.none(),
        label="Who is the allegation about?",
        help_text="An adult employed by or working at the school. They will never see this case.",
    )
    platforms = forms.MultipleChoiceField(
        label="Platform(s)",
        choices=INCIDENT_PLATFORM_CHOICES,
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )
    platform_other = forms.CharField(max_length=200, required=False, label="Other platform or service")
    what_happened = forms.CharField(label="What was seen or said", widget=forms.Textarea(attrs={"rows": 6}))
    clauses = forms.MultipleChoiceField(
        label="Policy clauses it may breach",
        choices=CLAUSE_CHOICES,
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )

    # From a staff report or an incident the source is the member of staff who filed it (sealed, §9):
    # the service sets it, and the form neither asks nor shows who they are.
    FROM_RECORD_HIDDEN = ("source", "reporter", "reporter_name")

    def __init__(
        self, *args, schools, subjects, receivers, reporters, from_concern=None, from_incident=None, **kwargs
    ):
        super().__init__(*args, **kwargs)
        self.fields["school"].queryset = _as_queryset(schools)
        self.fields["subject"].queryset = subjects
        self.fields["received_by"].queryset = receivers
        self.fields["reporter"].queryset = reporters
        self.fields["received_at"].initial = _now_local()
        if len(schools) == 1:
            self.fields["school"].initial = schools[0]
            self.fields["school"].widget = forms.HiddenInput()
        if from_concern is not None or from_incident is not None:
            for name in self.FROM_RECORD_HIDDEN:
                del self.fields[name]
        if from_concern is not None:
            self.fields["school"].initial = from_concern.school
            self.fields["school"].widget = forms.HiddenInput()
            self.fields["subject"].initial = from_concern.subject_id
            self.fields["what_happened"].initial = from_concern.what_happened
            self.fields["platforms"].initial = from_concern.platforms
        if from_incident is not None:
            self._prefill_from_incident(from_incident)

    def _prefill_from_incident(self, incident):
        """§8 improper contact by an adult of the school: the member of staff who recorded it is the source
        (sealed, §9, set by the service); the adult who made contact is the subject. Who received it is left
        to the view (the person opening the case): naming the recorder there would say who reported it."""
        self.fields["school"].initial = incident.school
        self.fields["school"].widget = forms.HiddenInput()
        self.fields["subject"].initial = incident.adult_id
        self.fields["received_at"].initial = (
            timezone.localtime(incident.created_at)
            .replace(second=0, microsecond=0)
            .strftime("%Y-%m-%dT%H:%M")
        )
        self.fields["what_happened"].initial = incident.what_happened
        self.fields["platforms"].initial = [incident.platform] if incident.platform else []
        self.fields["clauses"].initial = ["7.pupil_contact"]

    def service_fields(self) -> dict:
        data = dict(self.cleaned_data)
        data["clauses"] = list(data.get("clauses") or [])
        data["platforms"] = list(data.get("platforms") or [])
        return data


# --- Steps of the workflow ------------------------------------------------------------------------


class HarmAssessmentForm(PortalForm):
    """The four tests of KCSIE part four. Any one met puts the case on the LADO path."""

    harm_to_child = yes_no("Has the adult behaved in a way that has harmed a child, or may have harmed one?")
    criminal_offence = yes_no(
        "Has the adult possibly committed a criminal offence against or related to a child?"
    )
    risk_to_children = yes_no(
        "Has the adult behaved towards a child or children in a way that suggests they may pose a risk of harm?"
    )
    unsuitable_to_work = yes_no(
        "Has the adult behaved, or may they have behaved, in a way that suggests they may not be suitable to "
        "work with children?",
        help_text="Including behaviour outside school (a transferable risk).",
    )
    rationale = forms.CharField(label="How the tests were judged", widget=forms.Textarea(attrs={"rows": 4}))


class ReferralForm(PortalForm):
    referred_at = forms.DateTimeField(
        label="When was it referred?", widget=DateTimeInput(), input_formats=DATETIME_INPUT_FORMATS
    )
    referral_method = forms.ChoiceField(label="How", choices=ReferralMethod.choices, widget=forms.RadioSelect)
    lado_name = forms.CharField(max_length=200, label="LADO's name")
    lado_contact = forms.CharField(max_length=200, label="LADO's phone number or email address")
    lado_reference = forms.CharField(
        max_length=100, required=False, label="The LADO's reference", help_text="If given."
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["referred_at"].initial = _now_local()


class AdviceForm(PortalForm):
    advice_at = forms.DateTimeField(
        label="When did the LADO advise?", widget=DateTimeInput(), input_formats=DATETIME_INPUT_FORMATS
    )
    advice = forms.CharField(label="The advice", widget=forms.Textarea(attrs={"rows": 4}))
    police_involved = yes_no("Are the police involved?")
    strategy_meeting = yes_no("Is there a strategy meeting?")
    suspension_advised = yes_no("Did the LADO advise suspension?")
    actions_advised = forms.CharField(
        label="Actions advised", required=False, widget=forms.Textarea(attrs={"rows": 3})
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["advice_at"].initial = _now_local()


class StartInvestigationForm(PortalForm):
    """Nothing to enter: the step is confirmed."""


class OutcomeForm(PortalForm):
    outcome = forms.ChoiceField(label="Outcome", choices=Outcome.choices, widget=forms.RadioSelect)
    decision_notes = forms.CharField(
        label="The decision and its reasons", widget=forms.Textarea(attrs={"rows": 5})
    )


class CloseForm(PortalForm):
    closing_note = forms.CharField(label="Closing note", widget=forms.Textarea(attrs={"rows": 4}))


class ActionForm(PortalForm):
    kind = forms.ChoiceField(label="What was done", choices=HeldAction.choices, widget=forms.RadioSelect)
    taken_on = forms.DateField(label="When", widget=DateInput(), input_formats=DATE_INPUT_FORMATS)
    note = forms.CharField(label="Details", required=False, widget=forms.Textarea(attrs={"rows": 3}))


class ConcernCloseForm(PortalForm):
    closing_note = forms.CharField(
        label="What was done",
        widget=forms.Textarea(attrs={"rows": 4}),
        help_text="For the safeguarding record; the person who reported it does not see it.",
    )


class LowLevelReviewForm(PortalForm):
    note = forms.CharField(
        label="What the review found and what follows", widget=forms.Textarea(attrs={"rows": 4})
    )
