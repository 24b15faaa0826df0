"""Issue #19 item 4: legal-hold, restriction, rectification and "who viewed" pick a record with the
finder of the access request (name, birth date, BSN, KvK number, address), never by a typed model
label or internal number; the search and what it shows are logged with the task as purpose."""

from __future__ import annotations

from datetime import date

import pytest

from django.urls import reverse

from signals.models import SignalSubject
from tests.factories.signals import make_signal
from tests.factories.subjects import AddressFactory, OrganisationFactory, PersonFactory
from vik.core.accesslog import log_access
from vik.core.models import AccessLog, LogRef
from vik.privacy.models import LegalHold, Rectification, Restriction

pytestmark = pytest.mark.django_db


@pytest.fixture
def world(users):
    team = users["analyst"].org_unit
    petra = PersonFactory(
        owner_team=team, voornamen="Petra", geslachtsnaam="Kiesmij", birth_date=date(1980, 5, 1)
    )
    org = OrganisationFactory(owner_team=team, name="Kiesmij Handel B.V.", kvk_number="12345678")
    address = AddressFactory(owner_team=team, postcode="7411AB", house_number=12, street="Brink")
    signal = make_signal(users["analyst"], summary="Overlast bij de Brink")
    SignalSubject.objects.create(signal=signal, person=petra, role="betrokkene")
    return {"petra": petra, "org": org, "address": address, "signal": signal}


def test_chair_finds_a_persons_signal_by_name_and_holds_it(users, login, world):
    client = login(users["chair"])
    url = reverse("privacy:hold_list")
    page = client.get(url)
    html = page.content.decode()
    assert page.status_code == 200
    assert "Soort record" not in html and "subjects.person" not in html  # nothing to type
    query = {"zoek": "1", "naam": "Petra Kiesmij", "geboortedatum": "1980-05-01"}
    html = client.get(url, query).content.decode()
    petra, signal = world["petra"], world["signal"]
    assert "Persoon: Petra Kiesmij" in html
    assert f"Signaal S-{signal.pk}" in html and f'value="signals.signal:{signal.pk}"' in html
    assert "Overlast bij de Brink" not in html  # a signal is named by reference and date only
    search = AccessLog.objects.filter(actor_id=users["chair"].pk, action="search").latest("id")
    assert search.purpose == "Juridische blokkade: record zoeken"
    ref = LogRef.objects.get(kind="subjects.person", object_id=petra.pk)
    assert AccessLog.objects.filter(actor_id=users["chair"].pk, action="read", ref_id=ref.pk).exists()

    resp = client.post(f"{url}?zoek=1&naam=Kiesmij", {"reason": "Bezwaarprocedure loopt nog"})
    assert resp.status_code == 400
    assert "Zoek het record op en kies het uit de zoekresultaten." in resp.content.decode()
    resp = client.post(
        f"{url}?zoek=1&naam=Kiesmij",
        {"record": f"signals.signal:{signal.pk}", "reason": "Bezwaarprocedure loopt nog"},
    )
    assert resp.status_code == 302
    hold = LegalHold.objects.get()
    assert (hold.model_label, hold.object_id) == ("signals.signal", signal.pk)


def test_organisations_and_addresses_are_found_too(users, login, world):
    client = login(users["privacy_officer"])
    url = reverse("privacy:restriction_list")
    html = client.get(url, {"zoek": "1", "naam": "12345678"}).content.decode()
    assert (
        f'value="subjects.organisation:{world["org"].pk}"' in html
        and "Organisatie: Kiesmij Handel B.V." in html
    )
    html = client.get(url, {"zoek": "1", "postcode": "7411 ab", "huisnummer": "12"}).content.decode()
    assert f'value="subjects.address:{world["address"].pk}"' in html
    resp = client.post(
        f"{url}?zoek=1&naam=12345678",
        {"record": f"subjects.organisation:{world['org'].pk}", "reason": "Betrokkene maakt bezwaar"},
    )
    assert resp.status_code == 302
    assert Restriction.objects.get().model_label == "subjects.organisation"
    assert client.get(url, {"zoek": "1"}).status_code == 400  # nothing to search on: told at the form


def test_rectification_picks_the_person_and_names_the_field(users, login, world):
    client = login(users["privacy_officer"])
    url = reverse("privacy:rectification_list")
    html = client.get(url, {"zoek": "1", "naam": "Kiesmij"}).content.decode()
    petra = world["petra"]
    assert f'value="subjects.person:{petra.pk}"' in html
    assert "subjects.organisation:" not in html  # only records that can be rectified are offered
    assert '<option value="geslachtsnaam">Geslachtsnaam</option>' in html
    resp = client.post(
        f"{url}?zoek=1&naam=Kiesmij",
        {
            "record": f"subjects.person:{petra.pk}",
            "field_name": "geslachtsnaam",
            "new_text": "Kiesmij-de Vries",
            "annotation": "Naam op verzoek van betrokkene gecorrigeerd",
        },
    )
    assert resp.status_code == 302
    assert Rectification.objects.get().original_text == "Kiesmij"
    html = client.get(url).content.decode()
    assert "Geslachtsnaam" in html and "subjects.person" not in html


def test_who_viewed_picks_the_person_and_shows_the_name(users, login, world):
    client = login(users["privacy_officer"])
    petra = world["petra"]
    log_access(
        user=users["analyst"], action="read", kind="subjects.person", object_id=petra.pk, purpose="Signaal 5"
    )
    today = date.today().isoformat()
    url = reverse("privacy:reports")
    html = client.get(url, {"start": today, "end": today, "zoek": "1", "naam": "Kiesmij"}).content.decode()
    assert f'value="subjects.person:{petra.pk}"' in html
    html = client.get(
        url, {"start": today, "end": today, "record": f"subjects.person:{petra.pk}"}
    ).content.decode()
    assert "Petra Kiesmij" in html and "subjects.person" not in html
    assert 'data-testid="who-viewed"' in html and "Signaal 5" in html
