"""The age guard: no pupil younger than a platform's minimum age takes part (§2, §8).

Ages come from the registry's dates of birth, counted on the day of the check (the
submission date, and again on the day of approval). A pupil counts once however many
of the proposal's classes they are in.
"""

from dataclasses import dataclass, field
from datetime import date

from django.core.exceptions import ValidationError
from django.db.models import Q

from people.models import ClassGroup, Person, PersonKind, age_on

from ..models import Proposal
from ._common import join_words


@dataclass
class AgeCheck:
    minimum_age: int
    platform: str
    too_young: set[int] = field(default_factory=set)
    # class name → how many of its pupils are too young
    by_class: dict[str, int] = field(default_factory=dict)
    # too young and chosen by name (whether or not also in a listed class)
    by_name: int = 0

    @property
    def passed(self) -> bool:
        return not self.too_young

    @property
    def approval_message(self) -> str:
        return self.message("approved")

    def message(self, verb: str = "submitted") -> str:
        count = len(self.too_young)
        pupils = "1 pupil taking part is" if count == 1 else f"{count} pupils taking part are"
        where = [f"{n} in {name}" for name, n in sorted(self.by_class.items())]
        if self.by_name:
            where.append(f"{self.by_name} chosen by name")
        return (
            f"This proposal cannot be {verb}: {pupils} younger than {self.minimum_age}, "
            f"the minimum age for {self.platform} ({join_words(where)}). "
            "Remove them from the proposal, or choose a platform whose minimum age they meet."
        )


def check_ages(proposal: Proposal, on: date) -> AgeCheck:
    """Which of the proposal's pupils (its classes' and those chosen by name) are too young on `on`.

    Two queries: the classes' pupils and the pupils chosen by name.
    """
    result = AgeCheck(minimum_age=proposal.minimum_age, platform=proposal.platform_label)
    if not proposal.audience_pupils:
        return result
    Membership = ClassGroup.pupils.through
    class_rows = Membership.objects.filter(
        classgroup__in=proposal.classes.all(), person__kind=PersonKind.PUPIL
    ).values_list("classgroup__name", "person_id", "person__date_of_birth")
    for class_name, person_id, born in class_rows:
        if _too_young(born, on, proposal.minimum_age):
            result.too_young.add(person_id)
            result.by_class[class_name] = result.by_class.get(class_name, 0) + 1
    named = proposal.pupils.filter(kind=PersonKind.PUPIL).values_list("id", "date_of_birth")
    for person_id, born in named:
        if _too_young(born, on, proposal.minimum_age):
            result.too_young.add(person_id)
            result.by_name += 1
    return result


def _too_young(born: date | None, on: date, minimum_age: int) -> bool:
    # Pupils always have a date of birth (a database constraint); an unknown one is refused, not waved through.
    age = age_on(born, on)
    return age is None or age < minimum_age


def require_old_enough(proposal: Proposal, on: date, *, verb: str) -> None:
    """Refuse, with a message naming how many pupils and which classes, when any pupil is too young."""
    check = check_ages(proposal, on)
    if not check.passed:
        raise ValidationError(check.message(verb), code="too_young")


def pupils_taking_part(proposal: Proposal) -> int:
    """How many distinct pupils take part, through classes or by name (one query)."""
    return (
        Person.objects.filter(kind=PersonKind.PUPIL)
        .filter(Q(classes_attended__in=proposal.classes.all()) | Q(pk__in=proposal.pupils.all()))
        .distinct()
        .count()
    )
