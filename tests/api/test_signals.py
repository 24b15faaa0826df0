"""Signals through the API: police delivery with legal regime, idempotency, bad input that
writes nothing, need-to-know on reads, status changes through the web's service."""

from __future__ import annotations

import json
import urllib.request
from datetime import timedelta

import pytest

from django.utils import timezone

from signals.models import Signal, SignalStatusChange
from tests.api.conftest import problem
from tests.factories.signals import make_signal, source

pytestmark = pytest.mark.django_db


def _tip(**over):
    body = {
        "ontvangenOp": (timezone.localdate() - timedelta(days=1)).isoformat(),
        "fenomenen": ["hennep"],
        "samenvatting": "Hennepgeur bij bedrijfspand",
        "toelichting": "Melder zag 's nachts busjes laden",
        "bron": "mma",
        "externKenmerk": "MMA-2026-001",
    }
    body.update(over)
    return body


@pytest.fixture
def police_api(make_api, make_user, team, police_org):
    police = make_user("partner", org=police_org)
    return make_api(
        police, scopes=["signalen.aanleveren"], deliver_team=team, deliver_source=source("politie")
    )


@pytest.mark.django_db(transaction=True)  # a live server; conftest adds serialized rollback
def test_police_delivers_an_m_tip_and_a_wpg_report_over_real_http(live_server, police_api, make_api, users):
    """Real HTTP: the M. tip lands in the mma compartment, the police report under Wpg in the
    police compartment, both owned by the receiving team; the analyst (cleared) sees both."""
    _client, api = police_api
    key = api.headers["HTTP_X_API_KEY"]

    def post(body):
        req = urllib.request.Request(
            f"{live_server.url}/api/v1/signalen",
            data=json.dumps(body).encode(),
            headers={"Content-Type": "application/json", "X-API-Key": key},
            method="POST",
        )
        with urllib.request.urlopen(req) as resp:  # noqa: S310 - loopback test server
            assert resp.headers["API-Version"] == "1.0.0"
            assert "Set-Cookie" not in resp.headers
            return resp.status, json.loads(resp.read())

    status, tip = post(_tip())
    assert status == 201 and tip["compartiment"] == "mma" and tip["status"] == "RECEIVED"
    status, report = post(
        _tip(
            bron="politie",
            juridischRegime="WPG",
            wpgVoorwaarden="Alleen voor bestuurlijke aanpak",
            externKenmerk="BR-77",
        )
    )
    assert status == 201 and report["compartiment"] == "police"
    signals = {s.external_ref: s for s in Signal.objects.all()}
    assert signals["MMA-2026-001"].owner_team.code == "veiligheid"
    assert signals["MMA-2026-001"].narrative == "Melder zag 's nachts busjes laden"
    _c, analyst_api = make_api(users["analyst"])
    listed = analyst_api.get("signalen").json()["results"]
    assert {s["externKenmerk"] for s in listed} == {"MMA-2026-001", "BR-77"}
    assert "toelichting" not in listed[0]  # the narrative never leaves through the API


def test_a_retried_delivery_makes_no_duplicate(police_api):
    _client, api = police_api
    first = api.post("signalen", _tip(), HTTP_IDEMPOTENCY_KEY="abc-1")
    again = api.post("signalen", _tip(), HTTP_IDEMPOTENCY_KEY="abc-1")
    assert first.status_code == 201 and again.status_code == 200
    assert again.json()["id"] == first.json()["id"]
    assert Signal.objects.count() == 1
    # the same key with another body is refused, nothing written
    other = api.post("signalen", _tip(samenvatting="Iets anders"), HTTP_IDEMPOTENCY_KEY="abc-1")
    assert other.status_code == 400
    assert problem(other)["invalidParams"][0]["name"] == "Idempotency-Key"
    # without a key, the source + external reference still stops a duplicate
    dup = api.post("signalen", _tip())
    assert dup.status_code == 400 and problem(dup)["invalidParams"][0]["name"] == "externKenmerk"
    assert Signal.objects.count() == 1


@pytest.mark.parametrize("raw", ['{"ontvangenOp": ', "[1, 2"])
def test_malformed_json_is_a_problem(police_api, raw):
    _client, api = police_api
    resp = api.post("signalen", raw=raw)
    assert resp.status_code == 400
    assert "JSON" in problem(resp)["detail"]
    assert Signal.objects.count() == 0


@pytest.mark.parametrize(
    "change, field",
    [
        ({"kleur": "rood"}, "kleur"),  # unknown field
        ({"fenomenen": "hennep"}, "fenomenen"),  # wrong type
        ({"ontvangenOp": "gisteren"}, "ontvangenOp"),
        ({"juridischRegime": "XYZ"}, "juridischRegime"),
        ({"fenomenen": ["bestaatniet"]}, "fenomenen"),
        ({"bron": "onbekend"}, "bron"),
        ({"ontvangenOp": (timezone.localdate() + timedelta(days=3)).isoformat()}, "ontvangenOp"),
        ({"juridischRegime": "WPG"}, "wpgVoorwaarden"),
    ],
)
def test_bad_input_names_the_field_and_writes_nothing(police_api, change, field):
    _client, api = police_api
    resp = api.post("signalen", _tip(**change))
    assert resp.status_code == 400
    body = problem(resp)
    assert field in {p["name"] for p in body["invalidParams"]}
    assert all(p["reason"] for p in body["invalidParams"])
    assert Signal.objects.count() == 0


def test_oversized_body_is_413(police_api, settings):
    settings.API_MAX_BODY_BYTES = 1000
    _client, api = police_api
    resp = api.post("signalen", _tip(toelichting="x" * 5000))
    assert resp.status_code == 413 and problem(resp)["title"] == "Verzoek te groot"
    assert Signal.objects.count() == 0


def test_reads_follow_need_to_know(make_api, make_user, users, other_team):
    own = make_signal(users["analyst"], external_ref="EIGEN")
    foreign = make_signal(make_user("analyst", org=other_team), external_ref="ANDER")
    mma = make_signal(users["analyst"], source_code="mma", external_ref="M1")
    _c, api = make_api(make_user("analyst", clearances=["general"]))
    listed = {s["externKenmerk"] for s in api.get("signalen").json()["results"]}
    assert listed == {"EIGEN"}
    assert api.get(f"signalen/{own.pk}").status_code == 200
    for hidden in (foreign, mma):
        resp = api.get(f"signalen/{hidden.pk}")
        assert resp.status_code == 404 and problem(resp)
    # the partner account holds no signal permission at all
    _c, partner = make_api(users["partner"])
    assert partner.get("signalen").status_code == 404
    assert partner.get(f"signalen/{own.pk}").status_code == 404


def test_status_change_goes_through_the_workflow(make_api, users):
    signal = make_signal(users["analyst"])
    _c, api = make_api(users["analyst"])
    resp = api.post(
        f"signalen/{signal.pk}/statuswijzigingen", {"status": "TRIAGE", "toelichting": "Oppakken"}
    )
    assert resp.status_code == 201 and resp.json()["status"] == "TRIAGE"
    assert SignalStatusChange.objects.filter(signal=signal, to_status="TRIAGE").exists()
    # a jump the workflow does not offer is refused with a Dutch reason, nothing changes
    resp = api.post(f"signalen/{signal.pk}/statuswijzigingen", {"status": "CLOSED"})
    assert resp.status_code == 400 and problem(resp)["detail"]
    signal.refresh_from_db()
    assert signal.status == "TRIAGE"
    # a decision maker may read but not change
    _c, mayor = make_api(users["decision_maker"])
    assert mayor.post(f"signalen/{signal.pk}/statuswijzigingen", {"status": "ENRICHMENT"}).status_code == 404


def test_scopes_limit_the_endpoints(make_api, users):
    _c, api = make_api(users["analyst"], scopes=["acties.lezen"])
    resp = api.get("signalen")
    assert resp.status_code == 403 and problem(resp)
