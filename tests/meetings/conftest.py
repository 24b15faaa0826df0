import pytest

from tests.factories.core import OrgUnitFactory
from tests.factories.meetings import make_meeting
from vik.core.constants import OrgKind, PartnerType


@pytest.fixture
def odt_org(db):
    return OrgUnitFactory(
        code="odt", name="Omgevingsdienst Twente", kind=OrgKind.PARTNER, partner_type=PartnerType.ODT
    )


@pytest.fixture
def chair(make_user):
    return make_user("chair", username="voorzitter_t", first_name="Carla")


@pytest.fixture
def police_user(make_user, police_org):
    return make_user("partner", org=police_org, username="politie_t")


@pytest.fixture
def riec_user(make_user, riec_org):
    return make_user("partner", org=riec_org, username="riec_t", clearances=["general"])


@pytest.fixture
def analyst(make_user):
    return make_user("analyst", username="analist_t")


@pytest.fixture
def meeting(chair, police_org, riec_org):
    return make_meeting(chair=chair, orgs=[police_org, riec_org])
