"""An analyst fills a new person from the BRP by BSN, an address from the BAG and an
organisation from the KvK (against VIK's registry stand-in), corrects an existing person from the
BRP, and asks who lived at the address."""

from datetime import date

import pytest
from playwright.sync_api import expect

from registries.models import RegistryQuery, Verification
from subjects.models import Address, Organisation, Person
from tests.e2e.conftest import axe_violations
from tests.factories.subjects import PersonFactory
from tests.registries.standin_fixture import registry_standin, registry_standin_server  # noqa: F401

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]


def test_fill_person_address_and_organisation_from_the_registries(
    page,
    live_server,
    make_user,
    browser_login,
    set_purpose,
    registry_standin,  # noqa: F811
):
    analyst = make_user("analyst", username="anouk", first_name="Anouk")
    browser_login(page, analyst)
    set_purpose(page)

    # address from the BAG
    page.goto(f"{live_server.url}/subjecten/adres/nieuw/")
    page.get_by_role("link", name="Ophalen uit BAG").click()
    page.get_by_label("Postcode").fill("7607 CH")
    page.get_by_label("Huisnummer").fill("12")
    page.get_by_role("button", name="Opvragen").click()
    expect(page.get_by_test_id("registry-found")).to_contain_text("woonfunctie")
    expect(page.get_by_label("Straat")).to_have_value("Grotestraat")
    expect(page.get_by_label("BAG verblijfsobject-id")).to_have_value("0141010000000002")
    assert axe_violations(page) == []
    page.get_by_role("button", name="Opslaan").click()
    expect(page.get_by_test_id("verification")).to_contain_text("geverifieerd (BAG")
    address = Address.objects.get(postcode="7607CH")

    # person from the BRP by BSN; the address above becomes the home
    page.goto(f"{live_server.url}/subjecten/persoon/nieuw/")
    page.get_by_role("link", name="Ophalen uit BRP").click()
    page.get_by_label("BSN").fill("999993653")
    page.get_by_role("button", name="Opvragen").click()
    expect(page.get_by_label("Voornamen")).to_have_value("Jan Hendrik")
    expect(page.get_by_label("Geboortedatum")).to_have_value("1979-03-14")
    page.get_by_role("button", name="Opslaan").click()
    expect(page.get_by_test_id("subject-name")).to_have_text("Jan Hendrik Jansen")
    expect(page.get_by_test_id("verification")).to_contain_text("geverifieerd (BRP Personen")
    person = Person.objects.get(geslachtsnaam="Jansen")
    assert Verification.objects.get(subject_kind="person", subject_id=person.pk).status == "verified"

    # an existing record with a typo: compare with the BRP and take the right value over
    pieter = PersonFactory(
        voornamen="Piet",
        voorvoegsel="van der",
        geslachtsnaam="Berg",
        bsn="999991772",
        birth_date=date(1965, 11, 30),
    )
    page.goto(f"{live_server.url}/subjecten/persoon/{pieter.pk}/")
    expect(page.get_by_test_id("verification")).to_contain_text("niet geverifieerd")
    page.get_by_role("link", name="Vergelijken met basisregistratie").click()
    expect(page.get_by_test_id("differences")).to_contain_text("Pieter")
    assert axe_violations(page) == []
    page.get_by_role("button", name="voornamen overnemen").click()
    expect(page.get_by_role("button", name="voornamen overnemen")).to_have_count(0)
    page.get_by_role("button", name="geboorteplaats overnemen").click()  # one by one
    expect(page.get_by_test_id("no-differences")).to_be_visible()
    pieter.refresh_from_db()
    assert (pieter.voornamen, pieter.birth_place) == ("Pieter", "Enschede")

    # a person under geheimhouding is shown with the marking
    page.goto(f"{live_server.url}/basisregistraties/persoon/ophalen/")
    page.get_by_label("BSN").fill("999995571")
    page.get_by_role("button", name="Opvragen").click()
    expect(page.get_by_test_id("registry-marking")).to_contain_text("Geheimhouding persoonsgegevens")

    # organisation from the KvK by name
    page.goto(f"{live_server.url}/subjecten/organisatie/nieuw/")
    page.get_by_role("link", name="Ophalen uit KvK").click()
    page.get_by_label("Of: naam").fill("Wessels")
    page.get_by_role("button", name="Opvragen").click()
    expect(page.get_by_label("KvK-nummer")).to_have_value("61234567")
    expect(page.get_by_test_id("registry-found")).to_contain_text("risicobranche")
    page.get_by_role("button", name="Opslaan").click()
    expect(page.get_by_test_id("verification")).to_contain_text("geverifieerd (KvK")
    org = Organisation.objects.get(kvk_number="61234567")
    assert org.sbi_codes == ["4511", "4520"] and org.risk_branch == "auto"
    page.get_by_role("link", name="KvK-profiel en SBI-activiteiten").click()
    expect(page.get_by_test_id("risk-branch").first).to_have_text("Autobranche")

    # who lived at the address: the Bewoning panel
    page.goto(f"{live_server.url}/subjecten/adres/{address.pk}/")
    panel = page.get_by_test_id("bewoning-form")
    panel.get_by_label("Van").fill("2016-01-01")
    panel.get_by_label("Tot en met").fill("2016-12-31")
    panel.get_by_role("button", name="Bewoning opvragen").click()
    bewoning = page.get_by_test_id("bewoning")
    expect(bewoning).to_contain_text("Pieter van der Berg")
    expect(bewoning.get_by_role("link", name="Jan Hendrik Jansen").first).to_be_visible()
    assert axe_violations(page) == []
    assert set(RegistryQuery.objects.values_list("registry", flat=True)) == {"brp", "bag", "kvk", "bewoning"}
