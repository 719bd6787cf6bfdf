"""Factories for tests. Each builds a valid row with the fewest arguments."""

from datetime import date

import factory
from factory.django import DjangoModelFactory

from renda.accounts.models import User
from renda.accounts.roles import Role
from renda.deputies.models import Gender, Mandate, MandateLevel, Person
from renda.organisations.models import Agency, County, DeputyGroup, Station, Term, Township, TownshipKind

TEST_PASSWORD = "Correct-Horse-Battery-9"


class CountyFactory(DjangoModelFactory):
    class Meta:
        model = County

    name = factory.Sequence(lambda n: f"测试县{n}")
    division_code = factory.Sequence(lambda n: f"{990000 + n}")


class TownshipFactory(DjangoModelFactory):
    class Meta:
        model = Township

    county = factory.SubFactory(CountyFactory)
    name = factory.Sequence(lambda n: f"测试{n}镇")
    kind = TownshipKind.TOWN
    division_code = factory.Sequence(lambda n: f"{990000000 + n}")


class StationFactory(DjangoModelFactory):
    class Meta:
        model = Station

    township = factory.SubFactory(TownshipFactory)
    name = factory.Sequence(lambda n: f"第{n}代表联络站")


class DeputyGroupFactory(DjangoModelFactory):
    class Meta:
        model = DeputyGroup

    township = factory.SubFactory(TownshipFactory)
    name = factory.Sequence(lambda n: f"第{n}代表小组")


class AgencyFactory(DjangoModelFactory):
    class Meta:
        model = Agency

    township = factory.SubFactory(TownshipFactory)
    county = factory.LazyAttribute(lambda o: o.township.county if o.township else CountyFactory())
    name = factory.Sequence(lambda n: f"测试办{n}")
    contact_phone = "13812345678"


class TermFactory(DjangoModelFactory):
    class Meta:
        model = Term
        django_get_or_create = ("county", "township", "number")

    township = factory.SubFactory(TownshipFactory)
    county = factory.LazyAttribute(lambda o: o.township.county)
    number = 12
    starts_on = date(2021, 12, 20)
    ends_on = date(2026, 12, 19)


class PersonFactory(DjangoModelFactory):
    class Meta:
        model = Person

    township = factory.SubFactory(TownshipFactory)
    full_name = factory.Sequence(lambda n: f"张{'伟芳敏静强'[n % 5]}{n}")
    gender = Gender.MALE
    birth_date = date(1975, 3, 7)
    id_number = "11010519491231002X"
    phone = "13912345678"


class MandateFactory(DjangoModelFactory):
    class Meta:
        model = Mandate

    person = factory.SubFactory(PersonFactory)
    term = factory.SubFactory(TermFactory, township=factory.SelfAttribute("..person.township"))
    level = MandateLevel.TOWNSHIP
    starts_on = date(2021, 12, 20)


class UserFactory(DjangoModelFactory):
    class Meta:
        model = User
        skip_postgeneration_save = True

    username = factory.Sequence(lambda n: f"user{n}")
    full_name = factory.Sequence(lambda n: f"用户{n}")
    role = Role.TOWNSHIP_STAFF
    password = factory.PostGenerationMethodCall("set_password", TEST_PASSWORD)

    @factory.post_generation
    def saved(obj, create, extracted, **kwargs):
        if create:
            obj.save()
