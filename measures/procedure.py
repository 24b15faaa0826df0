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

from .constants import CLOSURE_KINDS, FINAL_STATES, EventType, MeasureKind, MeasureState

_FRONT = {
    EventType.WAARSCHUWING: ({MeasureState.ASSESSMENT}, MeasureState.WARNED),
    EventType.VOORNEMEN: ({MeasureState.ASSESSMENT, MeasureState.WARNED}, MeasureState.VOORNEMEN_SENT),
    EventType.ZIENSWIJZE_ONTVANGEN: ({MeasureState.VOORNEMEN_SENT}, MeasureState.ZIENSWIJZE_RECEIVED),
    EventType.ZIENSWIJZE_VERLOPEN: ({MeasureState.VOORNEMEN_SENT}, MeasureState.ZIENSWIJZE_EXPIRED),
    # From ASSESSMENT/WARNED only with an urgency reason (Awb 4:11); the service checks it.
    EventType.BESLUIT: (
        {
            MeasureState.ZIENSWIJZE_RECEIVED,
            MeasureState.ZIENSWIJZE_EXPIRED,
            MeasureState.ASSESSMENT,
            MeasureState.WARNED,
        },
        MeasureState.BESLUIT,
    ),
    EventType.BEKENDMAKING: ({MeasureState.BESLUIT}, MeasureState.BEKENDGEMAAKT),
    EventType.BEGUNSTIGING: ({MeasureState.BEKENDGEMAAKT}, MeasureState.BEGUNSTIGING),
}

TRANSITIONS: dict[str, dict[str, tuple[set[str], str]]] = {
    "closure": {
        **_FRONT,
        EventType.SLUITING_START: (
            {MeasureState.BEKENDGEMAAKT, MeasureState.BEGUNSTIGING},
            MeasureState.CLOSED_ACTIVE,
        ),
        EventType.SLUITING_EINDE: ({MeasureState.CLOSED_ACTIVE}, MeasureState.REOPENED),
        EventType.OPHEFFING: (
            {
                MeasureState.BESLUIT,
                MeasureState.BEKENDGEMAAKT,
                MeasureState.BEGUNSTIGING,
                MeasureState.CLOSED_ACTIVE,
            },
            MeasureState.REOPENED,
        ),
        EventType.KOSTENVERHAAL: (
            {MeasureState.CLOSED_ACTIVE, MeasureState.REOPENED},
            MeasureState.COST_RECOVERY,
        ),
        EventType.AFRONDING: (
            {MeasureState.WARNED, MeasureState.REOPENED, MeasureState.COST_RECOVERY},
            MeasureState.FINISHED,
        ),
    },
    "lod": {
        **_FRONT,
        EventType.LAST_IN_WERKING: (
            {MeasureState.BEKENDGEMAAKT, MeasureState.BEGUNSTIGING},
            MeasureState.ACTIVE,
        ),
        EventType.VERBEURTE: (
            {MeasureState.ACTIVE},
            MeasureState.ACTIVE,
        ),  # or MAXIMUM_REACHED, decided by the service
        EventType.LAST_BEEINDIGD: ({MeasureState.ACTIVE}, MeasureState.ENDED),
        EventType.AFRONDING: (
            {MeasureState.WARNED, MeasureState.ENDED, MeasureState.MAXIMUM_REACHED},
            MeasureState.FINISHED,
        ),
    },
    "lob": {
        **_FRONT,
        EventType.LAST_NAGEKOMEN: (
            {MeasureState.BEKENDGEMAAKT, MeasureState.BEGUNSTIGING},
            MeasureState.COMPLIED,
        ),
        # From ASSESSMENT only in urgent cases without a prior order (Awb 5:31); service checks.
        EventType.BESTUURSDWANG: (
            {MeasureState.BEKENDGEMAAKT, MeasureState.BEGUNSTIGING, MeasureState.ASSESSMENT},
            MeasureState.EXECUTED,
        ),
        EventType.KOSTENVERHAAL: ({MeasureState.EXECUTED}, MeasureState.COST_RECOVERY),
        EventType.AFRONDING: (
            {MeasureState.WARNED, MeasureState.COMPLIED, MeasureState.EXECUTED, MeasureState.COST_RECOVERY},
            MeasureState.FINISHED,
        ),
    },
}

#: States in which the decision has been made known: objection, appeal and interim relief exist.
AFTER_BEKENDMAKING = {
    MeasureState.BEKENDGEMAAKT,
    MeasureState.BEGUNSTIGING,
    MeasureState.CLOSED_ACTIVE,
    MeasureState.REOPENED,
    MeasureState.ACTIVE,
    MeasureState.MAXIMUM_REACHED,
    MeasureState.COMPLIED,
    MeasureState.EXECUTED,
    MeasureState.ENDED,
    MeasureState.COST_RECOVERY,
}

#: Overlay events: (required flags, forbidden flags, flags set, flags cleared).
OVERLAY_EVENTS: dict[str, tuple[set[str], set[str], set[str], set[str]]] = {
    EventType.BEZWAAR: (set(), {"bezwaar_pending", "beroep_pending"}, {"bezwaar_pending"}, set()),
    EventType.VERDAGING: ({"bezwaar_pending"}, set(), set(), set()),
    EventType.BESLISSING_OP_BEZWAAR: (
        {"bezwaar_pending"},
        set(),
        set(),
        {"bezwaar_pending", "suspended_by_court"},
    ),
    EventType.BEROEP: (set(), {"bezwaar_pending", "beroep_pending"}, {"beroep_pending"}, set()),
    EventType.UITSPRAAK: ({"beroep_pending"}, set(), set(), {"beroep_pending", "suspended_by_court"}),
    # hoger beroep (ABRvS) shows as "beroep loopt" on the measure; its own events keep the life
    # of the remedy apart for the limitation (Awb 5:35(2)).
    EventType.HOGER_BEROEP: (set(), {"bezwaar_pending", "beroep_pending"}, {"beroep_pending"}, set()),
    EventType.UITSPRAAK_HOGER_BEROEP: (
        {"beroep_pending"},
        set(),
        set(),
        {"beroep_pending", "suspended_by_court"},
    ),
    EventType.VV_AANGEVRAAGD: (set(), {"vv_pending"}, {"vv_pending"}, set()),
    EventType.VV_TOEGEWEZEN: ({"vv_pending"}, set(), {"suspended_by_court"}, {"vv_pending"}),
    EventType.VV_AFGEWEZEN: ({"vv_pending"}, set(), set(), {"vv_pending"}),
}

#: Events about collecting forfeited penalties (Awb 5:37(2), 5:37a): a last onder dwangsom whose
#: order is in force or was; they change neither state nor overlays.
COLLECTION_EVENTS = {
    EventType.VERZOEK_INVORDERING,
    EventType.BESLISSING_VERZOEK_INVORDERING,
    EventType.BEZWAAR_WEIGERING_INVORDERING,
    EventType.BOB_WEIGERING_INVORDERING,
    EventType.BEROEP_WEIGERING_INVORDERING,
    EventType.UITSPRAAK_WEIGERING_INVORDERING,
    EventType.SCHORSING_INVORDERING,
    EventType.SCHORSING_INVORDERING_EINDE,
}
COLLECTION_STATES = {MeasureState.ACTIVE, MeasureState.MAXIMUM_REACHED, MeasureState.ENDED}

#: Events the user records through the generic event form (forfeitures have their own form).
FORM_EVENTS = [e for e in EventType.values if e not in {EventType.RAPPORTAGE, EventType.VERBEURTE}]


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
    label = EventType(event).label if event in EventType.values else event
    if state in FINAL_STATES:
        raise ProcedureError(_("De maatregel is afgesloten; er kunnen geen gebeurtenissen meer bij."))
    if event == EventType.INTREKKING:
        return Outcome(MeasureState.WITHDRAWN)
    if event in COLLECTION_EVENTS:
        if family(kind) != "lod" or state not in COLLECTION_STATES:
            raise ProcedureError(
                _("%(e)s hoort bij het invorderen van een verbeurde dwangsom.") % {"e": label}
            )
        return Outcome(state)
    if event == EventType.HERBEOORDELING:
        if family(kind) != "closure" or state != MeasureState.CLOSED_ACTIVE:
            raise ProcedureError(_("Herbeoordeling hoort bij een lopende sluiting voor onbepaalde tijd."))
        return Outcome(state)
    if event in OVERLAY_EVENTS:
        if event == EventType.VV_AANGEVRAAGD and not (
            flags.get("bezwaar_pending") or flags.get("beroep_pending")
        ):
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
        raise ProcedureError(
            _("%(e)s kan niet in de fase ‘%(s)s’.") % {"e": label, "s": MeasureState(state).label}
        )
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
