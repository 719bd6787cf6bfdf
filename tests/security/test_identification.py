"""等保 8.1.4.1 identification and sessions: S1–S6 and S8. Clocks are mocked with time-machine."""

from datetime import UTC, datetime, timedelta

import pytest
import time_machine
from django.conf import settings
from django.contrib.auth import SESSION_KEY
from django.contrib.auth.password_validation import validate_password
from django.core.exceptions import ValidationError
from django.test import Client
from django.urls import reverse

from renda.accounts.forms import UserForm
from renda.accounts.models import AuditEntry, User
from tests.factories import TEST_PASSWORD
from tests.test_settings import PRODUCTION, manage

T0 = datetime(2026, 11, 2, 9, 0, tzinfo=UTC)
NEW_PASSWORD = "Quiet-River-Stone-77"


def login(client, username, password=TEST_PASSWORD, address="10.0.0.1"):
    return client.post(reverse("accounts:login"), {"username": username, "password": password}, REMOTE_ADDR=address)


def signed_in(client) -> bool:
    return SESSION_KEY in client.session


# ---- S1 -----------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "password",
    [
        "Sh0rt-pass!",  # 11 characters
        "alllowercaseletters",  # one class
        "NOLOWERCASE12345",  # two classes
        "1234567890123456",  # numeric and two few classes
        "Staff_A_2026!",  # too similar to the user name staff_a
    ],
)
def test_s1_weak_passwords_are_rejected_by_the_validators(world, password):
    with pytest.raises(ValidationError):
        validate_password(password, world.staff_a)


def test_s1_common_password_is_rejected_even_with_three_classes(world):
    with pytest.raises(ValidationError) as error:
        validate_password("Qwertyuiop123", world.staff_a)  # 13 characters, 3 classes, but common
    assert [e.code for e in error.value.error_list] == ["password_too_common"]


def test_s1_strong_password_passes_and_accounts_are_unique(world):
    validate_password(NEW_PASSWORD, world.staff_a)
    form = UserForm(data={"username": "staff_a", "full_name": "重名", "role": "leader", "county": world.county.pk})
    assert not form.is_valid() and "username" in form.errors


# ---- S2 -----------------------------------------------------------------------------------------


def test_s2_expired_password_allows_only_the_change_page(client, world):
    User.objects.filter(pk=world.staff_a.pk).update(password_changed_at=T0 - timedelta(days=91))
    with time_machine.travel(T0, tick=False):
        client.force_login(world.staff_a)
        change = reverse("accounts:password_change")
        for url in (reverse("home"), reverse("organisations:index"), reverse("accounts:api_tokens")):
            response = client.get(url)
            assert response.status_code == 302 and response.url.startswith(change), url
        assert client.get("/api/v1/townships").status_code == 403
        assert client.get(change).status_code == 200
        response = client.post(
            change, {"old_password": TEST_PASSWORD, "new_password1": NEW_PASSWORD, "new_password2": NEW_PASSWORD}
        )
        assert response.status_code == 302
        assert client.get(reverse("home")).status_code == 200
    world.staff_a.refresh_from_db()
    assert world.staff_a.password_changed_at == T0
    assert AuditEntry.objects.filter(event="accounts.password.change", actor=world.staff_a).count() == 1


def test_s2_password_younger_than_the_limit_and_deputies_are_not_forced(client, world):
    User.objects.filter(pk=world.staff_a.pk).update(password_changed_at=T0 - timedelta(days=89))
    User.objects.filter(pk=world.deputy_a.pk).update(password_changed_at=T0 - timedelta(days=400))
    with time_machine.travel(T0, tick=False):
        client.force_login(world.staff_a)
        assert client.get(reverse("home")).status_code == 200
        client.force_login(world.deputy_a)
        assert client.get(reverse("home")).status_code == 200


def test_s2_every_password_change_sets_the_date(world):
    with time_machine.travel(T0, tick=False):
        world.staff_b.set_password(NEW_PASSWORD)
        world.staff_b.save(update_fields=["password"])
    world.staff_b.refresh_from_db()
    assert world.staff_b.password_changed_at == T0


# ---- S3 -----------------------------------------------------------------------------------------


def test_s3_lockout_after_five_failures(client, world):
    with time_machine.travel(T0, tick=False) as clock:
        for _attempt in range(4):
            assert login(client, "staff_a", "wrong-password").status_code == 200
        assert login(client, "staff_a", "wrong-password").status_code == 429, "the 5th failure locks"
        assert AuditEntry.objects.filter(event="auth.locked").count() == 1
        response = login(client, "staff_a")
        assert response.status_code == 429, "the 6th attempt is refused even with the right password"
        assert not signed_in(client)
        clock.shift(timedelta(minutes=29))
        assert login(client, "staff_a").status_code == 429
        assert not signed_in(client)
        clock.shift(timedelta(minutes=31))
        assert login(client, "staff_a").status_code == 302, "works again after the cool-off"
        assert signed_in(client)
    locked = AuditEntry.objects.filter(event="auth.locked").first()
    assert locked.data == {"username": "staff_a", "address": "10.0.0.1"}


def test_s3_a_strangers_failures_from_another_address_do_not_lock_the_user_at_their_own(client, world):
    """The probe locked a known name for 30 minutes from anywhere: now only at the stranger's address."""
    with time_machine.travel(T0, tick=False):
        for _attempt in range(5):
            login(client, "staff_a", "wrong-password", address="203.0.113.7")
        assert login(client, "staff_a", address="203.0.113.7").status_code == 429
        assert login(Client(), "staff_a", address="10.0.1.1").status_code == 302


def test_s3_one_address_lock_does_not_block_an_office_behind_one_nat_for_other_names(client, world):
    with time_machine.travel(T0, tick=False):
        for _attempt in range(5):
            login(client, "staff_a", "wrong-password", address="10.0.2.1")
        assert login(client, "staff_a", address="10.0.2.1").status_code == 429
        assert login(Client(), "staff_b", address="10.0.2.1").status_code == 302, "a colleague behind the same NAT"


def test_s3_password_spraying_from_one_address_locks_the_address(client, world, settings):
    """The second, higher limit per address: many names tried from one address lock it for all."""
    with time_machine.travel(T0, tick=False):
        for n in range(settings.RENDA_LOCKOUT_ADDRESS_FAILURES - 1):
            assert login(client, f"nobody{n}", "wrong-password", address="10.0.3.1").status_code == 200
        assert login(Client(), "staff_b", address="10.0.3.1").status_code == 302, "below the limit"
        login(client, "nobody-last", "wrong-password", address="10.0.3.1")
        assert login(Client(), "staff_b", address="10.0.3.1").status_code == 429
        assert login(Client(), "staff_b", address="10.0.3.2").status_code == 302


def test_s3_security_administrator_lifts_a_lock(client, world):
    with time_machine.travel(T0, tick=False):
        for _attempt in range(5):
            login(client, "staff_a", "wrong-password")
        admin = Client()
        admin.force_login(world.secadmin)
        assert "staff_a" in admin.get(reverse("accounts:security_overview")).content.decode()
        admin.post(reverse("accounts:lockout_reset"), {"username": "staff_a", "ip_address": "10.0.0.1"})
        assert login(client, "staff_a").status_code == 302
    assert AuditEntry.objects.filter(event="security.lockout.reset", actor=world.secadmin).count() == 1


# ---- S4 -----------------------------------------------------------------------------------------


def test_s4_idle_session_ends_after_30_minutes(client, world):
    with time_machine.travel(T0, tick=False) as clock:
        client.force_login(world.staff_a)
        for _step in range(3):
            clock.shift(timedelta(minutes=29))
            assert client.get(reverse("home")).status_code == 200
        clock.shift(timedelta(minutes=31))
        response = client.get(reverse("home"))
        assert response.status_code == 302 and response.url.startswith(reverse("accounts:login"))
        assert client.get(reverse("home")).status_code == 302, "the session is gone, not just refused once"


def test_s4_administrators_idle_limit_is_15_minutes(client, world):
    with time_machine.travel(T0, tick=False) as clock:
        client.force_login(world.sysadmin)
        clock.shift(timedelta(minutes=14))
        assert client.get(reverse("accounts:user_list")).status_code == 200
        clock.shift(timedelta(minutes=16))
        assert client.get(reverse("accounts:user_list")).status_code == 302


def test_s4_absolute_limit_of_12_hours(client, world):
    with time_machine.travel(T0, tick=False) as clock:
        client.force_login(world.staff_a)
        for _step in range(28):  # 28 × 25 minutes = 11 h 40 min, never idle
            clock.shift(timedelta(minutes=25))
            assert client.get(reverse("home")).status_code == 200
        clock.shift(timedelta(minutes=25))
        assert client.get(reverse("home")).status_code == 302


# ---- S5 -----------------------------------------------------------------------------------------


def test_s5_logout_ends_the_server_side_session(client, world):
    client.force_login(world.staff_a)
    cookie = client.cookies[settings.SESSION_COOKIE_NAME].value
    client.post(reverse("accounts:logout"))
    replay = Client()
    replay.cookies[settings.SESSION_COOKIE_NAME] = cookie
    response = replay.get(reverse("home"))
    assert response.status_code == 302 and response.url.startswith(reverse("accounts:login"))


def test_s5_password_change_ends_the_other_sessions(world):
    changer, other = Client(), Client()
    changer.force_login(world.staff_a)
    other.force_login(world.staff_a)
    assert other.get(reverse("home")).status_code == 200
    response = changer.post(
        reverse("accounts:password_change"),
        {"old_password": TEST_PASSWORD, "new_password1": NEW_PASSWORD, "new_password2": NEW_PASSWORD},
    )
    assert response.status_code == 302
    assert changer.get(reverse("home")).status_code == 200, "the session that changed it goes on"
    assert other.get(reverse("home")).status_code == 302, "every other session has ended"


# ---- S6 -----------------------------------------------------------------------------------------


def test_s6_new_session_id_at_login_and_cookie_flags(client, world):
    session = client.session
    session["visited"] = True
    session.save()
    client.cookies[settings.SESSION_COOKIE_NAME] = session.session_key
    before = session.session_key
    response = login(client, "staff_a")
    after = response.cookies[settings.SESSION_COOKIE_NAME]
    assert after.value != before
    assert after["httponly"] is True and after["samesite"] == "Lax"


def production_setting(*names: str) -> list[str]:
    code = f"from django.conf import settings as s; print(*[getattr(s, n) for n in {names!r}], sep='|')"
    result = manage("shell", "-c", code, **PRODUCTION)
    assert result.returncode == 0, result.stderr
    return result.stdout.strip().splitlines()[-1].split("|")


def test_s6_s8_production_cookies_are_secure_and_https_is_enforced():
    values = production_setting(
        "SESSION_COOKIE_SECURE",
        "CSRF_COOKIE_SECURE",
        "SESSION_COOKIE_HTTPONLY",
        "SESSION_COOKIE_SAMESITE",
        "SECURE_SSL_REDIRECT",
        "SECURE_HSTS_SECONDS",
        "RENDA_REQUIRE_2FA",
    )
    assert values == ["True", "True", "True", "Lax", "True", "31536000", "True"]


# ---- S8 -----------------------------------------------------------------------------------------


def test_s8_http_is_redirected_to_https_with_hsts(client, settings):
    settings.SECURE_SSL_REDIRECT = True
    settings.SECURE_HSTS_SECONDS = 31536000
    response = client.get(reverse("accounts:login"))
    assert response.status_code == 301 and response.url.startswith("https://")
    secure = client.get(reverse("accounts:login"), secure=True)
    assert secure["Strict-Transport-Security"].startswith("max-age=31536000")


def test_s8_credentials_in_a_query_string_do_not_log_in(client, world):
    client.get(reverse("accounts:login"), {"username": "staff_a", "password": TEST_PASSWORD})
    assert not signed_in(client)
    assert 'method="post"' in client.get(reverse("accounts:login")).content.decode()


def test_s5_security_administrator_ends_every_session_of_an_account(world):
    victim, bystander = Client(), Client()
    victim.force_login(world.staff_a)
    bystander.force_login(world.staff_b)
    admin = Client()
    admin.force_login(world.secadmin)
    assert "staff_a" in admin.get(reverse("accounts:security_overview")).content.decode()
    assert admin.post(reverse("accounts:sessions_end", args=[world.staff_a.uuid])).status_code == 302
    assert victim.get(reverse("home")).status_code == 302
    assert bystander.get(reverse("home")).status_code == 200
    assert AuditEntry.objects.filter(event="security.sessions.end", target_id=str(world.staff_a.uuid)).count() == 1
    assert login(victim, "staff_a").status_code == 302
    assert victim.get(reverse("home")).status_code == 200, "a new login works"
    sysadmin = Client()
    sysadmin.force_login(world.sysadmin)
    assert sysadmin.post(reverse("accounts:sessions_end", args=[world.staff_b.uuid])).status_code == 403
