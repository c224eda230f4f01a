"""Forms of the incidents app. They collect and tidy input; the rules live in the services."""

from crispy_forms.helper import FormHelper
from django import forms
from django.utils import timezone

from core.vocabulary import INCIDENT_PLATFORM_CHOICES
from people.forms import ModelMultipleIdField
from people.models import Person, School

from .clauses import CLAUSE_CHOICES
from .models import (
    CATEGORIES_ABOUT_AN_ADULT,
    BullyingChannel,
    ConcernCategory,
    HeldAction,
    IncidentType,
    Outcome,
    Perpetrator,
    ReferralMethod,
    ReportSource,
    Source,
    TriageRule,
    WhenItHappens,
)

YES_NO = [("yes", "Yes"), ("no", "No")]
DATE_INPUT_FORMATS = ["%Y-%m-%d", "%d/%m/%Y"]
DATETIME_INPUT_FORMATS = ["%Y-%m-%dT%H:%M", "%Y-%m-%d %H:%M", "%Y-%m-%d %H:%M:%S", "%d/%m/%Y %H:%M"]


class DateInput(forms.DateInput):
    input_type = "date"

    def __init__(self, **kwargs):
        super().__init__(format="%Y-%m-%d", **kwargs)


class DateTimeInput(forms.DateTimeInput):
    input_type = "datetime-local"

    def __init__(self, **kwargs):
        super().__init__(format="%Y-%m-%dT%H:%M", **kwargs)


def _now_local():
    return timezone.localtime().replace(second=0, microsecond=0).strftime("%Y-%m-%dT%H:%M")


def yes_no(label: str, help_text: str = "") -> forms.TypedChoiceField:
    """A question answered Yes or No on purpose: no default, so an unanswered test is noticed."""
    return forms.TypedChoiceField(
        label=label,
        choices=YES_NO,
        coerce=lambda value: value == "yes",
        widget=forms.RadioSelect,
        help_text=help_text,
        error_messages={"required": "Answer Yes or No."},
    )


def _as_queryset(schools):
    """The schools (already read as a list by the view) as the queryset a choice field validates against."""
    return School.objects.filter(pk__in=[school.pk for school in schools]).order_by("name")


class PersonChoiceField(forms.ModelChoiceField):
    def label_from_instance(self, obj: Person) -> str:
        return f"{obj.full_name} ({obj.get_kind_display().lower()})"


class PortalForm(forms.Form):
    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.helper = FormHelper()
        self.helper.form_tag = False


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


class NoteForm(PortalForm):
    text = forms.CharField(
        label="Note",
        widget=forms.Textarea(attrs={"rows": 4}),
        error_messages={"required": "Write the note before adding it."},
    )
    corrects = forms.TypedChoiceField(
        label="Does it correct an earlier note?",
        required=False,
        coerce=int,
        empty_value=None,
        help_text="Notes are never changed or removed: a correction is a new note that points at the old one.",
    )

    def __init__(self, *args, notes=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["corrects"].choices = [("", "— no, it is a new note —")] + [
            (note.pk, f"Note {number} of {timezone.localtime(note.created_at):%d %b %Y %H:%M}")
            for number, note in enumerate(notes, start=1)
        ]


class EvidenceForm(PortalForm):
    file = forms.FileField(
        label="File",
        help_text="PNG, JPEG, PDF or plain text, up to the size limit. Files are checked by their content.",
        error_messages={
            "required": "Choose the file to add.",
            "empty": "The file is empty: choose the file again.",
            "invalid": "No file came with the form: choose the file again.",
        },
    )
    confirm = forms.BooleanField(
        label="I confirm this file belongs to this case. Files cannot be removed from a case once added.",
        error_messages={"required": "Tick the box to confirm the file belongs to this case."},
    )

    def __init__(self, *args, max_megabytes: str, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["file"].help_text = (
            f"PNG, JPEG, PDF or plain text, up to {max_megabytes} MB. Files are checked by their content, "
            "not their name."
        )


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


# --- Pupil incidents (§8) ----------------------------------------------------------------------------


class PupilChoiceField(ModelMultipleIdField):
    def label_from_instance(self, obj) -> str:
        # The confirmation summary passes the chosen pupils all at once.
        if not isinstance(obj, Person):
            return "; ".join(person.full_name for person in obj)
        return obj.full_name


class PupilIncidentForm(PortalForm):
    school = forms.ModelChoiceField(queryset=School.objects.none(), label="School")
    kind = forms.ChoiceField(label="What happened?", choices=IncidentType.choices, widget=forms.RadioSelect)
    pupils = PupilChoiceField(queryset=Person.objects.none(), label="Pupil or pupils")
    occurred_at = forms.DateTimeField(
        label="When", input_formats=DATETIME_INPUT_FORMATS, widget=DateTimeInput(), initial=_now_local
    )
    in_school_day = yes_no("Was it during the school day?")
    location = forms.CharField(label="Where", max_length=200)
    what_happened = forms.CharField(label="What happened", widget=forms.Textarea(attrs={"rows": 4}))
    platform = forms.ChoiceField(
        label="Platform or service",
        choices=[("", "—")] + INCIDENT_PLATFORM_CHOICES,
        required=False,
        help_text="Needed for an under-age account: the warning to parents names it and its minimum age.",
    )
    adult = PersonChoiceField(
        queryset=Person.objects.none(),
        required=False,
        label="The adult involved",
        help_text="The member of staff whose area the pupil tried to join, or the adult who made contact.",
    )
    adult_description = forms.CharField(
        label="Or describe the adult", max_length=200, required=False, help_text="When they are not listed."
    )
    sanction_starts_on = forms.DateField(
        label="Supervised ICT use from", required=False, input_formats=DATE_INPUT_FORMATS, widget=DateInput()
    )
    sanction_ends_on = forms.DateField(
        label="Supervised ICT use until", required=False, input_formats=DATE_INPUT_FORMATS, widget=DateInput()
    )

    def __init__(self, *args, schools, pupils, adults, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["school"].queryset = _as_queryset(schools)
        if len(schools) == 1:
            self.fields["school"].initial = schools[0].pk
        self.fields["pupils"].queryset = pupils
        self.fields["adult"].queryset = adults


class ActionFinishForm(PortalForm):
    note = forms.CharField(
        label="Note or reason", required=False, widget=forms.Textarea(attrs={"rows": 2}), max_length=2000
    )
    reference = forms.CharField(
        label="Police reference (crime number)",
        max_length=100,
        required=False,
        help_text="Needed to mark a police referral as done.",
    )

    def __init__(self, *args, with_reference=False, **kwargs):
        super().__init__(*args, **kwargs)
        if not with_reference:
            del self.fields["reference"]


class ParentNoticeForm(PortalForm):
    template = forms.ChoiceField(label="Notice to send", widget=forms.RadioSelect)

    def __init__(self, *args, templates, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["template"].choices = templates


# --- Cyberbullying (§10) ---------------------------------------------------------------------------------


class CyberbullyingReportForm(PortalForm):
    school = forms.ModelChoiceField(queryset=School.objects.none(), label="School")
    source = forms.ChoiceField(
        label="Who told the school?", choices=ReportSource.choices, widget=forms.RadioSelect
    )
    reporter = PersonChoiceField(
        queryset=Person.objects.none(),
        required=False,
        label="The person who told the school",
        help_text="A pupil who told you in confidence is kept confidential: only the DSL sees who it was.",
    )
    victims = PupilChoiceField(
        queryset=Person.objects.none(),
        label="The pupil or pupils being bullied",
        help_text="Hold Ctrl (or Cmd) to choose more than one.",
    )
    when = forms.MultipleChoiceField(
        label="When does it happen?", choices=WhenItHappens.choices, widget=forms.CheckboxSelectMultiple
    )
    channels = forms.MultipleChoiceField(
        label="How does it happen?", choices=BullyingChannel.choices, widget=forms.CheckboxSelectMultiple
    )
    platform = forms.ChoiceField(
        label="Social media platform",
        choices=[("", "—")] + INCIDENT_PLATFORM_CHOICES,
        required=False,
        help_text="Needed when it happens on social media: the platform's minimum age matters to the decision.",
    )
    what_happened = forms.CharField(label="What happened", widget=forms.Textarea(attrs={"rows": 4}))
    parents_refuse_to_engage = forms.BooleanField(
        label="The parents or carers refuse to engage with the school", required=False
    )
    bullying_continues = forms.BooleanField(label="The bullying is continuing", required=False)

    def __init__(self, *args, schools, pupils, reporters, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["school"].queryset = _as_queryset(schools)
        if len(schools) == 1:
            self.fields["school"].initial = schools[0].pk
        self.fields["victims"].queryset = pupils
        self.fields["reporter"].queryset = reporters


class PerpetratorForm(PortalForm):
    kind = forms.ChoiceField(
        label="Who is said to be responsible?",
        choices=[("", "—")] + Perpetrator.Kind.choices,
        required=False,
    )
    person = PersonChoiceField(
        queryset=Person.objects.none(), required=False, label="The pupil (for a pupil of the school)"
    )
    name = forms.CharField(label="Name or description (for anyone else)", max_length=200, required=False)
    left_on = forms.DateField(
        label="Date they left (for a former pupil)",
        required=False,
        input_formats=DATE_INPUT_FORMATS,
        widget=DateInput(),
    )
    new_school = forms.CharField(
        label="Their new school, if known (for a former pupil)", max_length=200, required=False
    )

    def __init__(self, *args, pupils=None, **kwargs):
        super().__init__(*args, **kwargs)
        if pupils is not None:
            self.fields["person"].queryset = pupils


PerpetratorFormSet = forms.formset_factory(PerpetratorForm, extra=2, max_num=10, validate_max=True)


class CyberbullyingDecideForm(PortalForm):
    rules = forms.MultipleChoiceField(
        label="The outcomes decided",
        choices=TriageRule.choices,
        widget=forms.CheckboxSelectMultiple,
        required=False,
        help_text=(
            "The policy's triage is ticked. Change it only with a written reason: the actions set are then "
            "the ones the outcomes you tick call for."
        ),
    )
    override_reason = forms.CharField(
        label="Why you decided differently from the triage",
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
    )
