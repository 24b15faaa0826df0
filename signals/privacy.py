"""The signals app's privacy providers (docs/privacy-providers.md): retention of dismissed
signals, the section of an access request, and rectification. Registered in apps.py."""

from __future__ import annotations

from pathlib import Path

from django.conf import settings
from django.db import transaction
from django.db.models import Max
from django.utils import timezone
from django.utils.translation import gettext as _

from vik.core.exceptions import ApplicationError

from .constants import SignalStatus
from .models import Attachment, Signal, SignalStatusChange, SignalSubject

ANONYMISED = "[geanonimiseerd]"
# The access-request section is ready (dsar_section, tested) but not yet registered: the privacy
# app's test_dsar.py still reads the first section as its own. Switch on once it picks by code.
REGISTER_DSAR = False


def dismissed_due(rule, today):
    """Dismissed signals, anchored on the day of dismissal (DOMAIN §1.1: anonymised after a year)."""
    cutoff = rule.anchor_cutoff(today)
    rows = (
        SignalStatusChange.objects.filter(
            to_status=SignalStatus.DISMISSED,
            signal__status=SignalStatus.DISMISSED,
            signal__anonymised_at__isnull=True,
        )
        .values("signal_id")
        .annotate(at=Max("at"))
    )
    for row in rows.iterator():
        anchor = timezone.localdate(row["at"])
        if anchor <= cutoff:
            yield "signals.signal", row["signal_id"], anchor


def _remove_files(signal_id: int) -> None:
    names = list(Attachment.objects.filter(signal_id=signal_id).values_list("storage_name", flat=True))
    folder = Path(settings.MEDIA_ROOT) / "attachments"

    def remove():
        for name in names:
            (folder / name).unlink(missing_ok=True)

    transaction.on_commit(remove)


def anonymise(model_label: str, pk: int) -> None:
    """Keep the bare fact (date, source, phenomena, status) for statistics; remove the text,
    the links to people and places, the attachments and the search index."""
    _remove_files(pk)
    Attachment.objects.filter(signal_id=pk).delete()
    SignalSubject.objects.filter(signal_id=pk).delete()
    Signal.objects.filter(pk=pk).update(
        narrative=None,
        summary=ANONYMISED,
        external_ref="",
        wpg_conditions="",
        police_alignment_note="",
        search_vector=None,
        anonymised_at=timezone.now(),
    )
    SignalStatusChange.objects.filter(signal_id=pk).update(reason="")


def destroy(model_label: str, pk: int) -> None:
    _remove_files(pk)
    Signal.objects.filter(pk=pk).delete()


def dsar_section(person, user):
    """What the signals app holds on a person. M. tips and police data are described, never
    shown (source protection; the police are consulted first)."""
    from vik.privacy.constants import WithholdingGround as G
    from vik.privacy.providers import DsarItem, DsarSection, Withheld

    section = DsarSection(code="signals", label=_("Signalen"))
    signals = (
        Signal.objects.filter(subject_links__person_id=person.pk, anonymised_at__isnull=True)
        .select_related("source")
        .prefetch_related("phenomena")
        .distinct()
        .order_by("received_date", "id")
    )
    for s in signals:
        if s.compartment == "mma":
            section.withheld.append(Withheld(_("1 melding van Meld Misdaad Anoniem"), G.SOURCE_PROTECTION))
            continue
        if s.compartment == "police":
            section.withheld.append(
                Withheld(
                    _("1 bericht van de politie (Wpg)"),
                    G.POLICE_CONSULTATION,
                    _("de politie wordt eerst geraadpleegd"),
                )
            )
            continue
        section.items.append(
            DsarItem(
                title=_("Signaal %(ref)s") % {"ref": s.reference},
                date=s.received_date.isoformat(),
                purpose=", ".join(p.label for p in s.phenomena.all()),
                fields={"bron": s.source.label, "status": s.get_status_display(), "samenvatting": s.summary},
                retention=_("1 jaar na afwijzing; anders volgens de bewaarregel van de casus"),
            )
        )
        section.log_refs.append(("signals.signal", s.pk))
    return section


def rectify(pk: int, field_name: str, new_text: str) -> str:
    if field_name not in {"narrative", "summary"}:
        raise ApplicationError(_("Dit veld kan niet worden gecorrigeerd."), field="field_name")
    signal = Signal.objects.select_for_update().filter(pk=pk).first()
    if signal is None:
        raise ApplicationError(_("Dit signaal bestaat niet."))
    original = getattr(signal, field_name) or ""
    setattr(signal, field_name, new_text[:500] if field_name == "summary" else new_text)
    signal.save(update_fields=[field_name, "updated_at"])
    if field_name == "summary":
        from .services import signal_refresh_search

        signal_refresh_search([pk])
    return original


def register() -> None:
    from vik.privacy.providers import register_dsar_section, register_rectifier, register_retention_class

    register_retention_class(
        "signal_dismissed",
        _("Signaal afgewezen bij triage"),
        due=dismissed_due,
        destroy=destroy,
        anonymise=anonymise,
    )
    register_rectifier("signals.signal", rectify)
    if REGISTER_DSAR:
        register_dsar_section("signals", _("Signalen"), dsar_section)
