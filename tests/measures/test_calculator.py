"""The termijnenrekenhulp and ``deadlines_preview``: the same engine and rule rows as the
measures and dossiers, from scenarios with dates worked out from the articles."""

from __future__ import annotations

import json
from datetime import date
from io import StringIO

import pytest

from django.core.management import call_command
from django.core.management.base import CommandError
from django.urls import reverse

from measures import calculator
from measures.services import rules_by_code
from vik.core import calendar as cal

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _no_declared_days():
    before = cal.declared_days()
    cal.set_declared_days([])
    yield
    cal.set_declared_days(before)


SCENARIOS = [
    {
        # Awb 5:35(2): objection pending on the limitation day (2 Feb 2027), decided Thu 14 Jan
        # 2027 -> beroep term ends Thu 25 Feb 2027 unused: limitation 25 Feb 2027
        "id": "lod",
        "procedure": "last_onder_dwangsom",
        "events": [
            {"type": "besluit", "on": "2026-01-02"},
            {"type": "bekendmaking", "on": "2026-01-05"},
            {"type": "verbeurte", "on": "2026-02-02"},
            {"type": "bezwaar", "on": "2026-02-10"},
            {"type": "beslissing_op_bezwaar", "on": "2027-01-14"},
        ],
    },
    {
        # indefinite closure: no end date (null), a review six months after the start
        "id": "13b",
        "procedure": "sluiting_13b",
        "events": [
            {"type": "besluit", "on": "2026-01-20", "indefinite": True},
            {"type": "bekendmaking", "on": "2026-01-21"},
            {"type": "sluiting_start", "on": "2026-02-02"},
        ],
    },
    {
        # objection 6 weeks after Fri 24 Apr 2026 = Fri 5 Jun; with a declared day that Friday
        # (what-if) the term moves to Monday 8 June
        "id": "declared",
        "procedure": "bezwaar_beroep",
        "events": [{"type": "bekendmaking", "on": "2026-04-24"}],
        "declared_days": ["2026-06-05"],
    },
    {
        # Wet Bibob art. 31: LBB silent, suspension 56 days from 9 Feb 2026 = Easter Monday 6 Apr
        # (no Atw); decision term 9 Mar + 56 days = Mon 4 May 2026
        "id": "bibob",
        "procedure": "bibob_alcoholwet",
        "events": [
            {"type": "aanvraag_ontvangen", "on": "2026-01-12"},
            {"type": "lbb_verzoek", "on": "2026-02-09"},
        ],
    },
    {"id": "toets", "procedure": "bibob_toets", "events": [{"type": "lbb_verzoek", "on": "2026-02-09"}]},
]


def _run(tmp_path, scenarios):
    path = tmp_path / "scenarios.json"
    path.write_text(json.dumps(scenarios), encoding="utf-8")
    out, err = StringIO(), StringIO()
    call_command("deadlines_preview", str(path), stdout=out, stderr=err)
    return json.loads(out.getvalue())


def test_command_on_a_file_of_scenarios(tmp_path):
    result = _run(tmp_path, SCENARIOS)
    assert set(result) == {"lod", "13b", "declared", "bibob", "toets"}
    assert result["lod"]["verbeurte:1:verjaring"] == "2027-02-25"
    assert result["lod"]["verbeurte:1:lod_verjaring_signaal_9m"] == "2026-11-25"
    assert result["lod"]["verbeurte:1:betaling"] == "2026-03-16"  # Mon 2 Feb + 42, Awb 5:33
    assert result["13b"]["sluitingsduur"] is None
    assert result["13b"]["sluiting_herbeoordeling"] == "2026-08-02"
    assert result["declared"]["bezwaartermijn"] == "2026-06-08"
    assert result["bibob"]["bibob_lbb_opschorting"] == "2026-04-06"
    assert result["bibob"]["bibob_beslistermijn"] == "2026-05-04"
    assert result["toets"]["bibob_beslistermijn"] is None
    # the what-if declared day did not leak into the configured calendar
    assert cal.declared_days() == frozenset()


def test_command_refuses_bad_scenarios_with_their_number(tmp_path):
    path = tmp_path / "bad.json"
    path.write_text(
        json.dumps(
            [
                SCENARIOS[2],
                {"id": "x", "procedure": "onbekend", "events": []},
                {
                    "id": "y",
                    "procedure": "sluiting_13b",
                    "events": [{"type": "bekendmaking", "on": "5-1-2026"}],
                },
                {
                    "id": "z",
                    "procedure": "sluiting_13b",
                    "events": [{"type": "verbeurte", "on": "2026-01-05"}],
                },
            ]
        ),
        encoding="utf-8",
    )
    out, err = StringIO(), StringIO()
    with pytest.raises(CommandError) as exc:
        call_command("deadlines_preview", str(path), stdout=out, stderr=err)
    assert exc.value.returncode == 1
    lines = err.getvalue().splitlines()
    assert lines[0].startswith("scenario 2: onbekende procedure")
    assert lines[1].startswith("scenario 3: ") and "geen datum" in lines[1]
    assert lines[2].startswith("scenario 4: ") and "hoort niet bij" in lines[2]
    assert out.getvalue() == ""


def test_same_engine_as_the_measures():
    # the calculator's objection term is the rule row's, counted by measures.deadlines
    result = calculator.compute(
        "bezwaar_beroep", [{"type": "bekendmaking", "on": "2026-02-20"}], rules=rules_by_code()
    )
    c = {x.code: x for x in result.deadlines}["bezwaartermijn"]
    # Fri 20 Feb + 42 = Good Friday 3 Apr -> Sat, Sun, Easter Monday -> Tue 7 Apr (Atw art. 1, 3(2))
    assert c.due == date(2026, 4, 7)
    assert any("Art. 1 Atw" in s and "Goede Vrijdag" in s for s in c.steps), c.steps
    assert "6:7" in c.article


def test_page_for_the_four_roles_and_404_for_others(users, login):
    url = reverse("measures:calculator")
    for role in ("analyst", "bibob", "decision_maker", "functional_admin"):
        assert login(users[role]).get(url).status_code == 200
    assert login(users["partner"]).get(url).status_code == 404


def test_page_computes_and_explains(users, login):
    client = login(users["analyst"])
    url = reverse("measures:calculator")
    resp = client.get(
        url,
        {
            "procedure": "last_onder_dwangsom",
            "type_1": "bekendmaking",
            "on_1": "2026-01-05",
            "type_2": "verbeurte",
            "on_2": "2026-02-02",
            "type_3": "bezwaar",
            "on_3": "2026-02-10",
        },
    )
    html = resp.content.decode()
    assert resp.status_code == 200
    assert 'data-code="verbeurte:1:verjaring"' in html and "verlengd; datum nog niet bekend" in html
    assert "5:35 lid 2" in html and "niet geverifieerd" in html.lower()
    # a date without an event type is refused at the field, with the input kept
    resp = client.get(url, {"procedure": "sluiting_13b", "on_1": "2026-01-05"})
    assert resp.status_code == 400 and "Kies de gebeurtenis bij deze datum." in resp.content.decode()
    assert 'value="2026-01-05"' in resp.content.decode()
    # an event that does not belong to the procedure: a clear Dutch error, no 500
    resp = client.get(url, {"procedure": "sluiting_13b", "type_1": "lbb_verzoek", "on_1": "2026-01-05"})
    assert resp.status_code == 400 and "hoort niet bij procedure" in resp.content.decode()


def test_docs_list_every_procedure_event_type_and_rule():
    from pathlib import Path

    from measures.models import DeadlineRule

    text = (Path(__file__).resolve().parents[2] / "docs" / "legal-deadlines.md").read_text(encoding="utf-8")
    missing = [p for p in calculator.PROCEDURES if f"`{p}`" not in text]
    missing += [e for e in calculator.EVENT_TYPES if f"`{e}`" not in text]
    missing += [r for r in DeadlineRule.objects.values_list("code", flat=True) if f"`{r}`" not in text]
    assert missing == []


def test_bibob_decision_term_explains_what_happens_when_it_passes():
    result = calculator.compute(
        "bibob_alcoholwet", [{"type": "aanvraag_ontvangen", "on": "2026-03-19"}], rules=rules_by_code()
    )
    c = {x.code: x for x in result.deadlines}["bibob_beslistermijn"]
    # Thu 19 Mar 2026 + 8 weeks = Ascension Day Thu 14 May -> Atw art. 1: Fri 15 May
    assert c.due == date(2026, 5, 15)
    assert any("Lex silencio positivo niet van toepassing" in s for s in c.steps)
    apv = calculator.compute(
        "bibob_apv", [{"type": "aanvraag_ontvangen", "on": "2026-03-19"}], rules=rules_by_code()
    )
    # the APV's term (a municipal regulation): no Atw, ends on Ascension Day itself
    assert {x.code: x for x in apv.deadlines}["bibob_beslistermijn"].due == date(2026, 5, 14)
