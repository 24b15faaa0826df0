import pytest

from bibob.constants import DossierStatus
from bibob.models import BibobDossier
from bibob.seed import seed_bibob
from vik.core.demo import seed_org_units_and_users

pytestmark = pytest.mark.django_db


def test_demo_dossiers_cover_every_phase_in_team_bibob_and_seeding_twice_adds_nothing():
    seed_org_units_and_users()
    seed_bibob()
    statuses = set(BibobDossier.objects.values_list("status", flat=True))
    assert statuses == set(DossierStatus.values)
    assert set(BibobDossier.objects.values_list("owner_team__code", flat=True)) == {"bibob"}
    assert set(BibobDossier.objects.values_list("compartment", flat=True)) == {"bibob"}
    count = BibobDossier.objects.count()
    seed_bibob()
    assert BibobDossier.objects.count() == count
