"""IDOR probes: foreign ids on every casustafel detail URL answer 404 to a partner and write a
denied access-log row; the partner's lists are subsets of what the selectors allow."""

from __future__ import annotations

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from django.urls import reverse

from meetings.constants import MeetingState
from tests.factories.meetings import add_action, add_free, advance, make_meeting
from vik.core.models import AccessLog

pytestmark = pytest.mark.django_db


@pytest.fixture
def world(chair, police_org, riec_org):
    meeting = make_meeting(chair=chair, orgs=[police_org, riec_org])
    shared = add_free(meeting, chair, title="Gedeeld RIEC", share=[riec_org])
    police_only = add_free(meeting, chair, title="Politie", share=[police_org])
    advance(meeting, chair, MeetingState.HELD)
    return {
        "meeting": meeting,
        "shared": shared,
        "police_only": police_only,
        "action": add_action(police_only, chair, org=police_org),
    }


def test_foreign_records_answer_404_to_a_partner(world, login, riec_user):
    client = login(riec_user)
    for name, pk, kind in [
        ("meetings:item_detail", world["police_only"].pk, "meetings.agendaitem"),
        ("meetings:action_detail", world["action"].pk, "meetings.actionitem"),
    ]:
        before = AccessLog.objects.filter(actor_id=riec_user.pk, result="denied", ref_kind=kind).count()
        assert client.get(reverse(name, kwargs={"pk": pk})).status_code == 404, name
        assert (
            AccessLog.objects.filter(actor_id=riec_user.pk, result="denied", ref_kind=kind).count()
            == before + 1
        )


@settings(max_examples=15, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(offset=st.integers(min_value=1, max_value=10_000))
def test_drawn_foreign_ids_never_reveal_anything(world, login, riec_user, offset):
    client = login(riec_user)
    for name in ("meetings:item_detail", "meetings:action_detail", "meetings:detail"):
        pk = world["shared"].pk + world["police_only"].pk + world["meeting"].pk + offset
        assert client.get(reverse(name, kwargs={"pk": pk})).status_code == 404


def test_partner_pages_show_only_shared_content(world, login, riec_user):
    client = login(riec_user)
    for url in (
        reverse("meetings:list"),
        reverse("meetings:detail", kwargs={"pk": world["meeting"].pk}),
        reverse("meetings:action_list") + "?alle=1",
        reverse("meetings:agenda", kwargs={"pk": world["meeting"].pk}),
        reverse("meetings:minutes", kwargs={"pk": world["meeting"].pk}),
    ):
        body = client.get(url).content.decode()
        assert "Politie\n" not in body and ">Politie<" not in body and "Pand controleren" not in body, url
