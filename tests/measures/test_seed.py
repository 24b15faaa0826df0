"""seed_demo's measures: every state, one deadline today and one overdue, idempotent, and every
demo measure page renders for the analyst and the burgemeester."""

from __future__ import annotations

import pytest

from django.urls import reverse
from django.utils import timezone

from measures.constants import MeasureState
from measures.models import Deadline, Measure
from measures.seed import seed_demo
from vik.core.demo import seed_org_units_and_users
from vik.core.models import User

pytestmark = pytest.mark.django_db


def test_seed_covers_every_state_and_is_idempotent(login):
    seed_org_units_and_users()
    assert seed_demo().endswith("maatregelen")
    count = Measure.objects.count()
    assert seed_demo() == "al aanwezig" and Measure.objects.count() == count
    assert set(Measure.objects.values_list("state", flat=True)) == set(MeasureState.values)
    today = timezone.localdate()
    analyst = User.objects.get(username="analist")
    mine = Deadline.objects.filter(responsible=analyst, done=False)
    assert mine.filter(due_date=today).exists()
    assert mine.filter(due_date__lt=today, rule__requires_action=True).exists()
    analyst_client = login(analyst)
    mayor_client = login(User.objects.get(username="burgemeester"))  # team bestuur: shared with it
    for m in Measure.objects.all():
        url = reverse("measures:detail", kwargs={"pk": m.pk})
        assert analyst_client.get(url).status_code == 200
        assert mayor_client.get(url).status_code == 200
    page = analyst_client.get(reverse("measures:my_deadlines")).content.decode()
    assert "Verstreken (0)" not in page and "Vandaag (0)" not in page
