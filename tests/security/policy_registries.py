"""Authorization policy of the registries URLs. Asking a base registry needs both the subject
permission (add for 'Ophalen', view of the record otherwise) and the registry permission:
analyst and chair hold both; the Bibob specialist may ask the BRP (identity only) and BAG/KvK
but cannot add or see the analyst team's records; the others hold no registry permission."""

from tests.security.matrix import Rule

ASKERS = {"analyst", "chair"}


def build(world):
    # the records of policy_subjects (world.subjects) are reused
    return None


def _pk(kind):
    return lambda w: {"pk": w.subjects[kind].pk}


POLICY = {
    "registries:query_log": Rule(get={"privacy_officer"}, purpose=False),
    "registries:person_fetch": Rule(get=ASKERS, post=ASKERS),
    "registries:address_fetch": Rule(get=ASKERS, post=ASKERS),
    "registries:organisation_fetch": Rule(get=ASKERS, post=ASKERS),
    "registries:person_compare": Rule(get=ASKERS, post=ASKERS, kwargs=_pk("person")),
    "registries:address_compare": Rule(get=ASKERS, post=ASKERS, kwargs=_pk("address")),
    "registries:organisation_compare": Rule(get=ASKERS, post=ASKERS, kwargs=_pk("organisation")),
    "registries:address_bewoning": Rule(
        get=ASKERS, kwargs=_pk("address"), query="start=2020-01-01&end=2021-01-01"
    ),
    "registries:organisation_kvk": Rule(get=ASKERS, kwargs=_pk("organisation")),
}
