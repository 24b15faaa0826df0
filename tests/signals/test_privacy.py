"""Retention of dismissed signals, the access-request section (M. and police data withheld),
rectification and restriction (AVG arts. 15, 16, 18)."""

from __future__ import annotations

from datetime import timedelta
from pathlib import Path

import pytest

from django.utils import timezone

from signals import privacy, services
from signals.constants import SignalStatus
from signals.models import Signal, SignalSubject
from tests.factories.signals import PDF_BYTES, make_address, make_person, make_signal
from vik.core.exceptions import ApplicationError
from vik.privacy.models import Restriction, RetentionRule
from vik.privacy.providers import DataSubject

pytestmark = pytest.mark.django_db


@pytest.fixture
def analyst(make_user):
    return make_user("analyst")


def dismiss(analyst, signal):
    signal = services.signal_transition(actor=analyst, signal=signal, to_status=SignalStatus.TRIAGE)
    return services.signal_transition(
        actor=analyst, signal=signal, to_status=SignalStatus.DISMISSED, reason="Geen indicatoren"
    )


def test_dismissed_signal_is_anonymised_after_a_year(
    analyst, team, settings, django_capture_on_commit_callbacks
):
    # the privacy app seeds this rule; a transactional test elsewhere may have flushed it
    rule, _ = RetentionRule.objects.get_or_create(
        code="signal_dismissed",
        defaults={
            "label": "Signaal afgewezen bij triage",
            "period_value": 1,
            "period_unit": "years",
            "runs_from": "besluit tot afwijzen bij triage",
            "action": "anonymise",
            "legal_basis": "AVG art. 6 lid 1 sub e",
        },
    )
    signal = make_signal(analyst, summary="Hennep bij Jansen", links=[(make_address(team), "locatie")])
    att = services.attachment_add(actor=analyst, signal=signal, filename="r.pdf", data=PDF_BYTES)
    dismiss(analyst, signal)
    open_signal = make_signal(analyst)
    today = timezone.localdate()
    assert list(privacy.dismissed_due(rule, today)) == []
    due = list(privacy.dismissed_due(rule, today + timedelta(days=370)))
    assert due == [("signals.signal", signal.pk, today)]
    with django_capture_on_commit_callbacks(execute=True):
        privacy.anonymise("signals.signal", signal.pk)
    signal.refresh_from_db()
    assert signal.narrative is None and signal.summary == privacy.ANONYMISED and signal.search_vector is None
    assert not SignalSubject.objects.filter(signal=signal).exists() and not signal.attachments.exists()
    assert not (Path(settings.MEDIA_ROOT) / "attachments" / att.storage_name).exists()
    assert list(privacy.dismissed_due(rule, today + timedelta(days=370))) == []
    assert Signal.objects.get(pk=open_signal.pk).summary != privacy.ANONYMISED


def test_access_request_withholds_mma_and_police_content(analyst, team):
    person = make_person(team, geslachtsnaam="Jansen")
    make_signal(
        analyst,
        source_code="mma",
        summary="M-melding",
        narrative="Melder is de buurvrouw",
        links=[(person, "verdachte")],
    )
    make_signal(analyst, source_code="politie", legal_regime="WPG", links=[(person, "verdachte")])
    own = make_signal(
        analyst, summary="Eigen waarneming", narrative="Vertrouwelijk", links=[(person, "verdachte")]
    )
    section = privacy.dsar_section(DataSubject(pk=person.pk, display_name=str(person)), analyst)
    assert [i.title for i in section.items] == [f"Signaal {own.reference}"]
    assert section.items[0].fields["samenvatting"] == "Eigen waarneming"
    grounds = sorted(w.ground for w in section.withheld)
    assert grounds == ["police_consultation", "source_protection"]
    text = str(section.as_dict())
    assert "buurvrouw" not in text and "Vertrouwelijk" not in text


def test_rectification_keeps_the_original_and_updates_search(analyst):
    signal = make_signal(analyst, summary="Hennep bij nummer 12")
    assert privacy.rectify(signal.pk, "summary", "Hennep bij nummer 14") == "Hennep bij nummer 12"
    from signals.selectors import SignalFilters, signal_list

    assert list(signal_list(user=analyst, filters=SignalFilters(q="14"))) == [signal]
    with pytest.raises(ApplicationError):
        privacy.rectify(signal.pk, "status", "CLOSED")


def test_restricted_signal_is_frozen(analyst):
    signal = make_signal(analyst)
    Restriction.objects.create(
        model_label="signals.signal", object_id=signal.pk, reason="Bezwaar", set_by=analyst
    )
    with pytest.raises(ApplicationError):
        services.signal_transition(actor=analyst, signal=signal, to_status=SignalStatus.TRIAGE)
    with pytest.raises(ApplicationError):
        services.attachment_add(actor=analyst, signal=signal, filename="r.pdf", data=PDF_BYTES)
