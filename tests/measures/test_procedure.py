"""The state machines of DOMAIN §1.2–§1.4 (measures/procedure.py): every allowed transition per
family, and refusals with the Dutch reason. Pure: no database."""

from __future__ import annotations

import pytest

from measures.constants import EventType as E
from measures.constants import MeasureKind as K
from measures.constants import MeasureState as S
from measures.procedure import TRANSITIONS, ProcedureError, allowed_events, check

NO_FLAGS: dict[str, bool] = {}
KIND_OF = {"closure": K.CLOSURE_13B_HOME, "lod": K.LOD, "lob": K.LOB}


def _cases():
    for fam, table in TRANSITIONS.items():
        for event, (sources, target) in table.items():
            for state in S.values:
                yield fam, event, state, (target if state in sources else None)


@pytest.mark.parametrize("fam, event, state, target", list(_cases()))
def test_main_transitions_allowed_and_refused(fam, event, state, target):
    kind = KIND_OF[fam]
    if state in (S.WITHDRAWN, S.FINISHED):
        with pytest.raises(ProcedureError, match="afgesloten"):
            check(kind, state, event, NO_FLAGS)
    elif target is None:
        with pytest.raises(ProcedureError, match="kan niet in de fase"):
            check(kind, state, event, NO_FLAGS)
    else:
        assert check(kind, state, event, NO_FLAGS).state == target


def test_besluit_before_voornemen_is_not_possible_after_voornemen_sent():
    with pytest.raises(ProcedureError) as exc:
        check(K.CLOSURE_13B_HOME, S.VOORNEMEN_SENT, E.BESLUIT, NO_FLAGS)
    assert exc.value.message == "Besluit kan niet in de fase ‘Voornemen verstuurd’."


@pytest.mark.parametrize(
    "kind, event",
    [
        (K.LOD, E.SLUITING_START),
        (K.LOD, E.KOSTENVERHAAL),
        (K.CLOSURE_GAMBLING, E.VERBEURTE),
        (K.CLOSURE_PROSTITUTION, E.LAST_IN_WERKING),
        (K.LOB, E.SLUITING_EINDE),
    ],
)
def test_event_of_another_kind_is_refused(kind, event):
    with pytest.raises(ProcedureError, match="hoort niet bij deze soort maatregel"):
        check(kind, S.BEKENDGEMAAKT, event, NO_FLAGS)


def test_objection_only_after_bekendmaking_and_once():
    with pytest.raises(ProcedureError, match="pas mogelijk nadat het besluit is bekendgemaakt"):
        check(K.CLOSURE_13B_HOME, S.BESLUIT, E.BEZWAAR, NO_FLAGS)
    out = check(K.CLOSURE_13B_HOME, S.CLOSED_ACTIVE, E.BEZWAAR, NO_FLAGS)
    assert out.state == S.CLOSED_ACTIVE and out.set_flags == {"bezwaar_pending"}
    with pytest.raises(ProcedureError, match="er loopt al een bezwaar"):
        check(K.CLOSURE_13B_HOME, S.CLOSED_ACTIVE, E.BEZWAAR, {"bezwaar_pending": True})


def test_overlay_events_need_their_pending_flag():
    with pytest.raises(ProcedureError, match="er loopt geen bezwaar"):
        check(K.LOD, S.ACTIVE, E.BESLISSING_OP_BEZWAAR, NO_FLAGS)
    with pytest.raises(ProcedureError, match="er loopt geen beroep"):
        check(K.LOD, S.ACTIVE, E.UITSPRAAK, NO_FLAGS)
    with pytest.raises(ProcedureError, match="alleen worden gevraagd als bezwaar of beroep loopt"):
        check(K.LOD, S.ACTIVE, E.VV_AANGEVRAAGD, NO_FLAGS)
    with pytest.raises(ProcedureError, match="geen voorlopige voorziening"):
        check(K.LOD, S.ACTIVE, E.VV_TOEGEWEZEN, {"bezwaar_pending": True})
    with pytest.raises(ProcedureError, match="er loopt al een bezwaar"):
        check(K.LOD, S.ACTIVE, E.BEROEP, {"bezwaar_pending": True})


def test_interim_relief_overlay_flow():
    flags = {"bezwaar_pending": True}
    assert check(K.CLOSURE_13B_HOME, S.BEGUNSTIGING, E.VV_AANGEVRAAGD, flags).set_flags == {"vv_pending"}
    granted = check(K.CLOSURE_13B_HOME, S.BEGUNSTIGING, E.VV_TOEGEWEZEN, {**flags, "vv_pending": True})
    assert granted.set_flags == {"suspended_by_court"} and granted.clear_flags == {"vv_pending"}
    bob = check(
        K.CLOSURE_13B_HOME, S.BEGUNSTIGING, E.BESLISSING_OP_BEZWAAR, {**flags, "suspended_by_court": True}
    )
    assert bob.clear_flags == {"bezwaar_pending", "suspended_by_court"}


def test_withdrawal_from_any_open_state_but_not_after_the_end():
    assert check(K.LOD, S.ACTIVE, E.INTREKKING, NO_FLAGS).state == S.WITHDRAWN
    with pytest.raises(ProcedureError, match="afgesloten"):
        check(K.LOD, S.FINISHED, E.INTREKKING, NO_FLAGS)


def test_allowed_events_offer_exactly_the_next_steps():
    assert allowed_events(K.CLOSURE_13B_HOME, S.VOORNEMEN_SENT, NO_FLAGS) == [
        E.ZIENSWIJZE_ONTVANGEN,
        E.ZIENSWIJZE_VERLOPEN,
        E.INTREKKING,
    ]
    lod_active = allowed_events(K.LOD, S.ACTIVE, NO_FLAGS)
    assert E.LAST_BEEINDIGD in lod_active and E.BEZWAAR in lod_active and E.VERBEURTE not in lod_active
