"""Authorization matrix for the plan app: the team and the functional admin steer the plan, the
decision maker reads it and makes the yearly report; partners and reporters never see it."""

from tests.security.matrix import Rule

STEER = {"analyst", "chair", "functional_admin"}
READ = STEER | {"decision_maker"}


def build(world):
    from plan.models import Ambition, PlanAction, YearReport

    ambition, _ = Ambition.objects.get_or_create(number=1, defaults={"title": "Informatiepositie"})
    world.plan_action = PlanAction.objects.create(ambition=ambition, title="Matrix actie")
    world.year_report = YearReport.objects.create(
        year=2025, status="done", progress=100, pdf=b"%PDF-1.4", xlsx=b"PK"
    )


POLICY = {
    "plan:overview": Rule(get=READ, purpose=False),
    "plan:action_create": Rule(get=STEER, post=STEER, purpose=False),
    "plan:action_progress": Rule(
        get=STEER, post=STEER, kwargs=lambda w: {"pk": w.plan_action.pk}, purpose=False
    ),
    "plan:quarterly_pdf": Rule(get=READ, purpose=False),
    "plan:year_report": Rule(get=READ, post=READ, purpose=False),
    "plan:year_report_download": Rule(
        get=READ, kwargs=lambda w: {"pk": w.year_report.pk, "fmt": "pdf"}, purpose=False
    ),
}
