"""Every state change of a measure goes through here (STYLE.md rules 1, 4, 6): one transaction,
the parent locked with ``select_for_update``, an appended ``MeasureEvent``, and the deadlines
recomputed from the rules. Domain failures raise ``ApplicationError`` with the Dutch reason and
the form field it belongs to; nothing is changed then."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import replace
from datetime import date
from decimal import Decimal
from typing import Any

from django.conf import settings
from django.db import transaction
from django.utils.translation import gettext as _

from vik.core.access import init_visibility
from vik.core.exceptions import ApplicationError
from vik.core.models import OrgUnit, User

from .. import deadlines as dl
from ..constants import (
    CLOSURE_KINDS,
    DEFAULT_LEGAL_BASIS,
    FINAL_STATES,
    KINDS_13B,
    BezwaarOutcome,
    DrugClass,
    MeasureKind,
    MeasureState,
    ObjectType,
    ReceivableKind,
)
from ..models import Deadline, Measure, MeasureEvent, Receivable
from ..permissions import CHANGE_MEASURE, DECIDE_MEASURE
from ..procedure import COLLECTION_EVENTS, ProcedureError, check
from .common import FLAGS, E, _d, parse_euro, today
from .escalation import escalation_proposal
from .rules import rules_by_code, zienswijze_max_days

# --- measures -----------------------------------------------------------------------------------


def _team(actor: User, owner_team: OrgUnit | None) -> OrgUnit:
    team = owner_team or actor.org_unit
    if team is None:
        raise ApplicationError(_("U hoort niet bij een team; een maatregel heeft een eigenaar nodig."))
    return team


@transaction.atomic
def measure_create(
    *,
    actor: User,
    kind: str,
    title: str,
    rapportage_date: date,
    address=None,
    person=None,
    organisation=None,
    legal_basis: str = "",
    object_type: str = "",
    drug_class: str = "",
    signals: Iterable[Any] = (),
    responsible: User | None = None,
    owner_team: OrgUnit | None = None,
    compartment: str = "general",
) -> Measure:
    """Start a procedure. For a 13b closure the escalation matrix proposes the measure and its
    duration, with the reasoning (earlier measures on the address)."""
    if not actor.has_perm(CHANGE_MEASURE) or not actor.has_perm("measures.add_measure"):
        raise ApplicationError(_("U mag geen maatregelen starten."))
    if kind not in MeasureKind.values:
        raise ApplicationError(_("Kies een soort maatregel."), field="kind")
    if not title.strip():
        raise ApplicationError(_("Geef een korte omschrijving."), field="title")
    if rapportage_date > today():
        raise ApplicationError(
            _("De datum van de rapportage kan niet in de toekomst liggen."), field="rapportage_date"
        )
    if kind in CLOSURE_KINDS and address is None:
        raise ApplicationError(_("Een sluiting betreft een pand: kies een adres."), field="address")
    if kind == MeasureKind.LOD and person is None and organisation is None:
        raise ApplicationError(
            _("Een last onder dwangsom wordt opgelegd aan een persoon of organisatie."), field="person"
        )
    if address is None and person is None and organisation is None:
        raise ApplicationError(_("Kies een persoon, organisatie of adres."), field="address")
    signals = list(signals)
    from signals.services import signal_may_lead_to_measure

    for signal in signals:
        if not signal_may_lead_to_measure(signal):
            raise ApplicationError(
                _(
                    "Uit signaal %(s)s kan (nog) geen maatregel volgen: een M.-melding moet eerst met de politie "
                    "zijn afgestemd, en een afgewezen of gesloten signaal leidt niet tot een maatregel."
                )
                % {"s": signal.reference},
                field="signals",
            )
    if kind in KINDS_13B:
        object_type = ObjectType.HOME if kind == MeasureKind.CLOSURE_13B_HOME else ObjectType.PREMISES
        drug_class = drug_class or DrugClass.ANY
    measure = Measure(
        kind=kind,
        title=title.strip(),
        legal_basis=legal_basis.strip() or DEFAULT_LEGAL_BASIS[MeasureKind(kind)],
        address=address,
        person=person,
        organisation=organisation,
        object_type=object_type,
        drug_class=drug_class,
        responsible=responsible or actor,
        owner_team=_team(actor, owner_team),
        compartment=compartment,
        created_by=actor,
    )
    if kind in KINDS_13B:
        proposal = escalation_proposal(
            address=address, object_type=object_type, drug_class=drug_class, on=rapportage_date
        )
        measure.matrix = proposal.matrix
        measure.offence_number = proposal.offence_number
        measure.proposal = proposal.label
        measure.proposal_reasoning = proposal.reasoning
        measure.duration_months = proposal.duration_months
    # Other closures (prostitution, gambling): no proposal; the besluit states the duration
    # (DOMAIN §1.2b: durations not in the seed). The rule's default never fills that gap.
    measure.full_clean(exclude=["signals"])
    measure.save()
    init_visibility(measure)
    if signals:
        measure.signals.set(signals)
    MeasureEvent.objects.create(
        measure=measure,
        seq=1,
        code=E.RAPPORTAGE,
        date=rapportage_date,
        state_after=MeasureState.ASSESSMENT,
        actor=actor,
        note=_("Procedure gestart"),
    )
    measure_deadlines_recompute(measure=measure)
    return measure


def _locked(measure: Measure) -> Measure:
    return Measure.objects.select_for_update().get(pk=measure.pk)


def _last_event(measure: Measure) -> MeasureEvent | None:
    return measure.events.order_by("-seq").first()


def _open_deadline(measure: Measure, key: str) -> Deadline | None:
    return measure.deadlines.filter(key=key).first()


def _clean_params(measure: Measure, event: str, params: dict[str, Any], state: str) -> dict[str, Any]:
    """Validate and normalise the parameters of an event; returns JSON-safe params."""
    out: dict[str, Any] = {}

    def pos_int(name: str, label_field: str | None = None, *, maximum: int = 120) -> int | None:
        value = params.get(name)
        if value in (None, ""):
            return None
        try:
            number = int(value)  # type: ignore[arg-type]
        except (TypeError, ValueError):
            raise ApplicationError(_("Vul een heel getal in."), field=label_field or name)
        if number < 1 or number > maximum:
            raise ApplicationError(
                _("Vul een getal van 1 tot en met %(m)s in.") % {"m": maximum}, field=label_field or name
            )
        return number

    if event == E.VOORNEMEN:
        days = pos_int("zienswijze_days", maximum=zienswijze_max_days())
        if days:
            out["zienswijze_days"] = days
    elif event == E.BESLUIT:
        if state in {MeasureState.ASSESSMENT, MeasureState.WARNED}:
            reason = " ".join(str(params.get("urgency_reason") or "").split())
            if len(reason) < 10:
                raise ApplicationError(
                    _(
                        "Er is geen voornemen met zienswijze geweest. Een besluit zonder zienswijze kan alleen bij "
                        "spoed (art. 4:11 Awb): beschrijf de spoedeisendheid."
                    ),
                    field="urgency_reason",
                )
            out["urgency_reason"] = reason
        if measure.kind in CLOSURE_KINDS:
            # The besluit states its own duration, its end date, or "onbepaalde tijd" (DOMAIN
            # §1.2a); the proposal from the matrix is only the form's default.
            months = pos_int("duration_months")
            end_date = params.get("end_date")
            if params.get("indefinite"):
                if months or end_date:
                    raise ApplicationError(
                        _("Een sluiting voor onbepaalde tijd heeft geen duur of einddatum."),
                        field="indefinite",
                    )
                out["indefinite"] = True
            elif end_date:
                if months:
                    raise ApplicationError(
                        _("Geef een duur óf een einddatum, niet allebei."), field="end_date"
                    )
                if not isinstance(end_date, date):
                    try:
                        end_date = date.fromisoformat(str(end_date))
                    except ValueError:
                        raise ApplicationError(_("Vul een geldige datum in."), field="end_date")
                out["end_date"] = end_date.isoformat()
            else:
                months = months or measure.duration_months
                if months is None:
                    raise ApplicationError(
                        _("Geef de duur van de sluiting in maanden, een einddatum, of kies onbepaalde tijd."),
                        field="duration_months",
                    )
                out["duration_months"] = months
        if measure.kind == MeasureKind.LOD:
            amount = parse_euro(params.get("amount_per_violation"), field="amount_per_violation")
            maximum = parse_euro(params.get("maximum_amount"), field="maximum_amount")
            if maximum < amount:
                raise ApplicationError(
                    _("Het maximum is lager dan het bedrag per overtreding."), field="maximum_amount"
                )
            out["amount_per_violation"] = str(amount)
            out["maximum_amount"] = str(maximum)
            valid_until = params.get("valid_until")
            if valid_until:
                out["valid_until"] = (
                    valid_until.isoformat() if isinstance(valid_until, date) else str(valid_until)
                )
        days = pos_int("begunstiging_days", maximum=365)
        if days:
            out["begunstiging_days"] = days
    elif event == E.BEGUNSTIGING:
        days = pos_int("days", maximum=365)
        if days is None:
            besluit = measure.events.filter(code=E.BESLUIT).order_by("-seq").first()
            days = (besluit.params or {}).get("begunstiging_days") if besluit else None
        if days:
            out["days"] = int(days)
    elif event == E.SLUITING_START:
        months = pos_int("duration_months")
        if months:
            out["duration_months"] = months
    elif event == E.BEZWAAR:
        out["commissie"] = bool(params.get("commissie"))
    elif event in {E.BESLISSING_OP_BEZWAAR, E.UITSPRAAK}:
        outcome = params.get("outcome") or BezwaarOutcome.UNFOUNDED
        if outcome not in BezwaarOutcome.values:
            raise ApplicationError(_("Kies de uitkomst."), field="outcome")
        out["outcome"] = outcome
    elif event == E.KOSTENVERHAAL:
        if params.get("amount") not in (None, ""):
            out["amount"] = str(parse_euro(params.get("amount"), field="amount"))
        made_known = params.get("bekendgemaakt_op")
        if made_known:
            if not isinstance(made_known, date):
                try:
                    made_known = date.fromisoformat(str(made_known))
                except ValueError:
                    raise ApplicationError(_("Vul een geldige datum in."), field="bekendgemaakt_op")
            if made_known > today():
                raise ApplicationError(
                    _("De datum kan niet in de toekomst liggen."), field="bekendgemaakt_op"
                )
            out["bekendgemaakt_op"] = made_known.isoformat()
    elif event == E.UITSPRAAK_HOGER_BEROEP:
        outcome = params.get("outcome") or BezwaarOutcome.UNFOUNDED
        if outcome not in BezwaarOutcome.values:
            raise ApplicationError(_("Kies de uitkomst."), field="outcome")
        out["outcome"] = outcome
    elif event in COLLECTION_EVENTS:
        number = pos_int("verbeurte", maximum=100000)
        if number is not None:
            if not measure.forfeitures.filter(number=number).exists():
                raise ApplicationError(
                    _("Deze maatregel heeft geen verbeurte met dit nummer."), field="verbeurte"
                )
            out["verbeurte"] = number
        if event == E.BESLISSING_VERZOEK_INVORDERING:
            out["toegewezen"] = bool(params.get("toegewezen"))
    elif event == E.BESTUURSDWANG and state == MeasureState.ASSESSMENT:
        reason = " ".join(str(params.get("urgency_reason") or "").split())
        if len(reason) < 10:
            raise ApplicationError(
                _(
                    "Bestuursdwang zonder voorafgaande last kan alleen bij spoed (art. 5:31 Awb): beschrijf de spoed."
                ),
                field="urgency_reason",
            )
        out["urgency_reason"] = reason
    return out


def _check_dates(measure: Measure, event: str, on: date, state: str) -> None:
    """Dates validated against the procedure (refused with the reason at the date field)."""
    if on > today():
        raise ApplicationError(_("Een gebeurtenis kan niet in de toekomst liggen."), field="date")
    if event == E.SLUITING_EINDE:
        start = measure.events.filter(code=E.SLUITING_START).order_by("-seq").first()
        if start and on < start.date:
            raise ApplicationError(
                _("Het einde van de sluiting kan niet vóór de start (%(d)s) liggen.") % {"d": _d(start.date)},
                field="date",
            )
    last = _last_event(measure)
    if last and on < last.date:
        raise ApplicationError(
            _("De datum ligt vóór de vorige gebeurtenis (%(e)s op %(d)s).")
            % {"e": last.get_code_display(), "d": _d(last.date)},
            field="date",
        )
    if event == E.ZIENSWIJZE_VERLOPEN:
        deadline = _open_deadline(measure, dl.ZIENSWIJZE)
        if deadline and on <= deadline.due_date:
            raise ApplicationError(
                _("De zienswijzetermijn loopt nog tot en met %(d)s.") % {"d": _d(deadline.due_date)},
                field="date",
            )
    if event in {E.SLUITING_START, E.LAST_IN_WERKING, E.BESTUURSDWANG} and state == MeasureState.BEGUNSTIGING:
        deadline = _open_deadline(measure, dl.BEGUNSTIGING)
        if deadline and on <= deadline.due_date:
            raise ApplicationError(
                _("De begunstigingstermijn loopt tot en met %(d)s; dit kan pas daarna ingaan.")
                % {"d": _d(deadline.due_date)},
                field="date",
            )


@transaction.atomic
def measure_event_record(
    *,
    actor: User,
    measure: Measure,
    event: str,
    on: date,
    params: dict[str, Any] | None = None,
    note: str = "",
) -> MeasureEvent:
    """Append one event to the procedure, if the state allows it and its date fits; update the
    state and overlays; recompute the deadlines. Refused with the Dutch reason otherwise."""
    params = params or {}
    if event == E.VERBEURTE:
        raise ApplicationError(_("Leg een verbeurte vast met het formulier ‘Verbeurte’."), field="event")
    if event == E.BESLUIT:
        if not actor.has_perm(DECIDE_MEASURE):
            raise ApplicationError(
                _("Alleen de burgemeester of een gemandateerde legt het besluit vast."), field="event"
            )
    elif not actor.has_perm(CHANGE_MEASURE):
        raise ApplicationError(_("U mag deze gebeurtenis niet vastleggen."), field="event")
    if not isinstance(on, date):
        raise ApplicationError(_("Vul een geldige datum in."), field="date")
    measure = _locked(measure)
    flags = {f: getattr(measure, f) for f in FLAGS}
    try:
        outcome = check(measure.kind, measure.state, event, flags)
    except ProcedureError as exc:
        raise ApplicationError(exc.message, field="event")
    _refuse_repeat(measure, event)
    if event == E.SLUITING_START and (measure.vv_pending or measure.suspended_by_court):
        raise ApplicationError(
            _(
                "Er loopt een voorlopige voorziening of de rechter heeft de maatregel geschorst: de sluiting kan nu "
                "niet worden uitgevoerd. (Procedureregel, niet geverifieerd.)"
            ),
            field="event",
        )
    _check_dates(measure, event, on, measure.state)
    clean = _clean_params(measure, event, params, measure.state)
    new_state = outcome.state
    if (
        event in {E.BESLISSING_OP_BEZWAAR, E.UITSPRAAK, E.UITSPRAAK_HOGER_BEROEP}
        and clean.get("outcome") == BezwaarOutcome.FOUNDED
    ):
        new_state = MeasureState.WITHDRAWN
    update = ["state", "updated_at"]
    for flag in outcome.set_flags:
        setattr(measure, flag, True)
        update.append(flag)
    for flag in outcome.clear_flags:
        setattr(measure, flag, False)
        update.append(flag)
    if event == E.BESLUIT:
        if measure.kind in CLOSURE_KINDS:
            measure.duration_months = clean.get("duration_months")
            update.append("duration_months")
        if "amount_per_violation" in clean:
            measure.amount_per_violation = Decimal(clean["amount_per_violation"])
            measure.maximum_amount = Decimal(clean["maximum_amount"])
            measure.valid_until = (
                date.fromisoformat(clean["valid_until"]) if clean.get("valid_until") else None
            )
            update += ["amount_per_violation", "maximum_amount", "valid_until"]
    if event == E.SLUITING_START and "duration_months" in clean:
        measure.duration_months = clean["duration_months"]
        update.append("duration_months")
    measure.state = new_state
    measure.save(update_fields=sorted(set(update)))
    last = _last_event(measure)
    ev = MeasureEvent.objects.create(
        measure=measure,
        seq=(last.seq + 1) if last else 1,
        code=event,
        date=on,
        params=clean,
        note=note.strip(),
        state_after=new_state,
        actor=actor,
    )
    if event == E.KOSTENVERHAAL and clean.get("amount"):
        _receivable_create(
            measure=measure,
            kind=ReceivableKind.COSTS,
            amount=Decimal(clean["amount"]),
            origin_date=on,
            note=_("Kosten bestuursdwang (art. 5:25 Awb)"),
        )
    measure_deadlines_recompute(measure=measure)
    return ev


def _refuse_repeat(measure: Measure, event: str) -> None:
    """Idempotency of deadline-changing events, checked under the measure's row lock (so a
    double submit or two users at the same instant are serialised). State events are already
    once-only through the procedure's transitions and the overlay flags; the one event that
    leaves both unchanged while it moves a deadline is the adjournment of the decision on the
    objection, which Awb 7:10(3) allows once per objection (a further delay needs the objector's
    consent, 7:10(4), and is not this event)."""
    if event != E.VERDAGING:
        return
    objection = measure.events.filter(code=E.BEZWAAR).order_by("-seq").first()
    since = measure.events.filter(code=E.VERDAGING)
    if objection is not None:
        since = since.filter(seq__gt=objection.seq)
    if since.exists():
        raise ApplicationError(
            _(
                "De beslissing op dit bezwaar is al verdaagd (art. 7:10 lid 3 Awb staat één verdaging van "
                "zes weken toe). Verder uitstel kan alleen met instemming van de indiener (lid 4)."
            ),
            field="event",
        )


def _events(measure: Measure) -> list[dl.Event]:
    return [dl.Event(e.code, e.date, e.params or {}) for e in measure.events.order_by("seq")]


def limitation_pause_enabled() -> bool:
    """Awb 5:35(2) and 5:37a(2)-(4) (text in force since 1 April 2021): extend the limitation
    when a remedy is open or pending on the day it would lapse. Configurable because the
    handling is marked unverified [U]; setting ``MEASURES_LIMITATION_PAUSE``, default on. Off:
    only the plain year (5:35(1)) and interruptions (5:37a(1))."""
    return bool(getattr(settings, "MEASURES_LIMITATION_PAUSE", True))


def _costs_settled(measure: Measure) -> bool:
    """The bestuursdwang costs are paid or written off in full (their clocks are done)."""
    rows = [r for r in measure.receivables.all() if r.kind == ReceivableKind.COSTS]
    return bool(rows) and all(r.outstanding == 0 for r in rows)


def measure_deadlines_recompute(*, measure: Measure, as_of: date | None = None) -> list[Deadline]:
    """Recompute every deadline of the measure from its events and the current rules. Rows are
    matched on ``key``; deadlines no longer produced are removed. The result depends on the
    events only (``as_of`` is accepted for older callers and ignored)."""
    rules = rules_by_code()
    events = _events(measure)
    specs = [(None, s) for s in dl.procedure_deadlines(events, rules)]
    if _costs_settled(measure):
        specs = [
            (
                f,
                replace(s, done=True)
                if s.rule_code in (dl.LOB_KOSTEN_BETALING, dl.LOB_KOSTEN_VERJARING)
                else s,
            )
            for f, s in specs
        ]
    for f in measure.forfeitures.all():
        for s in dl.forfeiture_deadlines(
            number=f.number,
            forfeited_on=f.forfeited_on,
            rules=rules,
            paid=f.paid_on is not None,
            invordering_on=f.invordering_on,
            aanmaning_on=f.aanmaning_on,
            events=events,
            pause=limitation_pause_enabled(),
        ):
            specs.append((f, s))  # type: ignore[arg-type]
    final = measure.state in FINAL_STATES
    responsible = measure.responsible or measure.created_by
    existing = {d.key: d for d in measure.deadlines.all()}
    keep = []
    for forfeiture, spec in specs:
        rule = rules[spec.rule_code]
        done = spec.done or (final and forfeiture is None)
        row = existing.get(spec.key)
        note = spec.note[:500]
        if row is None:
            row = Deadline.objects.create(
                measure=measure,
                forfeiture=forfeiture,
                key=spec.key,
                rule=rule,
                label=rule.label,
                due_date=spec.due,
                responsible=responsible,
                done=done,
                paused=spec.paused,
                note=note,
            )
        elif (row.due_date, row.done, row.paused, row.rule_id, row.label, row.note) != (
            spec.due,
            done,
            spec.paused,
            rule.pk,
            rule.label,
            note,
        ):
            row.due_date, row.done, row.paused, row.rule, row.label, row.note = (
                spec.due,
                done,
                spec.paused,
                rule,
                rule.label,
                note,
            )
            row.save(update_fields=["due_date", "done", "paused", "rule", "label", "note", "updated_at"])
        keep.append(row.key)
    measure.deadlines.exclude(key__in=keep).delete()
    return list(measure.deadlines.all())


# --- last onder dwangsom: forfeitures ---------------------------------------------------------


def _receivable_create(
    *, measure: Measure, kind: str, amount: Decimal, origin_date: date, note: str = "", forfeiture=None
) -> Receivable:
    receivable = Receivable(
        kind=kind,
        measure=measure,
        forfeiture=forfeiture,
        person=measure.person,
        organisation=measure.organisation,
        origin_date=origin_date,
        amount=amount,
        note=note,
        owner_team=measure.owner_team,
        compartment=measure.compartment,
    )
    receivable.full_clean()
    receivable.save()
    init_visibility(receivable)
    # Same visibility as the measure (its grants included).
    Receivable.objects.filter(pk=receivable.pk).update(visible_to=measure.visible_to)
    return receivable
