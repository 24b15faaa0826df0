"""Bibob screens end to end through Django: the compartment seal on every URL and on the subject
timeline, the work list and dossier page with their terms, and refused steps answering 400 with
the reason at the field and nothing changed."""

from datetime import date

import pytest

from django.urls import reverse

from bibob import services
from bibob.constants import DossierStatus, PartyRole
from bibob.models import BibobDossier, DisclosureRecord, LbbRequest
from bibob.providers import SEALED_TITLE, dashboard, resolve_case, timeline
from bibob.urls import urlpatterns
from tests.factories.bibob import make_dossier, make_organisation

S = DossierStatus
pytestmark = pytest.mark.django_db

OUTSIDERS = ("analyst", "chair", "partner", "privacy_officer", "functional_admin")


def _urls(dossier):
    for p in urlpatterns:
        kwargs = {"pk": dossier.pk} if "<int:pk>" in str(p.pattern) else None
        yield reverse(f"bibob:{p.name}", kwargs=kwargs)


@pytest.mark.parametrize("role", OUTSIDERS)
def test_every_bibob_url_answers_404_to_users_outside_the_compartment(role, users, specialist, login):
    dossier = make_dossier(specialist)
    client = login(users[role])
    for url in _urls(dossier):
        assert client.get(url).status_code == 404, url
        # GET-only pages answer 405 to any POST before looking anything up: no existence leaks
        assert client.post(url, {"weeks": 1}).status_code in (404, 405), url
    assert BibobDossier.objects.get(pk=dossier.pk).status == S.APPLICATION_RECEIVED


def test_the_subject_timeline_shows_outsiders_only_a_sealed_flag(users, specialist, team, bibob_team):
    org = make_organisation(bibob_team)
    dossier = make_dossier(specialist, title="Geheime titel café")
    services.party_add(
        actor=specialist, dossier=dossier, role=PartyRole.APPLICANT, kind="organisation", subject_id=org.pk
    )

    for role in ("analyst", "chair", "privacy_officer"):
        entries = timeline(users[role], org)
        assert len(entries) == 1, role
        entry = entries[0]
        assert (entry.title, entry.sealed, entry.url, entry.detail) == (SEALED_TITLE, True, "", "")
        assert dossier.reference not in str(vars(entry)) and "Geheime" not in str(vars(entry))
    assert timeline(users["partner"], org) == []  # partners do not even learn of the flag

    full = timeline(specialist, org)
    assert len(full) == 1 and not full[0].sealed
    assert dossier.reference in full[0].title and full[0].url == reverse("bibob:detail", args=[dossier.pk])


def test_case_kind_and_dashboard_are_sealed_too(users, specialist):
    from django.http import Http404

    dossier = make_dossier(specialist)
    assert resolve_case(specialist, dossier.pk) == dossier
    with pytest.raises(Http404):
        resolve_case(users["analyst"], dossier.pk)
    assert dashboard(users["analyst"]) is None
    assert dashboard(users["chair"]) is None
    widget = dashboard(specialist)
    assert "Lopende dossiers" in widget["html"]


def test_a_purpose_cannot_point_at_a_dossier_outside_the_compartment(users, specialist, login):
    dossier = make_dossier(specialist)
    client = login(users["analyst"])
    resp = client.post(reverse("core:purpose"), {"case_kind": "bibob", "case_id": dossier.pk})
    assert resp.status_code == 400
    assert "geen toegang" in resp.content.decode()
    ok = login(specialist).post(reverse("core:purpose"), {"case_kind": "bibob", "case_id": dossier.pk})
    assert ok.status_code == 302


def test_work_list_shows_remaining_term_and_next_action(specialist, login):
    make_dossier(specialist, application_date=date(2026, 6, 1))  # 8 weeks -> 27 July 2026: 27 days left
    make_dossier(
        specialist, title="Speelhal", status=S.LBB_ADVICE_REQUESTED, application_date=date(2026, 5, 1)
    )
    html = login(specialist).get(reverse("bibob:list")).content.decode()
    assert "27-07-2026" in html and "27 dagen" in html
    assert "Vragenformulier versturen" in html
    assert "(opgeschort)" in html


def test_dossier_page_shows_every_term_and_the_procedure_timeline(specialist, decider, login):
    dossier = make_dossier(specialist, status=S.DECISION, decider=decider)
    services.decision_publish(actor=specialist, dossier=dossier, bekendgemaakt_on=date(2026, 6, 29))
    html = login(specialist).get(reverse("bibob:detail", args=[dossier.pk])).content.decode()
    for text in (
        "Uiterste beslisdatum",
        "Advies LBB uiterlijk",
        "Opschorting eindigt uiterlijk",
        "Zienswijze tot en met",
    ):
        assert text in html
    assert "10-08-2026" in html  # objection: 29 June 2026 + 6 weeks
    for phase in (
        "Aanvraag ontvangen",
        "Vragenformulier verstuurd",
        "Advies LBB gevraagd",
        "Zienswijze",
        "Besluit genomen",
    ):
        assert phase in html


def test_a_decision_maker_reads_but_cannot_work_the_dossier(specialist, decider, login):
    dossier = make_dossier(specialist, decider=decider)
    client = login(decider)
    assert client.get(reverse("bibob:detail", args=[dossier.pk])).status_code == 200
    # record-level refusals answer 404, as for an invisible dossier (docs/authorization.md)
    assert client.get(reverse("bibob:lbb_request", args=[dossier.pk])).status_code == 404
    assert client.post(reverse("bibob:disclose", args=[dossier.pk]), {}).status_code == 404


def test_extension_beyond_four_weeks_is_refused_at_the_field(specialist, login):
    dossier = make_dossier(specialist, status=S.LBB_ADVICE_REQUESTED)
    resp = login(specialist).post(
        reverse("bibob:lbb_extend", args=[dossier.pk]), {"weeks": 6, "extended_on": "2026-06-01"}
    )
    assert resp.status_code == 400
    assert "ten hoogste 4 weken" in resp.content.decode()
    assert LbbRequest.objects.get(dossier=dossier).extension_weeks == 0


def test_decision_without_reasoning_is_refused_at_the_field(specialist, decider, login):
    dossier = make_dossier(specialist, status=S.ZIENSWIJZE, decider=decider)
    resp = login(decider).post(
        reverse("bibob:decide", args=[dossier.pk]),
        {"outcome": "grant_conditions", "conditions": "x", "reasoning": "", "decided_on": "2026-06-29"},
    )
    assert resp.status_code == 400
    assert "zonder motivering" in resp.content.decode()
    assert BibobDossier.objects.get(pk=dossier.pk).status == S.ZIENSWIJZE


def test_disclosure_with_a_ground_outside_article_28_is_refused(specialist, login):
    dossier = make_dossier(specialist, status=S.ADVICE_RECEIVED)
    resp = login(specialist).post(
        reverse("bibob:disclose", args=[dossier.pk]),
        {
            "recipient": "riec",
            "recipient_name": "RIEC ON",
            "legal_ground": "driehoek_reasoning",
            "content": "advies",
            "disclosed_on": "2026-06-29",
        },
    )
    assert resp.status_code == 400
    assert "art. 28" in resp.content.decode()
    assert not DisclosureRecord.objects.exists()
    bad = login(specialist).post(
        reverse("bibob:disclose", args=[dossier.pk]),
        {
            "recipient": "politie",
            "recipient_name": "Politie",
            "legal_ground": "riec_bibob",
            "content": "advies",
            "disclosed_on": "2026-06-29",
        },
    )
    assert bad.status_code == 400
    assert not DisclosureRecord.objects.exists()


def test_reports_give_counts_only(specialist, login):
    make_dossier(specialist, title="Geheim café A")
    make_dossier(specialist, title="Geheim café B", decision_type="alcoholwet_3")
    html = login(specialist).get(reverse("bibob:reports")).content.decode()
    assert "Horecabranche" in html and "Alcoholwet art. 3" in html
    assert "Geheim" not in html and "BIB-2026" not in html


def test_create_form_opens_a_dossier_in_the_compartment(specialist, bibob_team, login):
    resp = login(specialist).post(
        reverse("bibob:create"),
        {
            "title": "Café Centraal",
            "decision_type": "apv_2_28",
            "risk_branch": "horeca",
            "applicant_name": "Centraal VOF",
            "application_date": "2026-06-01",
            "decision_maker": "burgemeester",
            "owner_team": bibob_team.pk,
        },
    )
    dossier = BibobDossier.objects.get()
    assert resp.status_code == 302 and resp.url == reverse("bibob:detail", args=[dossier.pk])
    assert dossier.compartment == "bibob"
    bad = login(specialist).post(reverse("bibob:create"), {"title": "x", "application_date": "2026-08-01"})
    assert bad.status_code == 400


def test_checklist_finding_is_saved_from_the_dossier_page(specialist, login):
    dossier = make_dossier(specialist, status=S.OWN_INVESTIGATION)
    client = login(specialist)
    page = client.get(reverse("bibob:detail", args=[dossier.pk])).content.decode()
    assert 'name="tax-finding"' in page
    resp = client.post(
        reverse("bibob:checklist", args=[dossier.pk]),
        {"kind": "tax", "tax-finding": "Geen fiscale schulden", "tax-done": "on"},
    )
    assert resp.status_code == 302
    item = dossier.checklist.get(kind="tax")
    assert item.done and item.finding == "Geen fiscale schulden"
    bad = client.post(reverse("bibob:checklist", args=[dossier.pk]), {"kind": "police", "police-done": "on"})
    assert bad.status_code == 400 and "Leg de bevinding vast" in bad.content.decode()


def test_dashboard_counts_passed_decision_terms_apart_from_those_running_out(specialist):
    """A decision term that passed weeks ago is "verstreken" (red, with how long ago), never
    counted under "Beslistermijn binnen 14 dagen"."""
    from datetime import datetime, timedelta
    from zoneinfo import ZoneInfo

    import time_machine

    from bibob.selectors import dossier_terms

    passed = make_dossier(specialist, application_date=date(2026, 1, 12))
    running = make_dossier(specialist, application_date=date(2026, 2, 13))
    end_running = dossier_terms(running, today=date(2026, 2, 14)).decision.deadline
    today = end_running - timedelta(days=5)
    with time_machine.travel(
        datetime(today.year, today.month, today.day, 12, tzinfo=ZoneInfo("Europe/Amsterdam"))
    ):
        assert dossier_terms(passed, today=today).decision.deadline < today - timedelta(days=14)
        html = dashboard(specialist)["html"]
    assert "Beslistermijn verstreken: <strong" in html
    assert html.split("Beslistermijn verstreken: ")[1].split("</strong>")[0].endswith(">1")
    assert "Beslistermijn binnen 14 dagen: <strong>1</strong>" in html
    assert 'data-deadline-state="overdue"' in html and "weken geleden" in html
    assert 'data-deadline-state="soon"' in html and "binnen 5 dagen" in html


def test_the_work_list_shows_fifty_per_page_most_urgent_first_and_logs_only_those(
    specialist, login, monkeypatch
):
    """Page 1 holds the most urgent dossiers (the term overdue), page 2 the rest; the count and
    the number overdue cover every dossier; only the rows on the page are logged as read."""
    from bibob import views
    from vik.core.models import AccessLog

    monkeypatch.setattr(views, "DOSSIERS_PER_PAGE", 3)
    overdue = [
        make_dossier(specialist, title=f"Verlopen {n}", application_date=date(2026, 1, 5)) for n in range(2)
    ]
    running = [
        make_dossier(specialist, title=f"Lopend {n}", application_date=date(2026, 6, 1)) for n in range(3)
    ]
    client = login(specialist)
    first = client.get(reverse("bibob:list")).content.decode()
    assert "5 dossiers" in first and "2 over de beslistermijn" in first and "Pagina 1 van 2" in first
    assert all(d.title in first for d in overdue) and sum(d.title in first for d in running) == 1
    logged = AccessLog.objects.filter(actor_id=specialist.pk, action="read", ref_kind="bibob.bibobdossier")
    assert logged.count() == 3
    second = client.get(reverse("bibob:list"), {"pagina": 2, "status": ""}).content.decode()
    assert sum(d.title in second for d in running) == 2 and not any(d.title in second for d in overdue)
    assert "pagina=1" in second and "Pagina 2 van 2" in second
    assert "?status=&amp;pagina=1" in second  # the filters kept, the page number once
    assert logged.count() == 5


def test_a_work_list_beyond_its_limit_says_how_many_there_are_and_which_it_lists(
    specialist, login, monkeypatch
):
    from bibob import selectors, views

    monkeypatch.setattr(selectors, "WORK_LIST_LIMIT", 2)
    monkeypatch.setattr(views, "WORK_LIST_LIMIT", 2)
    for n, day in enumerate((1, 2, 3)):
        make_dossier(specialist, title=f"Aanvraag {n}", application_date=date(2026, 6, day))
    html = login(specialist).get(reverse("bibob:list")).content.decode()
    assert "3 dossiers; in deze lijst de 2 met de nieuwste aanvraag" in html
    assert "Aanvraag 2" in html and "Aanvraag 1" in html and "Aanvraag 0" not in html
