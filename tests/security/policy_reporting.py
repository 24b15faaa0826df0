"""Authorization matrix for the reporting app. The reporter (role "Melder") reaches the form,
"Herken de signalen" and their own reports only; every other URL of VIK answers them 404/403
(the other policy modules list no "reporter" anywhere). Another reporter's receipt is 404."""

from django.utils import timezone

from tests.security.matrix import Rule


def build(world):
    from reporting import services
    from tests.factories.signals import phenomena

    world.report = services.report_create(
        reporter=world.users["reporter"],
        description="Afgeplakte ramen en hennepgeur",
        location="Grotestraat 1, Almelo",
        observed_on=timezone.localdate(),
        phenomena=phenomena("hennep"),
    )


REPORTER = {"reporter"}

POLICY = {
    "reporting:form": Rule(get=REPORTER, post=REPORTER, purpose=False),
    "reporting:mine": Rule(get=REPORTER, purpose=False),
    # the receipt belongs to the matrix reporter; nobody else (not even an analyst) opens it here
    "reporting:receipt": Rule(get=REPORTER, kwargs=lambda w: {"pk": w.report.pk}, purpose=False),
    "reporting:guide": Rule(get=REPORTER | {"functional_admin"}, purpose=False),
    "reporting:guide_edit": Rule(get={"functional_admin"}, post={"functional_admin"}),
    "reporting:identity": Rule(
        get={"privacy_officer"}, post={"privacy_officer"}, kwargs=lambda w: {"pk": w.report.pk}
    ),
}
