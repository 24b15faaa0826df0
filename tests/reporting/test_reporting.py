"""Every municipal employee can report: the form creates a signal with source "intern" in the
intake queue; photos lose their metadata and are stored encrypted; bad input (no description,
no place, a forbidden file, a burst) gets a clear Dutch message and saves nothing; the reporter
sees only a receipt and the plain status of their own reports; an anonymous reporter's identity
is kept apart and shown only through break-glass with a reason."""

from __future__ import annotations

from pathlib import Path

import pytest

from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from django.utils import timezone

from reporting.models import InternalReport
from signals import services as signal_services
from signals.models import Attachment, Signal, SignalStatusChange
from tests.factories.signals import PDF_BYTES, phenomena
from tests.signals.test_images import SECRET, jpeg_with_metadata
from vik.core.constants import OrgKind
from vik.core.encryption import decrypt_bytes
from vik.core.models import AccessLog, OrgUnit

pytestmark = pytest.mark.django_db


@pytest.fixture
def department(db):
    return OrgUnit.objects.create(code="handhaving", name="Team Handhaving", kind=OrgKind.TEAM)


@pytest.fixture
def reporter(make_user, department):
    return make_user("reporter", org=department, username="melder", first_name="Lotte", last_name="Hendriks")


def _post(client, **extra):
    data = {
        "description": "Afgeplakte ramen en een sterke hennepgeur bij de achterdeur.",
        "location": "Grotestraat 12, Almelo",
        "observed_on": timezone.localdate().isoformat(),
        "phenomena": [p.pk for p in phenomena("hennep")],
    }
    data.update(extra)
    return client.post(reverse("reporting:form"), data)


def test_report_with_photo_becomes_an_intern_signal_in_the_intake_queue(reporter, team, login, settings):
    client = login(reporter)
    photo = SimpleUploadedFile("foto.jpg", jpeg_with_metadata(), content_type="image/jpeg")
    resp = _post(client, files=[photo])
    assert resp.status_code == 302
    report = InternalReport.objects.get()
    assert resp.url == reverse("reporting:receipt", args=[report.pk])
    signal = report.signal
    assert signal.source.code == "intern"
    assert signal.owner_team == team  # the intake team, not the reporter's department
    assert signal.status == "RECEIVED"
    assert report.department.code == "handhaving"
    assert "Team Handhaving" in signal.narrative and "Grotestraat 12" in signal.narrative
    att = Attachment.objects.get(signal=signal)
    stored = (Path(settings.MEDIA_ROOT) / "attachments" / att.storage_name).read_bytes()
    assert SECRET not in stored and b"\xff\xd8" not in stored[:4]  # encrypted at rest
    plain = decrypt_bytes(stored)
    assert plain.startswith(b"\xff\xd8") and SECRET not in plain  # metadata stripped
    page = client.get(resp.url).content.decode()
    assert report.receipt_number in page and "ontvangen" in page
    home = client.get("/").content.decode()  # the home tile lists the reporter's own reports
    assert report.receipt_number in home and reverse("reporting:form") in home


@pytest.mark.parametrize(
    ("field", "value", "message"),
    [
        ("description", "", "Beschrijf wat u heeft gezien."),
        ("location", "  ", "Geef aan waar u het heeft gezien"),
        ("phenomena", [], "Kies waar het volgens u over gaat"),
        ("observed_on", "31-02-2026", "Vul een geldige datum in."),
    ],
)
def test_incomplete_report_is_refused_in_dutch_and_saves_nothing(reporter, login, field, value, message):
    resp = _post(login(reporter), **{field: value})
    assert resp.status_code == 400
    assert message in resp.content.decode()
    assert not Signal.objects.exists() and not InternalReport.objects.exists()


def test_forbidden_file_type_saves_nothing(reporter, login):
    bad = SimpleUploadedFile("script.exe", b"MZ\x90\x00" + b"\x00" * 100)
    good = SimpleUploadedFile("foto.jpg", jpeg_with_metadata(), content_type="image/jpeg")
    resp = _post(login(reporter), files=[good, bad])
    assert resp.status_code == 400
    assert "Dit soort bestand is niet toegestaan" in resp.content.decode()
    assert not Signal.objects.exists() and not InternalReport.objects.exists()
    assert not Attachment.objects.exists()


def test_too_large_file_is_refused(reporter, login, settings):
    settings.REPORTING_MAX_FILE_BYTES = 1024
    resp = _post(login(reporter), files=[SimpleUploadedFile("r.pdf", PDF_BYTES + b"x" * 2048)])
    assert resp.status_code == 400
    assert "te groot" in resp.content.decode()
    assert not Signal.objects.exists()


def test_a_burst_of_reports_from_one_account_is_stopped(reporter, login, settings):
    settings.REPORTING_MAX_PER_HOUR = 3
    client = login(reporter)
    for _ in range(3):
        assert _post(client).status_code == 302
    resp = _post(client)
    assert resp.status_code == 400
    assert "afgelopen uur al 3 meldingen" in resp.content.decode()
    assert InternalReport.objects.count() == 3 == Signal.objects.count()


def test_reporter_sees_only_the_plain_status_of_their_own_reports(reporter, make_user, login):
    analyst = make_user("analyst")
    client = login(reporter)
    _post(client)
    report = InternalReport.objects.get()
    other = make_user("reporter", username="collega")
    _post(login(other), description="Iets anders")
    other_report = InternalReport.objects.exclude(pk=report.pk).get()

    signal_services.signal_transition(actor=analyst, signal=report.signal, to_status="TRIAGE")
    mine = client.get(reverse("reporting:mine")).content.decode()
    assert "in behandeling" in mine and "Triage" not in mine
    assert other_report.receipt_number not in mine
    signal_services.signal_transition(
        actor=analyst, signal=report.signal, to_status="DISMISSED", reason="Geen indicatoren"
    )
    page = client.get(reverse("reporting:receipt", args=[report.pk])).content.decode()
    assert "afgerond" in page and "Geen indicatoren" not in page and "Afgewezen" not in page
    # never the analysis, other reports or the signal itself
    assert client.get(reverse("reporting:receipt", args=[other_report.pk])).status_code == 404
    assert client.get(reverse("signals:detail", args=[report.signal.pk])).status_code == 404
    assert client.get(reverse("signals:list")).status_code in (403, 404)


def test_anonymous_reporter_is_kept_apart_and_shown_only_through_break_glass(reporter, make_user, login):
    _post(login(reporter), anonymous="on")
    report = InternalReport.objects.get()
    signal = report.signal
    assert report.anonymous and signal.created_by != reporter
    assert "Team Handhaving" not in signal.narrative and signal.created_by.username == "melder-anoniem"
    assert not SignalStatusChange.objects.filter(signal=signal, actor=reporter).exists()
    # the analyst's signal page does not name the reporter
    analyst = make_user("analyst")
    client = login(analyst)
    session = client.session
    session["vik_purpose"] = {"case_kind": "", "case_id": None, "reason": "triage", "label": "Reden: triage"}
    session.save()
    page = client.get(reverse("signals:detail", args=[signal.pk])).content.decode()
    assert reporter.last_name not in page and "Handhaving" not in page
    assert client.get(reverse("reporting:identity", args=[report.pk])).status_code == 404

    officer = login(make_user("privacy_officer"))
    url = reverse("reporting:identity", args=[report.pk])
    refused = officer.post(url, {"reason": ""})
    assert refused.status_code == 400 and "Geef de reden" in refused.content.decode()
    assert reporter.last_name not in refused.content.decode()
    shown = officer.post(url, {"reason": "Dreiging tegen de melder onderzoeken"}).content.decode()
    assert reporter.last_name in shown
    row = AccessLog.objects.filter(action="break_glass").latest("id")
    assert row.actor_label.startswith("privacy_officer") and "Dreiging" in row.purpose


def test_guide_is_versioned_and_one_click_from_the_form(reporter, make_user, login):
    admin = login(make_user("functional_admin", is_staff=True))
    assert (
        admin.post(reverse("reporting:guide_edit"), {"body": "# Hennep\nLet op de geur."}).status_code == 302
    )
    assert (
        admin.post(
            reverse("reporting:guide_edit"), {"body": "# Hennep\nLet op afgeplakte ramen."}
        ).status_code
        == 302
    )
    client = login(reporter)
    assert reverse("reporting:guide") in client.get(reverse("reporting:form")).content.decode()
    page = client.get(reverse("reporting:guide")).content.decode()
    assert "afgeplakte ramen" in page and "Let op de geur" not in page
    assert "Hennepgeur" in page  # the plain-language hints per phenomenon
    assert client.post(reverse("reporting:guide_edit"), {"body": "x"}).status_code == 404
