"""Measure pages and personal data (issue #15 items 4 and 6): every person, organisation and
address a measure page shows writes a read row with the measure as purpose; a lookup by address
id needs a purpose; a related subject the user's own subject page would refuse is not shown (no
name, no row) on the list, the detail and the afpak ledger."""

from __future__ import annotations

from datetime import date, datetime
from zoneinfo import ZoneInfo

import pytest
import time_machine

from django.urls import reverse

from measures import services
from measures.constants import EventType as E
from measures.constants import MeasureKind as K
from tests.factories.measures import make_measure, record
from tests.factories.subjects import AddressFactory, PersonFactory
from vik.core.models import AccessLog

pytestmark = pytest.mark.django_db
AMS = ZoneInfo("Europe/Amsterdam")


@pytest.fixture(autouse=True)
def frozen():
    with time_machine.travel(datetime(2026, 6, 1, 10, 0, tzinfo=AMS), tick=False):
        yield


def _reads(user, kind):
    return AccessLog.objects.filter(actor_id=user.pk, action="read", ref_kind=kind)


def _lod(users, person):
    analyst = users["analyst"]
    m = make_measure(analyst, kind=K.LOD, rapportage_date=date(2026, 5, 1), person=person, title="Dwangsom")
    record(
        users["decision_maker"],
        m,
        E.BESLUIT,
        date(2026, 5, 2),
        urgency_reason="spoed: dealen bij school",
        amount_per_violation="5000",
        maximum_amount="20000",
    )
    record(analyst, m, E.BEKENDMAKING, date(2026, 5, 3))
    record(analyst, m, E.LAST_IN_WERKING, date(2026, 5, 3))
    services.forfeiture_record(actor=analyst, measure=m, forfeited_on=date(2026, 5, 20), description="dealen")
    return m


def test_measure_list_logs_each_shown_subject_with_its_measure_as_purpose(users, login):
    analyst = users["analyst"]
    address = AddressFactory(owner_team=analyst.org_unit, street="Kerkstraat", house_number=3)
    m = make_measure(analyst, rapportage_date=date(2026, 5, 1), address=address)
    html = login(analyst).get(reverse("measures:list")).content.decode()
    assert "Kerkstraat 3" in html
    row = _reads(analyst, "subjects.address").get()
    assert row.purpose == f"Maatregel {m.reference}" and row.detail == "lijst maatregelen"


def test_afpak_ledger_logs_the_persons_it_shows(users, login):
    analyst = users["analyst"]
    person = PersonFactory(owner_team=analyst.org_unit, voornamen="Karel", geslachtsnaam="Dealer")
    m = _lod(users, person)
    html = login(analyst).get(reverse("measures:afpak")).content.decode()
    assert "Karel Dealer" in html
    row = _reads(analyst, "subjects.person").get()
    assert row.purpose == f"Maatregel {m.reference}" and row.detail == "afpakoverzicht"


def test_new_measure_for_an_address_id_needs_a_purpose_and_logs_the_read(users, login, with_purpose):
    analyst = users["analyst"]
    address = AddressFactory(owner_team=analyst.org_unit, street="Molenweg", house_number=8)
    url = reverse("measures:create") + f"?adres={address.pk}"
    client = login(analyst)
    resp = client.get(url)
    assert resp.status_code == 400 and "Molenweg 8" not in resp.content.decode()
    assert not AccessLog.objects.filter(actor_id=analyst.pk).exists()
    resp = with_purpose(client, "Sluiting woning na hennepvondst").get(url)
    assert resp.status_code == 200 and "Molenweg 8" in resp.content.decode()
    row = _reads(analyst, "subjects.address").get()
    assert "Sluiting woning na hennepvondst" in row.purpose


def test_a_related_subject_outside_the_decision_makers_need_to_know_is_not_shown(users, login, other_team):
    """The decision maker may see the measure (his team's) but not the person (another team's,
    not shared): his subject page answers 404, so the measure pages show no name and log no
    read for it. The analyst who may see the person gets the name and a read row."""
    decider, analyst = users["decision_maker"], users["analyst"]
    stranger = PersonFactory(owner_team=other_team, voornamen="Geheim", geslachtsnaam="Persoon")
    from vik.core.access import share_grant

    share_grant(obj=stranger, target=analyst, actor=analyst, reason="test: gedeeld met de behandelaar")
    m = _lod(users, stranger)
    client = login(decider)
    assert client.get(reverse("subjects:person_detail", kwargs={"pk": stranger.pk})).status_code in (400, 404)
    for url in (
        reverse("measures:detail", kwargs={"pk": m.pk}),
        reverse("measures:list"),
        reverse("measures:afpak"),
    ):
        html = client.get(url).content.decode()
        assert "Geheim Persoon" not in html, url
        assert "afgeschermd" in html, url
    assert not _reads(decider, "subjects.person").exists()
    html = login(analyst).get(reverse("measures:detail", kwargs={"pk": m.pk})).content.decode()
    assert "Geheim Persoon" in html and _reads(analyst, "subjects.person").count() == 1
