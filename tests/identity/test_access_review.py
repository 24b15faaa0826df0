"""Quarterly access review (BIO2): per team leader the list of their people with roles,
clearances and last login; confirm or revoke each line; undecided after 30 days flagged to the
privacy officer; history kept."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest
import time_machine

from tests.factories.core import OrgUnitFactory, UserFactory
from vik.core.constants import ROLE_ANALYST, ROLE_FUNCTIONAL_ADMIN, ROLE_PRIVACY_OFFICER, OrgKind
from vik.core.models import Notification, User
from vik.identity.models import AccessReview, AccessReviewLine, Deactivation, TeamLeadership
from vik.identity.tasks import access_review_flag_overdue, access_review_start

pytestmark = pytest.mark.django_db

START = datetime(2026, 10, 1, 4, 0, tzinfo=UTC)  # 06:00 in Amsterdam, 1 October


@pytest.fixture
def people(db):
    team = OrgUnitFactory(code="veiligheid", kind=OrgKind.TEAM)
    other = OrgUnitFactory(code="vergunningen", kind=OrgKind.TEAM)
    leader = UserFactory(username="leider", org_unit=team, role=ROLE_ANALYST)
    TeamLeadership.objects.create(user=leader, org_unit=team)
    m1 = UserFactory(username="lid1", org_unit=team, role=ROLE_ANALYST, clearances=["general", "police"])
    m2 = UserFactory(username="lid2", org_unit=team, role=ROLE_ANALYST)
    outsider = UserFactory(username="ander", org_unit=other, role=ROLE_ANALYST)
    admin = UserFactory(username="fb", org_unit=other, role=ROLE_FUNCTIONAL_ADMIN)
    privacy = UserFactory(username="po", org_unit=other, role=ROLE_PRIVACY_OFFICER)
    return {"leader": leader, "m1": m1, "m2": m2, "outsider": outsider, "admin": admin, "privacy": privacy}


def _line(person) -> AccessReviewLine:
    return AccessReviewLine.objects.get(person=person)


@time_machine.travel(START, tick=False)
def test_quarterly_job_lists_each_leaders_people_and_notifies(people):
    assert access_review_start.delay().get() == "2026-Q4"
    line = _line(people["m1"])
    assert (
        line.reviewer == people["leader"]
        and line.roles == ROLE_ANALYST
        and line.clearances == "general, police"
    )
    assert _line(people["m2"]).reviewer == people["leader"]
    # Nobody reviews themselves; a team without leader goes to the functional admin.
    assert _line(people["leader"]).reviewer is None
    assert _line(people["outsider"]).reviewer is None
    assert Notification.objects.filter(user=people["leader"], message__contains="2026-Q4").exists()
    assert Notification.objects.filter(user=people["admin"], message__contains="zonder teamleider").exists()
    # Idempotent: a second run adds nothing.
    access_review_start.delay()
    assert AccessReview.objects.count() == 1 and AccessReviewLine.objects.count() == 6


@time_machine.travel(START, tick=False)
def test_team_leader_confirms_and_revokes_on_the_page(people, login):
    access_review_start.delay()
    client = login(people["leader"])
    page = client.get("/toegangsreview/").content.decode()
    # Usernames in parentheses: a generated surname may contain "ander" (Vlaanderen).
    assert "(lid1)" in page and "(lid2)" in page and "(ander)" not in page
    m1, m2 = _line(people["m1"]), _line(people["m2"])

    r = client.post(f"/toegangsreview/{m1.pk}/", {"decision": "confirmed"})
    assert r.status_code == 302
    m1.refresh_from_db()
    assert m1.decision == "confirmed" and m1.decided_by == people["leader"]

    # Revoking needs a reason; without one nothing changes.
    client.post(f"/toegangsreview/{m2.pk}/", {"decision": "revoked", "note": ""})
    assert _line(people["m2"]).decision == "pending"
    assert User.objects.get(pk=people["m2"].pk).is_active

    client.post(f"/toegangsreview/{m2.pk}/", {"decision": "revoked", "note": "Uit dienst per 1 oktober"})
    m2.refresh_from_db()
    person = User.objects.get(pk=people["m2"].pk)
    assert m2.decision == "revoked" and not person.is_active
    assert person.clearances == [] and not person.groups.exists()
    assert Deactivation.objects.get(user=person).reason == "review"
    assert Notification.objects.filter(user=people["admin"], message__contains="lid2").exists()
    # A decided line cannot be decided again.
    client.post(f"/toegangsreview/{m1.pk}/", {"decision": "revoked", "note": "toch niet"})
    assert _line(people["m1"]).decision == "confirmed"


@time_machine.travel(START, tick=False)
def test_others_cannot_see_or_decide_a_leaders_lines(people, login):
    access_review_start.delay()
    m1 = _line(people["m1"])
    outsider = login(people["outsider"])
    assert outsider.get("/toegangsreview/").status_code == 404
    assert (
        outsider.post(f"/toegangsreview/{m1.pk}/", {"decision": "revoked", "note": "zomaar"}).status_code
        == 404
    )
    admin = login(people["admin"])
    assert admin.post(f"/toegangsreview/{m1.pk}/", {"decision": "confirmed"}).status_code == 404
    assert _line(people["m1"]).decision == "pending"
    # The functional admin decides the lines without a team leader, but not their own.
    assert (
        admin.post(f"/toegangsreview/{_line(people['outsider']).pk}/", {"decision": "confirmed"}).status_code
        == 302
    )
    assert (
        admin.post(f"/toegangsreview/{_line(people['admin']).pk}/", {"decision": "confirmed"}).status_code
        == 404
    )


def test_undecided_after_30_days_flagged_to_privacy_officer_and_history_kept(people, login):
    with time_machine.travel(START, tick=False):
        access_review_start.delay()
        login(people["leader"]).post(f"/toegangsreview/{_line(people['m1']).pk}/", {"decision": "confirmed"})
    with time_machine.travel(START + timedelta(days=29), tick=False):
        assert access_review_flag_overdue.delay().get() == 0
    with time_machine.travel(START + timedelta(days=30, hours=3), tick=False):
        assert access_review_flag_overdue.delay().get() == 5
        assert access_review_flag_overdue.delay().get() == 0  # once
        assert _line(people["m1"]).flagged_at is None
        assert _line(people["m2"]).flagged_at is not None
        note = Notification.objects.get(user=people["privacy"])
        assert "2026-Q4" in note.message and "5 regel" in note.message
        page = login(people["privacy"]).get("/toegangsreview/").content.decode()
        assert 'data-testid="review-flagged"' in page and "lid2" in page
    with time_machine.travel(datetime(2027, 1, 1, 5, 0, tzinfo=UTC), tick=False):
        assert access_review_start.delay().get() == "2027-Q1"
    assert AccessReview.objects.count() == 2
    assert AccessReviewLine.objects.filter(review__period="2026-Q4", decision="confirmed").count() == 1


def test_review_jobs_are_scheduled():
    import importlib

    from django_celery_beat.models import PeriodicTask

    from django.apps import apps

    importlib.import_module("vik.identity.migrations.0002_deprovisioning_and_review_schedules").create(
        apps, None
    )

    start = PeriodicTask.objects.get(task="vik.identity.access_review_start")
    assert start.crontab.month_of_year == "1,4,7,10" and start.crontab.day_of_month == "1"
    assert (
        PeriodicTask.objects.get(task="vik.identity.access_review_flag_overdue").crontab.day_of_month == "*"
    )
