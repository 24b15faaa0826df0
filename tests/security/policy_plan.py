"""Authorization matrix for the plan app: the team and the functional admin steer the plan, the
decision maker reads it; partners and reporters never see it."""

from tests.security.matrix import Rule

STEER = {"analyst", "chair", "functional_admin"}


def build(world):
    from plan.models import Ambition, PlanAction

    ambition, _ = Ambition.objects.get_or_create(number=1, defaults={"title": "Informatiepositie"})
    world.plan_action = PlanAction.objects.create(ambition=ambition, title="Matrix actie")


POLICY = {
    "plan:overview": Rule(get=STEER | {"decision_maker"}, purpose=False),
    "plan:action_create": Rule(get=STEER, post=STEER, purpose=False),
    "plan:action_progress": Rule(
        get=STEER, post=STEER, kwargs=lambda w: {"pk": w.plan_action.pk}, purpose=False
    ),
}
