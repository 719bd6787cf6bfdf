"""等保 8.1.4.2 access control: S9–S14."""

import pytest
from django.contrib.auth.password_validation import validate_password
from django.core.management import CommandError, call_command
from django.test import Client, override_settings
from django.urls import URLPattern, URLResolver, get_resolver, reverse
from ninja.security import SessionAuth

from renda.accounts import checks
from renda.accounts.models import AuditEntry, User
from renda.api import api
from renda.demo import checks as demo_checks
from renda.demo.management.commands.seed_demo import DEMO_PASSWORD
from tests.crawl.urls import API_NAMESPACE, PUBLIC, SAMPLES, page_url_names

# Views Django's CSRF middleware skips. The JSON API is the only one: django-ninja marks its views
# exempt and checks CSRF itself in SessionAuth; bearer-token calls carry no cookie to forge.
CSRF_EXEMPT_ALLOWED = ("api:",)


def patterns_with_names():
    def walk(patterns, prefix):
        for pattern in patterns:
            if isinstance(pattern, URLResolver):
                yield from walk(pattern.url_patterns, f"{prefix}{pattern.namespace}:" if pattern.namespace else prefix)
            elif isinstance(pattern, URLPattern):
                yield f"{prefix}{pattern.name}", pattern.callback

    return list(walk(get_resolver().url_patterns, ""))


# ---- S9 -----------------------------------------------------------------------------------------


def test_s9_every_view_needs_login_unless_on_the_public_allowlist():
    public = sorted(
        name
        for name, callback in patterns_with_names()
        if getattr(callback, "login_required", True) is False and not name.startswith(API_NAMESPACE)
    )
    assert set(public) <= PUBLIC, f"views open without login that are not on the allowlist: {set(public) - PUBLIC}"
    assert "accounts:login" in PUBLIC


def test_s9_anonymous_visitor_gets_the_login_page_for_every_other_page(client, world):
    for name in page_url_names():
        if name in PUBLIC:
            continue
        sample = SAMPLES[name]
        url = reverse(name, kwargs=sample(world, "a") if sample else None)
        response = client.get(url)
        assert response.status_code == 302 and response.url.startswith(reverse("accounts:login")), name


# ---- S10 ----------------------------------------------------------------------------------------


def test_s10_outsiders_get_404_for_objects_their_role_may_otherwise_see(client, world):
    """Wherever township A's staff may open their own object, township B's answers 404, and the
    refusal is audited once (access.denied)."""
    client.force_login(world.staff_a)
    client.raise_request_exception = False  # a failing page is the crawl's finding, not this test's
    checked = 0
    for name in page_url_names():
        sample = SAMPLES.get(name)
        if sample is None or name in PUBLIC:  # citizens' pages are open to anyone by design
            continue
        own = client.get(reverse(name, kwargs=sample(world, "a")))
        if own.status_code != 200:
            continue
        before = AuditEntry.objects.filter(event="access.denied").count()
        foreign = client.get(reverse(name, kwargs=sample(world, "b")))
        assert foreign.status_code == 404, name
        assert AuditEntry.objects.filter(event="access.denied").count() == before + 1, name
        checked += 1
    assert checked >= 5


# ---- S11 ----------------------------------------------------------------------------------------

MATRIX = {
    # page: {role: expected status}
    "accounts:user_list": {"sysadmin": 200, "secadmin": 200, "auditadmin": 403},
    "accounts:user_create": {"sysadmin": 200, "secadmin": 403, "auditadmin": 403},
    "accounts:audit_log": {"sysadmin": 403, "secadmin": 403, "auditadmin": 200},
    "accounts:audit_verify": {"sysadmin": 403, "secadmin": 403, "auditadmin": 200},
    "accounts:security_overview": {"sysadmin": 403, "secadmin": 200, "auditadmin": 403},
    "organisations:index": {"sysadmin": 403, "secadmin": 403, "auditadmin": 403},
}


@pytest.mark.parametrize("page", sorted(MATRIX))
def test_s11_three_administrators_each_do_only_their_own_function(client, world, page):
    for username, expected in MATRIX[page].items():
        client.force_login(world.users[username])
        assert client.get(reverse(page)).status_code == expected, (username, page)


def test_s11_only_the_system_administrator_changes_accounts(client, world):
    url = reverse("accounts:user_edit", args=[world.staff_a.uuid])
    expected = {"sysadmin": 200, "secadmin": 404, "auditadmin": 404}
    for username, status in expected.items():
        client.force_login(world.users[username])
        assert client.get(url).status_code == status, username
    for username in ("sysadmin", "auditadmin"):
        client.force_login(world.users[username])
        assert client.post(reverse("accounts:lockout_reset"), {"username": "x"}).status_code == 403


def test_s11_deployment_check_fails_on_an_active_superuser(world):
    assert checks.no_active_superuser() == []
    User.objects.filter(pk=world.sysadmin.pk).update(is_superuser=True)
    assert [m.id for m in checks.no_active_superuser()] == ["renda.E001"]


def test_s11_create_account_bootstraps_without_a_superuser(db, monkeypatch):
    monkeypatch.setenv("RENDA_INITIAL_PASSWORD", "Tea-Garden-Bridge-42")
    call_command("create_account", "--username", "first_admin", "--full-name", "首位管理员", "--role", "system_admin")
    user = User.objects.get(username="first_admin")
    assert (user.role, user.is_superuser, user.check_password("Tea-Garden-Bridge-42")) == ("system_admin", False, True)
    assert AuditEntry.objects.filter(event="accounts.user.create", target_id=str(user.uuid)).count() == 1
    monkeypatch.setenv("RENDA_INITIAL_PASSWORD", "short")
    with pytest.raises(CommandError):
        call_command("create_account", "--username", "weak", "--full-name", "弱", "--role", "audit_admin")
    assert not User.objects.filter(username="weak").exists()


def test_s11_break_glass_is_off_by_default_and_audited(world):
    breakglass = User.objects.create(username="breakglass", full_name="应急", role="system_admin", is_active=False)
    assert checks.no_active_superuser() == []
    with pytest.raises(CommandError):
        call_command("break_glass", "--enable", "breakglass")  # no reason given
    call_command("break_glass", "--enable", "breakglass", "--reason", "数据库故障 2026-11-27")
    breakglass.refresh_from_db()
    assert breakglass.is_active and breakglass.is_superuser
    assert [m.id for m in checks.no_active_superuser()] == ["renda.E001"]
    call_command("break_glass", "--disable", "breakglass")
    assert checks.no_active_superuser() == []
    events = list(AuditEntry.objects.filter(target_id=str(breakglass.uuid)).values_list("event", flat=True))
    assert sorted(events) == ["security.break_glass.disable", "security.break_glass.enable"]


# ---- S12 ----------------------------------------------------------------------------------------


def test_s12_demo_password_fails_the_production_check(world, settings):
    settings.PRODUCTION = True
    assert demo_checks.no_demo_password_in_production() == []
    world.sysadmin.set_password(DEMO_PASSWORD)
    world.sysadmin.save()
    assert [m.id for m in demo_checks.no_demo_password_in_production()] == ["renda.E002"]
    settings.PRODUCTION = False
    assert demo_checks.no_demo_password_in_production() == []


def test_s12_demo_password_passes_the_validators_so_the_check_guards_production(world):
    # The published demo password would pass; what protects production is the check above.
    validate_password(DEMO_PASSWORD, world.sysadmin)


def test_s12_dormant_accounts_are_disabled_idempotently(world):
    from datetime import timedelta

    from django.utils import timezone

    long_ago = timezone.now() - timedelta(days=91)
    User.objects.filter(pk=world.staff_b.pk).update(last_login=long_ago)
    User.objects.filter(pk=world.handler_y.pk).update(last_login=None, date_joined=long_ago)
    User.objects.filter(pk=world.staff_a.pk).update(last_login=timezone.now() - timedelta(days=89))
    call_command("disable_dormant_accounts")
    call_command("disable_dormant_accounts")
    inactive = set(User.objects.filter(is_active=False).values_list("username", flat=True))
    assert inactive == {"staff_b", "handler_y"}
    assert AuditEntry.objects.filter(event="accounts.user.disable_dormant").count() == 2


# ---- S13 ----------------------------------------------------------------------------------------


def test_s13_administrator_pages_only_from_the_admin_networks(client, world, settings):
    client.force_login(world.sysadmin)
    url = reverse("accounts:user_list")
    assert client.get(url, REMOTE_ADDR="127.0.0.1").status_code == 200
    assert client.get(url, REMOTE_ADDR="203.0.113.5").status_code == 404
    settings.RENDA_ADMIN_NETWORKS = ["10.8.0.0/16"]
    assert client.get(url, REMOTE_ADDR="10.8.3.4").status_code == 200
    assert client.get(url, REMOTE_ADDR="127.0.0.1").status_code == 404
    # Logging out still works from anywhere; the county administrator is not an administrator role.
    client.force_login(world.county_admin)
    assert client.get(url, REMOTE_ADDR="203.0.113.5").status_code == 200


@override_settings(ROOT_URLCONF="tests.security.urls_with_admin")
def test_s13_django_admin_only_from_the_admin_networks(client, db):
    assert client.get("/django-admin/login/", REMOTE_ADDR="203.0.113.5").status_code == 404
    assert client.get("/django-admin/login/", REMOTE_ADDR="127.0.0.1").status_code == 200


# ---- S14 ----------------------------------------------------------------------------------------


def test_s14_no_csrf_exempt_outside_the_explicit_list():
    exempt = [name for name, callback in patterns_with_names() if getattr(callback, "csrf_exempt", False)]
    assert [name for name in exempt if not name.startswith(CSRF_EXEMPT_ALLOWED)] == []
    # The API's session authentication does check CSRF, and no operation opts out.
    assert any(isinstance(auth, SessionAuth) and auth.csrf for auth in api.auth)
    for _prefix, router in api._routers:
        for path_view in router.path_operations.values():
            assert not any(operation.csrf_exempt for operation in path_view.operations)


def test_s14_state_changes_without_the_token_are_refused(world):
    client = Client(enforce_csrf_checks=True)
    assert client.post(reverse("accounts:login"), {"username": "staff_a", "password": "x"}).status_code == 403
    client.force_login(world.staff_a)
    before = world.township_a.stations.count()
    response = client.post(reverse("organisations:station_create", args=[world.township_a.uuid]), {"name": "新站"})
    assert response.status_code == 403 and world.township_a.stations.count() == before
    assert client.post(reverse("accounts:logout")).status_code == 403


def test_s13_s7_production_check_warns_on_open_admin_networks_or_no_second_factor(settings):
    settings.PRODUCTION = True
    settings.RENDA_REQUIRE_2FA = True
    assert checks.security_settings_in_production() == []
    settings.RENDA_REQUIRE_2FA = False
    settings.RENDA_ADMIN_NETWORKS = ["0.0.0.0/0"]
    assert [m.id for m in checks.security_settings_in_production()] == ["renda.W001", "renda.W002"]
