"""seed_demo's subjects: a few hundred synthetic records in Almelo, near-duplicates for the merge
demo, and idempotent."""

import time

import pytest

from subjects import selectors
from subjects.models import Address, Link, Organisation, Person, Vehicle
from subjects.seed import seed_subjects
from vik.core import identifiers as ids
from vik.core.demo import seed_org_units_and_users
from vik.core.models import User

pytestmark = pytest.mark.django_db


def test_seed_creates_a_linked_synthetic_almelo_once():
    seed_org_units_and_users()
    started = time.monotonic()
    summary = seed_subjects()
    assert time.monotonic() - started < 60
    total = (
        Person.objects.count()
        + Organisation.objects.count()
        + Address.objects.count()
        + Vehicle.objects.count()
    )
    assert total >= 300 and Link.objects.count() >= 300, summary
    assert set(Address.objects.values_list("town", flat=True)) == {"Almelo"}
    assert all(pc[:3] == "760" for pc in Address.objects.values_list("postcode", flat=True))
    assert all(ids.is_valid_bsn(p.bsn) for p in Person.objects.exclude(bsn=None))
    assert Person.objects.exclude(voorvoegsel="").count() > 30
    assert all(v == ["t:veiligheid"] for v in Person.objects.values_list("visible_to", flat=True))
    analyst = User.objects.get(username="analist")
    jan = Person.objects.get(voornamen="Jan Hendrik", geslachtsnaam="Jansen")
    dups = selectors.likely_duplicates(
        user=analyst, kind="person", data=selectors.duplicate_data(jan), exclude_pk=jan.pk
    )
    assert "Jan Janssen" in [d.label for d in dups]

    assert seed_subjects() == "al aanwezig"
    assert (
        Person.objects.count()
        + Organisation.objects.count()
        + Address.objects.count()
        + Vehicle.objects.count()
        == total
    )
