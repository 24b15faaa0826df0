"""The registry clients against VIK's stand-in: typed answers, input refused before any call,
the purpose headers, malformed answers, timeouts, 429, 5xx, retries and the circuit breaker."""

from __future__ import annotations

import logging
import re
from datetime import date

import pytest

from registries.clients.bag import BagClient
from registries.clients.base import (
    CallContext,
    RegistryContractError,
    RegistryRefused,
    RegistryUnavailable,
)
from registries.clients.bewoning import BrpBewoningClient
from registries.clients.brp import BrpPersonenClient
from registries.clients.kvk import KvkClient
from registries.fields import IDENTITY, RESIDENCE

pytestmark = pytest.mark.django_db

CTX = CallContext(user_id="analist", purpose="Signaal 12: onderzoek naar woonfraude")


def brp():
    return BrpPersonenClient(CTX)


# --- answers ------------------------------------------------------------------------------------


def test_brp_by_bsn_gives_name_birth_and_address(registry_standin):
    [person] = brp().by_bsn(["999993653"], fields=IDENTITY + RESIDENCE)
    assert (person.voornamen, person.geslachtsnaam) == ("Jan Hendrik", "Jansen")
    assert person.birth_date == date(1979, 3, 14)
    assert person.birth_place == "Almelo"
    assert person.address.postcode == "7607CH"
    assert person.address.adresseerbaar_object == "0141010000000002"
    assert person.markings == []


def test_brp_fields_are_what_is_returned(registry_standin):
    [person] = brp().by_bsn(["999993653"], fields=IDENTITY)
    assert person.address is None  # verblijfplaats not asked, not given
    assert "verblijfplaats" not in person.raw_fields


def test_brp_unknown_bsn_is_an_empty_answer(registry_standin):
    assert brp().by_bsn(["999990007"], fields=IDENTITY) == []


def test_geheimhouding_and_in_onderzoek_are_marked(registry_standin):
    people = {p.bsn: p for p in brp().by_bsn(["999995571", "999998456"], fields=IDENTITY)}
    secret, investigated = people["999995571"], people["999998456"]
    assert secret.geheimhouding is True
    assert any("Geheimhouding" in m for m in secret.markings)
    assert investigated.in_onderzoek == ("geboorte.datum",)
    assert any("In onderzoek" in m and "geboorte.datum" in m for m in investigated.markings)


def test_purpose_user_and_trace_travel_in_the_headers(registry_standin):
    brp().by_bsn(["999993653"], fields=IDENTITY)
    headers = {k.lower(): v for k, v in registry_standin.state()["last_headers"]["brp"].items()}
    assert headers["x-gebruiker"] == "analist"
    assert headers["x-doelbinding"] == "BRPACT-Ondermijning"
    assert headers["x-verwerking"].endswith("Signaal 12: onderzoek naar woonfraude")
    assert re.fullmatch(r"00-[0-9a-f]{32}-[0-9a-f]{16}-01", headers["traceparent"])
    assert headers["traceparent"][3:35] == CTX.trace_id


def test_header_names_and_values_are_configurable(registry_standin, settings):
    settings.REGISTRIES_HEADERS = {**settings.REGISTRIES_HEADERS, "doelbinding": "X-DOELBINDING"}
    settings.REGISTRIES_DOELBINDING = "BRPACT-Totaal"
    settings.REGISTRIES_OIN = "00000001234567890000"
    brp().by_bsn(["999993653"], fields=IDENTITY)
    headers = {k.lower(): v for k, v in registry_standin.state()["last_headers"]["brp"].items()}
    assert headers["x-doelbinding"] == "BRPACT-Totaal"
    assert headers["x-origin-oin"] == "00000001234567890000"


def test_bag_address_and_object(registry_standin):
    [adres] = BagClient(CTX).by_postcode("7609 rg", 1)
    assert adres.line == "Twentepoort Oost 1, 7609 RG Almelo"
    obj = BagClient(CTX).adresseerbaar_object(adres.adresseerbaar_object)
    assert obj.gebruiksdoelen == ("kantoorfunctie", "industriefunctie")
    assert obj.oppervlakte == 1840
    assert obj.point == (238251.0, 485672.0)


def test_kvk_search_and_profile_with_sbi(registry_standin):
    [hit] = KvkClient(CTX).search(kvk_number="61234567")
    assert hit.name == "Autohandel Wessels B.V."
    profile = KvkClient(CTX).profile("61234567")
    assert profile.legal_form == "Besloten Vennootschap"
    assert [(s.code, s.main) for s in profile.sbi] == [("4511", True), ("4520", False)]
    assert profile.address.postcode == "7609RG"


def test_kvk_nothing_found_is_an_empty_answer(registry_standin):
    assert KvkClient(CTX).search(name="Bestaat Niet Holding") == []
    assert KvkClient(CTX).profile("12345678") is None


def test_bewoning_gives_one_composition_per_period(registry_standin):
    result = BrpBewoningClient(CTX).in_period("0141010000000002", date(2016, 1, 1), date(2017, 1, 1))
    assert [(b.start, b.end, sorted(p.naam for p in b.bewoners)) for b in result] == [
        (date(2016, 1, 1), date(2016, 9, 1), ["Jan Hendrik Jansen", "Pieter van der Berg"]),
        (date(2016, 9, 1), date(2017, 1, 1), ["Jan Hendrik Jansen"]),
    ]


# --- bad input: refused before any call ------------------------------------------------------------


@pytest.mark.parametrize(
    "call, message",
    [
        (lambda: brp().by_bsn(["123456789"], fields=IDENTITY), "elfproef"),
        (lambda: brp().by_postcode("0123AB", 5, fields=IDENTITY), "postcode"),
        (lambda: BagClient(CTX).by_postcode("7609 SS", 1), "SS"),
        (lambda: KvkClient(CTX).profile("1234567"), "8 cijfers"),
        (
            lambda: BrpBewoningClient(CTX).in_period("0141010000000002", date(2020, 1, 1), date(2019, 1, 1)),
            "na de begindatum",
        ),
        (lambda: BrpBewoningClient(CTX).on_date("0141200000000002", date(2020, 1, 1)), "verwacht objecttype"),
    ],
)
def test_invalid_input_is_refused_before_any_call(registry_standin, call, message):
    with pytest.raises(RegistryRefused) as exc:
        call()
    assert message in exc.value.message
    assert registry_standin.state()["calls"] == {}


def test_everything_is_never_asked(registry_standin):
    with pytest.raises(ValueError):
        brp().by_bsn(["999993653"], fields=[])
    with pytest.raises(ValueError):
        brp().by_bsn(["999993653"], fields=["inOnderzoek"])  # automatic fields may not be asked


# --- answers that break the contract ----------------------------------------------------------------


@pytest.mark.parametrize(
    "registry, call",
    [
        ("brp", lambda: brp().by_bsn(["999993653"], fields=IDENTITY)),
        ("bewoning", lambda: BrpBewoningClient(CTX).on_date("0141010000000002", date(2020, 1, 1))),
        ("bag", lambda: BagClient(CTX).by_postcode("7609RG", 1)),
        ("kvk", lambda: KvkClient(CTX).search(kvk_number="61234567")),
    ],
)
def test_malformed_answer_is_rejected_with_a_logged_reason(registry_standin, caplog, registry, call):
    registry_standin.fault(**{registry: "malformed"})
    with caplog.at_level(logging.WARNING, logger="registries"), pytest.raises(RegistryContractError) as exc:
        call()
    assert "niet gebruikt" in exc.value.message
    assert any("answer rejected" in r.getMessage() for r in caplog.records)
    assert not any("9999" in r.getMessage() for r in caplog.records)  # no BSN in the log


def test_a_body_that_is_not_json_is_rejected(registry_standin):
    registry_standin.fault(bag="notjson")
    with pytest.raises(RegistryContractError):
        BagClient(CTX).by_postcode("7609RG", 1)


def test_brp_problem_json_becomes_a_dutch_message(registry_standin):
    with pytest.raises(RegistryRefused) as exc:
        brp().by_name_and_birth_date("Jansen", date(1979, 3, 14), fields=["kinderen"])
    assert "wees de vraag af" in exc.value.message and "fields" in exc.value.message


def test_stand_in_answers_are_refused_outside_demo_mode(registry_standin, settings):
    settings.REGISTRIES_STANDIN = False
    with pytest.raises(RegistryContractError):
        KvkClient(CTX).profile("61234567")


# --- down, slow, busy -------------------------------------------------------------------------------


def test_not_configured_is_unavailable_without_a_call(registry_standin, settings):
    settings.REGISTRIES = {**settings.REGISTRIES, "kvk": {**settings.REGISTRIES["kvk"], "url": ""}}
    with pytest.raises(RegistryUnavailable) as exc:
        KvkClient(CTX).profile("61234567")
    assert "niet geconfigureerd" in exc.value.message and "niet geverifieerd" in exc.value.message


def test_get_is_retried_on_5xx_then_unavailable(registry_standin):
    registry_standin.fault(bag="500")
    with pytest.raises(RegistryUnavailable) as exc:
        BagClient(CTX).by_postcode("7609RG", 1)
    assert "status 500" in exc.value.message
    assert registry_standin.calls("bag") == 3  # 1 + REGISTRIES_RETRIES


def test_brp_post_is_not_retried_on_500_but_on_503(registry_standin):
    registry_standin.fault(brp="500")
    with pytest.raises(RegistryUnavailable):
        brp().by_bsn(["999993653"], fields=IDENTITY)
    assert registry_standin.calls("brp") == 1
    registry_standin.fault(brp="503")
    with pytest.raises(RegistryUnavailable):
        brp().by_bsn(["999993653"], fields=IDENTITY)
    assert registry_standin.calls("brp") == 3


def test_429_is_a_clear_message_and_does_not_pause_the_registry(registry_standin, settings):
    settings.REGISTRIES_BREAKER_FAILURES = 1
    registry_standin.fault(kvk="429")
    with pytest.raises(RegistryRefused) as exc:
        KvkClient(CTX).profile("61234567")
    assert "te veel vragen" in exc.value.message
    registry_standin.fault()
    assert KvkClient(CTX).profile("61234567") is not None


def test_timeout(registry_standin, settings):
    settings.REGISTRIES_TIMEOUT = 1
    settings.REGISTRIES_RETRIES = 0
    registry_standin.fault(kvk="slow")
    with pytest.raises(RegistryUnavailable) as exc:
        KvkClient(CTX).profile("61234567")
    assert "time-out" in exc.value.message


def test_circuit_breaker_pauses_after_repeated_failures(registry_standin, settings):
    settings.REGISTRIES_BREAKER_FAILURES = 2
    settings.REGISTRIES_RETRIES = 0
    registry_standin.fault(bag="503")
    for _ in range(2):
        with pytest.raises(RegistryUnavailable):
            BagClient(CTX).by_postcode("7609RG", 1)
    assert registry_standin.calls("bag") == 2
    registry_standin.fault()  # up again, but VIK leaves it alone for a while
    with pytest.raises(RegistryUnavailable) as exc:
        BagClient(CTX).by_postcode("7609RG", 1)
    assert "gepauzeerd" in exc.value.message
    assert registry_standin.calls("bag") == 0


def test_unauthorised_key_tells_who_to_call(registry_standin):
    registry_standin.fault(brp="401")
    with pytest.raises(RegistryRefused) as exc:
        brp().by_bsn(["999993653"], fields=IDENTITY)
    assert "functioneel beheerder" in exc.value.message


def test_oauth_client_credentials_token_is_fetched_once_and_sent(registry_standin, settings):
    import secrets

    oauth = {
        "token_url": f"{registry_standin.base}/oauth/token",
        "client_id": f"vik-almelo-{secrets.token_hex(4)}",  # a fresh cache key
        "client_secret": "geheim",
        "scope": "000000-00000001234567890000",
        "resource_server": "ResourceServer01",
    }
    settings.REGISTRIES = {**settings.REGISTRIES, "brp": {**settings.REGISTRIES["brp"], "oauth": oauth}}
    brp().by_bsn(["999993653"], fields=IDENTITY)
    brp().by_bsn(["999990019"], fields=IDENTITY)
    state = registry_standin.state()
    assert state["calls"]["token"] == 1
    assert state["last_headers"]["brp"]["Authorization"] == "Bearer standin-token-1"
