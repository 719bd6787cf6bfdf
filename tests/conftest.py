"""Personas shared by every test: two townships (A and B) of one county, one account per role,
and the outsider for each — staff_b is the outsider to everything of township A."""

from dataclasses import dataclass

import pytest

from renda.accounts.models import User
from renda.accounts.roles import Role
from renda.deputies.models import Mandate, Person
from renda.organisations.models import Agency, County, DeputyGroup, Station, Township

from . import factories


@dataclass
class World:
    county: County
    other_county: County
    township_a: Township
    township_b: Township
    station_a: Station
    station_b: Station
    group_a: DeputyGroup
    group_b: DeputyGroup
    agency_a: Agency
    agency_b: Agency
    county_agency: Agency
    person_a: Person
    person_b: Person
    mandate_a: Mandate
    mandate_b: Mandate
    users: dict[str, User]

    def __getattr__(self, name):
        try:
            return self.__dict__["users"][name]
        except KeyError as exc:
            raise AttributeError(name) from exc


def build_world() -> World:
    county = factories.CountyFactory(name="示范县", division_code="990101")
    other_county = factories.CountyFactory(name="邻县", division_code="990102")
    township_a = factories.TownshipFactory(county=county, name="甲镇")
    township_b = factories.TownshipFactory(county=county, name="乙镇")
    station_a = factories.StationFactory(township=township_a)
    station_b = factories.StationFactory(township=township_b)
    group_a = factories.DeputyGroupFactory(township=township_a, station=station_a)
    group_b = factories.DeputyGroupFactory(township=township_b, station=station_b)
    agency_a = factories.AgencyFactory(township=township_a)
    agency_b = factories.AgencyFactory(township=township_b)
    county_agency = factories.AgencyFactory(township=None, county=county)
    mandate_a = factories.MandateFactory(
        person__township=township_a, person__id_number="11010519491231002X", group=group_a, station=station_a
    )
    mandate_b = factories.MandateFactory(person__township=township_b, group=group_b, station=station_b)
    make = factories.UserFactory
    users = {
        "county_admin": make(username="county_admin", role=Role.COUNTY_ADMIN, county=county),
        "other_county_admin": make(username="other_county_admin", role=Role.COUNTY_ADMIN, county=other_county),
        "leader": make(username="leader", role=Role.LEADER, county=county),
        "staff_a": make(username="staff_a", role=Role.TOWNSHIP_STAFF, township=township_a),
        "staff_b": make(username="staff_b", role=Role.TOWNSHIP_STAFF, township=township_b),
        "deputy_a": make(username="deputy_a", role=Role.DEPUTY, county=county),
        "deputy_b": make(username="deputy_b", role=Role.DEPUTY, county=county),
        "handler_x": make(username="handler_x", role=Role.AGENCY_HANDLER, agency=agency_a),
        "handler_y": make(username="handler_y", role=Role.AGENCY_HANDLER, agency=agency_b),
        "sysadmin": make(username="sysadmin", role=Role.SYSTEM_ADMIN),
        "secadmin": make(username="secadmin", role=Role.SECURITY_ADMIN),
        "auditadmin": make(username="auditadmin", role=Role.AUDIT_ADMIN),
    }
    mandate_a.person.user = users["deputy_a"]
    mandate_a.person.save()
    mandate_b.person.user = users["deputy_b"]
    mandate_b.person.save()
    return World(
        county=county,
        other_county=other_county,
        township_a=township_a,
        township_b=township_b,
        station_a=station_a,
        station_b=station_b,
        group_a=group_a,
        group_b=group_b,
        agency_a=agency_a,
        agency_b=agency_b,
        county_agency=county_agency,
        person_a=mandate_a.person,
        person_b=mandate_b.person,
        mandate_a=mandate_a,
        mandate_b=mandate_b,
        users=users,
    )


@pytest.fixture
def world(db) -> World:
    return build_world()


@pytest.fixture
def client_for(client):
    """``client_for(user)`` logs the test client in as ``user``."""

    def login(user):
        client.force_login(user)
        return client

    return login


@pytest.fixture(autouse=True)
def _fast_test_settings(settings):
    # Hashing a dozen persona passwords with PBKDF2 per test would dominate the suite's run time.
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
    settings.TASKS = {"default": {"BACKEND": "django_tasks.backends.immediate.ImmediateBackend"}}


@pytest.fixture(autouse=True)
def _second_factor_only_where_tested(request, settings):
    """The second factor (S7) is on by default in the app; tests that log in with force_login are
    not about it, so it is off unless a test is marked ``@pytest.mark.two_factor``. Counters in the
    cache (rate limits, burst alerts) start empty in every test."""
    from django.core.cache import cache

    if request.node.get_closest_marker("two_factor") is None:
        settings.RENDA_REQUIRE_2FA = False
    cache.clear()


@pytest.fixture(autouse=True, scope="session")
def _audit_log_flushable():
    """The audit table refuses DELETE at the database level (S17); a test flush (transactional
    tests, the browser tests) goes through the one privileged purge path instead."""
    from django.db.backends.base.operations import BaseDatabaseOperations

    from renda.accounts.audit import privileged_purge

    original = BaseDatabaseOperations.execute_sql_flush

    def execute_sql_flush(self, sql_list):
        with privileged_purge():
            original(self, sql_list)

    BaseDatabaseOperations.execute_sql_flush = execute_sql_flush
    yield
    BaseDatabaseOperations.execute_sql_flush = original


@pytest.fixture(autouse=True)
def _fresh_working_day_calendar():
    """Every test starts without calendar days cached from another test's rolled-back rows."""
    from renda.core.workdays import forget_cached_days

    forget_cached_days()
