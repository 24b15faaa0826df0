"""Authorization policy of the subjects URLs. Records are owned by the analyst's team (general
compartment): analyst, chair (all teams) and decision maker (same team, view only) may read
them; the Bibob specialist's team does not own them; partners, functional admin and privacy
officer hold no subject permission."""

from tests.security.matrix import Rule

READERS = {"analyst", "chair", "decision_maker"}
SEARCHERS = {"analyst", "chair", "bibob", "decision_maker"}
EDITORS = {"analyst", "chair"}
KINDS = ["person", "organisation", "address", "vehicle"]


def build(world):
    from subjects.services import subject_merge
    from tests.factories.subjects import (
        AddressFactory,
        LinkFactory,
        OrganisationFactory,
        PersonFactory,
        VehicleFactory,
    )

    world.subjects = {
        "person": PersonFactory(owner_team=world.team, geslachtsnaam="Jansen"),
        "organisation": OrganisationFactory(owner_team=world.team),
        "address": AddressFactory(owner_team=world.team),
        "vehicle": VehicleFactory(owner_team=world.team),
    }
    world.subject_link = LinkFactory(
        owner_team=world.team,
        source_obj=world.subjects["person"],
        target_obj=world.subjects["address"],
        link_type="woont_op",
    )
    a, b = PersonFactory(owner_team=world.team), PersonFactory(owner_team=world.team)
    world.subject_merge = subject_merge(actor=world.users["analyst"], survivor=a, duplicate=b)


def _pk(kind):
    return lambda w: {"pk": w.subjects[kind].pk}


POLICY = {
    "subjects:search": Rule(get=SEARCHERS, query="q=Jansen"),
    "subjects:typeahead": Rule(get=SEARCHERS, query="q=Jans"),
    "subjects:link_end": Rule(post=EDITORS, kwargs=lambda w: {"pk": w.subject_link.pk}),
    "subjects:merge_detail": Rule(get=EDITORS, kwargs=lambda w: {"pk": w.subject_merge.pk}),
    "subjects:merge_undo": Rule(post=EDITORS, kwargs=lambda w: {"pk": w.subject_merge.pk}),
}
for _kind in KINDS:
    POLICY.update(
        {
            f"subjects:{_kind}_create": Rule(get=EDITORS, post=EDITORS),
            f"subjects:{_kind}_detail": Rule(get=READERS, kwargs=_pk(_kind)),
            f"subjects:{_kind}_edit": Rule(get=EDITORS, post=EDITORS, kwargs=_pk(_kind)),
            f"subjects:{_kind}_network": Rule(get=READERS, kwargs=_pk(_kind)),
            f"subjects:{_kind}_network_json": Rule(get=READERS, kwargs=_pk(_kind)),
            f"subjects:{_kind}_link_create": Rule(get=EDITORS, post=EDITORS, kwargs=_pk(_kind)),
            f"subjects:{_kind}_merge": Rule(get=EDITORS, post=EDITORS, kwargs=_pk(_kind)),
        }
    )
