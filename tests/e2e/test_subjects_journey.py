"""An analyst finds a person despite a typo, reads the subject page with its timeline, opens the
network, merges two duplicates and undoes the merge."""

from datetime import date

import pytest
from playwright.sync_api import expect

from subjects.constants import LinkType
from subjects.models import MergeRecord, Person
from tests.e2e.conftest import axe_violations
from tests.factories.subjects import AddressFactory, LinkFactory, OrganisationFactory, PersonFactory
from vik.core.models import AccessLog

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]


def test_search_with_typo_open_timeline_network_merge_and_undo(
    page, live_server, make_user, browser_login, set_purpose
):
    analyst = make_user("analyst", username="anouk", first_name="Anouk")
    jan = PersonFactory(voornamen="Jan", geslachtsnaam="Jansen", birth_date=date(1979, 3, 14))
    dup = PersonFactory(voornamen="Jan", geslachtsnaam="Janssen", birth_date=date(1979, 3, 14))
    home = AddressFactory(street="Grotestraat", house_number=12, postcode="7607AB")
    shop = OrganisationFactory(name="Shisha Lounge Almelo")
    LinkFactory(source_obj=jan, target_obj=home, link_type=LinkType.WOONT_OP, start_date=date(2020, 4, 1))
    LinkFactory(
        source_obj=dup, target_obj=shop, link_type=LinkType.BESTUURDER_VAN, start_date=date(2022, 9, 1)
    )
    page.on("dialog", lambda dialog: dialog.accept())

    browser_login(page, analyst)
    set_purpose(page)
    page.get_by_role("link", name="Subjecten").click()
    page.get_by_label("Zoek op naam, BSN, KvK-nummer, postcode + huisnummer, straat of kenteken").fill(
        "Jansne"
    )
    results = page.get_by_test_id("search-results")  # typeahead, no submit
    results.get_by_role("link", name="Jan Jansen", exact=True).click()

    expect(page.get_by_test_id("subject-name")).to_have_text("Jan Jansen")
    timeline = page.get_by_test_id("timeline")
    assert "Relatie begonnen" in timeline.inner_text() and "Grotestraat 12" in timeline.inner_text()
    assert axe_violations(page) == []
    # one read of the page's person; the typeahead hits and the linked address have their own rows
    reads = AccessLog.objects.filter(action="read", actor_id=analyst.pk)
    assert reads.filter(ref_kind="subjects.person", detail="").count() == 1
    assert reads.filter(ref_kind="subjects.address").exists()

    page.get_by_role("link", name="Netwerk").click()
    page.locator("#vik-network[data-ready='1']").wait_for()
    assert "Grotestraat 12" in page.get_by_test_id("network-table").inner_text()
    assert axe_violations(page) == []
    page.get_by_role("link", name="Jan Jansen").first.click()

    page.get_by_role("link", name="Samenvoegen").click()
    assert "Jan Janssen" in page.get_by_test_id("merge-candidates").inner_text()
    page.get_by_label("Nummer van het dubbele record").fill(str(dup.pk))
    page.get_by_label("Reden").fill("zelfde persoon, tikfout in de naam")
    page.get_by_role("button", name="Samenvoegen").click()
    expect(page.get_by_test_id("merge-state")).to_contain_text("van kracht")
    assert Person.objects.get(pk=dup.pk).merged_into_id == jan.pk

    page.get_by_role("button", name="Ongedaan maken").click()
    expect(page.get_by_test_id("merge-state")).to_contain_text("Ongedaan gemaakt")
    assert Person.objects.get(pk=dup.pk).merged_into_id is None
    assert MergeRecord.objects.get().undone_by_id == analyst.pk
