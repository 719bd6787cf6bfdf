"""Issue 9 item 3: API tokens are tied to the account's security state.

The probe found a token still working after its owner's password change and after the security
administrator ended all the owner's sessions, and an administrator's token working from outside
the administrators' network. Each test below repeats one of those, or one of the other events
that end an account's sessions (deactivation, a role change), and expects the token dead.
"""

from datetime import timedelta

import pytest
import time_machine
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from renda.accounts.forms import UserAuthorisationForm, UserForm
from renda.accounts.models import ApiToken, AuditEntry, TokenRevocation, User
from renda.accounts.roles import Role
from renda.accounts.services import api_token_create, disable_dormant_accounts
from tests.factories import TEST_PASSWORD

API = "/api/v1/townships"


def bearer(raw: str, **extra) -> dict:
    return {"HTTP_AUTHORIZATION": f"Bearer {raw}", **extra}


def token_for(user) -> tuple[ApiToken, str]:
    token, raw = api_token_create(user=user, name="脚本", actor=user)
    return token, raw


def assert_revoked(client, token: ApiToken, raw: str, reason: TokenRevocation) -> None:
    client.logout()
    assert client.get(API, **bearer(raw)).status_code == 401
    token.refresh_from_db()
    assert token.revoked_at is not None and token.revoked_reason == reason
    entry = AuditEntry.objects.filter(event="accounts.api_token.revoke_all", target_id=str(token.user.uuid)).get()
    assert entry.data == {"reason": reason.value, "tokens": 1}


def _post_form(client, form_class, url: str, actor: User, user: User, **changes) -> None:
    """Post ``form_class`` for ``user`` as ``actor``, changing only ``changes``."""
    form = form_class(instance=user)
    data = {name: form[name].value() for name in form.fields if form[name].value() is not None}
    data = {name: value for name, value in data.items() if value is not False}
    data.update(changes)
    if data.get("is_active") is False:
        del data["is_active"]
    client.force_login(actor)
    response = client.post(url, data)
    assert response.status_code == 302, response.content.decode()[-2000:]


def authorise(client, user: User, **changes) -> None:
    """Role, scope and the active flag: the security administrator's form (S11)."""
    url = reverse("accounts:user_authorisation", args=[user.uuid])
    _post_form(client, UserAuthorisationForm, url, User.objects.get(username="secadmin"), user, **changes)


def edit_account(client, user: User, **changes) -> None:
    """User name, full name and phone: the system administrator's form."""
    url = reverse("accounts:user_edit", args=[user.uuid])
    _post_form(client, UserForm, url, User.objects.get(username="sysadmin"), user, **changes)


def test_a_fresh_token_works(client, world):
    _token, raw = token_for(world.staff_a)
    assert client.get(API, **bearer(raw)).status_code == 200


def test_token_revoked_on_password_change(client, world):
    token, raw = token_for(world.staff_a)
    client.force_login(world.staff_a)
    new = "Another-Horse-Battery-7"
    response = client.post(
        reverse("accounts:password_change"),
        {"old_password": TEST_PASSWORD, "new_password1": new, "new_password2": new},
    )
    assert response.status_code == 302
    assert_revoked(client, token, raw, TokenRevocation.PASSWORD)


def test_token_revoked_on_end_all_sessions(client, world):
    token, raw = token_for(world.staff_a)
    client.force_login(world.secadmin)
    assert client.post(reverse("accounts:sessions_end", args=[world.staff_a.uuid])).status_code == 302
    assert_revoked(client, token, raw, TokenRevocation.SESSIONS_ENDED)


def test_token_revoked_on_deactivation(client, world):
    token, raw = token_for(world.staff_a)
    authorise(client, world.staff_a, is_active=False)
    assert User.objects.get(pk=world.staff_a.pk).is_active is False
    assert_revoked(client, token, raw, TokenRevocation.DEACTIVATED)
    # Reactivating the account does not bring the token back.
    authorise(client, User.objects.get(pk=world.staff_a.pk), is_active="on")
    assert User.objects.get(pk=world.staff_a.pk).is_active is True
    client.logout()
    assert client.get(API, **bearer(raw)).status_code == 401


def test_token_revoked_on_dormant_deactivation(client, world):
    token, raw = token_for(world.staff_a)
    User.objects.filter(pk=world.staff_a.pk).update(last_login=timezone.now() - timedelta(days=400))
    assert disable_dormant_accounts() >= 1
    assert_revoked(client, token, raw, TokenRevocation.DEACTIVATED)


def test_token_revoked_on_role_change(client, world):
    token, raw = token_for(world.staff_a)
    authorise(client, world.staff_a, role=Role.COUNTY_ADMIN, county=world.county.pk, township="")
    assert User.objects.get(pk=world.staff_a.pk).role == Role.COUNTY_ADMIN
    assert_revoked(client, token, raw, TokenRevocation.ROLE_CHANGED)


def test_token_revoked_on_one_time_password_reset(client, world):
    token, raw = token_for(world.staff_a)
    client.force_login(world.sysadmin)
    assert client.post(reverse("accounts:user_password_reset", args=[world.staff_a.uuid])).status_code == 200
    assert_revoked(client, token, raw, TokenRevocation.PASSWORD)


def test_an_edit_of_other_fields_keeps_the_token(client, world):
    _token, raw = token_for(world.staff_a)
    edit_account(client, world.staff_a, full_name="新名字")
    assert client.get(API, **bearer(raw)).status_code == 200


def test_token_refused_outside_the_admin_network(client, world, settings):
    """An administrator's token answers as their session does: not at all outside the network."""
    settings.RENDA_ADMIN_NETWORKS = ["10.20.0.0/16"]
    _token, raw = token_for(world.sysadmin)
    client.force_login(world.sysadmin)
    assert client.get(reverse("accounts:user_list"), REMOTE_ADDR="203.0.113.9").status_code == 404
    client.logout()
    assert client.get(API, **bearer(raw, REMOTE_ADDR="203.0.113.9")).status_code == 404
    refused = AuditEntry.objects.get(event="accounts.api_token.refused")
    assert refused.outcome == "denied" and refused.actor_id == world.sysadmin.pk
    assert client.get(API, **bearer(raw, REMOTE_ADDR="10.20.3.4")).status_code == 200
    # The rule is the administrators': township staff use their token from anywhere.
    _staff_token, staff_raw = token_for(world.staff_a)
    assert client.get(API, **bearer(staff_raw, REMOTE_ADDR="203.0.113.9")).status_code == 200


@pytest.mark.parametrize("days", [90, 30])
def test_token_lifetime_is_a_setting(world, settings, days):
    """90 days unless the deployment says otherwise."""
    if days != 90:
        settings.RENDA_API_TOKEN_DAYS = days
    token, _raw = token_for(world.staff_a)
    assert abs(token.expires_at - (timezone.now() + timedelta(days=days))) < timedelta(minutes=1)


def test_an_expired_token_is_refused(client, world, settings):
    settings.RENDA_API_TOKEN_DAYS = 1
    _token, raw = token_for(world.staff_a)
    with time_machine.travel(timezone.now() + timedelta(days=2)):
        assert client.get(API, **bearer(raw)).status_code == 401


def test_last_use_is_written_at_most_once_an_hour(client, world):
    token, raw = token_for(world.staff_a)
    client.get(API, **bearer(raw))
    token.refresh_from_db()
    first = token.last_used_at
    assert first is not None
    with CaptureQueriesContext(connection) as queries:
        client.get(API, **bearer(raw))
    assert not [q for q in queries if q["sql"].startswith("UPDATE") and "api_token" in q["sql"]]
    token.refresh_from_db()
    assert token.last_used_at == first
    with time_machine.travel(timezone.now() + timedelta(hours=2)):
        client.get(API, **bearer(raw))
    token.refresh_from_db()
    assert token.last_used_at > first


def test_token_page_shows_expiry_last_use_and_why_a_token_was_revoked(client, world, settings):
    settings.RENDA_API_TOKEN_DAYS = 45
    token, raw = token_for(world.staff_a)
    client.get(API, **bearer(raw))
    token.refresh_from_db()
    client.force_login(world.secadmin)
    client.post(reverse("accounts:sessions_end", args=[world.staff_a.uuid]))
    client.force_login(User.objects.get(pk=world.staff_a.pk))
    body = client.get(reverse("accounts:api_tokens")).content.decode()
    local = timezone.localtime
    assert local(token.expires_at).strftime("%Y-%m-%d") in body
    assert local(token.last_used_at).strftime("%Y-%m-%d %H:%M") in body
    assert "令牌有效期为45天" in body
    assert "安全管理员终止了全部会话" in body
