"""Factories for tests. Each builds a valid row with the fewest arguments."""

from datetime import date, timedelta

import factory
from factory.django import DjangoModelFactory
from stdnum.cn import ric

from renda.accounts.models import User
from renda.accounts.roles import Role
from renda.deputies.models import Gender, Mandate, MandateEvent, MandateEventKind, MandateLevel, Person
from renda.deputies.services import fill_name_columns
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
    # Longer than a real term (five years) on purpose: tests and browser journeys plan sessions
    # and activities relative to today, and must stay inside the world's term for years to come.
    starts_on = date(2021, 12, 20)
    ends_on = date(2031, 12, 19)


class PersonFactory(DjangoModelFactory):
    class Meta:
        model = Person

    township = factory.SubFactory(TownshipFactory)
    full_name = factory.Sequence(lambda n: f"张{'伟芳敏静强'[n % 5]}{n}")
    gender = Gender.MALE
    birth_date = date(1975, 3, 7)
    id_number = factory.Sequence(lambda n: valid_id_number(n))
    phone = "13912345678"

    @classmethod
    def _create(cls, model_class, *args, **kwargs):
        person = model_class(*args, **kwargs)
        fill_name_columns(person)
        person.save()
        return person


def valid_id_number(n: int) -> str:
    """A distinct valid ID number (region 110105) for each n, as the blind index is unique."""
    born = date(1950, 1, 1) + timedelta(days=n // 1000)
    body = f"110105{born:%Y%m%d}{n % 1000:03d}"
    return body + ric.calc_check_digit(body + "0")


class MandateFactory(DjangoModelFactory):
    class Meta:
        model = Mandate
        skip_postgeneration_save = True

    person = factory.SubFactory(PersonFactory)
    term = factory.SubFactory(TermFactory, township=factory.SelfAttribute("..person.township"))
    level = MandateLevel.TOWNSHIP
    starts_on = date(2021, 12, 20)

    @factory.post_generation
    def elected(obj, create, extracted, **kwargs):
        if create and obj.starts_on:
            MandateEvent.objects.create(mandate=obj, kind=MandateEventKind.ELECTED, date=obj.starts_on)


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
