"""Browser journey: a municipal lawyer (analyst) opens the termijnenrekenhulp, picks the last
onder dwangsom, enters bekendmaking, a forfeiture and an objection, and reads the deadlines:
the limitation extended under Awb 5:35(2) while the objection is pending, then fixed once the
decision on objection is entered; each with its article, counting and verification status."""

from __future__ import annotations

import pytest

from tests.e2e.conftest import axe_violations

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]


def _row(page, code):
    return page.locator(f'tr[data-code="{code}"]')


def test_lawyer_computes_limitation_with_objection(page, live_server, make_user, browser_login):
    analyst = make_user("analyst", username="lotte", first_name="Lotte")
    browser_login(page, analyst)
    page.goto(f"{live_server.url}/maatregelen/termijnenrekenhulp/")
    page.get_by_label("Procedure").select_option("last_onder_dwangsom")
    for n, (event, on) in enumerate(
        [("bekendmaking", "2026-01-05"), ("verbeurte", "2026-02-02"), ("bezwaar", "2026-02-10")], start=1
    ):
        page.locator(f"#id_type_{n}").select_option(event)
        page.locator(f"#id_on_{n}").fill(on)
    page.get_by_role("button", name="Bereken termijnen").click()
    page.wait_for_url("**/termijnenrekenhulp/?*")
    limitation = _row(page, "verbeurte:1:verjaring")
    assert "verlengd; datum nog niet bekend" in limitation.inner_text()
    assert "5:35 lid 2" in limitation.inner_text()
    assert "niet geverifieerd" in limitation.inner_text().lower()
    # payment: Mon 2 Feb + 6 weeks = Mon 16 Mar 2026 (Awb 5:33), a working day
    assert "16-03-2026" in _row(page, "verbeurte:1:betaling").inner_text()

    # the decision on objection of Thu 14 Jan 2027: the appeal term runs to Thu 25 Feb 2027,
    # open on the limitation day (2 Feb 2027): limitation 25 Feb 2027
    page.locator("#id_type_4").select_option("beslissing_op_bezwaar")
    page.locator("#id_on_4").fill("2027-01-14")
    page.get_by_role("button", name="Bereken termijnen").click()
    page.wait_for_load_state()
    assert "25-02-2027" in _row(page, "verbeurte:1:verjaring").locator('[data-testid="due"]').inner_text()
    assert "25-11-2026" in _row(page, "verbeurte:1:lod_verjaring_signaal_9m").inner_text()
    objection = _row(page, "bezwaartermijn").inner_text()
    assert "6:7" in objection and "16-02-2026" in objection  # Mon 5 Jan + 42 = Mon 16 Feb
    assert axe_violations(page) == []

    # a date without an event: the error at the field, the entries kept
    page.locator("#id_on_5").fill("2027-03-01")
    page.get_by_role("button", name="Bereken termijnen").click()
    page.wait_for_load_state()
    assert "Kies de gebeurtenis bij deze datum." in page.content()
    assert page.locator("#id_on_4").input_value() == "2027-01-14"
