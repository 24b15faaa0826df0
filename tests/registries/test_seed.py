"""seed_demo's registries step: the fixed demo persons and addresses carry the identifiers the
stand-in knows, so that comparing and the Bewoning panel work in demo mode; idempotent."""

from __future__ import annotations

import pytest

from registries import services
from registries.constants import VerificationStatus
from registries.models import Verification
from registries.seed import seed_registries
from subjects.models import Address, Person
from subjects.seed import seed_subjects
from vik.core.demo import seed_org_units_and_users
from vik.core.models import User

pytestmark = pytest.mark.django_db


def test_demo_records_match_the_stand_in(registry_standin):
    seed_org_units_and_users()
    seed_subjects()
    assert seed_registries().startswith("6 demo-records")
    assert seed_registries().startswith("0 demo-records")
    jan = Person.objects.get(voornamen="Jan Hendrik", geslachtsnaam="Jansen")
    assert jan.bsn == "999993653"
    assert Address.objects.get(postcode="7609RG", house_number=1).bag_verblijfsobject == "0141010000000001"
    analyst = User.objects.get(username="analist")
    brp, diffs = services.person_compare(actor=analyst, purpose="Demo: vergelijken met de BRP", person=jan)
    assert brp is not None and diffs == []
    assert Verification.objects.get(subject_id=jan.pk).status == VerificationStatus.VERIFIED
