"""The measures app's privacy providers (docs/privacy-providers.md): retention of measure
decisions (``measure_decision``) and of the afpak ledger (``ledger``), and the section of an
access request. Registered in apps.py.

When a term starts (DOMAIN §2):

* a **measure decision** is kept for its term after the decision became final (onherroepelijk):
  the end of the objection term when no objection was made, else the end of the appeal term after
  the decision on the objection, else the end of the higher-appeal term after the judgment. A
  measure still running (not finished or withdrawn), under objection, appeal or interim relief,
  or with lines in the ledger, is never due: the term then runs from the latest of finality and
  the closing of the file, and the measure waits for its ledger lines, whose fiscal term is
  separate;
* a **ledger line** (vordering) is kept for its term after it was paid in full (the payment date
  of its forfeiture, else the day it was settled) or became time-barred.

The procedure history (``MeasureEvent``) is append-only in the database; destruction opens the
documented retention path (:func:`vik.privacy.retention.retention_session`, migration 0005).
"""

from __future__ import annotations

from datetime import date

from django.db.models import F, Q
from django.utils import timezone
from django.utils.translation import gettext as _

from subjects.selectors import person_ids
from vik.core.models import Notification
from vik.privacy.retention import (
    ANONYMISED,
    delete_with_history,
    drop_history,
    retention_session,
    retention_text,
    unlink_foreign_references,
    withheld_for_compartment,
)

from . import deadlines as dl
from .constants import FINAL_STATES, EventType
from .models import Deadline, Forfeiture, Measure, MeasureEvent, Receivable
from .services import euro, rules_by_code

E = EventType
OVERLAYS = ("bezwaar_pending", "beroep_pending", "vv_pending", "suspended_by_court")


# --- measure decisions --------------------------------------------------------------------------


def decision_final_on(events: list[dl.Event], rules) -> date | None:
    """The last day on which the decision could still be challenged, once nothing is pending;
    None when it was never made known or an objection or appeal is still open. Pure."""
    codes = [e.code for e in events]
    if E.BEKENDMAKING not in codes:
        return None
    specs = {s.key: s for s in dl.procedure_deadlines(events, rules)}
    if dl.HOGER_BEROEP in specs:
        return specs[dl.HOGER_BEROEP].due
    if dl.BEROEP in specs:
        return None if specs[dl.BEROEP].done else specs[dl.BEROEP].due
    if dl.BOB in specs or E.BEZWAAR in codes:
        return None  # objection made, no decision on it yet
    if dl.BEZWAAR in specs:
        return specs[dl.BEZWAAR].due
    return None


def measure_anchor(events: list[dl.Event], rules) -> date | None:
    """The day the retention term of a finished measure starts, or None when it must not run."""
    if not events:
        return None
    closed = events[-1].date
    codes = [e.code for e in events]
    if E.INTREKKING in codes or E.BEKENDMAKING not in codes:
        return closed  # withdrawn, or finished without a decision (a warning only)
    final = decision_final_on(events, rules)
    if final is None:
        return None
    return max(final, closed)


def measure_due(rule, today: date):
    cutoff = rule.anchor_cutoff(today)
    measures = (
        Measure.objects.filter(state__in=FINAL_STATES, receivables__isnull=True)
        .filter(**{flag: False for flag in OVERLAYS})
        .exclude(title=ANONYMISED)
        .prefetch_related("events")
        .distinct()
        .order_by("pk")
    )
    rules = rules_by_code()
    for m in measures.iterator(chunk_size=500):
        events = [
            dl.Event(e.code, e.date, e.params or {}) for e in sorted(m.events.all(), key=lambda e: e.seq)
        ]
        anchor = measure_anchor(events, rules)
        if anchor is not None and anchor <= cutoff:
            yield "measures.measure", m.pk, anchor


def _forget_reminders(pk: int) -> None:
    """Deadline reminders name the measure and its terms: they go with it."""
    query = Q()
    for deadline_id in Deadline.objects.filter(measure_id=pk).values_list("pk", flat=True):
        query |= Q(dedup_key__startswith=f"measures:deadline:{deadline_id}:")
    if query:
        Notification.objects.filter(query).delete()


def measure_destroy(model_label: str, pk: int) -> None:
    """Remove the measure with its procedure history, forfeitures, deadlines, links to signals and
    their change-audit entries. A casustafel agenda item that pointed at it keeps its own text
    and loses the link. Idempotent: a measure that is gone is fine."""
    if not Measure.objects.filter(pk=pk).exists():
        return
    with retention_session():
        unlink_foreign_references(Measure, pk)
        _forget_reminders(pk)
        delete_with_history(Deadline.objects.filter(measure_id=pk))
        delete_with_history(Forfeiture.objects.filter(measure_id=pk))
        delete_with_history(MeasureEvent.objects.filter(measure_id=pk))
        Measure.signals.through.objects.filter(measure_id=pk).delete()
        Measure.objects.filter(pk=pk).delete()


def measure_anonymise(model_label: str, pk: int) -> None:
    """Keep kind, phase, legal basis, dates and amounts (statistics per month and kind); remove
    the description, the reasoning, every link to a person, organisation, address or signal, the
    notes and reasons in the history and the forfeitures' descriptions."""
    if not Measure.objects.filter(pk=pk).exists():
        return
    with retention_session():
        Measure.objects.filter(pk=pk).update(
            title=ANONYMISED,
            proposal="",
            proposal_reasoning="",
            person=None,
            organisation=None,
            address=None,
            updated_at=timezone.now(),
        )
        Measure.signals.through.objects.filter(measure_id=pk).delete()
        events = list(MeasureEvent.objects.filter(measure_id=pk))
        for ev in events:
            params = {k: v for k, v in (ev.params or {}).items() if not k.endswith("reason")}
            MeasureEvent.objects.filter(pk=ev.pk).update(note="", params=params)
        drop_history(MeasureEvent, [ev.pk for ev in events])
        forfeitures = list(Forfeiture.objects.filter(measure_id=pk).values_list("pk", flat=True))
        Forfeiture.objects.filter(pk__in=forfeitures).update(description=ANONYMISED)
        drop_history(Forfeiture, forfeitures)


# --- the afpak ledger ---------------------------------------------------------------------------


def _settled_on(r: Receivable) -> date | None:
    if r.outstanding == 0:
        if r.forfeiture_id and r.forfeiture.paid_on:
            return r.forfeiture.paid_on
        return timezone.localdate(r.updated_at)
    return r.time_barred_on


def ledger_due(rule, today: date):
    cutoff = rule.anchor_cutoff(today)
    rows = (
        Receivable.objects.filter(Q(amount=F("collected") + F("written_off")) | Q(time_barred_on__lte=cutoff))
        .exclude(note=ANONYMISED)
        .select_related("forfeiture")
        .order_by("pk")
    )
    for r in rows.iterator(chunk_size=500):
        anchor = _settled_on(r)
        if anchor is not None and anchor <= cutoff:
            yield "measures.receivable", r.pk, anchor


def ledger_destroy(model_label: str, pk: int) -> None:
    Receivable.objects.filter(pk=pk).delete()


def ledger_anonymise(model_label: str, pk: int) -> None:
    """Keep kind, dates and amounts (the afpak totals per year); remove who owed it, the note and
    the link to the measure (which may then run out its own term)."""
    Receivable.objects.filter(pk=pk).update(
        person=None,
        organisation=None,
        measure=None,
        forfeiture=None,
        note=ANONYMISED,
        updated_at=timezone.now(),
    )


# --- the access-request section -----------------------------------------------------------------


def _d(value: date | None) -> str:
    return value.strftime("%d-%m-%Y") if value else ""


def dsar_section(person, user):
    """Measures against the person with their legal dates (events and terms) and the ledger lines
    in their name. Free-text notes of the procedure are not copied (they may name others); the
    person received the decisions themselves. Measures from a sealed compartment are described,
    not shown."""
    from vik.privacy.providers import DsarItem, DsarSection

    section = DsarSection(code="measures", label=_("Maatregelen"))
    ids = person_ids(person)
    measures = (
        Measure.objects.filter(person_id__in=ids)
        .exclude(title=ANONYMISED)
        .select_related("address", "organisation")
        .prefetch_related("events", "deadlines")
        .order_by("created_at", "pk")
    )
    keep = retention_text("measure_decision")
    for m in measures:
        withheld = withheld_for_compartment(m.compartment, _("1 maatregel"))
        if withheld is not None:
            section.withheld.append(withheld)
            continue
        events = sorted(m.events.all(), key=lambda e: e.seq)
        fields = {
            _("omschrijving"): m.title,
            _("fase"): m.get_state_display(),
            _("grondslag"): m.legal_basis,
            _("adres"): str(m.address) if m.address else "",
            _("organisatie"): m.organisation.name if m.organisation else "",
            _("duur sluiting"): _("%(n)s maanden") % {"n": m.duration_months} if m.duration_months else "",
            _("bedrag per overtreding"): euro(m.amount_per_violation) if m.amount_per_violation else "",
            _("maximum"): euro(m.maximum_amount) if m.maximum_amount else "",
            _("lopend"): ", ".join(m.overlays),
            _("procedure"): "; ".join(f"{e.get_code_display()} {_d(e.date)}" for e in events),
            _("termijnen"): "; ".join(
                f"{d.label}: {_d(d.due_date)}{' (' + str(_('afgehandeld')) + ')' if d.done else ''}"
                for d in sorted(m.deadlines.all(), key=lambda d: (d.due_date, d.pk))
            ),
        }
        section.items.append(
            DsarItem(
                title=f"{m.reference} {m.get_kind_display()}",
                date=events[0].date.isoformat() if events else "",
                purpose=_("Bestuurlijke maatregel (handhaving openbare orde en Opiumwet)"),
                fields={str(k): v for k, v in fields.items() if v},
                retention=keep,
            )
        )
        section.log_refs.append(("measures.measure", m.pk))
    ledger_keep = retention_text("ledger")
    for r in (
        Receivable.objects.filter(person_id__in=ids).select_related("measure").order_by("origin_date", "pk")
    ):
        withheld = withheld_for_compartment(r.compartment, _("1 vordering"))
        if withheld is not None:
            section.withheld.append(withheld)
            continue
        fields = {
            _("soort"): r.get_kind_display(),
            _("maatregel"): r.measure.reference if r.measure else "",
            _("bedrag"): euro(r.amount),
            _("geïnd"): euro(r.collected),
            _("afgeboekt"): euro(r.written_off),
            _("openstaand"): euro(r.outstanding),
            _("status"): r.status_label,
            _("invorderingsbeschikking"): _d(r.invoiced_on),
            _("verjaard op"): _d(r.time_barred_on),
        }
        section.items.append(
            DsarItem(
                title=_("Vordering %(kind)s van %(date)s")
                % {"kind": r.get_kind_display(), "date": _d(r.origin_date)},
                date=r.origin_date.isoformat(),
                purpose=_("Invordering (bestuurlijk afpakken)"),
                fields={str(k): v for k, v in fields.items() if v},
                retention=ledger_keep,
            )
        )
        section.log_refs.append(("measures.receivable", r.pk))
    return section
