"""Light factories for subjects and objects: saved directly (no service round-trip) with the
derived fields filled as the services would, and ``visible_to`` set through vik.core.access."""

import random

import factory

from subjects.constants import LinkType, SubjectKind
from subjects.models import Address, Link, Organisation, Person, Vehicle
from subjects.names import alias_keys, initials_of, name_key, organisation_key, split_voorvoegsel
from tests.factories.core import OrgUnitFactory
from vik.core import synthetic
from vik.core.access import init_visibility
from vik.core.encryption import blind_index

_rng = random.Random(7)


class ProtectedFactory(factory.django.DjangoModelFactory):
    class Meta:
        abstract = True
        skip_postgeneration_save = True

    owner_team = factory.SubFactory(OrgUnitFactory, code="veiligheid")
    compartment = "general"

    @factory.post_generation
    def visibility(self, create, extracted, **kwargs):
        if create:
            init_visibility(self)


class PersonFactory(ProtectedFactory):
    class Meta:
        model = Person

    voornamen = factory.Sequence(lambda n: ["Jan", "Piet", "Anna", "Fatima", "Mehmet"][n % 5])
    geslachtsnaam = factory.Sequence(lambda n: f"Persoon{n}")
    voorvoegsel = ""
    birth_date = None
    bsn = None

    @classmethod
    def _create(cls, model_class, *args, **kwargs):
        prefix, last = split_voorvoegsel(kwargs.get("voorvoegsel", ""), kwargs["geslachtsnaam"])
        kwargs.update(voorvoegsel=prefix, geslachtsnaam=last, name_normalised=name_key(last))
        kwargs["initials"] = initials_of(kwargs.get("voornamen", ""))
        kwargs["alias_keys"] = alias_keys(kwargs.get("aliases", []))
        if kwargs.get("bsn"):
            kwargs["bsn_index"] = blind_index(kwargs["bsn"])
        return super()._create(model_class, *args, **kwargs)


class OrganisationFactory(ProtectedFactory):
    class Meta:
        model = Organisation

    name = factory.Sequence(lambda n: f"Handelsonderneming {n} B.V.")
    name_normalised = factory.LazyAttribute(lambda o: organisation_key(o.name))
    trade_names = factory.LazyFunction(list)
    alias_keys = factory.LazyAttribute(lambda o: alias_keys(o.trade_names))
    kvk_number = factory.Sequence(lambda n: f"{30000000 + n}")


class AddressFactory(ProtectedFactory):
    class Meta:
        model = Address

    street = "Grotestraat"
    house_number = factory.Sequence(lambda n: n + 1)
    postcode = "7607AB"
    town = "Almelo"
    bag_nummeraanduiding = factory.LazyFunction(lambda: synthetic.bag_id(_rng, "20"))


class VehicleFactory(ProtectedFactory):
    class Meta:
        model = Vehicle

    kenteken = factory.LazyFunction(lambda: synthetic.kenteken(_rng))
    make = "Volkswagen"


class LinkFactory(ProtectedFactory):
    """Pass ``source=obj`` and ``target=obj``; kinds and ids are taken from them."""

    class Meta:
        model = Link
        exclude = ["source_obj", "target_obj"]

    source_obj = None
    target_obj = None
    from_kind = factory.LazyAttribute(lambda o: o.source_obj.kind)
    from_id = factory.LazyAttribute(lambda o: o.source_obj.pk)
    to_kind = factory.LazyAttribute(lambda o: o.target_obj.kind)
    to_id = factory.LazyAttribute(lambda o: o.target_obj.pk)
    link_type = LinkType.OVERIG


__all__ = [
    "AddressFactory",
    "LinkFactory",
    "OrganisationFactory",
    "PersonFactory",
    "SubjectKind",
    "VehicleFactory",
]
