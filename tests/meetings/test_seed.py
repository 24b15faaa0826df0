import pytest

from meetings.constants import MeetingState
from meetings.models import FrozenMinutes, Meeting
from meetings.seed import seed_meetings
from tests.factories.meetings import make_signal
from vik.core.demo import seed_org_units_and_users
from vik.core.models import OrgUnit

pytestmark = pytest.mark.django_db


def test_demo_has_a_held_and_an_upcoming_meeting_and_is_idempotent():
    seed_org_units_and_users()
    team = OrgUnit.objects.get(code="veiligheid")
    for n in range(3):
        make_signal(team=team, summary=f"Demosignaal {n}")
    seed_meetings()
    assert seed_meetings() == "casustafel: al aanwezig"
    held, upcoming = Meeting.objects.order_by("starts_at")
    assert held.state == MeetingState.MINUTES_APPROVED and FrozenMinutes.objects.filter(meeting=held).exists()
    assert held.actions.exists() and all(hasattr(i, "decision") for i in held.items.all())
    assert upcoming.state == MeetingState.PLANNED and upcoming.items.count() == 2
