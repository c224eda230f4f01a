"""Registry forms. Validation a person can act on, field by field."""

from crispy_forms.helper import FormHelper
from django import forms
from django.core.exceptions import ValidationError
from django.utils import timezone

from core.text import no_hidden_formatting
from core.viewtools import record_id

from .models import FEDERATION_ROLES, ParentLink, Person, Role, School
from .services import validate_person_fields

DATE_INPUT_FORMATS = ["%Y-%m-%d", "%d/%m/%Y"]


class ChoiceList(forms.CheckboxSelectMultiple):
    """Several choices as a group of checkboxes, which work on touch, with the keyboard and with a screen
    reader (a multiple select does not); a long list gets a box to narrow it (static/portal/choice-filter.js)."""

    def __init__(self, attrs=None):
        super().__init__(attrs={"data-choice-filter": "", **(attrs or {})})


class ModelMultipleIdField(forms.ModelMultipleChoiceField):
    """Several records chosen by id, ticked in a `ChoiceList`. An id that is not a whole number within range
    is refused like an id that names no record, before any query is made with it."""

    widget = ChoiceList

    def _check_values(self, value):
        for pk in value if isinstance(value, list | tuple) else []:
            if record_id(pk) is None:
                raise ValidationError(
                    self.error_messages["invalid_pk_value"], code="invalid_pk_value", params={"pk": pk}
                )
        return super()._check_values(value)


class PeopleChoiceField(ModelMultipleIdField):
    """People to choose from, each told apart from anyone of the same name (`Person.choice_label`)."""

    def label_from_instance(self, obj):
        if not isinstance(obj, Person):  # the confirmation summary passes the chosen people at once
            return "; ".join(person.choice_label for person in obj)
        return obj.choice_label


class DateInput(forms.DateInput):
    input_type = "date"

    def __init__(self, **kwargs):
        super().__init__(format="%Y-%m-%d", **kwargs)


class PersonForm(forms.ModelForm):
    """A person's details; the school is chosen only when adding someone."""

    school = forms.ModelChoiceField(queryset=School.objects.none(), required=True)

    class Meta:
        model = Person
        fields = ["kind", "first_name", "last_name", "date_of_birth", "email", "phone", "reference"]
        widgets = {"date_of_birth": DateInput()}
        help_texts = {"date_of_birth": "Needed for pupils and former pupils."}

    def __init__(self, *args, schools=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["date_of_birth"].input_formats = DATE_INPUT_FORMATS
        if schools is None:
            del self.fields["school"]
        else:
            self.fields["school"].queryset = schools
            first_two = list(schools[:2])
            if len(first_two) == 1:
                self.fields["school"].initial = first_two[0]
            self.order_fields(["school"])
        self.helper = FormHelper()
        self.helper.form_tag = False

    def clean_reference(self):
        reference = self.cleaned_data["reference"].strip()
        if reference:
            clash = Person.objects.filter(reference=reference)
            if self.instance.pk:
                clash = clash.exclude(pk=self.instance.pk)
            if clash.exists():
                raise ValidationError("Another person already has this reference.")
        return reference

    def clean(self):
        cleaned = super().clean()
        try:
            validate_person_fields(kind=cleaned.get("kind"), date_of_birth=cleaned.get("date_of_birth"))
        except ValidationError as exc:
            for field, messages in exc.message_dict.items():
                if field not in self.errors:
                    self.add_error(field, messages)
        return cleaned

    def person_fields(self) -> dict:
        return {name: self.cleaned_data[name] for name in self.Meta.fields}


class MarkLeftForm(forms.Form):
    left_on = forms.DateField(label="Date they left", widget=DateInput(), input_formats=DATE_INPUT_FORMATS)

    def clean_left_on(self):
        left_on = self.cleaned_data["left_on"]
        if left_on > timezone.localdate():
            raise ValidationError("The leaving date cannot be in the future.")
        return left_on


class ParentLinkForm(forms.Form):
    """Link a parent or carer: pick one already in the registry, or enter a new one."""

    parent = forms.ModelChoiceField(
        queryset=Person.objects.none(),
        required=False,
        label="Parent or carer already in the registry",
        empty_label="— a new parent or carer —",
    )
    first_name = forms.CharField(max_length=100, required=False)
    last_name = forms.CharField(max_length=100, required=False)
    email = forms.EmailField(required=False)
    phone = forms.CharField(max_length=40, required=False)
    relationship = forms.ChoiceField(choices=ParentLink.Relationship.choices)
    # Neither is assumed: whoever links the parent ticks each one deliberately, having checked it.
    parental_responsibility = forms.BooleanField(required=False, initial=False)
    may_contact = forms.BooleanField(
        required=False, initial=False, label="The school may contact them about this pupil"
    )
    preferred_channel = forms.ChoiceField(choices=ParentLink.Channel.choices)

    def __init__(self, *args, parents=None, **kwargs):
        super().__init__(*args, **kwargs)
        if parents is not None:
            self.fields["parent"].queryset = parents
        self.helper = FormHelper()
        self.helper.form_tag = False

    def clean(self):
        cleaned = super().clean()
        parent = cleaned.get("parent")
        has_new = bool(cleaned.get("first_name") or cleaned.get("last_name"))
        if parent and has_new:
            raise ValidationError("Choose a parent from the registry or enter a new one, not both.")
        if not parent:
            if not cleaned.get("first_name"):
                self.add_error(
                    "first_name", "Enter the parent's first name, or choose one from the registry."
                )
            if not cleaned.get("last_name"):
                self.add_error("last_name", "Enter the parent's last name, or choose one from the registry.")
        if cleaned.get("may_contact"):
            email = parent.email if parent else cleaned.get("email")
            phone = parent.phone if parent else cleaned.get("phone")
            channel = cleaned.get("preferred_channel")
            if channel == ParentLink.Channel.EMAIL and not email:
                self.add_error("email", "Email is the preferred channel: enter an email address.")
            if channel == ParentLink.Channel.PHONE and not phone:
                self.add_error("phone", "Phone is the preferred channel: enter a phone number.")
        return cleaned

    def new_parent(self) -> dict | None:
        if self.cleaned_data.get("parent"):
            return None
        return {k: self.cleaned_data[k] for k in ("first_name", "last_name", "email", "phone")}


# --- Imports (people.importers reads the files) ---------------------------------------------


class ImportRowForm(PersonForm):
    """One CSV row, validated like the add-person form. A reference already in the registry is not
    refused here: the import matches it and updates that person."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, schools=None, **kwargs)

    def clean_reference(self):
        return self.cleaned_data["reference"].strip()

    def validate_unique(self):
        """A reference in use is the person to update, not a clash (the plan matches it)."""

    def validate_constraints(self):
        """Likewise for the reference's constraint; a pupil's date of birth is checked by `clean`."""


class PeopleImportForm(forms.Form):
    school = forms.ModelChoiceField(queryset=School.objects.none())
    file = forms.FileField(
        label="CSV file",
        help_text=(
            "Columns: kind, first_name, last_name, date_of_birth, email, phone, reference; for parents "
            "also parent_of, relationship, parental_responsibility. Dates as YYYY-MM-DD or DD/MM/YYYY."
        ),
    )

    def __init__(self, *args, schools=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["school"].queryset = schools if schools is not None else School.objects.none()
        if schools is not None:
            first_two = list(schools[:2])
            if len(first_two) == 1:
                self.fields["school"].initial = first_two[0]
        self.helper = FormHelper()
        self.helper.form_tag = False

    max_bytes = 2 * 1024 * 1024

    def clean_file(self):
        """The file's bytes (the importer reads them); a file over the size limit is not read at all."""
        upload = self.cleaned_data["file"]
        if upload.size > self.max_bytes:
            raise ValidationError(
                f"The file is larger than {self.max_bytes // (1024 * 1024)} MB; split it into smaller files."
            )
        return upload.read()


class CTFImportForm(PeopleImportForm):
    file = forms.FileField(
        label="Common Transfer File (XML)",
        help_text="Exported from the school's MIS; at most 25 MB.",
    )
    leavers = forms.BooleanField(
        required=False,
        label="This file lists every pupil on roll: pupils missing from it have left",
        help_text="They are listed on the next page before anything is recorded.",
    )
    max_bytes = 25 * 1024 * 1024


class ClassGroupForm(forms.Form):
    name = forms.CharField(max_length=100, validators=[no_hidden_formatting])
    year_group = forms.IntegerField(min_value=0, max_value=14, required=False)
    teachers = PeopleChoiceField(queryset=Person.objects.none(), required=False)
    pupils = PeopleChoiceField(queryset=Person.objects.none(), required=False)

    def __init__(self, *args, staff=None, pupils=None, **kwargs):
        super().__init__(*args, **kwargs)
        if staff is not None:
            self.fields["teachers"].queryset = staff
        if pupils is not None:
            self.fields["pupils"].queryset = pupils
        self.helper = FormHelper()
        self.helper.form_tag = False


class RoleGrantForm(forms.Form):
    role = forms.ChoiceField(choices=Role.choices)
    school = forms.ModelChoiceField(
        queryset=School.objects.none(), required=False, help_text="Not needed for federation roles."
    )

    def __init__(self, *args, schools=None, federation_roles=False, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["school"].queryset = schools if schools is not None else School.objects.none()
        if not federation_roles:
            self.fields["role"].choices = [
                (v, label) for v, label in Role.choices if v not in FEDERATION_ROLES
            ]
        self.helper = FormHelper()
        self.helper.form_tag = False

    def clean(self):
        cleaned = super().clean()
        role, school = cleaned.get("role"), cleaned.get("school")
        if role in FEDERATION_ROLES and school is not None:
            self.add_error("school", "A federation role is not held at one school: leave the school empty.")
        if role and role not in FEDERATION_ROLES and school is None:
            self.add_error("school", "Choose the school where this role is held.")
        return cleaned


class SignInCreateForm(forms.Form):
    username = forms.RegexField(
        regex=r"^[\w.@+-]+$",
        max_length=150,
        help_text="Letters, digits and . @ + - _ only. A link to set the password is emailed to the person.",
        error_messages={"invalid": "Use letters, digits and . @ + - _ only."},
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.helper = FormHelper()
        self.helper.form_tag = False


class AuthenticatorCodeForm(forms.Form):
    """The portal's own second step after a provider's sign-in that asserted no second factor."""

    code = forms.CharField(
        label="Code",
        max_length=16,
        strip=True,
        help_text="The 6-digit code your authenticator app shows, or one of your backup codes (16 characters at most).",
        widget=forms.TextInput(
            attrs={"autocomplete": "one-time-code", "inputmode": "numeric", "autofocus": True}
        ),
        error_messages={"required": "Enter the code from your authenticator app."},
    )
