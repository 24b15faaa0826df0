"""Signal intake, the workflow of DOMAIN §1.1 (with the M. guard), attachments and controls."""

from __future__ import annotations

from datetime import timedelta
from pathlib import Path

import pytest

from django.db import connection
from django.utils import timezone

from signals import services
from signals.constants import SignalStatus
from signals.models import Attachment, Signal, SignalStatusChange
from tests.factories.signals import (
    EML_BYTES,
    OLE_BYTES,
    PDF_BYTES,
    docx_bytes,
    make_address,
    make_signal,
    phenomena,
    plain_zip_bytes,
    source,
)
from vik.core.exceptions import ApplicationError

pytestmark = pytest.mark.django_db


@pytest.fixture
def analyst(make_user):
    return make_user("analyst")


@pytest.fixture
def chair(make_user):
    return make_user("chair")


def statuses(signal):
    return list(
        SignalStatusChange.objects.filter(signal=signal)
        .order_by("at", "id")
        .values_list("from_status", "to_status")
    )


class TestCreate:
    def test_compartment_follows_source_and_legal_regime(self, analyst, team):
        tip = make_signal(analyst, source_code="mma")
        police = make_signal(analyst, source_code="politie", legal_regime="WPG")
        own = make_signal(analyst, source_code="intern")
        assert (tip.compartment, police.compartment, own.compartment) == ("mma", "police", "general")
        assert own.visible_to == [team.team_token]
        assert statuses(own) == [("", SignalStatus.RECEIVED)]

    def test_future_date_refused(self, analyst):
        with pytest.raises(ApplicationError) as exc:
            make_signal(analyst, received=timezone.localdate() + timedelta(days=1))
        assert exc.value.field == "received_date"

    def test_wpg_needs_conditions_of_provision(self, analyst):
        with pytest.raises(ApplicationError) as exc:
            services.signal_create(
                actor=analyst,
                source=source("politie"),
                received_date=timezone.localdate(),
                phenomena=phenomena("drugs"),
                summary="Bestuurlijke rapportage",
                legal_regime="WPG",
            )
        assert exc.value.field == "wpg_conditions"

    def test_same_source_and_external_reference_twice_refused(self, analyst):
        make_signal(analyst, source_code="politie", external_ref="BR-2026-1")
        with pytest.raises(ApplicationError):
            make_signal(analyst, source_code="politie", external_ref="BR-2026-1")
        make_signal(analyst, source_code="odt", external_ref="BR-2026-1")  # other source: fine

    def test_narrative_is_encrypted_and_never_in_the_search_index(self, analyst):
        signal = make_signal(analyst, summary="Hennepgeur bij woning", narrative="Geheime bron noemt schuur")
        with connection.cursor() as cur:
            cur.execute(
                "SELECT narrative, search_vector::text FROM signals_signal WHERE id = %s", [signal.pk]
            )
            raw, vector = cur.fetchone()
        assert "Geheime" not in raw and "schuur" not in vector
        assert Signal.objects.get(pk=signal.pk).narrative == "Geheime bron noemt schuur"

    def test_dutch_full_text_search_finds_stemmed_words_and_metadata(self, analyst):
        from signals.selectors import SignalFilters, signal_list

        signal = make_signal(
            analyst,
            codes=("hennep",),
            summary="Hennepkwekerijen op zolders aangetroffen",
            external_ref="MUT-77",
        )
        for q in ("hennepkwekerij", "zolder", "MUT-77", "hennep"):
            assert list(signal_list(user=analyst, filters=SignalFilters(q=q))) == [signal], q


class TestWorkflow:
    def test_path_through_domain_states_with_history(self, analyst, chair):
        signal = make_signal(analyst)
        for to in (SignalStatus.TRIAGE, SignalStatus.ENRICHMENT, SignalStatus.CASUSTAFEL_AGENDA):
            signal = services.signal_transition(
                actor=analyst, signal=signal, to_status=to, reason=f"naar {to}"
            )
        signal = services.signal_record_casustafel_outcome(
            actor=chair, signal=signal, outcome="riec", reason="RIEC-casus"
        )
        assert signal.status == SignalStatus.CASE_OPEN and signal.casustafel_outcome == "riec"
        signal = services.signal_transition(actor=analyst, signal=signal, to_status=SignalStatus.INTERVENTION)
        signal = services.signal_transition(actor=analyst, signal=signal, to_status=SignalStatus.CLOSED)
        history = list(SignalStatusChange.objects.filter(signal=signal).order_by("at", "id"))
        assert [h.to_status for h in history] == [
            "RECEIVED",
            "TRIAGE",
            "ENRICHMENT",
            "CASUSTAFEL_AGENDA",
            "CASE_OPEN",
            "INTERVENTION",
            "CLOSED",
        ]
        assert history[1].actor == analyst and history[1].reason == "naar TRIAGE"
        assert history[4].actor == chair and "RIEC" in history[4].reason

    def test_skipping_triage_is_refused(self, analyst):
        signal = make_signal(analyst)
        with pytest.raises(ApplicationError):
            services.signal_transition(actor=analyst, signal=signal, to_status=SignalStatus.CASE_OPEN)
        assert Signal.objects.get(pk=signal.pk).status == SignalStatus.RECEIVED

    def test_dismissal_needs_a_reason_and_is_final(self, analyst):
        signal = make_signal(analyst)
        signal = services.signal_transition(actor=analyst, signal=signal, to_status=SignalStatus.TRIAGE)
        with pytest.raises(ApplicationError) as exc:
            services.signal_transition(actor=analyst, signal=signal, to_status=SignalStatus.DISMISSED)
        assert exc.value.field == "reason"
        signal = services.signal_transition(
            actor=analyst, signal=signal, to_status=SignalStatus.DISMISSED, reason="Geen indicatoren"
        )
        assert services.signal_allowed_transitions(signal) == []
        assert services.signal_may_lead_to_measure(signal) is False

    def test_mma_tip_waits_for_police_alignment(self, analyst, chair):
        tip = make_signal(analyst, source_code="mma")
        tip = services.signal_transition(actor=analyst, signal=tip, to_status=SignalStatus.TRIAGE)
        assert SignalStatus.ENRICHMENT not in services.signal_allowed_transitions(tip)
        with pytest.raises(ApplicationError):
            services.signal_transition(actor=analyst, signal=tip, to_status=SignalStatus.ENRICHMENT)
        tip = services.signal_transition(
            actor=analyst, signal=tip, to_status=SignalStatus.POLICE_ALIGNMENT_PENDING
        )
        with pytest.raises(ApplicationError):
            services.signal_transition(actor=analyst, signal=tip, to_status=SignalStatus.ENRICHMENT)
        assert services.signal_may_lead_to_measure(tip) is False
        tip = services.signal_record_police_alignment(
            actor=chair, signal=tip, note="Politie akkoord in LOO van 3 juni"
        )
        assert tip.status == SignalStatus.ENRICHMENT
        assert services.signal_may_lead_to_measure(tip) is True
        assert statuses(tip)[-1] == (SignalStatus.POLICE_ALIGNMENT_PENDING, SignalStatus.ENRICHMENT)
        with pytest.raises(ApplicationError):
            services.signal_record_police_alignment(actor=chair, signal=tip, note="nogmaals vastleggen")

    def test_mma_tip_on_casustafel_cannot_open_a_case_without_alignment(self, analyst, chair):
        tip = make_signal(analyst, source_code="mma")
        tip = services.signal_transition(actor=analyst, signal=tip, to_status=SignalStatus.TRIAGE)
        services.signal_flag_casustafel(actor=chair, signal=tip, flag=True)
        assert Signal.objects.get(pk=tip.pk).casustafel is True
        assert services.signal_may_lead_to_measure(tip) is False

    def test_only_mma_tips_wait_for_police(self, analyst):
        signal = services.signal_transition(
            actor=analyst, signal=make_signal(analyst), to_status=SignalStatus.TRIAGE
        )
        with pytest.raises(ApplicationError):
            services.signal_transition(
                actor=analyst, signal=signal, to_status=SignalStatus.POLICE_ALIGNMENT_PENDING
            )
        with pytest.raises(ApplicationError):
            services.signal_record_police_alignment(actor=analyst, signal=signal, note="niet van toepassing")

    def test_casustafel_flag_is_for_the_chair(self, analyst, chair):
        signal = make_signal(analyst)
        with pytest.raises(ApplicationError):
            services.signal_flag_casustafel(actor=analyst, signal=signal, flag=True)
        assert services.signal_flag_casustafel(actor=chair, signal=signal, flag=True).casustafel is True

    def test_outcome_close_closes_and_needs_agenda(self, analyst, chair):
        signal = make_signal(analyst)
        with pytest.raises(ApplicationError):
            services.signal_record_casustafel_outcome(actor=chair, signal=signal, outcome="close")
        for to in (SignalStatus.TRIAGE, SignalStatus.ENRICHMENT, SignalStatus.CASUSTAFEL_AGENDA):
            signal = services.signal_transition(actor=analyst, signal=signal, to_status=to)
        signal = services.signal_record_casustafel_outcome(actor=chair, signal=signal, outcome="close")
        assert signal.status == SignalStatus.CLOSED

    def test_assignment_only_to_someone_who_may_see_it(self, analyst, make_user, other_team):
        signal = make_signal(analyst)
        colleague = make_user("analyst")
        outsider = make_user("analyst", org=other_team)
        assert services.signal_assign(actor=analyst, signal=signal, assignee=colleague).assignee == colleague
        with pytest.raises(ApplicationError):
            services.signal_assign(actor=analyst, signal=signal, assignee=outsider)
        no_mma = make_user("analyst", clearances=["general"])
        tip = make_signal(analyst, source_code="mma")
        with pytest.raises(ApplicationError):
            services.signal_assign(actor=analyst, signal=tip, assignee=no_mma)


class TestAttachments:
    @pytest.mark.parametrize(
        "name,data,ctype",
        [
            ("rapport.pdf", PDF_BYTES, "application/pdf"),
            (
                "verslag.docx",
                docx_bytes(),
                "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
            ),
            ("tip.msg", OLE_BYTES, "application/vnd.ms-outlook"),
            ("oud.doc", OLE_BYTES, "application/msword"),
            ("mail.eml", EML_BYTES, "message/rfc822"),
        ],
    )
    def test_allowed_types_by_content_are_stored_encrypted(self, make_user, settings, name, data, ctype):
        analyst = make_user("analyst")
        signal = make_signal(analyst)
        att = services.attachment_add(actor=analyst, signal=signal, filename=name, data=data)
        assert att.content_type == ctype and att.size == len(data)
        stored = (Path(settings.MEDIA_ROOT) / "attachments" / att.storage_name).read_bytes()
        assert data not in stored
        assert services.attachment_read(att) == data

    @pytest.mark.parametrize(
        "name,data",
        [
            ("programma.pdf", b"MZ\x90\x00" + b"\x00" * 50),  # an .exe renamed to .pdf
            ("pagina.html", b"<html><script>alert(1)</script></html>"),
            ("archief.zip", plain_zip_bytes()),
            ("script.eml", b"#!/bin/sh\nrm -rf /\n"),
            ("leeg.pdf", b""),
        ],
    )
    def test_forbidden_types_refused_and_nothing_stored(self, make_user, settings, name, data):
        analyst = make_user("analyst")
        signal = make_signal(analyst)
        with pytest.raises(ApplicationError) as exc:
            services.attachment_add(actor=analyst, signal=signal, filename=name, data=data)
        assert exc.value.field == "file"
        assert Attachment.objects.count() == 0

    def test_too_large_refused(self, make_user, settings):
        settings.ATTACHMENT_MAX_BYTES = 1024
        analyst = make_user("analyst")
        with pytest.raises(ApplicationError) as exc:
            services.attachment_add(
                actor=analyst, signal=make_signal(analyst), filename="groot.pdf", data=PDF_BYTES + b"0" * 2000
            )
        assert "te groot" in exc.value.message


class TestControls:
    def test_finding_spawns_a_signal_with_one_click(self, analyst, team):
        address = make_address(team)
        control = services.control_create(
            actor=analyst,
            control_type="horeca",
            date=timezone.localdate(),
            address=address,
            partners_present=["politie", "brandweer"],
        )
        finding = services.finding_add(
            actor=analyst,
            control=control,
            finding_type="vergunning",
            description="Andere exploitant aanwezig",
        )
        signal = services.finding_spawn_signal(actor=analyst, finding=finding)
        assert signal.source.code == "controle" and signal.status == SignalStatus.RECEIVED
        assert [p.code for p in signal.phenomena.all()] == ["horeca"]
        assert signal.subject_links.get().address == address
        control.refresh_from_db()
        assert control.status == "FINDINGS"
        with pytest.raises(ApplicationError):
            services.finding_spawn_signal(actor=analyst, finding=finding)

    def test_dor_dol_findings_are_the_domain_list(self, analyst):
        control = services.control_create(
            actor=analyst,
            control_type="dor_dol",
            date=timezone.localdate(),
            location_note="Opkoper Hofstraat",
        )
        with pytest.raises(ApplicationError):
            services.finding_add(
                actor=analyst, control=control, finding_type="accijns", description="Niet van toepassing"
            )
        finding = services.finding_add(
            actor=analyst,
            control=control,
            finding_type="bewaartermijn",
            description="Binnen 5 dagen doorverkocht",
            follow_up="lod",
        )
        assert finding.follow_up == "lod"
