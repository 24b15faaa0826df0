"""Authorization policy of the measures URLs. The measures are owned by team Veiligheid in the
general compartment. The analyst works on them; the chair (all teams) and the decision maker (same
team here) read them, and only the decision maker records the besluit; the functional admin sees
configuration (deadline rules, escalation matrix) but never measure content; Bibob specialist,
partner and privacy officer get 404."""

from tests.security.matrix import Rule

READERS = {"analyst", "chair", "decision_maker"}
ANALYST = {"analyst"}
ADMIN = {"functional_admin"}
CONFIG_READERS = READERS | ADMIN
#: termijnenrekenhulp (issue #16): analysts, Bibob specialists, decision maker, functional admin
CALCULATOR = {"analyst", "bibob", "decision_maker", "functional_admin"}


def build(world):
    from datetime import date

    from measures import services
    from measures.constants import EventType, MeasureKind
    from measures.models import DeadlineRule, EscalationMatrix
    from tests.factories.subjects import AddressFactory, PersonFactory

    analyst = world.users["analyst"]
    address = AddressFactory(owner_team=world.team)
    world.measure = services.measure_create(
        actor=analyst,
        kind=MeasureKind.CLOSURE_13B_HOME,
        title="Matrix: woning",
        rapportage_date=date(2026, 1, 2),
        address=address,
        owner_team=world.team,
    )
    lod = services.measure_create(
        actor=analyst,
        kind=MeasureKind.LOD,
        title="Matrix: dwangsom",
        rapportage_date=date(2026, 1, 2),
        person=PersonFactory(owner_team=world.team),
        owner_team=world.team,
    )
    services.measure_event_record(
        actor=world.users["decision_maker"],
        measure=lod,
        event=EventType.BESLUIT,
        on=date(2026, 1, 5),
        params={
            "urgency_reason": "spoed: herhaalde handel op straat",
            "amount_per_violation": "5000",
            "maximum_amount": "20000",
        },
    )
    services.measure_event_record(
        actor=analyst, measure=lod, event=EventType.BEKENDMAKING, on=date(2026, 1, 6)
    )
    services.measure_event_record(
        actor=analyst, measure=lod, event=EventType.LAST_IN_WERKING, on=date(2026, 1, 6)
    )
    world.lod = lod
    world.forfeiture = services.forfeiture_record(
        actor=analyst, measure=lod, forfeited_on=date(2026, 1, 10), description="dealen"
    )
    world.rule = DeadlineRule.objects.get(code="zienswijze")
    world.matrix = EscalationMatrix.objects.order_by("id").first()
    world.step = world.matrix.steps.order_by("id").first()


POLICY = {
    "measures:list": Rule(get=READERS),
    "measures:create": Rule(get=ANALYST, post=ANALYST),
    "measures:my_deadlines": Rule(get=READERS),
    "measures:afpak": Rule(get=READERS),
    "measures:rules": Rule(get=CONFIG_READERS),
    "measures:calculator": Rule(get=CALCULATOR),
    "measures:declared_days_review": Rule(post=ADMIN),
    "measures:rule_edit": Rule(get=ADMIN, post=ADMIN, kwargs=lambda w: {"pk": w.rule.pk}),
    "measures:matrices": Rule(get=CONFIG_READERS, post=ADMIN),
    "measures:matrix_step_edit": Rule(
        get=ADMIN, post=ADMIN, kwargs=lambda w: {"pk": w.matrix.pk, "step_pk": w.step.pk}
    ),
    "measures:detail": Rule(get=READERS, kwargs=lambda w: {"pk": w.measure.pk}),
    "measures:event": Rule(
        get=ANALYST, post=ANALYST, kwargs=lambda w: {"pk": w.measure.pk, "event": "voornemen"}
    ),
    "measures:forfeiture": Rule(get=ANALYST, post=ANALYST, kwargs=lambda w: {"pk": w.lod.pk}),
    "measures:forfeiture_action": Rule(
        post=ANALYST, kwargs=lambda w: {"pk": w.lod.pk, "fpk": w.forfeiture.pk}
    ),
}
