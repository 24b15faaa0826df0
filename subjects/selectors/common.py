"""Lists of subjects and objects, need-to-know filtered in SQL, and their labels and URLs."""

from __future__ import annotations

from django.db.models import QuerySet
from django.urls import reverse

from vik.core import identifiers as ids
from vik.core.access import restrict
from vik.core.models import User

from ..constants import LinkType
from ..models import Address, Link, Organisation, Person, SubjectBase, Vehicle

PER_KIND_LIMIT = 25
MAX_MERGE_HOPS = 10  # how far a chain of merges is followed
FUZZY_THRESHOLD = 0.3  # pg_trgm's default for the % operator
DUPLICATE_NAME_THRESHOLD = 0.5  # a similar name alone
DUPLICATE_NAME_WITH_BIRTH_DATE = 0.35  # a similar name with the same birth date (one swapped letter is ~0.4)
ADDRESS_LINK_TYPES = [
    LinkType.WOONT_OP,
    LinkType.GEVESTIGD_OP,
    LinkType.HUURDER_VAN,
    LinkType.EIGENAAR_VAN,
    LinkType.GEBRUIKER_VAN,
]


def subject_url(kind: str, pk: int) -> str:
    return reverse(f"subjects:{kind}_detail", kwargs={"pk": pk})


def subject_label(obj: SubjectBase) -> str:
    if isinstance(obj, Vehicle):
        return ids.format_kenteken(obj.kenteken)
    return str(obj)


def live(qs: QuerySet, user: User) -> QuerySet:
    """Visible to the user and not merged away."""
    return restrict(qs, user).filter(merged_into_id__isnull=True)


def person_list(*, user: User) -> QuerySet[Person]:
    return live(Person.objects.all(), user)


def organisation_list(*, user: User) -> QuerySet[Organisation]:
    return live(Organisation.objects.all(), user)


def address_list(*, user: User) -> QuerySet[Address]:
    return live(Address.objects.all(), user)


def vehicle_list(*, user: User) -> QuerySet[Vehicle]:
    return live(Vehicle.objects.all(), user)


def link_list(*, user: User) -> QuerySet[Link]:
    return restrict(Link.objects.all(), user)


def person_ids(person: Person) -> list[int]:
    """The pk asked for plus the duplicates merged into it (their references were moved, but the
    records still exist): what other apps filter their sections on."""
    ids = [person.pk]
    frontier = [person.pk]
    for _hop in range(MAX_MERGE_HOPS):
        frontier = list(Person.objects.filter(merged_into_id__in=frontier).values_list("pk", flat=True))
        if not frontier:
            break
        ids += frontier
    return ids
