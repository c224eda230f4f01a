"""Forms of the policy pages and the report filters. Validation a person can act on, field by field."""

from datetime import timedelta
from pathlib import Path

from django import forms
from django.conf import settings
from django.forms import Select

from people.forms import DATE_INPUT_FORMATS, DateInput

from .importer import PolicyImportError, decode, parse_policy
from .services import RATIFY_REQUIRED

ALLOWED_SUFFIXES = (".txt", ".md", ".markdown", ".text")
# Longest date range a report accepts: beyond this a chart of months stops being readable.
MAX_REPORT_DAYS = 366 * 10


class PolicyUploadForm(forms.Form):
    file = forms.FileField(
        label="Policy file",
        help_text="A plain text (.txt) or Markdown (.md) file, with each section heading numbered on its own line.",
    )
    title = forms.CharField(
        label="Title",
        max_length=200,
        required=False,
        help_text="Leave empty to use the title found in the file.",
    )

    def clean_file(self):
        upload = self.cleaned_data["file"]
        if Path(upload.name).suffix.lower() not in ALLOWED_SUFFIXES:
            raise forms.ValidationError(
                "Upload a .txt or .md file. From Word, use Save As and choose 'Plain Text'."
            )
        limit = settings.POLICYDOCS_IMPORT_MAX_BYTES
        if upload.size > limit:
            raise forms.ValidationError(
                f"The file is {upload.size // 1024} KB; at most {limit // 1024} KB is accepted."
            )
        try:
            text = decode(upload.read())
            self.parsed = parse_policy(text)
        except PolicyImportError as exc:
            raise forms.ValidationError(exc.messages) from None
        self.text = text
        return upload


class RatifyForm(forms.Form):
    """All three are required (marked so); the messages are the service's, which checks them again."""

    ratified_by = forms.CharField(
        label="Ratified by",
        max_length=200,
        error_messages={"required": RATIFY_REQUIRED["ratified_by"]},
        help_text="Who ratified it, for example 'Resources Committee' or 'Full governing board'.",
    )
    ratified_on = forms.DateField(
        label="Ratified on",
        error_messages={"required": RATIFY_REQUIRED["ratified_on"]},
        widget=DateInput(),
        input_formats=DATE_INPUT_FORMATS,
    )
    review_due_on = forms.DateField(
        label="Review due",
        error_messages={"required": RATIFY_REQUIRED["review_due_on"]},
        widget=DateInput(),
        input_formats=DATE_INPUT_FORMATS,
        help_text="The heads are reminded 60 and 14 days before.",
    )


class AcknowledgeForm(forms.Form):
    # The hash of the text shown: the confirmation is for exactly that text.
    content_hash = forms.CharField(widget=forms.HiddenInput, max_length=64)
    read_confirmed = forms.BooleanField(
        label="I have read and understood this version of the policy, and I will follow it.", required=False
    )
    posts_checked = forms.BooleanField(
        label=(
            "I have checked what I have posted on social media before joining, and removed anything that could "
            "cause embarrassment or offence (§7)."
        ),
        required=False,
    )

    def __init__(self, *args, needs_posts_check: bool, **kwargs):
        super().__init__(*args, **kwargs)
        if not needs_posts_check:
            del self.fields["posts_checked"]


class CompareForm(forms.Form):
    old = forms.ModelChoiceField(label="Earlier version", queryset=None, empty_label=None)
    new = forms.ModelChoiceField(label="Later version", queryset=None, empty_label=None)

    def __init__(self, *args, versions, **kwargs):
        super().__init__(*args, **kwargs)
        for name in ("old", "new"):
            self.fields[name].queryset = versions
            self.fields[name].label_from_instance = lambda v: f"{v.label} ({v.get_status_display().lower()})"

    def clean(self):
        data = super().clean()
        old, new = data.get("old"), data.get("new")
        if old and new and old.pk == new.pk:
            self.add_error("new", "Choose two different versions to compare.")
        elif old and new and old.policy_id != new.policy_id:
            self.add_error("new", "Choose two versions of the same policy.")
        return data


class ReportFilterForm(forms.Form):
    school = forms.ModelChoiceField(
        label="School", queryset=None, required=False, empty_label="All your schools", widget=Select
    )
    date_from = forms.DateField(
        label="From", required=False, widget=DateInput(), input_formats=DATE_INPUT_FORMATS
    )
    date_to = forms.DateField(
        label="To", required=False, widget=DateInput(), input_formats=DATE_INPUT_FORMATS
    )

    def __init__(self, *args, schools, uses_dates: bool = True, date_label: str = "", **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["school"].queryset = schools
        if not uses_dates:
            del self.fields["date_from"]
            del self.fields["date_to"]
        elif date_label:
            self.date_label = date_label

    def clean(self):
        data = super().clean()
        start, end = data.get("date_from"), data.get("date_to")
        if start and end and start > end:
            self.add_error("date_to", "The end date must be on or after the start date.")
        elif start and end and (end - start) > timedelta(days=MAX_REPORT_DAYS):
            self.add_error("date_from", "Choose at most ten years at a time.")
        return data
