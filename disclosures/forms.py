"""The forms of the register and the redaction review. Every text field says its limit."""

from crispy_forms.helper import FormHelper
from django import forms
from django.utils import timezone

from people.models import Person

from .models import RequestKind
from .services.redactions import PHRASE_MAX
from .services.requests import REASON_MAX


class PortalForm(forms.Form):
    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.helper = FormHelper()
        self.helper.form_tag = False


class PersonChoiceField(forms.ModelChoiceField):
    def label_from_instance(self, obj: Person) -> str:
        return f"{obj.full_name} ({obj.get_kind_display().lower()})"


class RequestForm(PortalForm):
    school = forms.ModelChoiceField(
        label="School that answers it", queryset=None, error_messages={"required": "Choose the school."}
    )
    kind = forms.ChoiceField(
        label="Kind of request",
        choices=RequestKind.choices,
        widget=forms.RadioSelect,
        error_messages={"required": "Choose what kind of request it is."},
    )
    requester = PersonChoiceField(
        label="Who asked",
        queryset=None,
        error_messages={"required": "Choose who made the request."},
    )
    subject = PersonChoiceField(
        label="The child it is about",
        queryset=None,
        required=False,
        help_text="Only for a parent or carer asking about their child.",
    )
    allegation = forms.IntegerField(
        label="Allegation number",
        required=False,
        min_value=1,
        help_text="Only for a copy of an allegation record: the number the allegation's page shows.",
    )
    received_on = forms.DateField(
        label="Received on",
        widget=forms.DateInput(attrs={"type": "date"}),
        help_text="The day the request reached the school: the month to answer it runs from then.",
        error_messages={
            "required": "Enter the day the request was received.",
            "invalid": "Enter a real date.",
        },
    )

    def __init__(self, *args, schools, people, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["school"].queryset = schools
        self.fields["requester"].queryset = people
        self.fields["subject"].queryset = people
        self.fields["received_on"].initial = timezone.localdate()


class ReasonForm(PortalForm):
    reason = forms.CharField(
        label="Reason",
        max_length=REASON_MAX,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=f"Up to {REASON_MAX} characters. It is kept with the request.",
        error_messages={
            "required": "Give the reason.",
            "max_length": f"Keep the reason to {REASON_MAX} characters.",
        },
    )


class PhraseForm(PortalForm):
    phrase = forms.CharField(
        label="Words to redact",
        max_length=PHRASE_MAX,
        help_text=f"Up to {PHRASE_MAX} characters. Taken out wherever they appear in the pack, in any case.",
        error_messages={
            "required": "Enter the words to redact.",
            "max_length": f"Keep a phrase to {PHRASE_MAX} characters.",
        },
    )
