import factory

from django.contrib.auth.models import Group

from vik.core.constants import OrgKind
from vik.core.models import OrgUnit, User


class OrgUnitFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = OrgUnit
        django_get_or_create = ("code",)

    code = factory.Sequence(lambda n: f"team{n}")
    name = factory.LazyAttribute(lambda o: f"Team {o.code}")
    kind = OrgKind.TEAM


class UserFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = User
        skip_postgeneration_save = True

    username = factory.Sequence(lambda n: f"user{n}")
    first_name = factory.Faker("first_name", locale="nl_NL")
    last_name = factory.Faker("last_name", locale="nl_NL")
    email = factory.LazyAttribute(lambda o: f"{o.username}@example.nl")
    org_unit = factory.SubFactory(OrgUnitFactory)
    clearances = factory.LazyFunction(lambda: ["general"])
    password = factory.PostGenerationMethodCall("set_password", "correct horse battery staple")

    @factory.post_generation
    def role(self, create, extracted, **kwargs):
        if create and extracted:
            if not Group.objects.filter(name=extracted).exists():
                # a transactional test's closing flush can leave the database without the role
                # groups that post_migrate keeps; rebuild them from the declarations (data)
                from vik.core.roles import sync_roles

                sync_roles()
            self.groups.add(Group.objects.get(name=extracted))
        if create:
            self.save()
