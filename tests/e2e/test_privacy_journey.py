"""The privacy officer runs an access request for a person and downloads the answer."""

import pytest

from tests.e2e.conftest import axe_violations
from vik.core.accesslog import log_access
from vik.core.constants import AccessAction
from vik.privacy.constants import WithholdingGround
from vik.privacy.providers import (
    DataSubject,
    DsarItem,
    DsarSection,
    Withheld,
    register_dsar_section,
    register_person_resolver,
    resolve_person,
    unregister_dsar_section,
    unregister_person_resolver,
)

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]

DEMO_PK = 31415


@pytest.fixture
def demo_person():
    """A stand-in provider, used only when the subjects app has not registered one for this pk."""

    def resolve(pk):
        return DataSubject(pk=DEMO_PK, display_name="Petra Demopersoon") if pk == DEMO_PK else None

    def section(person, user):
        return DsarSection(
            code="journey",
            label="Signalen",
            items=[
                DsarItem(
                    title="Signaal 7: hennepgeur bij woning",
                    date="2025-02-01",
                    purpose="Signaal ondermijning",
                )
            ],
            withheld=[Withheld("1 melding van Meld Misdaad Anoniem", WithholdingGround.SOURCE_PROTECTION)],
        )

    register_person_resolver(resolve)
    register_dsar_section("journey", "Signalen", section)
    assert resolve_person(DEMO_PK) is not None
    yield DEMO_PK
    unregister_person_resolver(resolve)
    unregister_dsar_section("journey")


def test_privacy_officer_answers_an_access_request(page, live_server, make_user, browser_login, demo_person):
    officer = make_user("privacy_officer", username="karin", first_name="Karin")
    analyst = make_user("analyst", username="anouk")
    log_access(
        user=analyst,
        action=AccessAction.READ,
        kind="subjects.person",
        object_id=demo_person,
        purpose="Signaal 7: hennepgeur",
    )
    browser_login(page, officer)

    page.get_by_role("link", name="Privacybeheer").click()
    page.get_by_role("link", name="Nieuw inzageverzoek").click()
    page.get_by_label("Persoonsnummer in VIK").fill("999999")
    page.get_by_role("button", name="Verzoek vastleggen").click()
    assert page.get_by_text("Er is geen persoon met nummer 999999 in VIK bekend").is_visible()

    page.get_by_label("Persoonsnummer in VIK").fill(str(demo_person))
    page.get_by_role("button", name="Verzoek vastleggen").click()
    page.get_by_role("button", name="Overzicht samenstellen").click()
    assert page.get_by_role("heading", name="Inzageverzoek").first.inner_text().endswith("Petra Demopersoon")
    assert page.get_by_text("Signaal 7: hennepgeur bij woning").is_visible()
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
