import datetime as dt
from zoneinfo import ZoneInfo

import pytest
import time_machine

TODAY = dt.date(2026, 6, 30)


@pytest.fixture(autouse=True)
def _frozen_today():
    """Bibob tests run on 30 June 2026 (Amsterdam), so that every date in them is in the past."""
    with time_machine.travel(
        dt.datetime(2026, 6, 30, 12, 0, tzinfo=ZoneInfo("Europe/Amsterdam")), tick=False
    ):
        yield


@pytest.fixture
def specialist(make_user):
    return make_user("bibob", username="daan")


@pytest.fixture
def decider(make_user, db):
    from vik.core.models import OrgUnit

    bestuur, _ = OrgUnit.objects.get_or_create(code="bestuur", defaults={"name": "Bestuur", "kind": "team"})
    return make_user("decision_maker", username="els", org=bestuur)
