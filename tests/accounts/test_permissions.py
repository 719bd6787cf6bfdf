"""Who may do what, by named check and persona: the one table of the site's permissions.

Each check is read from the app's permissions module, as views and templates use it; the table
says which personas pass. Outsiders (staff_b, deputy_b) pass no check on township A's rows.
"""

import pytest

from renda.accounts import permissions as accounts
from renda.deputies import permissions as deputies
from renda.organisations import permissions as organisations

PERSONAS = (
    "county_admin",
    "leader",
    "staff_a",
    "staff_b",
    "deputy_a",
    "deputy_b",
    "handler_x",
    "sysadmin",
    "secadmin",
    "auditadmin",
)
STAFF = {"county_admin", "staff_a", "staff_b"}
COUNTY_PEOPLE = {"county_admin", "leader", "staff_a", "staff_b"}
DEPUTIES = {"deputy_a", "deputy_b"}

# check, the row it is asked about (from the world, or None), the personas that pass.
TABLE = [
    (accounts.may_view_accounts, None, {"county_admin", "sysadmin", "secadmin"}),
    (accounts.may_manage_accounts, None, {"sysadmin"}),
    (accounts.may_view_audit_log, None, {"auditadmin"}),
    (accounts.may_manage_security, None, {"secadmin"}),
    (accounts.may_approve_exports, None, {"county_admin"}),
    (organisations.may_view_organisations, None, COUNTY_PEOPLE),
    (organisations.may_view_counties, None, {"county_admin", "leader", "sysadmin"}),
    (organisations.may_set_up_county, None, {"sysadmin"}),
    (organisations.may_change_township, "township_a", {"county_admin"}),
    (organisations.may_change_units, None, STAFF),
    (organisations.may_view_agencies, None, COUNTY_PEOPLE | {"handler_x"}),
    (organisations.may_add_agencies, None, STAFF),
    (deputies.may_view_roster, None, COUNTY_PEOPLE | DEPUTIES),
    (deputies.may_change_roster, None, STAFF),
    (deputies.may_export_roster, None, STAFF),
    (deputies.may_change_person, "person_a", {"county_admin", "staff_a"}),
    (deputies.may_view_mandates, None, COUNTY_PEOPLE | DEPUTIES),
    (deputies.may_view_liaisons, None, COUNTY_PEOPLE | DEPUTIES),
    (deputies.may_assign_liaisons, "township_a", {"county_admin", "staff_a"}),
    (deputies.may_view_point_rules, None, COUNTY_PEOPLE),
    (deputies.may_manage_points, None, {"county_admin"}),
    (deputies.may_resolve_contests, None, STAFF),
    (deputies.may_contest_points, "mandate_a", {"deputy_a"}),
    (deputies.may_view_own_work, None, DEPUTIES),
]


@pytest.mark.parametrize(("check", "row", "allowed"), TABLE, ids=[check.__name__ for check, _r, _a in TABLE])
def test_who_passes_each_check(world, check, row, allowed):
    args = (getattr(world, row),) if row else ()
    passing = {name for name in PERSONAS if check(world.users[name], *args)}
    assert passing == allowed


def test_a_disabled_account_passes_no_check(world):
    for name in PERSONAS:
        world.users[name].is_active = False
    for check, row, _allowed in TABLE:
        args = (getattr(world, row),) if row else ()
        assert [name for name in PERSONAS if check(world.users[name], *args)] == [], check.__name__


def test_an_anonymous_visitor_passes_no_check(world):
    from django.contrib.auth.models import AnonymousUser

    for check, row, _allowed in TABLE:
        args = (getattr(world, row),) if row else ()
        assert not check(AnonymousUser(), *args), check.__name__


def test_the_policy_shown_is_the_one_the_password_validators_enforce(settings):
    from renda.accounts.selectors import security_policy

    assert (security_policy()["password_min_length"], security_policy()["password_classes"]) == (12, 3)
    settings.AUTH_PASSWORD_VALIDATORS = [
        {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator", "OPTIONS": {"min_length": 14}},
        {"NAME": "renda.accounts.validators.CharacterClassValidator", "OPTIONS": {"min_classes": 4}},
    ]
    assert (security_policy()["password_min_length"], security_policy()["password_classes"]) == (14, 4)
