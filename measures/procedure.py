"""The state machines of DOMAIN.md §1.2–§1.4 as data (pure, no ORM).

Three procedure families share the Awb front part (voornemen → zienswijze → besluit →
bekendmaking) and differ after it:

* **closure** (13b home/premises, prostitution, gambling; §1.2, §1.2b): begunstiging → closure
  start → closure end / opheffing → kostenverhaal;
* **lod** (last onder dwangsom, §1.3): begunstiging (only for a continuing violation) → last in
  werking → forfeitures (until the maximum) → last beëindigd;
* **lob** (last onder bestuursdwang, §1.4): begunstiging → complied, or bestuursdwang applied
  (urgent cases without a prior order, Awb 5:31) → kostenverhaal.

The overlays ``BEZWAAR_PENDING``, ``beroep``, ``VV_PENDING`` and ``SUSPENDED_BY_COURT`` are flags
next to the state, changed by their own events once the decision has been made known.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass

from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from .constants import CLOSURE_KINDS, FINAL_STATES, EventType, MeasureKind
from .constants import MeasureState as S

E = EventType

_FRONT = {
    E.WAARSCHUWING: ({S.ASSESSMENT}, S.WARNED),
    E.VOORNEMEN: ({S.ASSESSMENT, S.WARNED}, S.VOORNEMEN_SENT),
    E.ZIENSWIJZE_ONTVANGEN: ({S.VOORNEMEN_SENT}, S.ZIENSWIJZE_RECEIVED),
    E.ZIENSWIJZE_VERLOPEN: ({S.VOORNEMEN_SENT}, S.ZIENSWIJZE_EXPIRED),
    # From ASSESSMENT/WARNED only with an urgency reason (Awb 4:11); the service checks it.
    E.BESLUIT: ({S.ZIENSWIJZE_RECEIVED, S.ZIENSWIJZE_EXPIRED, S.ASSESSMENT, S.WARNED}, S.BESLUIT),
    E.BEKENDMAKING: ({S.BESLUIT}, S.BEKENDGEMAAKT),
    E.BEGUNSTIGING: ({S.BEKENDGEMAAKT}, S.BEGUNSTIGING),
}

TRANSITIONS: dict[str, dict[str, tuple[set[str], str]]] = {
    "closure": {
        **_FRONT,
        E.SLUITING_START: ({S.BEKENDGEMAAKT, S.BEGUNSTIGING}, S.CLOSED_ACTIVE),
        E.SLUITING_EINDE: ({S.CLOSED_ACTIVE}, S.REOPENED),
        E.OPHEFFING: ({S.BESLUIT, S.BEKENDGEMAAKT, S.BEGUNSTIGING, S.CLOSED_ACTIVE}, S.REOPENED),
        E.KOSTENVERHAAL: ({S.CLOSED_ACTIVE, S.REOPENED}, S.COST_RECOVERY),
        E.AFRONDING: ({S.WARNED, S.REOPENED, S.COST_RECOVERY}, S.FINISHED),
    },
    "lod": {
        **_FRONT,
        E.LAST_IN_WERKING: ({S.BEKENDGEMAAKT, S.BEGUNSTIGING}, S.ACTIVE),
        E.VERBEURTE: ({S.ACTIVE}, S.ACTIVE),  # or MAXIMUM_REACHED, decided by the service
        E.LAST_BEEINDIGD: ({S.ACTIVE}, S.ENDED),
        E.AFRONDING: ({S.WARNED, S.ENDED, S.MAXIMUM_REACHED}, S.FINISHED),
    },
    "lob": {
        **_FRONT,
        E.LAST_NAGEKOMEN: ({S.BEKENDGEMAAKT, S.BEGUNSTIGING}, S.COMPLIED),
        # From ASSESSMENT only in urgent cases without a prior order (Awb 5:31); service checks.
        E.BESTUURSDWANG: ({S.BEKENDGEMAAKT, S.BEGUNSTIGING, S.ASSESSMENT}, S.EXECUTED),
        E.KOSTENVERHAAL: ({S.EXECUTED}, S.COST_RECOVERY),
        E.AFRONDING: ({S.WARNED, S.COMPLIED, S.EXECUTED, S.COST_RECOVERY}, S.FINISHED),
    },
}

#: States in which the decision has been made known: objection, appeal and interim relief exist.
AFTER_BEKENDMAKING = {
    S.BEKENDGEMAAKT,
    S.BEGUNSTIGING,
    S.CLOSED_ACTIVE,
    S.REOPENED,
    S.ACTIVE,
    S.MAXIMUM_REACHED,
    S.COMPLIED,
    S.EXECUTED,
    S.ENDED,
    S.COST_RECOVERY,
}

#: Overlay events: (required flags, forbidden flags, flags set, flags cleared).
OVERLAY_EVENTS: dict[str, tuple[set[str], set[str], set[str], set[str]]] = {
    E.BEZWAAR: (set(), {"bezwaar_pending", "beroep_pending"}, {"bezwaar_pending"}, set()),
    E.VERDAGING: ({"bezwaar_pending"}, set(), set(), set()),
    E.BESLISSING_OP_BEZWAAR: ({"bezwaar_pending"}, set(), set(), {"bezwaar_pending", "suspended_by_court"}),
    E.BEROEP: (set(), {"bezwaar_pending", "beroep_pending"}, {"beroep_pending"}, set()),
    E.UITSPRAAK: ({"beroep_pending"}, set(), set(), {"beroep_pending", "suspended_by_court"}),
    # hoger beroep (ABRvS) shows as "beroep loopt" on the measure; its own events keep the life
    # of the remedy apart for the limitation (Awb 5:35(2)).
    E.HOGER_BEROEP: (set(), {"bezwaar_pending", "beroep_pending"}, {"beroep_pending"}, set()),
    E.UITSPRAAK_HOGER_BEROEP: ({"beroep_pending"}, set(), set(), {"beroep_pending", "suspended_by_court"}),
    E.VV_AANGEVRAAGD: (set(), {"vv_pending"}, {"vv_pending"}, set()),
    E.VV_TOEGEWEZEN: ({"vv_pending"}, set(), {"suspended_by_court"}, {"vv_pending"}),
    E.VV_AFGEWEZEN: ({"vv_pending"}, set(), set(), {"vv_pending"}),
}

#: Events about collecting forfeited penalties (Awb 5:37(2), 5:37a): a last onder dwangsom whose
#: order is in force or was; they change neither state nor overlays.
COLLECTION_EVENTS = {
    E.VERZOEK_INVORDERING,
    E.BESLISSING_VERZOEK_INVORDERING,
    E.BEZWAAR_WEIGERING_INVORDERING,
    E.BOB_WEIGERING_INVORDERING,
    E.BEROEP_WEIGERING_INVORDERING,
    E.UITSPRAAK_WEIGERING_INVORDERING,
    E.SCHORSING_INVORDERING,
    E.SCHORSING_INVORDERING_EINDE,
}
COLLECTION_STATES = {S.ACTIVE, S.MAXIMUM_REACHED, S.ENDED}

#: Events the user records through the generic event form (forfeitures have their own form).
FORM_EVENTS = [e for e in E.values if e not in {E.RAPPORTAGE, E.VERBEURTE}]


def family(kind: str) -> str:
    if kind in CLOSURE_KINDS:
        return "closure"
    if kind == MeasureKind.LOD:
        return "lod"
    return "lob"


class ProcedureError(Exception):
    def __init__(self, message: str):
        super().__init__(message)
        self.message = message


@dataclass(frozen=True)
class Outcome:
    state: str
    set_flags: frozenset[str] = frozenset()
    clear_flags: frozenset[str] = frozenset()


def check(kind: str, state: str, event: str, flags: Mapping[str, bool]) -> Outcome:
    """The outcome of ``event`` in ``state`` (with the overlay ``flags``), or ProcedureError
    with the Dutch reason."""
    label = EventType(event).label if event in E.values else event
    if state in FINAL_STATES:
        raise ProcedureError(_("De maatregel is afgesloten; er kunnen geen gebeurtenissen meer bij."))
    if event == E.INTREKKING:
        return Outcome(S.WITHDRAWN)
    if event in COLLECTION_EVENTS:
        if family(kind) != "lod" or state not in COLLECTION_STATES:
            raise ProcedureError(
                _("%(e)s hoort bij het invorderen van een verbeurde dwangsom.") % {"e": label}
            )
        return Outcome(state)
    if event == E.HERBEOORDELING:
        if family(kind) != "closure" or state != S.CLOSED_ACTIVE:
            raise ProcedureError(_("Herbeoordeling hoort bij een lopende sluiting voor onbepaalde tijd."))
        return Outcome(state)
    if event in OVERLAY_EVENTS:
        if event == E.VV_AANGEVRAAGD and not (flags.get("bezwaar_pending") or flags.get("beroep_pending")):
            raise ProcedureError(
                _("Een voorlopige voorziening kan alleen worden gevraagd als bezwaar of beroep loopt.")
            )
        if state not in AFTER_BEKENDMAKING:
            raise ProcedureError(
                _("%(e)s is pas mogelijk nadat het besluit is bekendgemaakt.") % {"e": label}
            )
        required, forbidden, to_set, to_clear = OVERLAY_EVENTS[event]
        for flag in sorted(required):
            if not flags.get(flag):
                raise ProcedureError(_("%(e)s past niet: %(why)s") % {"e": label, "why": _FLAG_MISSING[flag]})
        for flag in sorted(forbidden):
            if flags.get(flag):
                raise ProcedureError(_("%(e)s past niet: %(why)s") % {"e": label, "why": _FLAG_PRESENT[flag]})
        return Outcome(state, frozenset(to_set), frozenset(to_clear))
    table = TRANSITIONS[family(kind)]
    if event not in table:
        raise ProcedureError(_("%(e)s hoort niet bij deze soort maatregel.") % {"e": label})
    sources, target = table[event]
    if state not in sources:
        raise ProcedureError(_("%(e)s kan niet in de fase ‘%(s)s’.") % {"e": label, "s": S(state).label})
    return Outcome(target)


_FLAG_MISSING = {
    "bezwaar_pending": gettext_lazy("er loopt geen bezwaar."),
    "beroep_pending": gettext_lazy("er loopt geen beroep."),
    "vv_pending": gettext_lazy("er is geen voorlopige voorziening aangevraagd."),
}
_FLAG_PRESENT = {
    "bezwaar_pending": gettext_lazy("er loopt al een bezwaar."),
    "beroep_pending": gettext_lazy("er loopt al een beroep."),
    "vv_pending": gettext_lazy("er is al een voorlopige voorziening aangevraagd."),
}


def allowed_events(kind: str, state: str, flags: Mapping[str, bool]) -> list[str]:
    """The events the procedure allows now, in display order."""
    out = []
    for event in FORM_EVENTS:
        try:
            check(kind, state, event, flags)
        except ProcedureError:
            continue
        out.append(event)
    return out
