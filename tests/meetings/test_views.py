"""The casustafel in the browser (server side): chair building the agenda with htmx, partners
seeing only what is shared, refused input answered with a Dutch reason, documents logged."""

from __future__ import annotations

import pytest

from django.urls import reverse

from meetings.constants import ActionStatus, MeetingState
from meetings.providers import dashboard, timeline
from tests.factories.meetings import add_action, add_free, add_signal, advance, make_signal
from vik.core.constants import Compartment
from vik.core.models import AccessLog

pytestmark = pytest.mark.django_db


def test_partner_opening_an_unshared_item_by_url_gets_404_and_a_log_row(
    meeting, chair, login, police_org, riec_user
):
    hidden = add_free(meeting, chair, title="Alleen voor de politie", share=[police_org])
    advance(meeting, chair, MeetingState.AGENDA_LOCKED)
    resp = login(riec_user).get(reverse("meetings:item_detail", kwargs={"pk": hidden.pk}))
    assert resp.status_code == 404 and b"Alleen voor de politie" not in resp.content
    row = AccessLog.objects.filter(actor_id=riec_user.pk).order_by("-id").first()
    assert row.result == "denied" and row.ref_kind == "meetings.agendaitem"


def test_partner_sees_its_item_with_the_chairs_summary_only(
    meeting, chair, login, team, make_user, police_org
):
    tip = make_signal(
        team=team,
        compartment=Compartment.MMA,
        narrative="GEHEIME-TIPTEKST",
        summary="Interne samenvatting tip",
    )
    item = add_signal(meeting, chair, tip, summary="Samenvatting door de voorzitter", share=[police_org])
    advance(meeting, chair, MeetingState.AGENDA_LOCKED)
    cleared = make_user("partner", org=police_org, clearances=["general", "police", "mma"])
    resp = login(cleared).get(reverse("meetings:item_detail", kwargs={"pk": item.pk}))
    body = resp.content.decode()
    assert resp.status_code == 200 and "Samenvatting door de voorzitter" in body
    assert "GEHEIME-TIPTEKST" not in body and "Interne samenvatting tip" not in body
    detail = login(cleared).get(reverse("meetings:detail", kwargs={"pk": meeting.pk})).content.decode()
    assert "Samenvatting" not in detail or "GEHEIME" not in detail


def test_partner_meeting_page_lists_exactly_the_shared_items(meeting, chair, login, police_org, police_user):
    add_free(meeting, chair, title="Gedeeld punt", share=[police_org])
    add_free(meeting, chair, title="Intern punt")
    advance(meeting, chair, MeetingState.AGENDA_LOCKED)
    body = login(police_user).get(reverse("meetings:detail", kwargs={"pk": meeting.pk})).content.decode()
    assert "Gedeeld punt" in body and "Intern punt" not in body and "Agenda vaststellen" not in body


def test_chair_adds_a_flagged_signal_with_one_htmx_click(meeting, chair, login, team):
    signal = make_signal(team=team, summary="Drugshandel vanuit snackbar")
    client = login(chair)
    page = client.get(reverse("meetings:detail", kwargs={"pk": meeting.pk})).content.decode()
    assert f"Agenderen: {signal.reference}" in page
    resp = client.post(
        reverse("meetings:item_add", kwargs={"pk": meeting.pk}),
        {"kind": "signal", "ref_id": signal.pk},
        HTTP_HX_REQUEST="true",
    )
    assert resp.status_code == 200 and 'id="agenda-builder"' in resp.content.decode()
    assert meeting.items.get().signal == signal


def test_adding_an_invisible_signal_is_refused_with_the_reason(meeting, chair, login, team):
    chair.clearances = ["general"]
    chair.save(update_fields=["clearances"])
    police = make_signal(team=team, compartment=Compartment.POLICE)
    resp = login(chair).post(
        reverse("meetings:item_add", kwargs={"pk": meeting.pk}),
        {"kind": "signal", "ref_id": police.pk},
        HTTP_HX_REQUEST="true",
    )
    assert resp.status_code == 400 and "geen toegang" in resp.content.decode()
    assert not meeting.items.exists()


def test_locking_an_empty_agenda_in_the_browser_shows_the_reason(meeting, chair, login):
    resp = login(chair).post(
        reverse("meetings:transition", kwargs={"pk": meeting.pk}), {"to_state": MeetingState.AGENDA_LOCKED}
    )
    assert resp.status_code == 400 and "agenda zonder punten" in resp.content.decode()


def test_approving_before_held_in_the_browser_shows_the_reason(meeting, chair, login):
    add_free(meeting, chair)
    resp = login(chair).post(
        reverse("meetings:transition", kwargs={"pk": meeting.pk}), {"to_state": MeetingState.MINUTES_APPROVED}
    )
    assert resp.status_code == 400 and "nadat de casustafel is gehouden" in resp.content.decode()


def test_sharing_police_item_with_riec_shows_error_at_the_field(meeting, chair, login, team, riec_org):
    item = add_signal(meeting, chair, make_signal(team=team, compartment=Compartment.POLICE))
    resp = login(chair).post(
        reverse("meetings:item_edit", kwargs={"pk": item.pk}),
        {"title": item.title, "summary": "", "visible_orgs": [riec_org.pk]},
    )
    assert resp.status_code == 400 and "alleen met de politie" in resp.content.decode()
    assert not item.visible_orgs.exists()


def test_reorder_by_buttons_and_drag_and_drop(meeting, chair, login):
    a, b = add_free(meeting, chair, title="Eerste"), add_free(meeting, chair, title="Tweede")
    client = login(chair)
    client.post(reverse("meetings:item_move", kwargs={"pk": b.pk}), {"direction": "up"})
    assert list(meeting.items.values_list("title", flat=True)) == ["Tweede", "Eerste"]
    client.post(
        reverse("meetings:item_reorder", kwargs={"pk": meeting.pk}),
        {"order": f"{a.pk},{b.pk}"},
        HTTP_HX_REQUEST="true",
    )
    assert list(meeting.items.values_list("title", flat=True)) == ["Eerste", "Tweede"]
    resp = client.post(
        reverse("meetings:item_reorder", kwargs={"pk": meeting.pk}), {"order": "x"}, HTTP_HX_REQUEST="true"
    )
    assert resp.status_code == 400


def test_partner_updates_its_own_action(meeting, chair, login, police_org, police_user):
    item = add_free(meeting, chair, share=[police_org])
    advance(meeting, chair, MeetingState.HELD)
    action = add_action(item, chair, org=police_org)
    resp = login(police_user).post(
        reverse("meetings:action_detail", kwargs={"pk": action.pk}),
        {"status": ActionStatus.DONE, "note": "Gedaan"},
    )
    assert resp.status_code == 302
    action.refresh_from_db()
    assert action.status == ActionStatus.DONE


def test_minutes_pdf_download_is_logged_per_organisation(
    meeting, chair, login, police_org, riec_org, riec_user
):
    add_free(meeting, chair, title="Gedeeld", share=[riec_org])
    advance(meeting, chair, MeetingState.MINUTES_DRAFT)
    resp = login(riec_user).get(reverse("meetings:minutes_pdf", kwargs={"pk": meeting.pk}))
    assert (
        resp.status_code == 200
        and resp["Content-Type"] == "application/pdf"
        and resp.content.startswith(b"%PDF")
    )
    row = AccessLog.objects.filter(actor_id=riec_user.pk).order_by("-id").first()
    assert row.action == "download" and "RIEC" in row.detail
    login(riec_user).get(reverse("meetings:agenda", kwargs={"pk": meeting.pk}))
    assert AccessLog.objects.filter(actor_id=riec_user.pk).order_by("-id").first().action == "print"


def test_chair_previews_a_partner_copy(meeting, chair, login, police_org, riec_org):
    add_free(meeting, chair, title="Voor RIEC", share=[riec_org])
    add_free(meeting, chair, title="Voor politie", share=[police_org])
    body = (
        login(chair)
        .get(reverse("meetings:agenda", kwargs={"pk": meeting.pk}) + f"?org={riec_org.pk}")
        .content.decode()
    )
    assert "Voor RIEC" in body and "Voor politie" not in body


def test_home_widget_and_subject_timeline(meeting, chair, team, police_org, police_user):
    from signals.models import SignalSubject
    from subjects.models import Address
    from vik.core.access import init_visibility

    address = Address.objects.create(
        street="Bornsestraat", house_number=1, postcode="7601AA", town="Almelo", owner_team=team
    )
    init_visibility(address)
    signal = make_signal(team=team)
    SignalSubject.objects.create(signal=signal, address=address, role="locatie")
    item = add_signal(meeting, chair, signal, summary="x", share=[police_org])
    assert [e.url for e in timeline(chair, address)] == [
        reverse("meetings:item_detail", kwargs={"pk": item.pk})
    ]
    assert timeline(police_user, address) == []  # draft agenda: not yet shared
    advance(meeting, chair, MeetingState.HELD)
    add_action(item, chair, org=police_org, user=police_user, description="Buurtonderzoek doen")
    assert len(timeline(police_user, address)) == 1
    assert "Buurtonderzoek doen" in dashboard(police_user)["html"]
    assert "Buurtonderzoek doen" in dashboard(chair)["html"]
