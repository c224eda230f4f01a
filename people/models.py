"""The school representatives (§3): federation, schools, people, roles, links, classes."""

from datetime import date

from django.contrib.auth.models import AbstractUser
from django.db import models
from django.db.models import Q
from django.db.models.functions import Lower
from django.urls import reverse

from core import formats
from core.text import no_hidden_formatting


class TimeStampedModel(models.Model):
    """Shared created/updated stamps for every domain model."""

    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        abstract = True


class User(AbstractUser):
    """A sign-in. What the holder may do comes from their Person's roles."""

    class Meta:
        db_table = "people_user"

    def __str__(self):
        return self.get_full_name() or self.username


class Federation(TimeStampedModel):
    name = models.CharField(max_length=200, unique=True)

    def __str__(self):
        return self.name


class School(TimeStampedModel):
    federation = models.ForeignKey(Federation, on_delete=models.PROTECT, related_name="schools")
    name = models.CharField(max_length=200)
    code = models.SlugField(max_length=40, unique=True, help_text="Short code used in references.")

    class Meta:
        ordering = ["name"]
        constraints = [
            models.UniqueConstraint(fields=["federation", "name"], name="school_name_unique_in_federation")
        ]

    def __str__(self):
        return self.name


class PersonKind(models.TextChoices):
    STAFF = "staff", "Member of staff"
    PUPIL = "pupil", "Pupil"
    FORMER_PUPIL = "former_pupil", "Former pupil"
    PARENT = "parent", "Parent or carer"
    GOVERNOR = "governor", "Governor"
    VOLUNTEER = "volunteer", "Volunteer"
    VISITOR = "visitor", "Visitor"


# Kinds whose records must carry a date of birth: the under-13 rules (§8, §10) depend on it.
KINDS_NEEDING_DOB = {PersonKind.PUPIL, PersonKind.FORMER_PUPIL}
# Kinds who may hold a sign-in.
KINDS_WITH_LOGIN = {PersonKind.STAFF, PersonKind.GOVERNOR}


class Sex(models.TextChoices):
    FEMALE = "F", "Female"
    MALE = "M", "Male"


class Person(TimeStampedModel):
    """Anyone the policy covers (§3), whether or not they sign in."""

    kind = models.CharField(max_length=20, choices=PersonKind.choices)
    first_name = models.CharField(max_length=100, validators=[no_hidden_formatting])
    last_name = models.CharField(max_length=100, validators=[no_hidden_formatting])
    date_of_birth = models.DateField(null=True, blank=True)
    email = models.EmailField(blank=True)
    phone = models.CharField(max_length=40, blank=True)
    reference = models.CharField(
        max_length=40,
        blank=True,
        help_text="The school's own reference (for example a pupil number); unique when given.",
    )
    left_on = models.DateField(null=True, blank=True, help_text="The date they left the school.")
    # From the school's MIS (Common Transfer File): recorded as the MIS holds them, never guessed.
    sex = models.CharField(max_length=1, choices=Sex.choices, blank=True)
    nc_year = models.CharField(
        "National Curriculum year",
        max_length=3,
        blank=True,
        help_text="As the MIS gives it: N1, N2, R, 1 to 14.",
    )
    user = models.OneToOneField(User, null=True, blank=True, on_delete=models.SET_NULL, related_name="person")
    schools = models.ManyToManyField(School, through="Membership", related_name="people")

    class Meta:
        ordering = ["last_name", "first_name", "id"]
        verbose_name_plural = "people"
        indexes = [models.Index(Lower("last_name"), Lower("first_name"), name="person_name_idx")]
        constraints = [
            models.UniqueConstraint(
                fields=["reference"], condition=~Q(reference=""), name="person_reference_unique"
            ),
            models.CheckConstraint(
                condition=~Q(kind__in=["pupil", "former_pupil"]) | Q(date_of_birth__isnull=False),
                name="person_pupil_has_dob",
            ),
        ]

    def __str__(self):
        return self.full_name

    def get_absolute_url(self):
        return reverse("people:person_detail", args=[self.pk])

    @property
    def full_name(self):
        return f"{self.first_name} {self.last_name}".strip()

    @property
    def choice_label(self) -> str:
        """How a person reads in a list to choose from, told apart from anyone of the same name: a pupil by
        date of birth, anyone else by their reference or email ("Patel, Reuben (born 4 May 2015)")."""
        name = f"{self.last_name}, {self.first_name}"
        if self.date_of_birth and self.kind in (PersonKind.PUPIL, PersonKind.FORMER_PUPIL):
            return f"{name} (born {formats.day(self.date_of_birth)})"
        detail = self.reference or self.email
        return f"{name} ({detail})" if detail else name

    def age_on(self, on: date) -> int | None:
        return age_on(self.date_of_birth, on)


def age_on(date_of_birth: date | None, on: date) -> int | None:
    """Whole years of age on a given day; None when the date of birth is unknown.

    Someone born on 29 February has their birthday on 1 March in other years
    (the rule UK law uses for coming of age).
    """
    if date_of_birth is None:
        return None
    years = on.year - date_of_birth.year
    if (on.month, on.day) < (date_of_birth.month, date_of_birth.day):
        years -= 1
    return years


class Membership(TimeStampedModel):
    """A person belongs to a school (a pupil on roll, a parent of one, a member of staff)."""

    person = models.ForeignKey(Person, on_delete=models.CASCADE, related_name="memberships")
    school = models.ForeignKey(School, on_delete=models.PROTECT, related_name="memberships")
    started_on = models.DateField(null=True, blank=True)
    ended_on = models.DateField(null=True, blank=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["person", "school"], name="membership_unique"),
        ]

    def __str__(self):
        return f"{self.person} at {self.school}"


class Role(models.TextChoices):
    STAFF = "staff", "Staff"
    CLASS_TEACHER = "class_teacher", "Class teacher"
    DSL = "dsl", "Designated safeguarding lead"
    SLT = "slt", "Senior leadership team"
    HEAD_OF_SCHOOL = "head_of_school", "Head of School"
    OFFICE_ADMIN = "office_admin", "Office admin"
    GOVERNOR = "governor", "Governor"
    EXECUTIVE_HEAD = "executive_head", "Executive Head"
    CHAIR_OF_GOVERNORS = "chair_of_governors", "Chair of governors"


FEDERATION_ROLES = frozenset({Role.EXECUTIVE_HEAD, Role.CHAIR_OF_GOVERNORS})
# A fixed order, so that the constraint below (and its migration) never changes between runs.
_FEDERATION_ROLE_VALUES = sorted(r.value for r in FEDERATION_ROLES)


class RoleAssignment(TimeStampedModel):
    """A role a person holds: at one school, or across the federation."""

    person = models.ForeignKey(Person, on_delete=models.CASCADE, related_name="roles")
    role = models.CharField(max_length=30, choices=Role.choices)
    school = models.ForeignKey(
        School, null=True, blank=True, on_delete=models.PROTECT, related_name="role_assignments"
    )
    federation = models.ForeignKey(
        Federation, null=True, blank=True, on_delete=models.PROTECT, related_name="role_assignments"
    )

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["person", "role", "school"],
                condition=Q(school__isnull=False),
                name="role_unique_per_school",
            ),
            models.UniqueConstraint(
                fields=["person", "role", "federation"],
                condition=Q(federation__isnull=False),
                name="role_unique_per_federation",
            ),
            # Federation roles belong to a federation; every other role to a school.
            models.CheckConstraint(
                condition=(
                    Q(
                        role__in=_FEDERATION_ROLE_VALUES,
                        school__isnull=True,
                        federation__isnull=False,
                    )
                    | (
                        ~Q(role__in=_FEDERATION_ROLE_VALUES)
                        & Q(school__isnull=False, federation__isnull=True)
                    )
                ),
                name="role_scope_matches_role",
            ),
        ]

    def __str__(self):
        where = self.school or self.federation
        return f"{self.get_role_display()} ({where})"


class ParentLink(TimeStampedModel):
    """A parent or carer of a pupil, and whether and how the school may contact them."""

    class Relationship(models.TextChoices):
        MOTHER = "mother", "Mother"
        FATHER = "father", "Father"
        CARER = "carer", "Carer"
        GUARDIAN = "guardian", "Guardian"
        GRANDPARENT = "grandparent", "Grandparent"
        OTHER = "other", "Other relative"

    class Channel(models.TextChoices):
        EMAIL = "email", "Email"
        PHONE = "phone", "Phone"
        LETTER = "letter", "Letter"

    parent = models.ForeignKey(Person, on_delete=models.CASCADE, related_name="children_links")
    pupil = models.ForeignKey(Person, on_delete=models.CASCADE, related_name="parent_links")
    relationship = models.CharField(max_length=20, choices=Relationship.choices)
    parental_responsibility = models.BooleanField(default=True)
    may_contact = models.BooleanField(default=True)
    preferred_channel = models.CharField(max_length=10, choices=Channel.choices, default=Channel.EMAIL)
    contact_order = models.PositiveSmallIntegerField(
        null=True,
        blank=True,
        help_text="Who the school calls first (1), second (2)... as the MIS orders them.",
    )

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["parent", "pupil"], name="parent_link_unique"),
            models.CheckConstraint(condition=~Q(parent=models.F("pupil")), name="parent_link_not_self"),
        ]

    def __str__(self):
        return f"{self.parent} ({self.get_relationship_display()}) of {self.pupil}"


class ClassGroup(TimeStampedModel):
    """A class or teaching group: its teachers receive pupils' reports in confidence (§8)."""

    school = models.ForeignKey(School, on_delete=models.PROTECT, related_name="classes")
    name = models.CharField(max_length=100, validators=[no_hidden_formatting])
    year_group = models.PositiveSmallIntegerField(null=True, blank=True)
    teachers = models.ManyToManyField(Person, related_name="classes_taught", blank=True)
    pupils = models.ManyToManyField(Person, related_name="classes_attended", blank=True)

    class Meta:
        ordering = ["school__name", "year_group", "name"]
        verbose_name = "class"
        verbose_name_plural = "classes"
        constraints = [
            models.UniqueConstraint(fields=["school", "name"], name="class_name_unique_in_school"),
        ]

    def __str__(self):
        return f"{self.name} ({self.school.code})"


class ImportStatus(models.TextChoices):
    PREVIEWED = "previewed", "Checked, waiting for confirmation"
    QUEUED = "queued", "Waiting to start"
    RUNNING = "running", "Being imported"
    DONE = "done", "Imported"
    FAILED = "failed", "Not imported"


class ImportJob(TimeStampedModel):
    """One file from the school's MIS: checked, previewed, then applied in the background once confirmed.

    The file itself lives in private storage (MEDIA_ROOT/imports/, never a served path), not in the
    session; only the person who uploaded it may see or confirm the job.
    """

    class Source(models.TextChoices):
        CTF = "ctf", "Common Transfer File"
        CSV = "csv", "CSV file"

    user = models.ForeignKey(User, on_delete=models.PROTECT, related_name="+")
    school = models.ForeignKey(School, on_delete=models.PROTECT, related_name="+")
    source = models.CharField(max_length=3, choices=Source.choices)
    file_name = models.CharField(max_length=100)
    mark_leavers = models.BooleanField(default=False)
    status = models.CharField(max_length=10, choices=ImportStatus.choices, default=ImportStatus.PREVIEWED)
    progress = models.PositiveSmallIntegerField(default=0)
    stage = models.CharField(max_length=100, blank=True)
    # The counts shown at the preview: the import refuses to run if the registry has changed since.
    counts = models.JSONField(default=dict, blank=True)
    error = models.CharField(max_length=300, blank=True)
    finished_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-created_at"]
        constraints = [
            models.CheckConstraint(condition=Q(progress__lte=100), name="import_job_progress_percent"),
        ]

    def __str__(self):
        return f"Import {self.pk}"

    def get_absolute_url(self):
        return reverse("people:import_job", args=[self.pk])

    @property
    def is_finished(self) -> bool:
        return self.status in (ImportStatus.DONE, ImportStatus.FAILED)

    @property
    def succeeded(self) -> bool:
        return self.status == ImportStatus.DONE
