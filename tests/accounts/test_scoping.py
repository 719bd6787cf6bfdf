"""The one scoping mechanism, role by role."""

from renda.accounts.models import AuditEntry, User
from renda.accounts.scoping import CHANGE, VIEW, can, scoped
from renda.deputies.models import Person
from renda.organisations.models import Agency, Station, Township


def names(queryset) -> set[str]:
    return {str(row) for row in queryset}


def test_township_staff_see_and_change_their_own_township_only(world):
    assert names(scoped(Township, world.staff_a)) == {"甲镇"}
    assert names(scoped(Station, world.staff_a, CHANGE)) == {world.station_a.name}
    assert not can(world.staff_a, CHANGE, world.station_b)
    assert scoped(Township, world.staff_a, CHANGE).count() == 0  # townships belong to the county


def test_county_wide_agencies_are_readable_but_not_changeable_by_township_staff(world):
    assert names(scoped(Agency, world.staff_a)) == {world.agency_a.name, world.county_agency.name}
    assert names(scoped(Agency, world.staff_a, CHANGE)) == {world.agency_a.name}


def test_county_admin_sees_the_county_not_the_neighbour(world):
    assert names(scoped(Township, world.county_admin)) == {"甲镇", "乙镇"}
    assert scoped(Township, world.other_county_admin).count() == 0


def test_leader_reads_but_never_changes(world):
    assert scoped(Person, world.leader).count() == 2
    assert scoped(Person, world.leader, CHANGE).count() == 0


def test_deputy_sees_own_record_only(world):
    assert list(scoped(Person, world.deputy_a)) == [world.person_a]
    assert scoped(Station, world.deputy_a).count() == 0


def test_agency_handler_sees_own_agency_only(world):
    assert list(scoped(Agency, world.handler_x)) == [world.agency_a]
    assert scoped(Person, world.handler_x).count() == 0


def test_three_administrators_are_separated(world):
    assert not scoped(AuditEntry, world.auditadmin).query.is_empty()
    assert scoped(AuditEntry, world.sysadmin).query.is_empty()
    assert scoped(AuditEntry, world.secadmin).query.is_empty()
    assert scoped(User, world.auditadmin).count() == 0
    assert scoped(User, world.sysadmin, CHANGE).count() == User.objects.count()
    assert scoped(User, world.secadmin, CHANGE).count() == 0
    for admin in (world.sysadmin, world.secadmin, world.auditadmin):
        assert scoped(Person, admin).count() == 0
        assert scoped(Township, admin).count() == 0


def test_inactive_and_anonymous_users_see_nothing(world):
    from django.contrib.auth.models import AnonymousUser

    world.staff_a.is_active = False
    assert scoped(Township, world.staff_a).count() == 0
    assert scoped(Township, AnonymousUser()).count() == 0


def test_model_without_declaration_is_denied(world):
    from django.contrib.auth.models import Group

    assert scoped(Group, world.county_admin, VIEW).count() == 0
