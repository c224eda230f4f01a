"""What every form of the incidents app shares: the widgets, the Yes/No question, the choice fields, and
the note and file forms of every kind of case."""

from crispy_forms.helper import FormHelper
from django import forms
from django.utils import timezone

from core import formats
from people.models import Person, School

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


# --- Notes and files of every kind of case ------------------------------------------------------


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
    third_party = forms.BooleanField(
        label="It holds information about or from someone outside the case (a relative, another agency)",
        required=False,
        help_text="Such information is proposed for redaction when a copy of the record is given to someone.",
    )

    def __init__(self, *args, notes=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["corrects"].choices = [("", "— no, it is a new note —")] + [
            (note.pk, f"Note {number} of {formats.moment(note.created_at)}")
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
