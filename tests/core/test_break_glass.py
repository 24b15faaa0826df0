"""Break-glass reached from the 404 of a record (issue #15, 'also'): the privacy officer states a
reason, the record opens for 60 minutes, a log row is written and the chair is told."""

from __future__ import annotations

from datetime import timedelta

import pytest
import time_machine

from django.utils import timezone

from tests.factories.subjects import PersonFactory
from vik.core.constants import AccessAction
from vik.core.models import AccessLog, BreakGlass

pytestmark = pytest.mark.django_db

REASON = "Klacht van betrokkene: controle of de registratie rechtmatig is"


@pytest.fixture
def person(team):
    return PersonFactory(geslachtsnaam="Verborgen", compartment="mma", owner_team=team)


def _url(person):
    return f"/subjecten/persoon/{person.pk}/"


def test_the_404_offers_the_privacy_officer_break_glass_and_nobody_else(person, login, make_user, other_team):
    officer = make_user("privacy_officer")
    resp = login(officer).get(_url(person))
    html = resp.content.decode()
    assert resp.status_code == 404
    assert 'data-testid="break-glass"' in html and "Verborgen" not in html
    assert f'value="{person.pk}"' in html and 'value="subjects.person"' in html
    outsider = make_user("analyst", org=other_team)
    resp = login(outsider).get(_url(person))
    assert resp.status_code == 404 and "break-glass" not in resp.content.decode().lower()


def test_break_glass_opens_the_record_logs_and_tells_the_chair(person, login, make_user):
    officer = make_user("privacy_officer")
    chair = make_user("chair")
    client = login(officer)
    resp = client.post(
        "/privacy/break-glass/",
        {"kind": "subjects.person", "object_id": person.pk, "reason": REASON, "next": _url(person)},
    )
    assert resp.status_code == 302 and resp.url == _url(person)
    page = client.get(_url(person))
    assert page.status_code == 200 and "Verborgen" in page.content.decode()
    grant = BreakGlass.objects.get(user=officer, object_id=person.pk)
    assert grant.reason == REASON
    assert timedelta(minutes=59) < grant.expires_at - timezone.now() <= timedelta(minutes=60)
    assert AccessLog.objects.filter(
        actor_id=officer.pk, action=AccessAction.BREAK_GLASS, purpose=REASON
    ).exists()
    assert chair.notifications.filter(message__contains="Break-glass").exists()
    # after the time limit the record is closed again
    with time_machine.travel(timezone.now() + timedelta(minutes=61)):
        assert client.get(_url(person)).status_code in (302, 404)


def test_a_short_reason_is_refused_at_the_field(person, login, make_user):
    client = login(make_user("privacy_officer"))
    resp = client.post(
        "/privacy/break-glass/", {"kind": "subjects.person", "object_id": person.pk, "reason": "even kijken"}
    )
    assert resp.status_code == 400
    html = resp.content.decode()
    assert 'class="vik-error"' in html and "20" in html  # Dutch error at the reason field
    assert not BreakGlass.objects.exists()


def test_break_glass_is_only_for_records_and_only_for_its_holders(person, login, make_user):
    officer = login(make_user("privacy_officer"))
    analyst = make_user("analyst")
    resp = officer.post(
        "/privacy/break-glass/", {"kind": "core.user", "object_id": analyst.pk, "reason": REASON}
    )
    assert resp.status_code == 404
    resp = login(analyst).post(
        "/privacy/break-glass/", {"kind": "subjects.person", "object_id": person.pk, "reason": REASON}
    )
    assert resp.status_code == 404
    assert not BreakGlass.objects.exists()


def test_next_never_leaves_the_site(person, login, make_user):
    client = login(make_user("privacy_officer"))
    resp = client.post(
        "/privacy/break-glass/",
        {
            "kind": "subjects.person",
            "object_id": person.pk,
            "reason": REASON,
            "next": "https://evil.example/",
        },
    )
    assert resp.status_code == 302 and resp.url == "/"
