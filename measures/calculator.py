"""The deadline calculator (termijnenrekenhulp): every deadline VIK would compute for a procedure,
from events entered by hand, without a case. It runs the SAME engine as the measures and the
Bibob dossiers (``measures.deadlines`` and ``bibob.deadlines``) on the SAME rule rows; this module
only turns a list of dated events into the engine's input and explains the counting.

Public seam: ``python manage.py deadlines_preview FILE.json`` (DESIGN §6) and the page
``/maatregelen/termijnenrekenhulp/``. Procedure names, event types and deadline codes are listed
in ``docs/legal-deadlines.md``; :data:`PROCEDURES` and :data:`EVENT_TYPES` are the source.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from contextlib import contextmanager
from dataclasses import dataclass, field
from datetime import date, timedelta
from typing import Any

from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from bibob import deadlines as bd
from vik.core import calendar as cal
from vik.core.deadline_rules import length_label

from . import deadlines as dl

# --- procedures and their events ----------------------------------------------------------------

_AWB = [
    "bekendmaking",
    "bezwaar",
    "verdaging",
    "beslissing_op_bezwaar",
    "beroep",
    "uitspraak",
    "hoger_beroep",
    "uitspraak_hoger_beroep",
]
_FRONT = ["voornemen", "zienswijze_ontvangen", "besluit", *_AWB, "begunstiging"]
_COLLECTION = [
    "verbeurte",
    "invorderingsbeschikking",
    "aanmaning",
    "betaald",
    "verzoek_invordering",
    "beslissing_verzoek_invordering",
    "bezwaar_weigering_invordering",
    "beslissing_op_bezwaar_weigering_invordering",
    "beroep_weigering_invordering",
    "uitspraak_weigering_invordering",
    "schorsing_invordering",
    "schorsing_invordering_einde",
]
_BIBOB = [
    "aanvraag_ontvangen",
    "herstelverzoek",
    "aanvulling_ontvangen",
    "lbb_verzoek",
    "lbb_verlenging",
    "lbb_vervolgvragen",
    "lbb_vervolgvragen_beantwoord",
    "lbb_advies_ontvangen",
    "verlenging_beslistermijn",
    "voornemen",
    "uitnodiging_derde",
    "besluit",
    "bekendmaking",
]


@dataclass(frozen=True)
class Procedure:
    code: str
    label: Any
    events: tuple[str, ...]
    decision_rule: str | None = None  # Bibob: the decision-term rule of the regime (None: no term)


PROCEDURES: dict[str, Procedure] = {
    p.code: p
    for p in (
        Procedure(
            "sluiting_13b",
            gettext_lazy("Sluiting art. 13b Opiumwet (woning of lokaal)"),
            (*_FRONT, "sluiting_start", "herbeoordeling", "sluiting_einde", "opheffing", "kostenverhaal"),
        ),
        Procedure(
            "last_onder_dwangsom",
            gettext_lazy("Last onder dwangsom"),
            (*_FRONT, "last_in_werking", *_COLLECTION),
        ),
        Procedure(
            "bestuursdwang",
            gettext_lazy("Last onder bestuursdwang"),
            (*_FRONT, "bestuursdwang", "kostenverhaal", "kosten_betaald"),
        ),
        Procedure("bezwaar_beroep", gettext_lazy("Bezwaar en (hoger) beroep tegen een besluit"), tuple(_AWB)),
        Procedure(
            "bibob_alcoholwet",
            gettext_lazy("Bibob: Alcoholwet-vergunning (Awb 4:13)"),
            tuple(_BIBOB),
            "bibob_beslistermijn",
        ),
        Procedure(
            "bibob_apv", gettext_lazy("Bibob: APV-vergunning"), tuple(_BIBOB), "bibob_beslistermijn_apv"
        ),
        Procedure(
            "bibob_omgevingswet",
            gettext_lazy("Bibob: omgevingsvergunning"),
            tuple(_BIBOB),
            "bibob_beslistermijn_omgevingswet",
        ),
        Procedure(
            "bibob_toets",
            gettext_lazy("Bibob: toets of intrekking bestaande vergunning (geen aanvraag)"),
            tuple(
                e for e in _BIBOB if e not in {"aanvraag_ontvangen", "herstelverzoek", "aanvulling_ontvangen"}
            ),
            None,
        ),
    )
}

#: Every event type with its Dutch label and the parameters it takes (name -> kind).
EVENT_TYPES: dict[str, tuple[Any, dict[str, str]]] = {
    "voornemen": (gettext_lazy("Voornemen verstuurd"), {"zienswijze_days": "int"}),
    "zienswijze_ontvangen": (gettext_lazy("Zienswijze ontvangen"), {}),
    "besluit": (
        gettext_lazy("Besluit"),
        {"duration_months": "int", "end_date": "date", "indefinite": "bool"},
    ),
    "bekendmaking": (gettext_lazy("Bekendmaking"), {}),
    "bezwaar": (gettext_lazy("Bezwaar ingediend"), {"commissie": "bool"}),
    "verdaging": (gettext_lazy("Beslissing op bezwaar verdaagd"), {}),
    "beslissing_op_bezwaar": (gettext_lazy("Beslissing op bezwaar"), {}),
    "beroep": (gettext_lazy("Beroep ingesteld"), {}),
    "uitspraak": (gettext_lazy("Uitspraak rechtbank"), {}),
    "hoger_beroep": (gettext_lazy("Hoger beroep ingesteld"), {}),
    "uitspraak_hoger_beroep": (gettext_lazy("Uitspraak in hoger beroep"), {}),
    "begunstiging": (gettext_lazy("Begunstigingstermijn gestart"), {"days": "int"}),
    "sluiting_start": (gettext_lazy("Sluiting gestart"), {"duration_months": "int"}),
    "herbeoordeling": (gettext_lazy("Sluiting herbeoordeeld"), {}),
    "sluiting_einde": (gettext_lazy("Sluiting beëindigd"), {}),
    "opheffing": (gettext_lazy("Opheffing"), {}),
    "last_in_werking": (gettext_lazy("Last in werking"), {}),
    "bestuursdwang": (gettext_lazy("Bestuursdwang toegepast"), {}),
    "kostenverhaal": (gettext_lazy("Kostenbeschikking"), {"bekendgemaakt_op": "date"}),
    "kosten_betaald": (gettext_lazy("Kosten betaald"), {}),
    "verbeurte": (gettext_lazy("Dwangsom verbeurd"), {"verbeurte": "int"}),
    "invorderingsbeschikking": (gettext_lazy("Beschikking tot invordering"), {"verbeurte": "int"}),
    "aanmaning": (gettext_lazy("Aanmaning"), {"verbeurte": "int"}),
    "betaald": (gettext_lazy("Verbeurde dwangsom betaald"), {"verbeurte": "int"}),
    "verzoek_invordering": (gettext_lazy("Verzoek derde om invordering (5:37 lid 2)"), {"verbeurte": "int"}),
    "beslissing_verzoek_invordering": (
        gettext_lazy("Beslissing op verzoek om invordering"),
        {"verbeurte": "int", "toegewezen": "bool"},
    ),
    "bezwaar_weigering_invordering": (
        gettext_lazy("Bezwaar tegen weigering invordering"),
        {"verbeurte": "int"},
    ),
    "beslissing_op_bezwaar_weigering_invordering": (
        gettext_lazy("Beslissing op bezwaar tegen weigering invordering"),
        {"verbeurte": "int"},
    ),
    "beroep_weigering_invordering": (
        gettext_lazy("Beroep tegen weigering invordering"),
        {"verbeurte": "int"},
    ),
    "uitspraak_weigering_invordering": (
        gettext_lazy("Uitspraak over weigering invordering"),
        {"verbeurte": "int"},
    ),
    "schorsing_invordering": (
        gettext_lazy("Invordering geschorst (voorzieningenrechter)"),
        {"verbeurte": "int"},
    ),
    "schorsing_invordering_einde": (gettext_lazy("Schorsing invordering beëindigd"), {"verbeurte": "int"}),
    "aanvraag_ontvangen": (gettext_lazy("Aanvraag ontvangen"), {}),
    "herstelverzoek": (gettext_lazy("Verzoek om aanvulling (hersteltermijn)"), {"days": "int"}),
    "aanvulling_ontvangen": (gettext_lazy("Aanvulling ontvangen"), {}),
    "lbb_verzoek": (gettext_lazy("Advies LBB gevraagd"), {}),
    "lbb_verlenging": (gettext_lazy("LBB verlengt adviestermijn"), {"weeks": "int"}),
    "lbb_vervolgvragen": (gettext_lazy("LBB stelt vervolgvragen"), {}),
    "lbb_vervolgvragen_beantwoord": (gettext_lazy("Vervolgvragen beantwoord"), {}),
    "lbb_advies_ontvangen": (gettext_lazy("Advies LBB ontvangen"), {}),
    "verlenging_beslistermijn": (gettext_lazy("Beslistermijn verlengd (Omgevingswet)"), {}),
    "uitnodiging_derde": (
        gettext_lazy("Derde uitgenodigd voor zienswijze (art. 33 Wet Bibob)"),
        {"days": "int"},
    ),
}


class ScenarioError(ValueError):
    """A scenario that cannot be computed; the message is Dutch and says what is wrong."""


@dataclass(frozen=True)
class Computed:
    """One deadline the engine computed, with the explanation of its counting."""

    code: str
    label: str
    article: str
    due: date | None
    start: date | None = None
    term: str = ""
    atw: bool = False
    steps: tuple[str, ...] = ()
    verification: str = "U"
    verification_label: str = ""
    done: bool = False
    paused: bool = False


@dataclass
class Result:
    procedure: Procedure
    deadlines: list[Computed] = field(default_factory=list)

    def as_json(self) -> dict[str, str | None]:
        return {c.code: (c.due.isoformat() if c.due else None) for c in self.deadlines}


# --- input ------------------------------------------------------------------------------------------


def _parse_date(value: Any, what: str) -> date:
    if isinstance(value, date):
        return value
    try:
        return date.fromisoformat(str(value))
    except (TypeError, ValueError):
        raise ScenarioError(_("%(w)s is geen datum (JJJJ-MM-DD): %(v)s") % {"w": what, "v": value})


def parse_events(procedure: str, raw: Any) -> tuple[Procedure, list[dl.Event]]:
    """Validate a scenario's procedure and events; raises ScenarioError with the Dutch reason."""
    if procedure not in PROCEDURES:
        raise ScenarioError(
            _("onbekende procedure %(p)s (kies uit: %(list)s)")
            % {"p": procedure, "list": ", ".join(PROCEDURES)}
        )
    proc = PROCEDURES[procedure]
    if not isinstance(raw, list):
        raise ScenarioError(_("events moet een lijst zijn"))
    events: list[dl.Event] = []
    for n, item in enumerate(raw, start=1):
        if not isinstance(item, Mapping):
            raise ScenarioError(_("gebeurtenis %(n)s is geen object") % {"n": n})
        kind = item.get("type")
        if kind not in proc.events:
            raise ScenarioError(
                _("gebeurtenis %(n)s: type %(t)s hoort niet bij procedure %(p)s")
                % {"n": n, "t": kind, "p": procedure}
            )
        on = _parse_date(item.get("on"), _("gebeurtenis %(n)s: on") % {"n": n})
        params: dict[str, Any] = {}
        for name, kind_ in EVENT_TYPES[kind][1].items():
            if name not in item or item[name] in (None, ""):
                continue
            value = item[name]
            if kind_ == "int":
                if isinstance(value, bool) or not str(value).isdigit() or int(value) < 1:
                    raise ScenarioError(
                        _("gebeurtenis %(n)s: %(f)s moet een positief geheel getal zijn")
                        % {"n": n, "f": name}
                    )
                value = int(value)
            elif kind_ == "date":
                value = _parse_date(value, f"gebeurtenis {n}: {name}").isoformat()
            else:
                value = bool(value)
            params[name] = value
        events.append(dl.Event(kind, on, params))
    events.sort(key=lambda e: e.date)  # stable: same-day events keep their order
    return proc, events


@contextmanager
def declared_days(days: Iterable[Any] | None):
    """Run with these Atw art. 3(3) declared days instead of the configured ones (a what-if)."""
    if days is None:
        yield
        return
    parsed = [_parse_date(d, _("declared_days")) for d in days]
    before = cal.declared_days()
    cal.set_declared_days(parsed)
    try:
        yield
    finally:
        cal.set_declared_days(before)


# --- explanation of the counting ----------------------------------------------------------------------


def _day_name(d: date) -> str:
    names = [
        _("maandag"),
        _("dinsdag"),
        _("woensdag"),
        _("donderdag"),
        _("vrijdag"),
        _("zaterdag"),
        _("zondag"),
    ]
    return f"{names[d.weekday()]} {d:%d-%m-%Y}"


def _why_dies_non(d: date) -> str:
    feest = cal.feestdagen(d.year).get(d)
    if feest:
        return str(feest)
    if d in cal.declared_days():
        return _("gelijkgestelde dag (art. 3 lid 3 Atw)")
    return _("zaterdag") if d.weekday() == 5 else _("zondag")


def _length_label(days: int = 0, weeks: int = 0, months: int = 0) -> str:
    return length_label(months=months, weeks=weeks, days=days)


def explain(
    start: date,
    due: date | None,
    *,
    days: int = 0,
    weeks: int = 0,
    months: int = 0,
    atw: bool,
    note: str = "",
) -> tuple[str, tuple[str, ...]]:
    """(term label, counting steps) for a term computed by the engine: the start day, the plain
    end, and each Atw shift with its reason (art. 1: the end falls on a dies non; art. 2: at least
    two working days). The dates themselves come from the engine; this only describes them."""
    label = _length_label(days, weeks, months)
    plain = cal.add_period(start, days=days, weeks=weeks, months=months)
    steps = [
        _("Start: de dag na %(d)s") % {"d": _day_name(start)},
        _("Termijn %(t)s: gewone einddatum %(p)s") % {"t": label, "p": _day_name(plain)},
    ]
    if note:
        steps.append(note)
    if due is None:
        return label, tuple(steps)
    if not atw:
        steps.append(
            _(
                "Algemene termijnenwet niet van toepassing (geen wettelijke termijn of langer dan drie maanden)"
            )
        )
    elif not note:
        rolled = cal.roll_forward(plain)
        if rolled != plain:
            steps.append(
                _("Art. 1 Atw: %(p)s is een %(why)s, verlengd tot %(r)s")
                % {"p": f"{plain:%d-%m-%Y}", "why": _why_dies_non(plain), "r": _day_name(rolled)}
            )
        if due > rolled:
            steps.append(
                _("Art. 2 Atw: de termijn moet ten minste twee werkdagen bevatten, verlengd tot %(d)s")
                % {"d": _day_name(due)}
            )
        if due == plain:
            steps.append(_("Atw: %(d)s is een werkdag, geen verlenging") % {"d": _day_name(due)})
    if due != plain or not atw:
        steps.append(_("Uiterste dag: %(d)s") % {"d": _day_name(due)})
    return label, tuple(steps)


# --- the computation ----------------------------------------------------------------------------------


def _rule_meta(rule: Any) -> tuple[str, str, str, bool]:
    ver = getattr(rule, "verification", "U") or "U"
    return str(getattr(rule, "label", rule.code)), str(getattr(rule, "legal_basis", "")), ver, bool(rule.atw)


def _verification_label(code: str) -> str:
    from .constants import Verification

    try:
        return str(Verification(code).label)
    except ValueError:
        return code


def _measure_result(
    proc: Procedure, events: list[dl.Event], rules: Mapping[str, Any], *, extend: bool
) -> Result:
    result = Result(proc)
    specs = dl.procedure_deadlines(events, rules)
    # forfeitures: each "verbeurte" event numbered in order (or by its own number)
    forfeitures: list[tuple[int, date]] = []
    for ev in events:
        if ev.code == "verbeurte":
            number = int((ev.params or {}).get("verbeurte") or len(forfeitures) + 1)
            forfeitures.append((number, ev.date))
    collection = [dl.Event(e.code, e.date, e.params) for e in events]
    for number, on in forfeitures:
        scoped = [e for e in events if int((e.params or {}).get("verbeurte") or number) == number]
        invordering = next((e.date for e in scoped if e.code == "invorderingsbeschikking"), None)
        aanmaning = next((e.date for e in scoped if e.code == "aanmaning"), None)
        paid = any(e.code == "betaald" for e in scoped)
        specs.extend(
            dl.forfeiture_deadlines(
                number=number,
                forfeited_on=on,
                rules=rules,
                paid=paid,
                invordering_on=invordering,
                aanmaning_on=aanmaning,
                events=collection,
                pause=extend,
            )
        )
    if any(e.code == "kosten_betaald" for e in events):
        specs = [
            dl.DeadlineSpec(s.key, s.rule_code, s.due, True, s.paused, s.start, s.note)
            if s.rule_code in (dl.LOB_KOSTEN_BETALING, dl.LOB_KOSTEN_VERJARING)
            else s
            for s in specs
        ]
    params = _last_params(events)
    for s in specs:
        rule = rules[s.rule_code]
        label, article, ver, atw = _rule_meta(rule)
        days, weeks, months = rule.days or 0, rule.weeks or 0, rule.months or 0
        if s.rule_code == dl.ZIENSWIJZE and params.get("voornemen", {}).get("zienswijze_days"):
            days, weeks, months = int(params["voornemen"]["zienswijze_days"]), 0, 0
        elif s.rule_code == dl.BEGUNSTIGING and params.get("begunstiging", {}).get("days"):
            days, weeks, months = int(params["begunstiging"]["days"]), 0, 0
        elif s.rule_code == dl.SLUITINGSDUUR:
            months_ = params.get("sluiting_start", {}).get("duration_months") or params.get(
                "besluit", {}
            ).get("duration_months")
            days, weeks, months = (0, 0, int(months_)) if months_ else ((s.due - s.start).days, 0, 0)  # type: ignore[operator]
        elif s.rule_code in (dl.LOD_SIGNAAL_9M, dl.LOD_SIGNAAL_11M):
            days, weeks, months = 0, 0, 0
        due = None if s.paused and s.rule_code == dl.LOD_VERJARING else s.due
        if s.rule_code in (dl.LOD_SIGNAAL_9M, dl.LOD_SIGNAAL_11M):
            term, steps = "", (s.note,) if s.note else ()
            due = None if s.paused else s.due
        else:
            term, steps = explain(  # type: ignore[assignment]
                s.start or s.due, due, days=days, weeks=weeks, months=months, atw=atw, note=s.note
            )
        result.deadlines.append(
            Computed(
                code=s.key,
                label=label,
                article=article,
                due=due,
                start=s.start,
                term=term,
                atw=atw,
                steps=steps,
                verification=ver,
                verification_label=_verification_label(ver),
                done=s.done,
                paused=s.paused,
            )
        )
    # an indefinite closure: the law (and the besluit) set no end date
    if params.get("besluit", {}).get("indefinite") and dl.SLUITINGSDUUR in rules:
        rule = rules[dl.SLUITINGSDUUR]
        label, article, ver, atw = _rule_meta(rule)
        result.deadlines.append(
            Computed(
                code=dl.SLUITINGSDUUR,
                label=label,
                article=article,
                due=None,
                steps=(_("Sluiting voor onbepaalde tijd: geen einddatum, wel periodieke herbeoordeling"),),
                verification=ver,
                verification_label=_verification_label(ver),
            )
        )
    result.deadlines.sort(key=lambda c: (c.due is None, c.due or date.max, c.code))
    return result


def _last_params(events: Sequence[dl.Event]) -> dict[str, dict]:
    out: dict[str, dict] = {}
    for e in events:
        out[e.code] = dict(e.params or {})
    return out


def _bibob_result(proc: Procedure, events: list[dl.Event], rules: Mapping[str, Any]) -> Result:
    """The Bibob terms through ``bibob.deadlines``, as ``bibob.selectors.dossier_terms`` does."""
    result = Result(proc)
    by = {}  # type: ignore[var-annotated]
    for e in events:
        by.setdefault(e.code, []).append(e)
    far = max((e.date for e in events), default=date.today()) + timedelta(days=3650)
    decided = by.get("besluit", [None])[-1]
    as_of = decided.date if decided else far

    def meta(code: str, fallback_label: str, fallback_article: str) -> tuple[str, str, str, Any]:
        rule = rules.get(code)
        if rule is None:
            return fallback_label, fallback_article, "U", None
        return str(rule.label), str(rule.legal_basis), rule.verification or "U", rule

    def add(
        code, label, article, ver, due, start=None, term="", atw=False, steps=(), done=False, paused=False
    ):
        result.deadlines.append(
            Computed(
                code=code,
                label=label,
                article=article,
                due=due,
                start=start,
                term=term,
                atw=atw,
                steps=tuple(steps),
                verification=ver,
                verification_label=_verification_label(ver),
                done=done,
                paused=paused,
            )
        )

    suspensions: list[bd.Period] = []
    # repair term (Awb 4:5) and its suspension (4:15(1)(a))
    if "herstelverzoek" in by:
        invited = by["herstelverzoek"][-1]
        label, article, ver, rule = meta(dl.BIBOB_HERSTELTERMIJN, _("Hersteltermijn"), "art. 4:5 Awb")
        days = int(invited.params.get("days") or 0)
        kw = {"days": days} if days else {"days": rule.days, "weeks": rule.weeks, "months": rule.months}
        atw = False if days else bool(rule.atw)
        due = bd.simple_term_end(invited.date, atw=atw, **kw)
        completed = by.get("aanvulling_ontvangen", [None])[-1]
        suspensions.append(
            bd.repair_suspension(
                invited.date, repair_due=due, completed_on=completed.date if completed else None, today=as_of
            )
        )
        term, steps = explain(invited.date, due, atw=atw, **kw)  # type: ignore[arg-type]
        add(
            dl.BIBOB_HERSTELTERMIJN,
            label,
            article,
            ver,
            due,
            invited.date,
            term,
            atw,
            steps,
            done=bool(completed),
        )
    # LBB: advice term (art. 15, informational) and the art. 31 suspension (a length of time)
    lengths = {
        "advice": rules.get(dl.BIBOB_LBB),
        "suspension": rules.get("bibob_lbb_opschorting"),
        "extension": rules.get(dl.BIBOB_LBB_VERLENGING),
    }
    advice_weeks = getattr(lengths["advice"], "weeks", 0) or bd.LBB_ADVICE_WEEKS
    suspension_weeks = getattr(lengths["suspension"], "weeks", 0) or bd.LBB_ADVICE_WEEKS
    max_ext = getattr(lengths["extension"], "weeks", 0) or bd.LBB_MAX_EXTENSION_WEEKS
    if "lbb_verzoek" in by:
        requested = by["lbb_verzoek"][-1]
        ext = int(
            (by.get("lbb_verlenging", [None])[-1] or dl.Event("x", requested.date)).params.get("weeks") or 0
        )
        if ext > max_ext:
            raise ScenarioError(
                _("het LBB kan de adviestermijn met ten hoogste %(n)s weken verlengen") % {"n": max_ext}
            )
        asked = [e.date for e in by.get("lbb_vervolgvragen", [])]
        answered = [e.date for e in by.get("lbb_vervolgvragen_beantwoord", [])]
        follow = [bd.Period(a, answered[i] if i < len(answered) else None) for i, a in enumerate(asked)]
        received = by.get("lbb_advies_ontvangen", [None])[-1]
        received_on = received.date if received and received.date >= requested.date else None
        advice_due = bd.lbb_advice_due(
            requested.date,
            extension_weeks=ext,
            follow_up=follow,
            today=as_of,
            advice_weeks=advice_weeks,
            max_extension_weeks=max_ext,
        )
        label, article, ver, rule = meta(dl.BIBOB_LBB, _("Adviestermijn LBB"), "art. 15 Wet Bibob")
        term, steps = explain(requested.date, advice_due, weeks=advice_weeks + ext, atw=True)
        add(
            dl.BIBOB_LBB,
            label,
            article,
            ver,
            advice_due,
            requested.date,
            term,
            True,
            steps,
            done=bool(received_on),
        )
        period = bd.lbb_suspension(
            requested.date,
            received_on=received_on,
            extension_weeks=ext,
            follow_up=follow,
            today=as_of,
            advice_weeks=suspension_weeks,
            max_extension_weeks=max_ext,
        )
        suspensions.append(period)
        label, article, ver, _rule = meta(
            "bibob_lbb_opschorting", _("Opschorting beslistermijn (LBB)"), "art. 31 Wet Bibob"
        )
        max_days = bd.lbb_max_suspension_days(
            extension_weeks=ext, suspension_weeks=suspension_weeks, max_extension_weeks=max_ext
        )
        steps = [  # type: ignore[assignment]
            _("Opgeschort vanaf %(d)s") % {"d": _day_name(requested.date)},
            _("Ten hoogste %(n)s dagen (een tijdsduur: de Atw verlengt die niet)") % {"n": max_days},
        ]
        if follow:
            steps.append(_("Plus de dagen waarin de aanvrager vervolgvragen beantwoordt"))  # type: ignore[attr-defined]
        if period.end is not None:
            steps.append(  # type: ignore[attr-defined]
                _("De beslistermijn loopt weer vanaf %(d)s (%(n)s dagen opgeschort)")
                % {"d": _day_name(period.end), "n": (period.end - period.start).days}
            )
        add(
            "bibob_lbb_opschorting",
            label,
            article,
            ver,
            period.end,
            requested.date,
            _length_label(weeks=suspension_weeks + ext),
            False,
            steps,
            paused=period.end is None,
        )
    # decision term of the regime (none for a review or withdrawal: there is no application)
    if proc.decision_rule is None:
        add(
            dl.BIBOB_BESLISTERMIJN,
            _("Beslistermijn"),
            _("geen: toets of intrekking van een bestaande vergunning is geen aanvraag"),
            "U*",
            None,
            steps=(_("Geen aanvraag, dus geen beslistermijn"),),
        )
    elif "aanvraag_ontvangen" in by:
        rule = rules.get(proc.decision_rule)
        if rule is None:
            raise ScenarioError(_("termijnregel %(c)s ontbreekt") % {"c": proc.decision_rule})
        received = by["aanvraag_ontvangen"][-1]
        weeks = rule.weeks
        if "verlenging_beslistermijn" in by and "bibob_verlenging_omgevingswet" in rules:
            weeks += rules["bibob_verlenging_omgevingswet"].weeks
        term_ = bd.decision_deadline(
            received.date,
            days=rule.days,
            weeks=weeks,
            months=rule.months,
            atw=rule.atw,
            suspensions=suspensions,
            today=as_of,
        )
        note = ""
        if term_.suspended_days:
            note = _("Opgeschort: %(n)s dagen (herstel en/of LBB) bij de termijn opgeteld") % {
                "n": term_.suspended_days
            }
        term, steps = explain(
            received.date,
            term_.deadline,
            days=rule.days,
            weeks=weeks,
            months=rule.months,
            atw=rule.atw,
            note=note,
        )
        if note and rule.atw:
            rolled_from = cal.add_period(
                received.date, days=rule.days + term_.suspended_days, weeks=weeks, months=rule.months
            )
            if rolled_from != term_.deadline:
                steps = (
                    *steps[:-1],
                    _("Atw: %(p)s is geen werkdag, verlengd tot %(d)s")
                    % {"p": f"{rolled_from:%d-%m-%Y}", "d": _day_name(term_.deadline)},
                    steps[-1],
                )
        add(
            dl.BIBOB_BESLISTERMIJN,
            str(rule.label),
            str(rule.legal_basis),
            rule.verification or "U",
            None if term_.running_suspension and not decided else term_.deadline,
            received.date,
            term,
            bool(rule.atw),
            steps + ((str(rule.note),) if getattr(rule, "note", "") else ()),
            done=bool(decided),
            paused=term_.running_suspension and not decided,
        )
    # zienswijze on the voornemen (Awb 4:8) and the third party's (art. 33 Wet Bibob)
    for code, event, fallback in (
        (dl.ZIENSWIJZE, "voornemen", "art. 4:8 Awb"),
        ("bibob_zienswijze_derde", "uitnodiging_derde", "art. 33 Wet Bibob"),
    ):
        if event in by:
            ev = by[event][-1]
            label, article, ver, rule = meta(code, _("Zienswijze"), fallback)
            days = int(
                ev.params.get("zienswijze_days") or ev.params.get("days") or (rule.days if rule else 14)
            )
            due = bd.simple_term_end(ev.date, days=days, atw=False)
            term, steps = explain(ev.date, due, days=days, atw=False)
            add(code, label, article, ver, due, ev.date, term, False, steps, done=bool(decided))
    if "bekendmaking" in by and dl.BEZWAAR in rules:
        ev = by["bekendmaking"][-1]
        rule = rules[dl.BEZWAAR]
        due = dl.compute(rule, ev.date)
        term, steps = explain(ev.date, due, weeks=rule.weeks, days=rule.days, atw=rule.atw)
        add(
            dl.BEZWAAR,
            str(rule.label),
            str(rule.legal_basis),
            rule.verification,
            due,
            ev.date,
            term,
            rule.atw,
            steps,
        )
    result.deadlines.sort(key=lambda c: (c.due is None, c.due or date.max, c.code))
    return result


def compute(
    procedure: str,
    raw_events: Any,
    *,
    rules: Mapping[str, Any] | None = None,
    declared: Iterable[Any] | None = None,
    extend: bool | None = None,
) -> Result:
    """Every deadline of ``procedure`` after ``raw_events`` (list of {"type", "on", ...}).

    ``rules``: the rule rows by code (default: the database, as the measures use them);
    ``declared``: Atw art. 3(3) days to use instead of the configured ones; ``extend``: the
    ``MEASURES_LIMITATION_PAUSE`` switch (default: the setting)."""
    proc, events = parse_events(procedure, raw_events)
    if rules is None:
        from .services import rules_by_code

        rules = rules_by_code()
    if extend is None:
        from .services import limitation_pause_enabled

        extend = limitation_pause_enabled()
    with declared_days(declared):
        if procedure.startswith("bibob_"):
            return _bibob_result(proc, events, rules)
        return _measure_result(proc, events, rules, extend=extend)
