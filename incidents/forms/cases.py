"""Forms of pupil incidents (§8), cyberbullying reports (§10) and the follow-up actions they set."""

from django import forms

from core.vocabulary import INCIDENT_PLATFORM_CHOICES
from people.forms import PeopleChoiceField
from people.models import Person, School

from ..models import (
    BullyingChannel,
    IncidentType,
    Perpetrator,
    ReportSource,
    TriageRule,
    WhenItHappens,
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

# --- Pupil incidents (§8) ----------------------------------------------------------------------------


class PupilIncidentForm(PortalForm):
    school = forms.ModelChoiceField(queryset=School.objects.none(), label="School")
    kind = forms.ChoiceField(label="What happened?", choices=IncidentType.choices, widget=forms.RadioSelect)
    pupils = PeopleChoiceField(queryset=Person.objects.none(), label="Pupil or pupils")
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
    victims = PeopleChoiceField(
        queryset=Person.objects.none(),
        label="The pupil or pupils being bullied",
        help_text="Tick each pupil; type in the box above a long list to find a name.",
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
