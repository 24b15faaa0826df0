"""IDOR probes: records of another team and of a compartment the user is not cleared for answer
404 on every endpoint that takes an id; random ids never reveal anything."""

from __future__ import annotations

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from django.urls import reverse

from signals import services
from tests.factories.signals import PDF_BYTES, make_signal

pytestmark = pytest.mark.django_db

SIGNAL_GET = ["signals:detail"]
SIGNAL_POST = [
    "signals:transition",
    "signals:alignment",
    "signals:assign",
    "signals:outcome",
    "signals:link_subject",
    "signals:attachment_upload",
]


@pytest.fixture
def probe(make_user, login, other_team):
    owner = make_user("analyst", org=other_team)
    me = make_user("analyst", clearances=["general", "police"])
    foreign = make_signal(owner, summary="Ander team")
    own_tip = make_signal(me, source_code="mma", summary="Eigen team maar M-compartiment")
    attachments = {
        s.pk: services.attachment_add(
            actor=owner if s is foreign else me, signal=s, filename="r.pdf", data=PDF_BYTES
        )
        for s in (foreign, own_tip)
    }
    return {"client": login(me), "me": me, "targets": [foreign, own_tip], "attachments": attachments}


def test_other_team_and_uncleared_compartment_answer_404_everywhere(probe):
    client = probe["client"]
    for signal in probe["targets"]:
        for name in SIGNAL_GET:
            assert client.get(reverse(name, kwargs={"pk": signal.pk})).status_code == 404, name
        for name in SIGNAL_POST:
            assert client.post(reverse(name, kwargs={"pk": signal.pk}), {}).status_code == 404, name
        att = probe["attachments"][signal.pk]
        url = reverse("signals:attachment_download", kwargs={"pk": signal.pk, "attachment_pk": att.pk})
        assert client.get(url).status_code == 404
        listing = client.get(reverse("signals:list"), {"q": signal.summary}).content.decode()
        assert signal.reference not in listing
        export = client.post(reverse("signals:export"), {"format": "csv", "confirm": "on"}).content.decode(
            "utf-8-sig"
        )
        assert signal.reference not in export


def test_random_ids_never_reveal_a_record(probe):
    client = probe["client"]
    visible = set()

    @settings(max_examples=25, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
    @given(
        pk=st.one_of(
            st.sampled_from([s.pk for s in probe["targets"]]), st.integers(min_value=1, max_value=2**31 - 1)
        )
    )
    def check(pk):
        status = client.get(reverse("signals:detail", kwargs={"pk": pk})).status_code
        assert status == 404 or pk in visible

    check()
