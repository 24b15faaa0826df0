"""Authorization policy of the letters URLs. A letter lives in its case (here a 13b measure of
team Veiligheid, general compartment): the analyst makes, uploads and sends; analysts check each
other's letters; the decision maker (mandate) reads and approves; the functional admin manages
templates but never sees a letter; everyone else gets 404."""

from tests.security.matrix import Rule

ANALYST = {"analyst"}
LETTER_READERS = {"analyst", "decision_maker"}
ADMIN = {"functional_admin"}


def build(world):
    from datetime import date

    from letters import services
    from measures import services as measure_services
    from measures.constants import MeasureKind
    from tests.factories.subjects import AddressFactory

    analyst = world.users["analyst"]
    measure = measure_services.measure_create(
        actor=analyst,
        kind=MeasureKind.CLOSURE_13B_HOME,
        title="Matrix: brief",
        rapportage_date=date(2026, 1, 2),
        address=AddressFactory(owner_team=world.team),
        owner_team=world.team,
    )
    world.letter_measure = measure
    from django.utils import timezone

    world.letter = services.letter_generate(
        actor=analyst,
        measure=measure,
        kind="voornemen_sluiting",
        planned_date=timezone.localdate(),
        signatory=world.users["decision_maker"],
    )


POLICY = {
    "letters:inbox": Rule(get=LETTER_READERS | {"bibob"}),
    "letters:generate": Rule(get=ANALYST, post=ANALYST, kwargs=lambda w: {"pk": w.letter_measure.pk}),
    # the dossier is built by policy_bibob (the Bibob specialist's, sealed compartment)
    "letters:generate_bibob": Rule(
        get={"bibob"}, post={"bibob"}, kwargs=lambda w: {"pk": w.bibob_dossier.pk}
    ),
    "letters:detail": Rule(get=LETTER_READERS, kwargs=lambda w: {"pk": w.letter.pk}),
    "letters:download": Rule(get=LETTER_READERS, kwargs=lambda w: {"pk": w.letter.pk}),
    "letters:pdf": Rule(kwargs=lambda w: {"pk": w.letter.pk}),
    # the action view answers a refused transition with a redirect and a message (not 403/404)
    "letters:action": Rule(post=LETTER_READERS, kwargs=lambda w: {"pk": w.letter.pk, "action": "aanbieden"}),
    "letters:templates": Rule(get=ADMIN, post=ADMIN),
    "letters:preview": Rule(get=ADMIN, kwargs=lambda w: {"kind": "voornemen_sluiting"}),
    "letters:starter": Rule(get=ADMIN, kwargs=lambda w: {"kind": "voornemen_sluiting"}),
}
