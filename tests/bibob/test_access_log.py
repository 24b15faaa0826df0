"""Bibob dossier pages and the access log (issue #15 items 4, 5, 6): every page that shows a
dossier logs a read of it with the dossier as purpose, and of each party it names; a party the
user's own subject page would refuse is not named; refusals write a denied row."""

import pytest

from django.urls import reverse

from bibob import services
from bibob.constants import PartyRole
from tests.factories.bibob import make_dossier, make_person
from vik.core.models import AccessLog

pytestmark = pytest.mark.django_db


def _reads(user, kind):
    return AccessLog.objects.filter(actor_id=user.pk, action="read", ref_kind=kind)


def test_dossier_page_logs_the_dossier_and_its_parties(specialist, decider, login):
    dossier = make_dossier(specialist, decider=decider)
    person = make_person(specialist.org_unit, name="Eigenaar")
    services.party_add(
        actor=specialist, dossier=dossier, role=PartyRole.OWNER, kind="person", subject_id=person.pk
    )
    client = login(specialist)
    html = client.get(reverse("bibob:detail", args=[dossier.pk])).content.decode()
    assert "Piet Eigenaar" in html
    row = _reads(specialist, "bibob.bibobdossier").get()
    assert row.purpose == f"Bibob-dossier {dossier.reference}"
    assert _reads(specialist, "subjects.person").get().purpose == row.purpose
    # the work list and each step page log the dossier they show as well
    client.get(reverse("bibob:list"))
    client.get(reverse("bibob:lbb_request", args=[dossier.pk]))
    assert _reads(specialist, "bibob.bibobdossier").count() == 3


def test_a_party_outside_the_deciders_need_to_know_is_not_named(specialist, decider, login):
    dossier = make_dossier(specialist, decider=decider)
    person = make_person(specialist.org_unit, name="Geheimhouder")
    services.party_add(
        actor=specialist, dossier=dossier, role=PartyRole.OWNER, kind="person", subject_id=person.pk
    )
    client = login(decider)
    assert client.get(reverse("subjects:person_detail", args=[person.pk])).status_code in (400, 404)
    html = client.get(reverse("bibob:detail", args=[dossier.pk])).content.decode()
    assert "Geheimhouder" not in html and "afgeschermd" in html
    assert not _reads(decider, "subjects.person").exists()
    assert _reads(decider, "bibob.bibobdossier").count() == 1


def test_a_refused_step_is_a_404_with_a_denied_row(specialist, decider, login):
    dossier = make_dossier(specialist, decider=decider)
    resp = login(decider).get(reverse("bibob:lbb_request", args=[dossier.pk]))
    assert resp.status_code == 404
    row = AccessLog.objects.get(actor_id=decider.pk, result="denied")
    assert row.ref_kind == "bibob.bibobdossier"
