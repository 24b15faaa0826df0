"""Measure screens end to end through Django: need-to-know on list and detail, the procedure
forms with errors at the field, "mijn termijnen", the afpak overview and the rules list."""

from __future__ import annotations

from datetime import date, datetime
from zoneinfo import ZoneInfo

import pytest
import time_machine

from django.urls import reverse

from measures.constants import EventType as E
from measures.constants import MeasureKind as K
from measures.constants import MeasureState as S
from tests.factories.core import OrgUnitFactory
from tests.factories.measures import make_measure, record
from tests.factories.signals import make_signal
from tests.factories.subjects import AddressFactory

pytestmark = pytest.mark.django_db
AMS = ZoneInfo("Europe/Amsterdam")


@pytest.fixture(autouse=True)
def frozen():
    with time_machine.travel(datetime(2026, 6, 1, 10, 0, tzinfo=AMS), tick=False):
        yield


@pytest.fixture
def own(users):
    return make_measure(users["analyst"], rapportage_date=date(2026, 5, 1), title="Eigen team woning")


@pytest.fixture
def foreign(make_user, other_team):
    stranger = make_user("analyst", org=other_team)
    return make_measure(stranger, rapportage_date=date(2026, 5, 1), title="Ander team pand")


def test_need_to_know_on_list_and_detail(users, login, own, foreign, make_user):
    client = login(users["analyst"])
    page = client.get(reverse("measures:list")).content.decode()
    assert "Eigen team woning" in page and "Ander team pand" not in page
    assert client.get(reverse("measures:detail", kwargs={"pk": own.pk})).status_code == 200
    for name, kwargs in [
        ("measures:detail", {"pk": foreign.pk}),
        ("measures:event", {"pk": foreign.pk, "event": "voornemen"}),
        ("measures:detail", {"pk": 999999}),
    ]:
        assert client.get(reverse(name, kwargs=kwargs)).status_code == 404, name
    # the chair sees all teams; a police-cleared partner nothing; the functional admin no content
    chair_page = login(users["chair"]).get(reverse("measures:list")).content.decode()
    assert "Ander team pand" in chair_page
    assert login(users["partner"]).get(reverse("measures:detail", kwargs={"pk": own.pk})).status_code == 404
    assert (
        login(users["functional_admin"]).get(reverse("measures:detail", kwargs={"pk": own.pk})).status_code
        == 404
    )
    # clearance matters too: a team-mate without the compartment does not see a police measure
    own.compartment = "police"
    own.save(update_fields=["compartment"])
    mate = make_user("analyst", clearances=["general"])
    assert login(mate).get(reverse("measures:detail", kwargs={"pk": own.pk})).status_code == 404


def test_event_form_refuses_out_of_order_with_reason_and_changes_nothing(users, login, own):
    client = login(users["analyst"])
    url = reverse("measures:event", kwargs={"pk": own.pk, "event": "bekendmaking"})
    resp = client.post(url, {"date": "2026-05-20"})
    assert resp.status_code == 400
    assert "Bekendmaking kan niet in de fase ‘Beoordeling’." in resp.content.decode()
    own.refresh_from_db()
    assert own.state == S.ASSESSMENT and own.events.count() == 1


def test_event_form_date_errors_at_the_field(users, login, own):
    client = login(users["analyst"])
    url = reverse("measures:event", kwargs={"pk": own.pk, "event": "voornemen"})
    resp = client.post(url, {"date": "2026-04-30"})
    html = resp.content.decode()
    assert resp.status_code == 400 and 'id="id_date_error"' in html and "vóór de vorige gebeurtenis" in html
    resp = client.post(url, {"date": "31-02-2026"})
    assert resp.status_code == 400 and 'id="id_date_error"' in resp.content.decode()
    resp = client.post(url, {"date": "2026-05-04", "zienswijze_days": "10"})
    assert resp.status_code == 302
    detail = client.get(reverse("measures:detail", kwargs={"pk": own.pk})).content.decode()
    assert "Termijn zienswijze op voornemen" in detail and "14-05-2026" in detail


def test_only_the_decision_maker_gets_the_besluit_form(users, login, own):
    record(users["analyst"], own, E.VOORNEMEN, date(2026, 5, 4))
    record(users["analyst"], own, E.ZIENSWIJZE_ONTVANGEN, date(2026, 5, 10))
    url = reverse("measures:event", kwargs={"pk": own.pk, "event": "besluit"})
    assert login(users["analyst"]).get(url).status_code == 404
    mayor = login(users["decision_maker"])
    page = mayor.get(reverse("measures:detail", kwargs={"pk": own.pk})).content.decode()
    assert url in page
    resp = mayor.post(url, {"date": "2026-05-12", "duration_months": "6", "begunstiging_days": "14"})
    assert resp.status_code == 302
    own.refresh_from_db()
    assert own.state == S.BESLUIT


def test_lod_amount_errors_at_the_field(users, login):
    m = make_measure(users["analyst"], kind=K.LOD, rapportage_date=date(2026, 5, 1))
    url = reverse("measures:event", kwargs={"pk": m.pk, "event": "besluit"})
    resp = login(users["decision_maker"]).post(
        url,
        {
            "date": "2026-05-02",
            "amount_per_violation": "USD 5000",
            "maximum_amount": "20000",
            "urgency_reason": "spoed: dealen bij school",
        },
    )
    html = resp.content.decode()
    assert (
        resp.status_code == 400 and 'id="id_amount_per_violation_error"' in html and "alleen in euro" in html
    )
    m.refresh_from_db()
    assert m.state == S.ASSESSMENT


def test_create_from_signal_shows_matrix_proposal(users, login):
    analyst = users["analyst"]
    address = AddressFactory(owner_team=analyst.org_unit)
    make_measure(analyst, rapportage_date=date(2025, 3, 1), address=address)
    signal = make_signal(analyst, source_code="politie", links=[(address, "")], received=date(2026, 5, 20))
    client = login(analyst)
    url = reverse("measures:create") + f"?signaal={signal.pk}"
    html = client.get(url).content.decode()
    # the active matrix is Almelo's flat six months (DOMAIN §1.2a): also for a second offence
    assert "sluiting 6 maanden" in html and "Overtreding nr. 2" in html
    resp = client.post(
        url,
        {
            "kind": K.CLOSURE_13B_HOME,
            "title": "Handel",
            "rapportage_date": "2026-05-20",
            "address": address.pk,
            "signaal": signal.pk,
            "drug_class": "alle",
        },
    )
    assert resp.status_code == 302
    from measures.models import Measure

    m = Measure.objects.get(title="Handel")
    assert list(m.signals.all()) == [signal] and m.duration_months == 6


def test_create_from_unaligned_mma_tip_refused_at_field(users, login):
    analyst = users["analyst"]
    address = AddressFactory(owner_team=analyst.org_unit)
    tip = make_signal(analyst, source_code="mma", links=[(address, "")], received=date(2026, 5, 20))
    url = reverse("measures:create") + f"?signaal={tip.pk}"
    resp = login(analyst).post(
        url,
        {
            "kind": K.CLOSURE_13B_HOME,
            "title": "Tip",
            "rapportage_date": "2026-05-20",
            "address": address.pk,
            "drug_class": "alle",
        },
    )
    assert resp.status_code == 400 and "met de politie" in resp.content.decode()


def test_create_from_foreign_signal_is_404(users, login, make_user):
    other = OrgUnitFactory(code="elders")
    stranger = make_user("analyst", org=other)
    signal = make_signal(stranger, source_code="politie", owner_team=other)
    assert (
        login(users["analyst"]).get(reverse("measures:create") + f"?signaal={signal.pk}").status_code == 404
    )


def test_my_deadlines_today_overdue_and_this_week(users, login):
    analyst = users["analyst"]
    today_m = make_measure(analyst, rapportage_date=date(2026, 5, 1), title="A")
    record(analyst, today_m, E.VOORNEMEN, date(2026, 5, 18))  # 14 days: today, 1 June
    late = make_measure(analyst, rapportage_date=date(2026, 5, 1), title="B")
    record(analyst, late, E.VOORNEMEN, date(2026, 5, 10))  # 24 May: overdue
    soon = make_measure(analyst, rapportage_date=date(2026, 5, 1), title="C")
    record(analyst, soon, E.VOORNEMEN, date(2026, 5, 21))  # 4 June: this week
    html = login(analyst).get(reverse("measures:my_deadlines")).content.decode()
    overdue = html.split('data-testid="overdue"')[1].split("</section>")[0]
    today = html.split('data-testid="today"')[1].split("</section>")[0]
    week = html.split('data-testid="this-week"')[1].split("</section>")[0]
    assert late.reference in overdue and today_m.reference in today and soon.reference in week
    assert late.reference not in today and today_m.reference not in week
    # other users do not see someone else's deadlines as theirs
    assert late.reference not in login(users["chair"]).get(reverse("measures:my_deadlines")).content.decode()
    home = login(analyst).get(reverse("core:home")).content.decode()
    assert "Mijn termijnen" in home and "1 verstreken" in home


def test_afpak_overview_and_rules_page(users, login):
    analyst = users["analyst"]
    from measures import services

    m = make_measure(analyst, kind=K.LOD, rapportage_date=date(2026, 5, 1))
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
    html = login(analyst).get(reverse("measures:afpak")).content.decode()
    assert "€ 5.000,00" in html and "Last onder dwangsom" in html
    assert login(users["partner"]).get(reverse("measures:afpak")).status_code == 404
    rules = login(users["functional_admin"]).get(reverse("measures:rules")).content.decode()
    assert "niet geverifieerd" in rules and "Bezwaartermijn" in rules
    rule_url = reverse("measures:rule_edit", kwargs={"pk": services.deadline_rule_get("zienswijze").pk})
    assert rule_url in rules
    resp = login(users["functional_admin"]).post(
        rule_url,
        {
            "label": "Zienswijze",
            "days": "-3",
            "weeks": "0",
            "months": "0",
            "legal_basis": "4:8",
            "verification": "U",
        },
    )
    assert resp.status_code == 400
    assert services.deadline_rule_get("zienswijze").days == 14


def test_start_from_address_lookup_needs_a_purpose_and_is_logged(users, login, with_purpose):
    from vik.core.models import AccessLog

    analyst = users["analyst"]
    address = AddressFactory(owner_team=analyst.org_unit, postcode="7607AB", house_number=77)
    client = login(analyst)
    url = reverse("measures:create") + "?postcode=7607+ab&house_number=77"
    html = client.get(url).content.decode()
    assert "Geef eerst een doel op" in html and address.display_name not in html
    html = with_purpose(client).get(url).content.decode()
    assert address.display_name in html and "sluiting 6 maanden" in html
    assert (
        AccessLog.objects.filter(actor_id=analyst.pk, action="search", ref_kind="subjects.address").count()
        == 1
    )


def test_subject_timeline_and_case_kind(users, own, foreign):
    from measures.providers import subject_timeline
    from vik.core.registry import registry

    entries = subject_timeline(users["analyst"], own.address)
    assert any(
        e.title.endswith("Bestuurlijke rapportage ontvangen") and e.date == date(2026, 5, 1) for e in entries
    )
    assert subject_timeline(users["analyst"], foreign.address) == []
    resolve = registry.case_kinds["measure"].resolve
    assert resolve(users["analyst"], own.pk) == own
    from django.http import Http404

    with pytest.raises(Http404):
        resolve(users["analyst"], foreign.pk)


def test_event_changes_are_audited_with_the_actor(users, login, own):
    from auditlog.models import LogEntry

    client = login(users["analyst"])
    client.post(
        reverse("measures:event", kwargs={"pk": own.pk, "event": "voornemen"}), {"date": "2026-05-04"}
    )
    entry = LogEntry.objects.get_for_object(own).filter(changes__icontains="voornemen").first()
    assert entry is not None and entry.actor == users["analyst"]


def test_detail_hides_linked_signals_the_user_may_not_see(users, login, make_user):
    analyst = users["analyst"]
    other = OrgUnitFactory(code="elders-sig")
    stranger = make_user("analyst", org=other)
    hidden = make_signal(stranger, source_code="politie", owner_team=other)
    mine = make_signal(analyst, source_code="politie")
    measure = make_measure(analyst, rapportage_date=date(2026, 5, 1), signals=[hidden, mine])
    page = login(analyst).get(reverse("measures:detail", kwargs={"pk": measure.pk})).content.decode()
    assert mine.reference in page and hidden.reference not in page


def test_detail_logs_the_read_of_the_measures_address(users, login, own):
    from vik.core.models import AccessLog

    analyst = users["analyst"]
    assert login(analyst).get(reverse("measures:detail", kwargs={"pk": own.pk})).status_code == 200
    row = AccessLog.objects.get(actor_id=analyst.pk, action="read", ref_kind="subjects.address")
    assert row.purpose == f"Maatregel {own.reference}"


def test_create_from_signal_offers_only_visible_subjects_in_a_fixed_number_of_queries(
    users, login, make_user, other_team
):
    """The subjects a signal names are offered only when the user may see them, and checking
    them costs the same number of queries for two links as for eight (one query per kind)."""
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    from signals.models import SignalSubject

    analyst = users["analyst"]
    stranger = make_user("analyst", org=other_team)
    client = login(analyst)

    def page_for(n_own: int):
        own = [AddressFactory(owner_team=analyst.org_unit, street=f"Eigenstraat{i}") for i in range(n_own)]
        signal = make_signal(analyst, source_code="politie", links=[(a, "") for a in own])
        hidden = AddressFactory(owner_team=stranger.org_unit, street="Geheimestraat")
        SignalSubject.objects.create(signal=signal, address=hidden)
        with CaptureQueriesContext(connection) as queries:
            resp = client.get(reverse("measures:create") + f"?signaal={signal.pk}")
        return resp, len(queries)

    small, small_queries = page_for(2)
    large, large_queries = page_for(8)
    assert small.status_code == 200 and large.status_code == 200
    html = large.content.decode()
    assert "Eigenstraat7" in html and "Geheimestraat" not in html
    assert large_queries == small_queries
