"""The signals app's privacy providers (docs/privacy-providers.md): retention of dismissed
signals, the section of an access request, and rectification. Registered in apps.py."""

from __future__ import annotations

from pathlib import Path

from django.conf import settings
from django.db import transaction
from django.db.models import Max, Q
from django.utils import timezone
from django.utils.translation import gettext as _

from subjects.selectors import person_ids
from vik.core.constants import Compartment
from vik.core.exceptions import ApplicationError
from vik.privacy.retention import (
    ANONYMISED,
    delete_with_history,
    drop_history,
    retention_text,
    unlink_foreign_references,
)

from .constants import ControlType, SignalStatus
from .models import Attachment, Control, Finding, Signal, SignalStatusChange, SignalSubject


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


NO_FOLLOW_UP = [
    SignalStatus.RECEIVED,
    SignalStatus.TRIAGE,
    SignalStatus.POLICE_ALIGNMENT_PENDING,
    SignalStatus.DISMISSED,
]


def mma_tip_due(rule, today):
    """M. tips without follow-up, anchored on the day the tip was received."""
    cutoff = rule.anchor_cutoff(today)
    rows = (
        Signal.objects.filter(
            compartment=Compartment.MMA,
            status__in=NO_FOLLOW_UP,
            anonymised_at__isnull=True,
            received_date__lte=cutoff,
        )
        .order_by("pk")
        .values_list("pk", "received_date")
    )
    for pk, received in rows.iterator(chunk_size=500):
        yield "signals.signal", pk, received


def closed_case_due(rule, today):
    """Closed signals, anchored on the day they were closed; one that led to a measure follows the
    measure's rule instead (DOMAIN §2: "unless a measure is linked")."""
    cutoff = rule.anchor_cutoff(today)
    rows = (
        SignalStatusChange.objects.filter(
            to_status=SignalStatus.CLOSED,
            signal__status=SignalStatus.CLOSED,
            signal__anonymised_at__isnull=True,
            signal__measures__isnull=True,
        )
        .values("signal_id")
        .annotate(at=Max("at"))
        .order_by("signal_id")
    )
    for row in rows.iterator(chunk_size=500):
        anchor = timezone.localdate(row["at"])
        if anchor <= cutoff:
            yield "signals.signal", row["signal_id"], anchor


def anonymise(model_label: str, pk: int) -> None:
    """Keep the bare fact (date, source, phenomena, status) for statistics; remove the text,
    the links to people and places, the attachments and the search index."""
    _remove_files(pk)
    delete_with_history(Attachment.objects.filter(signal_id=pk))
    delete_with_history(SignalSubject.objects.filter(signal_id=pk))
    Signal.objects.filter(pk=pk).update(
        narrative=None,
        summary=ANONYMISED,
        external_ref="",
        wpg_conditions="",
        police_alignment_note="",
        search_vector=None,
        anonymised_at=timezone.now(),
    )
    changes = list(SignalStatusChange.objects.filter(signal_id=pk).values_list("pk", flat=True))
    SignalStatusChange.objects.filter(pk__in=changes).update(reason="")
    drop_history(SignalStatusChange, changes)


def destroy(model_label: str, pk: int) -> None:
    if not Signal.objects.filter(pk=pk).exists():
        return
    _remove_files(pk)
    unlink_foreign_references(
        Signal, pk
    )  # casustafel AgendaItem.signal is PROTECT: keep the item, drop the link
    for model in (Attachment, SignalSubject, SignalStatusChange):
        delete_with_history(model.objects.filter(signal_id=pk))
    Signal.objects.filter(pk=pk).delete()


def control_due(rule, today):
    cutoff = rule.anchor_cutoff(today)
    rows = (
        Control.objects.filter(control_type=ControlType.DOR_DOL, date__lte=cutoff)
        .exclude(notes=ANONYMISED)
        .order_by("pk")
        .values_list("pk", "date")
    )
    for pk, day in rows.iterator(chunk_size=500):
        yield "signals.control", pk, day


def control_destroy(model_label: str, pk: int) -> None:
    if not Control.objects.filter(pk=pk).exists():
        return
    delete_with_history(Finding.objects.filter(control_id=pk))  # a spawned signal keeps its own term
    Control.objects.filter(pk=pk).delete()


def control_anonymise(model_label: str, pk: int) -> None:
    Control.objects.filter(pk=pk).update(
        notes=ANONYMISED, location_note="", address=None, updated_at=timezone.now()
    )
    findings = list(Finding.objects.filter(control_id=pk).values_list("pk", flat=True))
    Finding.objects.filter(pk__in=findings).update(description=ANONYMISED)
    drop_history(Finding, findings)


def dsar_section(person, user):
    from vik.privacy.constants import WithholdingGround
    from vik.privacy.providers import DsarItem, DsarSection, Withheld

    section = DsarSection(code="signals", label=_("Signalen"))
    ids = person_ids(person)
    signals = (
        Signal.objects.filter(subject_links__person_id__in=ids, anonymised_at__isnull=True)
        .select_related("source")
        .prefetch_related("phenomena", "subject_links")
        .distinct()
        .order_by("received_date", "id")
    )
    keep = retention_text("case_closed")
    for s in signals:
        if s.compartment == Compartment.MMA:
            section.withheld.append(
                Withheld(_("1 melding van Meld Misdaad Anoniem"), WithholdingGround.SOURCE_PROTECTION)
            )
            continue
        if s.compartment == Compartment.POLICE:
            section.withheld.append(
                Withheld(
                    _("1 bericht van de politie (Wpg)"),
                    WithholdingGround.POLICE_CONSULTATION,
                    _("de politie wordt eerst geraadpleegd"),
                )
            )
            continue
        others = sum(1 for link in s.subject_links.all() if link.person_id and link.person_id not in ids)
        if others:
            section.withheld.append(
                Withheld(
                    _("Gegevens over %(n)s andere persoon/personen in signaal %(ref)s")
                    % {"n": others, "ref": s.reference},
                    WithholdingGround.THIRD_PARTY,
                )
            )
        roles = ", ".join(
            sorted({link.get_role_display() for link in s.subject_links.all() if link.person_id in ids})
        )
        section.items.append(
            DsarItem(
                title=_("Signaal %(ref)s") % {"ref": s.reference},
                date=s.received_date.isoformat(),
                purpose=", ".join(p.label for p in s.phenomena.all()),
                fields={
                    "bron": s.source.label,
                    "status": s.get_status_display(),
                    "samenvatting": s.summary,
                    "uw rol": roles,
                },
                retention=keep,
            )
        )
        section.log_refs.append(("signals.signal", s.pk))
    return section


def signals_about(found):
    """Record expander for the privacy finder: the signals that name a found person,
    organisation or address. Described by reference and date only: no content of a sealed
    compartment reaches the page."""
    from vik.privacy.providers import FoundRecord

    ids = {"subjects.person": [], "subjects.organisation": [], "subjects.address": []}
    names = {}
    for rec in found:
        if rec.model_label in ids:
            ids[rec.model_label].append(rec.pk)
            names[(rec.model_label, rec.pk)] = rec.label
    if not any(ids.values()):
        return []
    links = (
        SignalSubject.objects.filter(
            Q(person_id__in=ids["subjects.person"])
            | Q(organisation_id__in=ids["subjects.organisation"])
            | Q(address_id__in=ids["subjects.address"])
        )
        .select_related("signal")
        .order_by("-signal__received_date", "-signal_id")[:100]
    )
    out: dict[int, FoundRecord] = {}
    for link in links:
        s = link.signal
        if link.person_id:
            about = names.get(("subjects.person", link.person_id), "")
        elif link.organisation_id:
            about = names.get(("subjects.organisation", link.organisation_id), "")
        else:
            about = names.get(("subjects.address", link.address_id), "")
        if s.pk in out:
            continue
        out[s.pk] = FoundRecord(
            "signals.signal",
            s.pk,
            _("Signaal"),
            _("Signaal %(ref)s") % {"ref": s.reference},
            _("ontvangen %(d)s, over %(who)s")
            % {"d": s.received_date.strftime("%d-%m-%Y") if s.received_date else "?", "who": about},
        )
    return list(out.values())


def register() -> None:
    from vik.privacy.providers import register_dsar_section, register_rectifier, register_retention_class

    for code, label, due, destroy_fn, anonymise_fn in (
        ("signal_dismissed", _("Signaal afgewezen bij triage"), dismissed_due, destroy, anonymise),
        (
            "mma_tip_no_followup",
            _("Melding Meld Misdaad Anoniem zonder vervolg"),
            mma_tip_due,
            destroy,
            anonymise,
        ),
        ("case_closed", _("Afgesloten dossier"), closed_case_due, destroy, anonymise),
        ("control_report", _("Controlerapporten (DOR/DOL)"), control_due, control_destroy, control_anonymise),
    ):
        register_retention_class(code, label, due=due, destroy=destroy_fn, anonymise=anonymise_fn)
    register_rectifier(
        "signals.signal",
        rectify,
        kind=_("Signaal"),
        fields={"summary": _("Samenvatting"), "narrative": _("Verhaal (toelichting)")},
    )
    from vik.privacy.providers import register_record_expander

    register_record_expander(signals_about)
    register_dsar_section("signals", _("Signalen"), dsar_section)
