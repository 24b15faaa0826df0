"""Pages end to end: rendered HTML plus database and access-log state."""

from __future__ import annotations

import csv
import io

import openpyxl
import pytest

from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from signals.models import Attachment, ImportBatch, Signal
from subjects.models import Person
from tests.factories.signals import PDF_BYTES, make_address, make_signal
from vik.core.access import share_grant
from vik.core.models import AccessLog

pytestmark = pytest.mark.django_db


def log_rows(action):
    return list(AccessLog.objects.filter(action=action).order_by("id"))


@pytest.fixture
def analyst(make_user):
    return make_user("analyst", username="anouk")


@pytest.fixture
def client_a(login, analyst):
    return login(analyst)


class TestListAndDetail:
    def test_list_shows_visible_signals_with_count_and_search_is_logged(
        self, client_a, analyst, make_user, other_team
    ):
        make_signal(analyst, summary="Hennepkwekerij in schuur", codes=("hennep",))
        make_signal(make_user("analyst", org=other_team), summary="Hennep elders", codes=("hennep",))
        resp = client_a.get(reverse("signals:list"), {"q": "hennep"})
        html = resp.content.decode()
        assert resp.status_code == 200
        assert "Hennepkwekerij in schuur" in html and "Hennep elders" not in html
        assert "1 signaal" in html
        assert log_rows("search")[-1].detail == "zoekterm: hennep"

    def test_list_says_more_than_the_cap_instead_of_a_number(self, client_a, analyst, monkeypatch):
        from signals import selectors

        for _ in range(3):
            make_signal(analyst)
        monkeypatch.setattr(selectors, "COUNT_UP_TO", 2)
        html = client_a.get(reverse("signals:list")).content.decode()
        count = html.split('data-testid="signal-count">', 1)[1].split("</p>", 1)[0]
        assert count == "Meer dan 2 signalen"
        monkeypatch.setattr(selectors, "COUNT_UP_TO", 3)
        html = client_a.get(reverse("signals:list")).content.decode()
        assert html.split('data-testid="signal-count">', 1)[1].split("</p>", 1)[0] == "3 signalen"

    def test_list_rows_show_the_dutch_status_label(self, client_a, analyst):
        from signals.models import Signal

        triaged = make_signal(analyst, summary="In triage")
        Signal.objects.filter(pk=triaged.pk).update(status="POLICE_ALIGNMENT_PENDING")
        make_signal(analyst, summary="Net binnen")
        html = client_a.get(reverse("signals:list")).content.decode()
        assert "<td>Wacht op afstemming politie" in html
        assert "<td>Ontvangen" in html
        assert "POLICE_ALIGNMENT_PENDING" not in html.split("<tbody>", 1)[1]

    def test_bad_filter_input_is_a_dutch_message_not_a_crash(self, client_a):
        resp = client_a.get(reverse("signals:list"), {"van": "gisteren", "gebied": "centrum"})
        assert resp.status_code == 400
        assert "Geef een CBS-code" in resp.content.decode()

    def test_detail_is_logged_and_other_teams_signal_is_404_and_logged_as_denied(
        self, client_a, analyst, make_user, other_team
    ):
        own = make_signal(analyst)
        foreign = make_signal(make_user("analyst", org=other_team))
        assert client_a.get(reverse("signals:detail", kwargs={"pk": own.pk})).status_code == 200
        assert log_rows("read")[-1].actor_id == analyst.pk
        assert client_a.get(reverse("signals:detail", kwargs={"pk": foreign.pk})).status_code == 404
        assert client_a.get(reverse("signals:detail", kwargs={"pk": 99999999})).status_code == 404
        # (only this analyst's rows: browser tests on the same database commit rows of their own)
        assert len([r for r in log_rows("denied") if r.actor_id == analyst.pk]) == 2

    def test_detail_logs_a_read_of_each_linked_subject_it_shows(self, client_a, analyst, team, other_team):
        from vik.core.accesslog import who_viewed

        shown = make_address(team, postcode="7607AB", number=12)
        hidden = make_address(other_team, postcode="7607AB", number=14)
        signal = make_signal(analyst, links=[(shown, "locatie"), (hidden, "locatie")])
        assert client_a.get(reverse("signals:detail", kwargs={"pk": signal.pk})).status_code == 200
        rows = list(who_viewed(kind="subjects.address", object_id=shown.pk))
        assert [(r.actor_id, r.purpose) for r in rows] == [(analyst.pk, f"Signaal {signal.reference}")]
        assert list(who_viewed(kind="subjects.address", object_id=hidden.pk)) == []

    def test_mma_text_never_shown_to_a_partner_even_when_shared(self, login, analyst, make_user, police_org):
        tip = make_signal(analyst, source_code="mma", narrative="Melder woont naast de schuur")
        partner = make_user("partner", clearances=["general", "mma"])
        from django.contrib.auth.models import Permission

        partner.user_permissions.add(Permission.objects.get(codename="view_signal"))
        share_grant(obj=tip, target=police_org, actor=analyst, reason="casustafel")
        resp = login(partner).get(reverse("signals:detail", kwargs={"pk": tip.pk}))
        html = resp.content.decode()
        assert resp.status_code == 200
        assert "Melder woont naast de schuur" not in html
        assert "bronbescherming" in html
        assert (
            "Melder woont naast de schuur"
            in login(analyst).get(reverse("signals:detail", kwargs={"pk": tip.pk})).content.decode()
        )


class TestIntake:
    def _post(self, client, **extra):
        from signals.models import Phenomenon, SignalSource

        data = {
            "source": SignalSource.objects.get(code="mma").pk,
            "received_date": "2026-01-05",
            "phenomena": [Phenomenon.objects.get(code="hennep").pk],
            "summary": "M-melding hennep",
            "narrative": "Sterke geur bij de schuur achter nummer 12",
            "reliability_source": "X",
            "reliability_information": "4",
            "legal_regime": "AVG",
            "persoon_geslachtsnaam": "Jansen",
            "persoon_voornamen": "Piet",
            "persoon_bsn": "111222333",
            "adres_postcode": "7607 ab",
            "adres_huisnummer": "12",
            **extra,
        }
        return client.post(reverse("signals:create"), data)

    def test_intake_creates_signal_and_links_or_creates_subjects(self, client_a, analyst, team):
        address = make_address(team, postcode="7607AB", number=12)
        resp = self._post(client_a)
        assert resp.status_code == 302
        signal = Signal.objects.get()
        assert signal.compartment == "mma" and signal.narrative.startswith("Sterke geur")
        links = {link.role: link for link in signal.subject_links.all()}
        assert links["locatie"].address == address  # matched by postcode + number
        assert links["verdachte"].person.bsn == "111222333"
        assert Person.objects.count() == 1
        # the existing address was read for this signal: logged with the signal as purpose
        assert any(r.purpose == f"Signaal {signal.reference}" for r in log_rows("read"))

    def test_likely_duplicates_are_shown_before_saving(self, client_a, analyst, team):
        address = make_address(team, postcode="7607AB", number=12)
        earlier = make_signal(analyst, links=[(address, "locatie")])
        resp = self._post(client_a)
        assert resp.status_code == 200 and earlier.reference in resp.content.decode()
        assert Signal.objects.count() == 1
        resp = self._post(client_a, duplicates_seen="True")
        assert resp.status_code == 302 and Signal.objects.count() == 2

    def test_duplicates_partial_for_htmx(self, client_a, analyst, team, with_purpose):
        address = make_address(team, postcode="7607AB", number=12)
        earlier = make_signal(analyst, links=[(address, "locatie")])
        resp = with_purpose(client_a).get(
            reverse("signals:duplicates"), {"adres_postcode": "7607AB", "adres_huisnummer": "12"}
        )
        assert earlier.reference in resp.content.decode()

    @pytest.mark.parametrize(
        "query, kind",
        [
            ({"persoon_bsn": "111222333"}, "subjects.person"),
            ({"organisatie_kvk": "12345678"}, "subjects.organisation"),
            ({"adres_postcode": "7607AB", "adres_huisnummer": "12"}, "subjects.address"),
            ({"kenteken": "AB-123-C"}, "subjects.vehicle"),
        ],
    )
    def test_duplicate_lookup_by_identifier_needs_a_purpose_and_is_logged(
        self, client_a, analyst, team, with_purpose, query, kind
    ):
        """Issue #15 item 4: the intake lookup by BSN, KvK, address or kenteken answered without
        purpose and without a log row."""
        from vik.core.models import AccessLog

        address = make_address(team, postcode="7607AB", number=12)
        make_signal(analyst, links=[(address, "locatie")])
        url = reverse("signals:duplicates")
        html = client_a.get(url, query).content.decode()
        assert "Geef eerst een doel op" in html
        assert not AccessLog.objects.filter(actor_id=analyst.pk).exists()
        with_purpose(client_a, "Intake melding over woonoverlast").get(url, query)
        row = AccessLog.objects.get(actor_id=analyst.pk)
        assert (row.action, row.ref_kind) == ("search", kind)
        assert "Intake melding over woonoverlast" in row.purpose
        assert not any(v in row.detail for v in query.values())  # the identifier is not logged

    def test_invalid_identifiers_are_shown_at_the_field_in_dutch(self, client_a):
        resp = self._post(
            client_a, persoon_bsn="123456789", adres_postcode="0123AB", received_date="2999-01-01"
        )
        html = resp.content.decode()
        assert resp.status_code == 400
        assert "elfproef" in html and "begint niet met een 0" in html and "in de toekomst" in html
        assert Signal.objects.count() == 0


class TestWorkflowViews:
    def test_mma_guard_message_at_the_field(self, client_a, analyst):
        tip = make_signal(analyst, source_code="mma")
        url = reverse("signals:transition", kwargs={"pk": tip.pk})
        assert client_a.post(url, {"to_status": "TRIAGE"}).status_code == 302
        resp = client_a.post(url, {"to_status": "ENRICHMENT"})
        assert resp.status_code == 400
        assert Signal.objects.get(pk=tip.pk).status == "TRIAGE"

    def test_analyst_cannot_flag_casustafel_but_chair_can(self, client_a, analyst, login, make_user):
        signal = make_signal(analyst)
        url = reverse("signals:casustafel", kwargs={"pk": signal.pk})
        assert client_a.post(url, {"flag": "1"}).status_code == 404
        assert login(make_user("chair")).post(url, {"flag": "1"}).status_code == 302
        assert Signal.objects.get(pk=signal.pk).casustafel is True


class TestAttachments:
    def test_upload_then_download_as_attachment_logged(self, client_a, analyst):
        signal = make_signal(analyst)
        upload = SimpleUploadedFile("rapport.pdf", PDF_BYTES, content_type="application/pdf")
        resp = client_a.post(reverse("signals:attachment_upload", kwargs={"pk": signal.pk}), {"file": upload})
        assert resp.status_code == 302
        att = Attachment.objects.get()
        resp = client_a.get(
            reverse("signals:attachment_download", kwargs={"pk": signal.pk, "attachment_pk": att.pk})
        )
        assert resp.status_code == 200 and resp.content == PDF_BYTES
        assert resp["Content-Disposition"] == 'attachment; filename="rapport.pdf"'
        assert resp["X-Content-Type-Options"] == "nosniff"
        assert log_rows("download")[-1].actor_id == analyst.pk

    def test_forbidden_type_gets_a_dutch_message_at_the_field(self, client_a, analyst):
        signal = make_signal(analyst)
        upload = SimpleUploadedFile("virus.pdf", b"MZ\x90\x00binary", content_type="application/pdf")
        resp = client_a.post(reverse("signals:attachment_upload", kwargs={"pk": signal.pk}), {"file": upload})
        assert resp.status_code == 400
        assert "Dit soort bestand is niet toegestaan" in resp.content.decode()
        assert Attachment.objects.count() == 0

    def test_attachment_of_invisible_signal_is_404(self, login, analyst, make_user, other_team):
        from signals.services import attachment_add

        signal = make_signal(analyst)
        att = attachment_add(actor=analyst, signal=signal, filename="r.pdf", data=PDF_BYTES)
        outsider = login(make_user("analyst", org=other_team))
        url = reverse("signals:attachment_download", kwargs={"pk": signal.pk, "attachment_pk": att.pk})
        assert outsider.get(url).status_code == 404
        other = make_signal(make_user("analyst", org=other_team))
        wrong_parent = reverse(
            "signals:attachment_download", kwargs={"pk": other.pk, "attachment_pk": att.pk}
        )
        assert login(analyst).get(wrong_parent).status_code == 404


class TestExport:
    def test_confirmation_then_only_visible_rows_without_narrative_and_logged(
        self, client_a, analyst, make_user, other_team
    ):
        make_signal(analyst, summary="Eigen signaal", narrative="GEHEIM", codes=("drugs",))
        make_signal(analyst, summary="Ander fenomeen", codes=("gokken",))
        make_signal(make_user("analyst", org=other_team), summary="Van een ander team", codes=("drugs",))
        url = reverse("signals:export") + "?fenomeen=drugs"
        page = client_a.get(url)
        assert "U exporteert 1 signaal" in page.content.decode()
        assert client_a.post(url, {"format": "csv"}).status_code == 400  # no confirmation
        resp = client_a.post(url, {"format": "csv", "confirm": "on"})
        assert resp["Content-Disposition"].startswith("attachment;")
        rows = list(csv.reader(io.StringIO(resp.content.decode("utf-8-sig")), delimiter=";"))
        assert [r[6] for r in rows[1:]] == ["Eigen signaal"]
        assert "GEHEIM" not in resp.content.decode("utf-8-sig")
        entry = log_rows("export")[-1]
        assert entry.detail.startswith("1 rijen csv") and entry.actor_id == analyst.pk

    def test_xlsx_export(self, client_a, analyst):
        make_signal(analyst, summary='=HYPERLINK("http://evil")')
        resp = client_a.post(reverse("signals:export"), {"format": "xlsx", "confirm": "on"})
        ws = openpyxl.load_workbook(io.BytesIO(resp.content)).active
        values = [c.value for c in ws[2]]
        assert values[6] == '\'=HYPERLINK("http://evil")'  # formula injection neutralised

    def test_decision_maker_may_not_export(self, login, make_user):
        assert login(make_user("decision_maker")).get(reverse("signals:export")).status_code == 404


class TestWebImport:
    def test_upload_preview_confirm_and_progress(self, client_a, analyst, django_capture_on_commit_callbacks):
        content = "ontvangen_op;bron;fenomeen;omschrijving;extern_kenmerk\n2026-01-02;intern;drugs;Dealen bij school;W-1\n"
        upload = SimpleUploadedFile("signalen.csv", content.encode("cp1252"))
        with django_capture_on_commit_callbacks(execute=True):  # the check runs in the worker
            resp = client_a.post(reverse("signals:import"), {"file": upload})
        batch = ImportBatch.objects.get()
        assert resp.status_code == 302 and batch.status == "preview" and batch.valid_rows == 1
        assert Signal.objects.count() == 0
        detail = reverse("signals:import_detail", kwargs={"pk": batch.pk})
        assert "Importeren" in client_a.get(detail).content.decode()
        with django_capture_on_commit_callbacks(execute=True):
            assert client_a.post(detail, {}).status_code == 302
        batch.refresh_from_db()
        assert batch.status == "done" and batch.imported == 1 and batch.stored_file == ""
        assert Signal.objects.get().external_ref == "W-1"
        progress = client_a.get(reverse("signals:import_progress", kwargs={"pk": batch.pk})).content.decode()
        assert "1 geïmporteerd" in progress and "hx-trigger" not in progress

    def test_bad_rows_block_the_import_unless_skipped(
        self, client_a, analyst, django_capture_on_commit_callbacks
    ):
        content = "ontvangen_op,bron,fenomeen,omschrijving\n2026-01-02,intern,drugs,Goed\n2026-01-02,buurman,drugs,Fout\n"
        with django_capture_on_commit_callbacks(execute=True):
            client_a.post(reverse("signals:import"), {"file": SimpleUploadedFile("s.csv", content.encode())})
        batch = ImportBatch.objects.get()
        detail = reverse("signals:import_detail", kwargs={"pk": batch.pk})
        assert "regel 3: onbekende bron" in client_a.get(detail).content.decode()
        assert client_a.post(detail, {}).status_code == 400
        with django_capture_on_commit_callbacks(execute=True):
            assert client_a.post(detail, {"skip_invalid": "on"}).status_code == 302
        assert Signal.objects.count() == 1

    def test_not_a_table_is_refused_with_a_message(self, client_a, django_capture_on_commit_callbacks):
        with django_capture_on_commit_callbacks(execute=True):
            client_a.post(reverse("signals:import"), {"file": SimpleUploadedFile("x.pdf", b"%PDF-1.4 ...")})
        batch = ImportBatch.objects.get()
        assert batch.status == "failed" and "geen CSV- of XLSX-bestand" in batch.errors[0]


class TestControls:
    def test_control_with_finding_spawns_signal(self, client_a, analyst, team):
        make_address(team, postcode="7607AB", number=3)
        resp = client_a.post(
            reverse("signals:control_create"),
            {
                "control_type": "dor_dol",
                "date": "2026-01-10",
                "adres_postcode": "7607AB",
                "adres_huisnummer": "3",
                "partners_present": ["politie"],
            },
        )
        assert resp.status_code == 302
        from signals.models import Control, Finding

        control = Control.objects.get()
        url = reverse("signals:finding_create", kwargs={"pk": control.pk})
        assert client_a.post(url, {"finding_type": "accijns", "description": "x"}).status_code == 400
        assert (
            client_a.post(
                url, {"finding_type": "gestolen_goed", "description": "Gestolen fiets in DOR"}
            ).status_code
            == 302
        )
        finding = Finding.objects.get()
        resp = client_a.post(reverse("signals:finding_spawn", kwargs={"pk": finding.pk}))
        signal = Signal.objects.get()
        assert resp.url == reverse("signals:detail", kwargs={"pk": signal.pk})
        assert signal.subject_links.get().address == control.address
        assert "heling" in [p.code for p in signal.phenomena.all()]


def test_list_and_detail_queries_do_not_grow_with_the_rows_shown(client_a, analyst, team):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    address = make_address(team)

    def measure():
        signal = make_signal(analyst, codes=("drugs", "hennep"), links=[(address, "locatie")])
        with CaptureQueriesContext(connection) as listing:
            assert client_a.get(reverse("signals:list"), {"q": "bezoek"}).status_code == 200
        with CaptureQueriesContext(connection) as detail:
            assert client_a.get(reverse("signals:detail", kwargs={"pk": signal.pk})).status_code == 200
        return len(listing.captured_queries), len(detail.captured_queries)

    measure()  # warm caches (content types, reference lists)
    few = measure()
    for _ in range(20):
        make_signal(analyst, codes=("drugs", "hennep"), links=[(address, "locatie")])
    assert measure() == few


class TestControlAddressRead:
    def test_control_page_logs_the_read_of_its_address(self, client_a, analyst, team):
        make_address(team, postcode="7607AC", number=5)
        client_a.post(
            reverse("signals:control_create"),
            {
                "control_type": "dor_dol",
                "date": "2026-01-10",
                "adres_postcode": "7607AC",
                "adres_huisnummer": "5",
            },
        )
        from signals.models import Control

        control = Control.objects.get()
        rows = AccessLog.objects.filter(action="read", ref_kind="subjects.address", actor_id=analyst.pk)
        before = rows.count()  # the same filter before and after: other tests' rows may remain
        assert client_a.get(reverse("signals:control_detail", kwargs={"pk": control.pk})).status_code == 200
        assert rows.count() == before + 1
        assert rows.order_by("-id").first().purpose == f"Controle {control.pk}"


def test_import_check_is_marked_as_a_slow_action(client_a):
    """The upload form carries data-busy: vik.js disables its button and shows the busy text while
    a large file is checked (no double submit)."""
    html = client_a.get(reverse("signals:import")).content.decode()
    assert 'data-busy="Bezig met controleren…"' in html
    assert 'src="/static/js/vik.js"' in html


def test_signal_list_opens_with_results_and_shows_active_filters_as_chips(users, login):
    """Filters are folded away; each active filter is a chip whose link drops only that filter."""
    client = login(users["analyst"])
    html = client.get(reverse("signals:list")).content.decode()
    assert '<details class="vik-card vik-filters"' in html and 'data-testid="filter-chips"' not in html
    html = client.get(reverse("signals:list"), {"status": "TRIAGE", "q": "hennep"}).content.decode()
    assert 'data-testid="filter-chips"' in html
    assert "Status: Triage" in html and "Zoeken: hennep" in html
    assert 'href="?q=hennep"' in html  # removing the status chip keeps the search
    assert 'href="?status=TRIAGE"' in html


def test_intake_offers_a_similar_existing_person_instead_of_creating_a_second(users, login):
    """'Jan Jansen 14-03-1979' next to the known 'Jan Hendrik Jansen 14-03-1979': the analyst is
    shown the existing person and picks it (or says "nieuw"); nothing is created silently."""
    from datetime import date

    from tests.factories.subjects import PersonFactory

    analyst = users["analyst"]
    known = PersonFactory(
        owner_team=analyst.org_unit,
        voornamen="Jan Hendrik",
        geslachtsnaam="Jansen",
        birth_date=date(1979, 3, 14),
    )
    from signals.models import Phenomenon, SignalSource

    client = login(analyst)
    data = {
        "source": SignalSource.objects.get(code="intern").pk,
        "received_date": "2026-03-02",
        "phenomena": [Phenomenon.objects.get(code="hennep").pk],
        "summary": "Drukte bij woning",
        "narrative": "Melder ziet veel bezoek",
        "reliability_source": "X",
        "reliability_information": "4",
        "legal_regime": "AVG",
        "persoon_geslachtsnaam": "Jansen",
        "persoon_voornamen": "Jan",
        "persoon_geboortedatum": "1979-03-14",
    }
    persons = Person.objects.count()
    resp = client.post(reverse("signals:create"), data)
    html = resp.content.decode()
    assert resp.status_code == 200 and 'data-testid="person-candidates"' in html
    assert f'name="persoon_keuze" value="{known.pk}"' in html and 'value="nieuw"' in html
    assert Signal.objects.count() == 0 and Person.objects.count() == persons

    resp = client.post(
        reverse("signals:create"), {**data, "persoon_keuze": str(known.pk), "duplicates_seen": "True"}
    )
    assert resp.status_code == 302
    signal = Signal.objects.get()
    assert Person.objects.count() == persons
    assert signal.subject_links.get().person == known

    resp = client.post(
        reverse("signals:create"), {**data, "persoon_keuze": "nieuw", "duplicates_seen": "True"}
    )
    assert resp.status_code == 302 and Person.objects.count() == persons + 1
