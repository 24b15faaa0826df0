"""Authorization policy of the Bibob URLs. The dossier is owned by team Bibob in the sealed
``bibob`` compartment and assigned to the matrix's decision maker (who holds the bibob clearance).
Only the Bibob specialist works on it; the decision maker may read it and decide; everybody else
(analyst, chair, partner, functional admin, privacy officer) gets 404 on every URL."""

from tests.security.matrix import Rule

CLEARED = {"bibob", "decision_maker"}
SPECIALIST = {"bibob"}
DECIDER = {"decision_maker"}


def build(world):
    from datetime import date

    from bibob import services

    world.bibob_dossier = services.dossier_create(
        actor=world.users["bibob"],
        owner_team=world.bibob_team,
        title="Matrix: café",
        decision_type="apv_2_28",
        applicant_name="Matrix B.V.",
        application_date=date(2026, 1, 12),
        decision_maker="burgemeester",
        decider=world.users["decision_maker"],
    )


def _pk(w):
    return {"pk": w.bibob_dossier.pk}


def _step(roles):
    return Rule(get=roles, post=roles, kwargs=_pk)


POLICY = {
    "bibob:list": Rule(get=CLEARED),
    "bibob:reports": Rule(get=CLEARED),
    "bibob:create": Rule(get=SPECIALIST, post=SPECIALIST),
    "bibob:detail": Rule(get=CLEARED, kwargs=_pk),
    "bibob:transition": _step(SPECIALIST),
    "bibob:party_add": _step(SPECIALIST),
    "bibob:questionnaire_send": _step(SPECIALIST),
    "bibob:questionnaire_receive": _step(SPECIALIST),
    "bibob:checklist": _step(SPECIALIST),
    "bibob:lbb_request": _step(SPECIALIST),
    "bibob:lbb_extend": _step(SPECIALIST),
    "bibob:lbb_follow_up": _step(SPECIALIST),
    "bibob:advice": _step(SPECIALIST),
    "bibob:voornemen": _step(SPECIALIST),
    "bibob:zienswijze": _step(SPECIALIST),
    "bibob:third_party_invite": _step(SPECIALIST),
    "bibob:third_party_response": _step(SPECIALIST),
    "bibob:decide": _step(DECIDER),
    "bibob:publish": _step(SPECIALIST),
    "bibob:disclose": _step(SPECIALIST),
    "bibob:register": _step(SPECIALIST),
}
