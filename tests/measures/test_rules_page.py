"""The rules page shows what the engine depends on beyond the rule rows: the 5:35(2) switch, the
interim-relief rule with its tag, and per coming year whether the declared days (Atw art. 3(3))
were checked; the functional admin marks a year checked. Deleting several declared days in the
admin refreshes the calendar."""

from __future__ import annotations

from datetime import date, datetime
from zoneinfo import ZoneInfo

import pytest
import time_machine

from django.contrib.admin.sites import site
from django.test import RequestFactory
from django.urls import reverse

from vik.core import calendar as cal
from vik.core.models import DeclaredDay, DeclaredDaysReview

pytestmark = pytest.mark.django_db
AMS = ZoneInfo("Europe/Amsterdam")


@pytest.fixture(autouse=True)
def frozen():
    with time_machine.travel(datetime(2026, 6, 1, 10, tzinfo=AMS), tick=False):
        yield


def test_rules_page_shows_switch_tagged_rules_and_unreviewed_years(users, login, settings):
    settings.MEASURES_LIMITATION_PAUSE = False
    html = login(users["analyst"]).get(reverse("measures:rules")).content.decode()
    switch = html.split('data-testid="limitation-switch"')[1].split("</tr>")[0]
    assert (
        "MEASURES_LIMITATION_PAUSE" in switch
        and "<strong>uit</strong>" in switch
        and "niet geverifieerd" in switch
    )
    vv = html.split('data-testid="vv-rule"')[1].split("</tr>")[0]
    assert "voorlopige voorziening" in vv and "niet geverifieerd" in vv
    for year in (2026, 2027, 2028):
        row = html.split(f'data-year="{year}"')[1].split("</tr>")[0]
        assert "nog niet gecontroleerd" in row
    # lod_verjaring is marked unverified while its 5:35(2) handling is
    row = html.split('data-rule="lod_verjaring"')[1].split("</tr>")[0]
    assert "niet geverifieerd" in row
    assert "Markeer 2027 als gecontroleerd" not in html  # only the functional admin


def test_functional_admin_marks_a_year_reviewed(users, login):
    admin = login(users["functional_admin"])
    DeclaredDay.objects.create(date=date(2027, 5, 7), description="vrijdag na Hemelvaart")
    resp = admin.post(
        reverse("measures:declared_days_review"), {"year": "2027", "source": "Stcrt. 2025, 12345"}
    )
    assert resp.status_code == 302
    review = DeclaredDaysReview.objects.get(year=2027)
    assert review.reviewed_by == users["functional_admin"] and review.reviewed_on == date(2026, 6, 1)
    html = admin.get(reverse("measures:rules")).content.decode()
    row = html.split('data-year="2027"')[1].split("</tr>")[0]
    assert "ja, op 01-06-2026" in row and "Stcrt. 2025, 12345" in row and "<td>1</td>" in row
    # twice, or a past year: refused with a message, nothing stored
    admin.post(reverse("measures:declared_days_review"), {"year": "2027"})
    admin.post(reverse("measures:declared_days_review"), {"year": "2020"})
    assert DeclaredDaysReview.objects.count() == 1
    # an analyst cannot (404)
    assert (
        login(users["analyst"]).post(reverse("measures:declared_days_review"), {"year": "2028"}).status_code
        == 404
    )


def test_bulk_delete_of_declared_days_refreshes_the_calendar(users):
    from vik.core.calendar_sync import declared_days_changed

    days = [date(2026, 5, 15), date(2026, 12, 28)]
    for d in days:
        DeclaredDay.objects.create(date=d, description="brugdag")
    declared_days_changed()
    assert cal.is_dies_non(date(2026, 5, 15))
    model_admin = site._registry[DeclaredDay]
    request = RequestFactory().post("/")
    request.user = users["functional_admin"]
    model_admin.delete_queryset(request, DeclaredDay.objects.filter(date__in=days))
    assert not cal.is_dies_non(date(2026, 5, 15)) and cal.declared_days() == frozenset()
