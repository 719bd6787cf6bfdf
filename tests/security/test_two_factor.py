"""S7: a second factor (TOTP, recovery codes) for the privileged roles."""

from datetime import UTC, datetime, timedelta

import pytest
import time_machine
from django.test import Client
from django.urls import reverse
from django_otp.oath import TOTP
from django_otp.plugins.otp_static.models import StaticToken
from django_otp.plugins.otp_totp.models import TOTPDevice

from renda.accounts.models import AuditEntry
from renda.accounts.roles import TWO_FACTOR_ROLES, Role
from renda.accounts.views import PENDING_OTP_KEY
from tests.factories import TEST_PASSWORD

pytestmark = pytest.mark.two_factor
T0 = datetime(2026, 11, 2, 9, 0, tzinfo=UTC)


def code_for(device: TOTPDevice) -> str:
    totp = TOTP(device.bin_key, device.step, device.t0, device.digits, device.drift)
    return f"{totp.token():0{device.digits}d}"


def password_login(client: Client, username: str) -> None:
    response = client.post(reverse("accounts:login"), {"username": username, "password": TEST_PASSWORD})
    assert response.status_code == 302


def pending_device(client: Client) -> TOTPDevice:
    """The device the setup page showed to this client, as the phone would hold it."""
    return TOTPDevice(key=client.session[PENDING_OTP_KEY])


def enrolled(user) -> TOTPDevice:
    return TOTPDevice.objects.create(user=user, name="phone", confirmed=True)


def test_s7_roles_that_need_a_second_factor():
    assert {Role.COUNTY_ADMIN, Role.TOWNSHIP_STAFF, Role.SYSTEM_ADMIN, Role.SECURITY_ADMIN, Role.AUDIT_ADMIN} == set(
        TWO_FACTOR_ROLES
    )


def test_s7_right_password_without_otp_reaches_nothing_else(client, world):
    password_login(client, "staff_a")
    setup = reverse("accounts:two_factor_setup")
    reveal = reverse("accounts:pii_reveal", args=["deputies.person", world.person_a.uuid, "phone"])
    for url in (reverse("home"), reverse("organisations:index"), reverse("accounts:api_tokens")):
        response = client.get(url)
        assert response.status_code == 302 and response.url.startswith(setup), url
    response = client.post(reveal)
    assert response.status_code == 302 and world.person_a.phone not in response.content.decode()
    assert client.get("/api/v1/townships").status_code == 403
    assert not AuditEntry.objects.filter(event="pii.reveal").exists()
    for username in ("county_admin", "sysadmin", "auditadmin"):
        other = Client()
        password_login(other, username)
        for name in ("accounts:user_list", "accounts:audit_log", "home"):
            assert other.get(reverse(name)).status_code == 302, (username, name)


def test_s7_enrolment_shows_an_inline_qr_code_and_recovery_codes_once(client, world):
    with time_machine.travel(T0, tick=False):
        password_login(client, "staff_a")
        page = client.get(reverse("accounts:two_factor_setup")).content.decode()
        assert "<svg" in page and "<img" not in page
        # Showing the code stores nothing; the secret waits in the session for the first code.
        assert not TOTPDevice.objects.filter(user=world.staff_a).exists()
        device = pending_device(client)
        client.get(reverse("accounts:two_factor_setup"))
        assert pending_device(client).key == device.key, "a reload must show the same secret"
        response = client.post(reverse("accounts:two_factor_setup"), {"otp_token": code_for(device)})
        assert response.status_code == 200
        codes = response.context["codes"]
        assert len(codes) == 10 and all(code in response.content.decode() for code in codes)
        assert client.get(reverse("home")).status_code == 200
    assert AuditEntry.objects.filter(event="accounts.two_factor.enrol", outcome="success").count() == 1
    assert StaticToken.objects.filter(device__user=world.staff_a).count() == 10


def test_s7_verified_user_reaches_pages_and_replayed_code_is_refused(world):
    device = enrolled(world.county_admin)
    with time_machine.travel(T0, tick=False):
        first = Client()
        password_login(first, "county_admin")
        assert first.get(reverse("home")).url.startswith(reverse("accounts:two_factor_verify"))
        code = code_for(device)
        assert first.post(reverse("accounts:two_factor_verify"), {"otp_token": code}).status_code == 302
        assert first.get(reverse("home")).status_code == 200
        replay = Client()
        password_login(replay, "county_admin")
        response = replay.post(reverse("accounts:two_factor_verify"), {"otp_token": code})
        assert response.status_code == 200 and response.context["form"].errors
        assert replay.get(reverse("home")).status_code == 302
    outcomes = list(AuditEntry.objects.filter(event="auth.two_factor").values_list("outcome", flat=True))
    assert sorted(outcomes) == ["failure", "success"]


def test_s7_recovery_code_works_once(world):
    with time_machine.travel(T0, tick=False) as clock:
        client = Client()
        password_login(client, "staff_a")
        client.get(reverse("accounts:two_factor_setup"))
        device = pending_device(client)
        codes = client.post(reverse("accounts:two_factor_setup"), {"otp_token": code_for(device)}).context["codes"]
        clock.shift(timedelta(minutes=5))
        for attempt in range(2):
            other = Client()
            password_login(other, "staff_a")
            other.post(reverse("accounts:two_factor_verify"), {"otp_token": codes[0]})
            assert (other.get(reverse("home")).status_code == 200) is (attempt == 0)


def test_s7_roles_without_personal_data_go_straight_in(client, world):
    password_login(client, "deputy_a")
    assert client.get(reverse("home")).status_code == 200


def test_s7_security_administrator_resets_a_lost_second_factor(client, world):
    enrolled(world.staff_a)
    admin = Client()
    password_login(admin, "secadmin")
    # The security administrator needs a second factor too: give them one and verify.
    device = enrolled(world.secadmin)
    admin.post(reverse("accounts:two_factor_verify"), {"otp_token": code_for(device)})
    response = admin.post(reverse("accounts:two_factor_reset", args=[world.staff_a.uuid]))
    assert response.status_code == 302
    assert not TOTPDevice.objects.filter(user=world.staff_a).exists()
    assert AuditEntry.objects.filter(event="accounts.two_factor.reset", actor=world.secadmin).count() == 1
    sysadmin = Client()
    sysadmin.force_login(world.sysadmin)
    sysadmin_device = enrolled(world.sysadmin)
    sysadmin.post(reverse("accounts:two_factor_verify"), {"otp_token": code_for(sysadmin_device)})
    assert sysadmin.post(reverse("accounts:two_factor_reset", args=[world.staff_b.uuid])).status_code == 403


def test_s7_setting_turns_it_off_for_development(client, world, settings):
    settings.RENDA_REQUIRE_2FA = False
    password_login(client, "staff_a")
    assert client.get(reverse("home")).status_code == 200


def test_s7_a_stolen_password_cannot_enrol_a_new_device_over_the_old_one(client, world):
    enrolled(world.staff_a)
    password_login(client, "staff_a")
    response = client.get(reverse("accounts:two_factor_setup"))
    assert response.status_code == 302 and response.url == reverse("accounts:two_factor_verify")
    rogue = TOTPDevice.objects.create(user=world.staff_a, name="rogue", confirmed=False)
    client.post(reverse("accounts:two_factor_setup"), {"otp_token": code_for(rogue)})
    assert client.get(reverse("home")).status_code == 302
    rogue.refresh_from_db()
    assert not rogue.confirmed


def test_s7_failed_enrolment_codes_are_throttled(client, world):
    """The pending device is stored with the first code tried, so a wrong guess slows the next."""
    with time_machine.travel(T0, tick=False) as clock:
        password_login(client, "staff_a")
        client.get(reverse("accounts:two_factor_setup"))
        device = pending_device(client)
        setup = reverse("accounts:two_factor_setup")
        assert "codes" not in client.post(setup, {"otp_token": "000000"}).context
        assert "codes" not in client.post(setup, {"otp_token": code_for(device)}).context
        clock.shift(timedelta(seconds=2))
        assert len(client.post(setup, {"otp_token": code_for(device)}).context["codes"]) == 10
