"""Last onder dwangsom: forfeitures, receivables, invordering, payments and write-offs."""

from __future__ import annotations

from datetime import date
from decimal import Decimal
from typing import Any

from django.db import transaction
from django.db.models import Max, Sum
from django.utils.translation import gettext as _

from vik.core.calendar import add_period
from vik.core.exceptions import ApplicationError
from vik.core.models import User

from .. import deadlines as dl
from ..constants import MeasureKind, MeasureState, ReceivableKind
from ..models import Deadline, Forfeiture, Measure, MeasureEvent, Receivable
from ..permissions import CHANGE_MEASURE
from ..procedure import ProcedureError, check
from .common import FLAGS, E, _d, euro, parse_euro, today
from .lifecycle import _check_dates, _last_event, _locked, _receivable_create, measure_deadlines_recompute


def forfeited_total(measure: Measure) -> Decimal:
    return measure.forfeitures.aggregate(total=Sum("amount"))["total"] or Decimal("0")


@transaction.atomic
def forfeiture_record(
    *, actor: User, measure: Measure, forfeited_on: date, description: str, amount: Any = None
) -> Forfeiture:
    """A new violation: the dwangsom is forfeited by law (Awb 5:33). Each forfeiture gets its own
    clocks. The total never exceeds the maximum (5:32b): the last forfeiture is capped at what
    remains, and reaching the maximum ends the order; a forfeiture after that is refused."""
    if not actor.has_perm(CHANGE_MEASURE):
        raise ApplicationError(_("U mag geen verbeurte vastleggen."))
    measure = _locked(measure)
    if measure.kind != MeasureKind.LOD:
        raise ApplicationError(_("Alleen een last onder dwangsom kan verbeuren."), field="forfeited_on")
    if measure.state == MeasureState.MAXIMUM_REACHED:
        raise ApplicationError(
            _("Het maximum van %(m)s is al verbeurd; de last is uitgewerkt en er kan niets meer verbeuren.")
            % {"m": euro(measure.maximum_amount)},
            field="forfeited_on",
        )
    try:
        check(measure.kind, measure.state, E.VERBEURTE, {f: getattr(measure, f) for f in FLAGS})
    except ProcedureError:
        raise ApplicationError(
            _("Een dwangsom kan alleen verbeuren zolang de last van kracht is."), field="forfeited_on"
        )
    if not description.strip():
        raise ApplicationError(_("Beschrijf de overtreding."), field="description")
    _check_dates(measure, E.VERBEURTE, forfeited_on, measure.state)
    if measure.valid_until and forfeited_on > measure.valid_until:
        raise ApplicationError(
            _("De last gold tot en met %(d)s.") % {"d": _d(measure.valid_until)}, field="forfeited_on"
        )
    amount = parse_euro(amount, field="amount") if amount not in (None, "") else measure.amount_per_violation
    if amount is None:
        raise ApplicationError(_("Vul het bedrag in."), field="amount")
    total = forfeited_total(measure)
    remaining = (measure.maximum_amount or amount) - total
    amount = min(amount, remaining)
    number = (measure.forfeitures.aggregate(n=Max("number"))["n"] or 0) + 1
    forfeiture = Forfeiture.objects.create(
        measure=measure,
        number=number,
        forfeited_on=forfeited_on,
        amount=amount,
        description=description.strip(),
        recorded_by=actor,
    )
    reached = measure.maximum_amount is not None and total + amount >= measure.maximum_amount
    new_state = MeasureState.MAXIMUM_REACHED if reached else MeasureState.ACTIVE
    measure.state = new_state
    measure.save(update_fields=["state", "updated_at"])
    last = _last_event(measure)
    MeasureEvent.objects.create(
        measure=measure,
        seq=last.seq + 1,  # type: ignore[union-attr]
        code=E.VERBEURTE,
        date=forfeited_on,
        params={"number": number, "amount": str(amount)},
        note=description.strip(),
        state_after=new_state,
        actor=actor,
    )
    _receivable_create(
        measure=measure,
        kind=ReceivableKind.FORFEITED,
        amount=amount,
        origin_date=forfeited_on,
        forfeiture=forfeiture,
        note=_("Verbeurte %(n)s") % {"n": number},
    )
    measure_deadlines_recompute(measure=measure)
    return forfeiture


def _forfeiture_locked(forfeiture: Forfeiture) -> Forfeiture:
    _locked(forfeiture.measure)
    return Forfeiture.objects.select_for_update().select_related("measure").get(pk=forfeiture.pk)


@transaction.atomic
def forfeiture_invordering(*, actor: User, forfeiture: Forfeiture, on: date) -> Forfeiture:
    """The invorderingsbeschikking (Awb 5:37): required before any aanmaning; it interrupts
    the limitation term (5:37a)."""
    forfeiture = _forfeiture_locked(forfeiture)
    if on > today():
        raise ApplicationError(_("De datum kan niet in de toekomst liggen."), field="date")
    if forfeiture.invordering_on:
        raise ApplicationError(_("Er is al een invorderingsbeschikking vastgelegd."), field="date")
    if on < forfeiture.forfeited_on:
        raise ApplicationError(
            _("De invorderingsbeschikking kan niet vóór de verbeurte liggen."), field="date"
        )
    if forfeiture.paid_on:
        raise ApplicationError(_("Deze verbeurte is al betaald."), field="date")
    forfeiture.invordering_on = on
    forfeiture.save(update_fields=["invordering_on", "updated_at"])
    Receivable.objects.filter(forfeiture=forfeiture).update(invoiced_on=on)
    measure_deadlines_recompute(measure=forfeiture.measure)
    return forfeiture


@transaction.atomic
def forfeiture_aanmaning(*, actor: User, forfeiture: Forfeiture, on: date) -> Forfeiture:
    """An aanmaning (Awb 4:112) only after the invorderingsbeschikking and after the payment term."""
    forfeiture = _forfeiture_locked(forfeiture)
    if on > today():
        raise ApplicationError(_("De datum kan niet in de toekomst liggen."), field="date")
    if forfeiture.invordering_on is None:
        raise ApplicationError(
            _(
                "Eerst een invorderingsbeschikking: een aanmaning mag pas daarna worden verstuurd (art. 5:37 Awb)."
            ),
            field="date",
        )
    if forfeiture.aanmaning_on:
        raise ApplicationError(_("Er is al een aanmaning vastgelegd."), field="date")
    if on < forfeiture.invordering_on:
        raise ApplicationError(
            _("De aanmaning kan niet vóór de invorderingsbeschikking liggen."), field="date"
        )
    payment = forfeiture.measure.deadlines.filter(key=f"verbeurte:{forfeiture.number}:betaling").first()
    if payment and on <= payment.due_date:
        raise ApplicationError(
            _("De betalingstermijn loopt nog tot en met %(d)s.") % {"d": _d(payment.due_date)}, field="date"
        )
    if forfeiture.paid_on:
        raise ApplicationError(_("Deze verbeurte is al betaald."), field="date")
    forfeiture.aanmaning_on = on
    forfeiture.save(update_fields=["aanmaning_on", "updated_at"])
    measure_deadlines_recompute(measure=forfeiture.measure)
    return forfeiture


@transaction.atomic
def forfeiture_payment(*, actor: User, forfeiture: Forfeiture, on: date, amount: Any) -> Receivable:
    """A payment on a forfeiture; when it is paid in full its clocks are done."""
    forfeiture = _forfeiture_locked(forfeiture)
    if on > today():
        raise ApplicationError(_("De datum kan niet in de toekomst liggen."), field="date")
    if on < forfeiture.forfeited_on:
        raise ApplicationError(_("Een betaling kan niet vóór de verbeurte liggen."), field="date")
    receivable = Receivable.objects.select_for_update().get(forfeiture=forfeiture)
    amount = parse_euro(amount, field="amount")
    if amount > receivable.outstanding:
        raise ApplicationError(
            _("Er staat nog %(o)s open; dit bedrag is hoger.") % {"o": euro(receivable.outstanding)},
            field="amount",
        )
    receivable.collected += amount
    receivable.save(update_fields=["collected", "updated_at"])
    if receivable.outstanding == 0:
        forfeiture.paid_on = on
        forfeiture.save(update_fields=["paid_on", "updated_at"])
    measure_deadlines_recompute(measure=forfeiture.measure)
    return receivable


@transaction.atomic
def receivable_write_off(*, actor: User, receivable: Receivable, amount: Any, note: str = "") -> Receivable:
    if not actor.has_perm(CHANGE_MEASURE):
        raise ApplicationError(_("U mag niet afboeken."))
    receivable = Receivable.objects.select_for_update().get(pk=receivable.pk)
    amount = parse_euro(amount, field="amount")
    if amount > receivable.outstanding:
        raise ApplicationError(
            _("Er staat nog %(o)s open; dit bedrag is hoger.") % {"o": euro(receivable.outstanding)},
            field="amount",
        )
    receivable.written_off += amount
    if note:
        receivable.note = note[:300]
    receivable.save(update_fields=["written_off", "note", "updated_at"])
    return receivable


def receivables_mark_time_barred(*, on: date) -> int:
    """Mark claims whose limitation date has passed unpaid as time-barred (deadline_scan): the
    forfeited penalties (Awb 5:35/5:37a) and the bestuursdwang costs (Awb 4:104). The measure's
    deadlines are recomputed first, so a remedy recorded since the last recompute counts; a
    limitation whose extension has no end yet (paused) is never marked."""
    count = 0
    candidates = Deadline.objects.filter(
        rule__code__in=[dl.LOD_VERJARING, dl.LOB_KOSTEN_VERJARING], done=False, paused=False, due_date__lt=on
    )
    for measure in Measure.objects.filter(pk__in=candidates.values("measure_id")):
        measure_deadlines_recompute(measure=measure)
    rows = Deadline.objects.filter(
        rule__code__in=[dl.LOD_VERJARING, dl.LOB_KOSTEN_VERJARING], done=False, paused=False, due_date__lt=on
    ).select_related("forfeiture", "rule")
    for row in rows:
        barred_on = add_period(row.due_date, days=1)
        if row.rule.code == dl.LOD_VERJARING and row.forfeiture_id:
            qs = Receivable.objects.filter(forfeiture=row.forfeiture)
        elif row.rule.code == dl.LOB_KOSTEN_VERJARING:
            qs = Receivable.objects.filter(measure_id=row.measure_id, kind=ReceivableKind.COSTS)
        else:
            continue
        count += qs.filter(time_barred_on__isnull=True).update(time_barred_on=barred_on)
    return count
