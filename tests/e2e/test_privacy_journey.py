"""The privacy officer runs an access request for a person and downloads the answer."""

import pytest

from subjects.constants import LinkType
from tests.e2e.conftest import axe_violations
from tests.factories.subjects import AddressFactory, LinkFactory, PersonFactory
from vik.core.accesslog import log_access
from vik.core.constants import AccessAction
from vik.core.models import User

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]


@pytest.fixture
def demo_person(make_user):
    """A real subjects.Person: the subjects app resolves it and answers its section (identity,
    relations), with a relation from an M. tip withheld."""
    team = make_user("analyst", username="anouk").org_unit
    petra = PersonFactory(owner_team=team, voornamen="Petra", geslachtsnaam="Demopersoon", bsn="111222333")
    home = AddressFactory(owner_team=team, street="Wierdensestraat", house_number=12)
    LinkFactory(owner_team=team, source_obj=petra, target_obj=home, link_type=LinkType.WOONT_OP)
    tip = AddressFactory(owner_team=team, street="Geheimstraat", house_number=7)
    LinkFactory(
        owner_team=team, source_obj=petra, target_obj=tip, link_type=LinkType.GEBRUIKER_VAN, compartment="mma"
    )
    return petra.pk


def test_privacy_officer_answers_an_access_request(page, live_server, make_user, browser_login, demo_person):
    officer = make_user("privacy_officer", username="karin", first_name="Karin")
    analyst = User.objects.get(username="anouk")
    log_access(
        user=analyst,
        action=AccessAction.READ,
        kind="subjects.person",
        object_id=demo_person,
        purpose="Signaal 7: hennepgeur",
    )
    browser_login(page, officer)

    page.get_by_role("link", name="Privacy", exact=True).click()
    page.get_by_role("link", name="Nieuw inzageverzoek").click()
    # the request starts from a search by what the person told us, not from a number
    page.get_by_label("Achternaam (eventueel met voornamen)").fill("Onbekendpersoon")
    page.get_by_role("button", name="Zoeken").click()
    assert page.get_by_test_id("finder-none").is_visible()
    page.get_by_label("Achternaam (eventueel met voornamen)").fill("Petra Demopersoon")
    page.get_by_role("button", name="Zoeken").click()
    assert "Petra Demopersoon" in page.get_by_test_id("finder-results").inner_text()
    assert "111222333" not in page.get_by_test_id("finder-results").inner_text()  # BSN masked
    page.get_by_role("button", name="Verzoek vastleggen voor deze persoon").click()
    page.get_by_role("button", name="Overzicht samenstellen").click()
    assert page.get_by_role("heading", name="Inzageverzoek").first.inner_text().endswith("Petra Demopersoon")
    assert page.get_by_text("Relatie: woont op Wierdensestraat 12").is_visible()
    assert page.get_by_text("111222333").count() == 0  # the BSN only masked
    withheld = page.get_by_test_id("withheld")
    assert "Bronbescherming Meld Misdaad Anoniem" in withheld.inner_text()
    assert "Analist" in page.get_by_test_id("recipients").inner_text()
    assert axe_violations(page) == []

    with page.expect_download() as info:
        page.get_by_role("link", name="Download PDF").click()
    download = info.value
    assert download.suggested_filename.endswith(".pdf")
    with open(download.path(), "rb") as fh:
        assert fh.read(5) == b"%PDF-"
