"""Every state change of a measure goes through here (STYLE.md rules 1, 4, 6): one transaction,
the parent locked with ``select_for_update``, an appended ``MeasureEvent``, and the deadlines
recomputed from the rules. Domain failures raise ``ApplicationError`` with the Dutch reason and
the form field it belongs to; nothing is changed then."""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass, field, replace
from datetime import date, timedelta
from decimal import ROUND_HALF_UP, Decimal, InvalidOperation
from typing import Any

from django.conf import settings
from django.db import transaction
from django.db.models import Max, Sum
from django.utils import timezone
from django.utils.translation import gettext as _

from vik.core.access import init_visibility
from vik.core.calendar import add_period
from vik.core.exceptions import ApplicationError
from vik.core.models import OrgUnit, User

from . import deadlines as dl
from .constants import (
    CLOSURE_KINDS,
    DEFAULT_LEGAL_BASIS,
    FINAL_STATES,
    KINDS_13B,
    BezwaarOutcome,
    DrugClass,
    EventType,
    MeasureKind,
    MeasureState,
    ObjectType,
    ReceivableKind,
)
from .models import (
    Deadline,
    DeadlineRule,
    EscalationMatrix,
    EscalationStep,
    Forfeiture,
    Measure,
    MeasureEvent,
    Receivable,
)
from .permissions import CHANGE_MEASURE, DECIDE_MEASURE
from .procedure import COLLECTION_EVENTS, ProcedureError, check

E = EventType
FLAGS = ("bezwaar_pending", "beroep_pending", "vv_pending", "suspended_by_court")


def _d(value: date) -> str:
    return value.strftime("%d-%m-%Y")


def today() -> date:
    return timezone.localdate()


# --- amounts ------------------------------------------------------------------------------------

_FOREIGN = re.compile(r"(\$|£|¥|₣|usd|gbp|chf|jpy|dollar|pond)", re.IGNORECASE)
_EURO = re.compile(
    r"^(€|eur|euro)?\s*(?P<num>[0-9][0-9.\s]*(,[0-9]{1,2})?|[0-9]+(\.[0-9]{1,2})?)\s*(€|eur|euro)?$", re.I
)


def parse_euro(value: Any, *, field: str = "amount") -> Decimal:
    """An amount in euros, > 0, at most two decimals. Accepts ``5000``, ``5.000``, ``5.000,50``,
    ``€ 2.500`` and ``2500.00``; refuses negative amounts and other currencies."""
    if isinstance(value, Decimal | int):
        amount = Decimal(value)
    else:
        text = " ".join(str(value or "").split())
        if not text:
            raise ApplicationError(_("Vul een bedrag in euro in."), field=field)
        if text.startswith("-") or "-" in text:
            raise ApplicationError(_("Een bedrag kan niet negatief zijn."), field=field)
        if _FOREIGN.search(text):
            raise ApplicationError(_("Bedragen worden alleen in euro vastgelegd."), field=field)
        m = _EURO.match(text)
        if not m:
            raise ApplicationError(
                _("Dit is geen geldig bedrag in euro (bijvoorbeeld 5.000 of 2.500,50)."), field=field
            )
        num = m.group("num").replace(" ", "")
        if "," in num:
            num = num.replace(".", "").replace(",", ".")
        elif re.fullmatch(r"[0-9]{1,3}(\.[0-9]{3})+", num):
            num = num.replace(".", "")
        try:
            amount = Decimal(num)
        except InvalidOperation:
            raise ApplicationError(_("Dit is geen geldig bedrag in euro."), field=field)
    if amount.is_nan() or amount <= 0:
        raise ApplicationError(_("Een bedrag moet groter zijn dan € 0."), field=field)
    if amount != amount.quantize(Decimal("0.01")):
        raise ApplicationError(_("Een bedrag heeft ten hoogste twee decimalen (centen)."), field=field)
    if amount >= Decimal("10000000000"):
        raise ApplicationError(_("Dit bedrag is te groot."), field=field)
    return amount.quantize(Decimal("0.01"), rounding=ROUND_HALF_UP)


def euro(amount: Decimal | None) -> str:
    if amount is None:
        return ""
    whole, cents = f"{amount:.2f}".split(".")
    whole = f"{int(whole):,}".replace(",", ".")
    return f"€ {whole},{cents}"


# --- deadline rules -----------------------------------------------------------------------------


def deadline_rule_get(code: str) -> DeadlineRule:
    """The rule row for ``code`` (for other apps, e.g. bibob). Raises ApplicationError when the
    functional admin removed it: a term is never guessed."""
    rule = DeadlineRule.objects.filter(code=code).first()
    if rule is None:
        raise ApplicationError(_("Termijnregel %(c)s bestaat niet.") % {"c": code})
    return rule


def zienswijze_max_days() -> int:
    """The longest zienswijze term a voornemen may set: rule row ``zienswijze_maximum`` (policy;
    the same value for measures and Bibob). 84 days only when the row is missing."""
    rule = DeadlineRule.objects.filter(code="zienswijze_maximum").first()
    if rule is None:
        return 84
    return rule.days + 7 * rule.weeks + 30 * rule.months or 84


def rules_by_code() -> dict[str, DeadlineRule]:
    return {r.code: r for r in DeadlineRule.objects.all()}


@transaction.atomic
def deadline_rule_update(
    *,
    actor: User,
    rule: DeadlineRule,
    label: str,
    days: int,
    weeks: int,
    months: int,
    atw: bool,
    legal_basis: str,
    verification: str,
    note: str = "",
) -> DeadlineRule:
    """The functional admin edits a policy or decision rule; law rules are fixed."""
    if not actor.has_perm("measures.change_deadlinerule"):
        raise ApplicationError(_("U mag termijnregels niet wijzigen."))
    if not rule.editable_by_admin:
        raise ApplicationError(_("Een wettelijke termijn kan niet worden gewijzigd."), field="days")
    if days < 0 or weeks < 0 or months < 0:
        raise ApplicationError(_("Een termijn kan niet negatief zijn."), field="days")
    if days == weeks == months == 0:
        raise ApplicationError(_("Geef de lengte van de termijn op (dagen, weken of maanden)."), field="days")
    rule.label, rule.days, rule.weeks, rule.months = label.strip(), days, weeks, months
    rule.atw, rule.legal_basis, rule.verification, rule.note = atw, legal_basis.strip(), verification, note
    rule.full_clean()
    rule.save(
        update_fields=[
            "label",
            "days",
            "weeks",
            "months",
            "atw",
            "legal_basis",
            "verification",
            "note",
            "updated_at",
        ]
    )
    return rule


# --- declared days review (Atw art. 3(3)) -------------------------------------------------------


def declared_days_review_status(*, today: date, years: int = 3) -> list[dict[str, Any]]:
    """For this year and the coming ones: whether a functional admin checked the Staatscourant
    for that year's declared days, and how many are entered."""
    from vik.core.models import DeclaredDay, DeclaredDaysReview

    wanted = list(range(today.year, today.year + years))
    reviews = {
        r.year: r for r in DeclaredDaysReview.objects.filter(year__in=wanted).select_related("reviewed_by")
    }
    counts: dict[int, int] = {}
    for d in DeclaredDay.objects.filter(date__year__in=wanted).values_list("date", flat=True):
        counts[d.year] = counts.get(d.year, 0) + 1
    return [{"year": y, "review": reviews.get(y), "days": counts.get(y, 0)} for y in wanted]


@transaction.atomic
def declared_days_mark_reviewed(*, actor: User, year: int, source: str = "") -> Any:
    """A functional admin marks ``year`` reviewed after checking the Staatscourant."""
    from vik.core.models import DeclaredDaysReview

    if not actor.has_perm("core.add_declareddaysreview"):
        raise ApplicationError(_("U mag de gelijkgestelde dagen niet als gecontroleerd markeren."))
    if year < today().year or year > today().year + 10:
        raise ApplicationError(_("Kies dit jaar of een van de komende jaren."), field="year")
    if DeclaredDaysReview.objects.filter(year=year).exists():
        raise ApplicationError(_("Dit jaar is al als gecontroleerd gemarkeerd."), field="year")
    return DeclaredDaysReview.objects.create(
        year=year, reviewed_on=today(), reviewed_by=actor, source=" ".join(source.split())[:200]
    )


# --- escalation matrix (DOMAIN §1.2a) ---------------------------------------------------------


@dataclass
class Proposal:
    matrix: EscalationMatrix | None
    step: EscalationStep | None
    offence_number: int
    earlier: list[Measure] = field(default_factory=list)
    reasoning: str = ""

    @property
    def label(self) -> str:
        return self.step.outcome_label if self.step else ""

    @property
    def duration_months(self) -> int | None:
        if self.step is None or self.step.warning_only:
            return None
        return self.step.duration_months


def years_before(on: date, years: int) -> date:
    """The same calendar day ``years`` earlier (29 February → 28 February)."""
    try:
        return on.replace(year=on.year - years)
    except ValueError:
        return on.replace(year=on.year - years, day=28)


def matrix_in_force(on: date) -> EscalationMatrix | None:
    return (
        EscalationMatrix.objects.filter(effective_from__lte=on, is_example=False)
        .exclude(effective_until__lt=on)
        .order_by("-effective_from", "-id")
        .first()
    )


def escalation_proposal(
    *, address, object_type: str, drug_class: str = DrugClass.ANY, on: date, exclude_pk: int | None = None
) -> Proposal:
    """The proposed measure for a new 13b procedure: the n-th offence on this address within the
    matrix's look-back (recidivism follows the object, DOMAIN §1.2a) → the matrix step."""
    matrix = matrix_in_force(on)
    if matrix is None:
        return Proposal(None, None, 1, reasoning=_("Er is geen escalatiematrix van kracht op deze datum."))
    since = years_before(on, matrix.lookback_years)
    earlier: list[Measure] = []
    if address is not None:
        qs = (
            Measure.objects.filter(address=address, kind__in=KINDS_13B)
            .exclude(state=MeasureState.WITHDRAWN)
            .filter(events__code=E.RAPPORTAGE, events__date__gte=since, events__date__lte=on)
            .distinct()
            .order_by("created_at")
        )
        if exclude_pk:
            qs = qs.exclude(pk=exclude_pk)
        earlier = list(qs)
    number = len(earlier) + 1
    steps = EscalationStep.objects.filter(matrix=matrix, object_type=object_type, offence_number__lte=number)
    step = (
        steps.filter(drug_class=drug_class).order_by("-offence_number").first()
        or steps.filter(drug_class=DrugClass.ANY).order_by("-offence_number").first()
    )
    parts = [
        _("Overtreding nr. %(n)s op dit adres binnen %(y)s jaar.") % {"n": number, "y": matrix.lookback_years}
    ]
    if earlier:
        parts.append(
            _("Eerdere maatregelen: %(list)s.")
            % {
                "list": ", ".join(
                    f"{m.reference} ({m.get_kind_display()}, {m.get_state_display().lower()})"
                    for m in earlier
                )
            }
        )
    else:
        parts.append(_("Geen eerdere maatregelen op dit adres."))
    if step:
        parts.append(
            _("Matrix ‘%(m)s’ (geldig vanaf %(d)s): %(o)s, %(n)se overtreding → %(r)s.")
            % {
                "m": matrix.name,
                "d": _d(matrix.effective_from),
                "o": ObjectType(object_type).label.lower(),
                "n": step.offence_number,
                "r": step.outcome_label,
            }
        )
    else:
        parts.append(_("De matrix heeft geen stap voor dit soort object."))
    return Proposal(matrix, step, number, earlier, " ".join(str(p) for p in parts))


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
            number = int(value)
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
            specs.append((f, s))
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
        seq=last.seq + 1,
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


# --- configuration: escalation matrix versions (functional admin) -----------------------------


@transaction.atomic
def matrix_new_version(
    *,
    actor: User,
    name: str,
    effective_from: date,
    lookback_years: int,
    legal_basis: str = "",
    verification: str = "U",
    review_date: date | None = None,
) -> EscalationMatrix:
    """A new version of the escalation matrix from ``effective_from``; it starts as a copy of the
    steps in force then, and the previous version ends the day before."""
    if not actor.has_perm("measures.add_escalationmatrix"):
        raise ApplicationError(_("U mag de escalatiematrix niet wijzigen."))
    if lookback_years < 1:
        raise ApplicationError(_("De terugkijkperiode is ten minste één jaar."), field="lookback_years")
    if EscalationMatrix.objects.filter(effective_from__gte=effective_from, is_example=False).exists():
        raise ApplicationError(
            _("Er is al een versie die op of na deze datum ingaat; kies een latere datum."),
            field="effective_from",
        )
    previous = matrix_in_force(effective_from)
    matrix = EscalationMatrix(
        name=name.strip(),
        effective_from=effective_from,
        lookback_years=lookback_years,
        legal_basis=legal_basis.strip(),
        verification=verification,
        review_date=review_date,
    )
    matrix.full_clean()
    matrix.save()
    if previous is not None:
        for step in previous.steps.all():
            EscalationStep.objects.create(
                matrix=matrix,
                object_type=step.object_type,
                drug_class=step.drug_class,
                offence_number=step.offence_number,
                warning_only=step.warning_only,
                duration_months=step.duration_months,
            )
        if previous.effective_until is None or previous.effective_until >= effective_from:
            previous.effective_until = effective_from - timedelta(days=1)
            previous.save(update_fields=["effective_until", "updated_at"])
    return matrix


@transaction.atomic
def matrix_step_update(
    *, actor: User, step: EscalationStep, warning_only: bool, duration_months: int | None
) -> EscalationStep:
    if not actor.has_perm("measures.change_escalationstep"):
        raise ApplicationError(_("U mag de escalatiematrix niet wijzigen."))
    if Measure.objects.filter(matrix=step.matrix).exists():
        raise ApplicationError(
            _("Deze versie is al gebruikt voor maatregelen; maak een nieuwe versie."), field="duration_months"
        )
    if warning_only and duration_months:
        raise ApplicationError(_("Een waarschuwing heeft geen duur."), field="duration_months")
    step.warning_only, step.duration_months = warning_only, duration_months
    step.save(update_fields=["warning_only", "duration_months", "updated_at"])
    return step
