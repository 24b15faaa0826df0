"""The registry pages end to end through Django: fill and save from BRP/BAG/KvK (verified with
source and date), manual entry when a registry is down, compare and accept, Bewoning with
purpose and logging per person, the KvK profile with risk branches, and the hooks on the
subject pages."""

from __future__ import annotations

from datetime import date

import pytest

from django.urls import reverse

from registries.constants import VerificationStatus
from registries.models import RegistryDisclosure, RegistryQuery, Verification
from subjects.models import Address, Organisation, Person
from tests.factories.subjects import AddressFactory, OrganisationFactory, PersonFactory
from vik.core.models import AccessLog, LogRef

pytestmark = pytest.mark.django_db


@pytest.fixture
def analyst_client(users, login, with_purpose):
    return with_purpose(login(users["analyst"]))


def test_fill_person_from_brp_and_save_verified(analyst_client, registry_standin, team):
    home = AddressFactory(owner_team=team, postcode="7607CH", house_number=12, street="Grotestraat")
    url = reverse("registries:person_fetch")
    page = analyst_client.post(url, {"step": "lookup", "bsn": "999993653"})
    assert page.status_code == 200
    html = page.content.decode()
    assert 'value="Jan Hendrik"' in html and 'value="1979-03-14"' in html and 'value="7607CH"' in html
    saved = analyst_client.post(
        url,
        {
            "step": "save",
            "voornamen": "Jan Hendrik",
            "geslachtsnaam": "Jansen",
            "birth_date": "1979-03-14",
            "birth_place": "Almelo",
            "bsn": "999993653",
            "postcode": "7607CH",
            "house_number": "12",
            "source": "BRP",
            "compartment": "general",
        },
    )
    person = Person.objects.get(geslachtsnaam="Jansen")
    assert saved.status_code == 302 and saved.url == reverse(
        "subjects:person_detail", kwargs={"pk": person.pk}
    )
    ver = Verification.objects.get(subject_kind="person", subject_id=person.pk)
    assert ver.status == VerificationStatus.VERIFIED and ver.registry == "brp"
    assert {"voornamen", "geslachtsnaam", "birth_date", "bsn"} <= set(ver.fields)
    detail = analyst_client.get(saved.url).content.decode()
    assert "geverifieerd (BRP Personen," in detail
    assert person.pk and home.pk  # linked home
    from subjects.models import Link

    assert Link.objects.filter(from_id=person.pk, to_id=home.pk, link_type="woont_op").exists()


def test_a_value_changed_by_hand_is_not_marked_verified(analyst_client, registry_standin):
    url = reverse("registries:person_fetch")
    analyst_client.post(url, {"step": "lookup", "bsn": "999990019"})
    analyst_client.post(
        url,
        {
            "step": "save",
            "voornamen": "Ayse",
            "geslachtsnaam": "Yılmaz",
            "birth_date": "1988-07-02",
            "birth_place": "Almelo",
            "bsn": "999990019",
            "compartment": "general",
        },
    )
    ver = Verification.objects.get()
    assert ver.status == VerificationStatus.DIFFERS and "voornamen" in ver.note


def test_markings_are_shown(analyst_client, registry_standin):
    html = analyst_client.post(
        reverse("registries:person_fetch"), {"step": "lookup", "bsn": "999995571"}
    ).content.decode()
    assert "Geheimhouding persoonsgegevens" in html
    html = analyst_client.post(
        reverse("registries:person_fetch"), {"step": "lookup", "bsn": "999998456"}
    ).content.decode()
    assert "In onderzoek bij de BRP: geboorte.datum" in html


def test_invalid_bsn_gets_a_field_error_and_no_question(analyst_client, registry_standin):
    page = analyst_client.post(reverse("registries:person_fetch"), {"step": "lookup", "bsn": "123456789"})
    assert page.status_code == 400
    assert "elfproef" in page.content.decode()
    assert not RegistryQuery.objects.exists()


def test_registry_down_never_blocks_manual_entry(analyst_client, registry_standin):
    registry_standin.fault(brp="503")
    page = analyst_client.post(reverse("registries:person_fetch"), {"step": "lookup", "bsn": "999993653"})
    html = page.content.decode()
    assert page.status_code == 200 and "niet bereikbaar" in html
    assert reverse("subjects:person_create") in html  # "Met de hand invullen"
    created = analyst_client.post(
        reverse("subjects:person_create"),
        {"geslachtsnaam": "Handmatig", "compartment": "general", "confirm": "1"},
    )
    person = Person.objects.get(geslachtsnaam="Handmatig")
    assert created.status_code == 302
    assert "niet geverifieerd" in analyst_client.get(created.url).content.decode()
    assert not Verification.objects.filter(subject_id=person.pk).exists()


def test_lookup_needs_a_purpose(users, login, registry_standin):
    client = login(users["analyst"])
    page = client.post(reverse("registries:person_fetch"), {"step": "lookup", "bsn": "999993653"})
    assert page.status_code == 400 and 'data-testid="purpose-required"' in page.content.decode()
    assert registry_standin.state()["calls"] == {}


def test_fill_address_from_bag(analyst_client, registry_standin):
    url = reverse("registries:address_fetch")
    html = analyst_client.post(
        url, {"step": "lookup", "postcode": "7609 RG", "house_number": "1"}
    ).content.decode()
    assert 'value="Twentepoort Oost"' in html and 'value="0141010000000001"' in html
    assert "kantoorfunctie" in html and "1840 m²" in html
    analyst_client.post(
        url,
        {
            "step": "save",
            "street": "Twentepoort Oost",
            "house_number": "1",
            "postcode": "7609RG",
            "town": "Almelo",
            "bag_nummeraanduiding": "0141200000000001",
            "bag_verblijfsobject": "0141010000000001",
            "gemeente_code": "GM0141",
            "latitude": "52.352632",
            "longitude": "6.609167",
            "source": "BAG",
            "compartment": "general",
        },
    )
    address = Address.objects.get(street="Twentepoort Oost")
    assert Verification.objects.get(subject_id=address.pk, subject_kind="address").status == "verified"


def test_fill_organisation_from_kvk_by_name(analyst_client, registry_standin):
    url = reverse("registries:organisation_fetch")
    html = analyst_client.post(url, {"step": "lookup", "name": "Wessels"}).content.decode()
    assert 'value="61234567"' in html and 'value="4511, 4520"' in html
    assert 'value="auto" selected' in html or '<option value="auto" selected>' in html


def test_compare_page_accepts_one_difference(analyst_client, registry_standin, team):
    person = PersonFactory(
        owner_team=team,
        voornamen="Jan",
        geslachtsnaam="Jansen",
        bsn="999993653",
        birth_date=date(1979, 3, 14),
    )
    url = reverse("registries:person_compare", kwargs={"pk": person.pk})
    html = analyst_client.get(url).content.decode()
    assert 'data-testid="differences"' in html and "Jan Hendrik" in html
    assert analyst_client.post(url, {"field": "voornamen"}).status_code == 302
    person.refresh_from_db()
    assert person.voornamen == "Jan Hendrik"


def test_bewoning_panel_lists_people_and_logs_each(analyst_client, registry_standin, team):
    address = AddressFactory(
        owner_team=team, bag_verblijfsobject="0141010000000002", postcode="7607CH", house_number=12
    )
    known = PersonFactory(owner_team=team, geslachtsnaam="Jansen", bsn="999993653")
    detail = analyst_client.get(
        reverse("subjects:address_detail", kwargs={"pk": address.pk})
    ).content.decode()
    assert 'data-testid="bewoning-form"' in detail
    url = reverse("registries:address_bewoning", kwargs={"pk": address.pk})
    html = analyst_client.get(url, {"start": "2016-01-01", "end": "2016-12-31"}).content.decode()
    assert "Pieter van der Berg" in html and "Jan Hendrik Jansen" in html
    assert reverse("subjects:person_detail", kwargs={"pk": known.pk}) in html
    disclosed = RegistryDisclosure.objects.filter(query__registry="bewoning")
    assert disclosed.count() == 2
    refs = LogRef.objects.filter(kind="registries.registrydisclosure", object_id__in=disclosed.values("pk"))
    rows = AccessLog.objects.filter(ref_id__in=refs.values("pk"))
    assert rows.count() == 2 and set(rows.values_list("purpose", flat=True)) == {
        "Reden: Onderzoek naar signalen ondermijning wijk Centrum"
    }


def test_bewoning_without_purpose_asks_for_one(users, login, registry_standin, team):
    address = AddressFactory(owner_team=team, bag_verblijfsobject="0141010000000002")
    client = login(users["analyst"])
    url = reverse("registries:address_bewoning", kwargs={"pk": address.pk})
    page = client.get(url, {"start": "2016-01-01", "end": "2016-12-31"})
    assert page.status_code == 400 and not RegistryQuery.objects.exists()


def test_kvk_profile_highlights_risk_branches(analyst_client, registry_standin, team):
    org = OrganisationFactory(owner_team=team, name="Autohandel Wessels B.V.", kvk_number="61234567")
    html = analyst_client.get(reverse("registries:organisation_kvk", kwargs={"pk": org.pk})).content.decode()
    assert 'data-testid="kvk-profile"' in html and "4511" in html
    assert 'data-testid="risk-branch">Autobranche' in html


def test_records_of_others_are_404(users, login, with_purpose, registry_standin, other_team):
    person = PersonFactory(owner_team=other_team, bsn="999993653")
    client = with_purpose(login(users["analyst"]))
    assert client.get(reverse("registries:person_compare", kwargs={"pk": person.pk})).status_code == 404
    assert not RegistryQuery.objects.exists()
    assert Organisation.objects.count() == 0


def test_privacy_officer_reads_the_query_log_without_bsns(users, login, analyst_client, registry_standin):
    analyst_client.post(reverse("registries:person_fetch"), {"step": "lookup", "bsn": "999993653"})
    officer = login(users["privacy_officer"])
    page = officer.get(reverse("registries:query_log"), {"registry": "brp"})
    html = page.content.decode()
    assert page.status_code == 200 and 'data-testid="query-log"' in html
    assert "RaadpleegMetBurgerservicenummer" in html and "naam.geslachtsnaam" in html
    assert "Onderzoek naar signalen ondermijning wijk Centrum" in html
    assert "999993653" not in html
    assert login(users["analyst"]).get(reverse("registries:query_log")).status_code == 404


def test_address_compare_with_bag_and_accept(analyst_client, registry_standin, team):
    address = AddressFactory(
        owner_team=team,
        street="Twentepoort",
        house_number=1,
        postcode="7609RG",
        town="Almelo",
        bag_verblijfsobject="",
        bag_nummeraanduiding="",
    )
    url = reverse("registries:address_compare", kwargs={"pk": address.pk})
    html = analyst_client.get(url).content.decode()
    assert "Twentepoort Oost" in html and "0141010000000001" in html
    analyst_client.post(url, {"field": "street"})
    analyst_client.post(url, {"field": "bag_verblijfsobject"})
    address.refresh_from_db()
    assert (address.street, address.bag_verblijfsobject) == ("Twentepoort Oost", "0141010000000001")


def test_organisation_compare_with_kvk(analyst_client, registry_standin, team):
    org = OrganisationFactory(
        owner_team=team, name="Autohandel Wessels", kvk_number="61234567", sbi_codes=["4511"]
    )
    url = reverse("registries:organisation_compare", kwargs={"pk": org.pk})
    html = analyst_client.get(url).content.decode()
    assert "Autohandel Wessels B.V." in html and "4511, 4520" in html
    analyst_client.post(url, {"field": "sbi_codes"})
    org.refresh_from_db()
    assert sorted(org.sbi_codes) == ["4511", "4520"]
