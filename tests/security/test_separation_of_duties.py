"""三员分立 by construction (S11, issue 9 item 1): the system administrator creates accounts and issues
one-time passwords but grants no role; the security administrator grants roles and never learns a
password; nobody changes their own role or activates themselves.

The first tests are the probe's reproductions, named after each: they succeeded before this change.
"""

import re

import pytest
from django.core.exceptions import PermissionDenied
from django.urls import reverse

from renda.accounts import services
from renda.accounts.models import AuditEntry, User
from renda.accounts.roles import Role
from tests import factories

CHOSEN = "Chosen-By-Sysadmin-2024"


def one_time_password(response) -> str:
    match = re.search(r"data-one-time-password>([^<]+)<", response.content.decode())
    assert match, "the one-time password is not on the page"
    return match.group(1).strip()


def create_as_sysadmin(client, world, **extra) -> tuple[User, str]:
    client.force_login(world.sysadmin)
    form = {"username": "newcomer", "full_name": "新账号", "phone": "", **extra}
    response = client.post(reverse("accounts:user_create"), form)
    assert response.status_code == 200
    return User.objects.get(username="newcomer"), one_time_password(response)


def log_in(client, username, password) -> bool:
    client.logout()
    response = client.post(reverse("accounts:login"), {"username": username, "password": password})
    return response.status_code == 302 and "_auth_user_id" in client.session


# ---- The probe's reproductions --------------------------------------------------------------


def test_probe_sysadmin_creates_an_audit_admin_with_its_own_password_and_opens_the_audit_log(client, world):
    account, issued = create_as_sysadmin(
        client, world, role=Role.AUDIT_ADMIN, new_password1=CHOSEN, new_password2=CHOSEN, password=CHOSEN
    )
    assert account.role == ""
    assert not log_in(client, "newcomer", CHOSEN), "the administrator's chosen password works"
    assert issued != CHOSEN and log_in(client, "newcomer", issued)
    # Even after choosing its own password the account reaches no audit log: it has no role.
    change = {"old_password": issued, "new_password1": "Own-Choice-River-81", "new_password2": "Own-Choice-River-81"}
    assert client.post(reverse("accounts:password_change"), change).status_code == 302
    assert client.get(reverse("accounts:audit_log")).status_code == 403


def test_probe_sysadmin_changes_an_account_to_security_admin_and_opens_the_security_page(client, world):
    client.force_login(world.sysadmin)
    form = {"username": "staff_b", "full_name": "乙", "role": Role.SECURITY_ADMIN, "is_active": "on"}
    client.post(reverse("accounts:user_edit", args=[world.staff_b.uuid]), form)
    assert client.get(reverse("accounts:user_authorisation", args=[world.staff_b.uuid])).status_code == 403
    assert client.post(reverse("accounts:user_authorisation", args=[world.staff_b.uuid]), form).status_code == 403
    with pytest.raises(PermissionDenied):
        services.user_role_change(user=world.staff_b, actor=world.sysadmin, role=Role.SECURITY_ADMIN)
    world.staff_b.refresh_from_db()
    assert world.staff_b.role == Role.TOWNSHIP_STAFF
    client.force_login(world.staff_b)
    assert client.get(reverse("accounts:security_overview")).status_code == 403


def test_probe_sysadmin_creates_township_staff_that_reveals_id_numbers(client, world):
    account, _password = create_as_sysadmin(
        client, world, role=Role.TOWNSHIP_STAFF, township=world.township_a.pk, county=world.county.pk
    )
    assert (account.role, account.township_id, account.county_id) == ("", None, None)
    # Past the forced change of the one-time password, the account still has no role.
    services.user_set_password(user=account, password="Own-Choice-River-81", actor=account)
    client.force_login(account)
    url = reverse("accounts:pii_reveal", args=["deputies.person", world.person_a.uuid, "id_number"])
    response = client.post(url)
    assert response.status_code in {403, 404}
    assert world.person_a.id_number not in response.content.decode()


def test_probe_self_role_change(client, world):
    client.force_login(world.secadmin)
    url = reverse("accounts:user_authorisation", args=[world.secadmin.uuid])
    assert client.get(url).status_code == 403
    assert client.post(url, {"role": Role.AUDIT_ADMIN, "is_active": "on"}).status_code == 403
    with pytest.raises(PermissionDenied):
        services.user_role_change(user=world.secadmin, actor=world.secadmin, role=Role.AUDIT_ADMIN)
    # The system administrator cannot edit its own account at all.
    client.force_login(world.sysadmin)
    own = {"username": "sysadmin", "full_name": "x", "role": Role.SECURITY_ADMIN}
    assert client.post(reverse("accounts:user_edit", args=[world.sysadmin.uuid]), own).status_code == 403
    assert User.objects.get(pk=world.secadmin.pk).role == Role.SECURITY_ADMIN
    assert User.objects.get(pk=world.sysadmin.pk).role == Role.SYSTEM_ADMIN


def test_probe_self_activation(client, world):
    with pytest.raises(PermissionDenied):
        services.user_active_set(user=world.secadmin, actor=world.secadmin, active=False)
    client.force_login(world.secadmin)
    url = reverse("accounts:user_authorisation", args=[world.secadmin.uuid])
    assert client.post(url, {"role": Role.SECURITY_ADMIN}).status_code == 403
    assert User.objects.get(pk=world.secadmin.pk).is_active
    # A disabled administrator cannot be re-enabled by itself: it cannot even sign in.
    User.objects.filter(pk=world.secadmin.pk).update(is_active=False)
    assert not log_in(client, "secadmin", "Correct-Horse-Battery-9")


# ---- The rules by construction ---------------------------------------------------------------


def test_sysadmin_changes_no_administrator_account(client, world):
    client.force_login(world.sysadmin)
    for admin in (world.secadmin, world.auditadmin):
        url = reverse("accounts:user_edit", args=[admin.uuid])
        assert client.get(url).status_code == 403
        assert client.post(url, {"username": "renamed", "full_name": "改名"}).status_code == 403
        assert User.objects.get(pk=admin.pk).username == admin.username
    page = client.get(reverse("accounts:user_list")).content.decode()
    assert reverse("accounts:user_edit", args=[world.staff_a.uuid]) in page
    assert reverse("accounts:user_edit", args=[world.auditadmin.uuid]) not in page
    assert reverse("accounts:user_authorisation", args=[world.staff_a.uuid]) not in page


def test_security_admin_grants_a_role_with_its_scope_and_it_is_audited(client, world):
    account = User.objects.create(username="newcomer", full_name="新账号")
    factories.TownshipFactory(county=world.other_county, name="丙镇")
    client.force_login(world.secadmin)
    url = reverse("accounts:user_authorisation", args=[account.uuid])
    page = client.get(url).content.decode()
    # Townships are listed under their county, so the administrator picks within one county.
    select = page[page.index('name="township"') : page.index('name="agency"')]
    groups = re.findall(r'<optgroup label="([^"]+)">(.*?)</optgroup>', select, re.S)
    townships = {county: re.findall(r">([^<]+)</option>", options) for county, options in groups}
    assert townships["示范县"] == ["乙镇", "甲镇"] and townships["邻县"] == ["丙镇"]
    response = client.post(url, {"role": Role.TOWNSHIP_STAFF, "township": world.township_a.pk, "is_active": "on"})
    assert response.status_code == 302
    account.refresh_from_db()
    assert (account.role, account.township, account.county) == (Role.TOWNSHIP_STAFF, world.township_a, world.county)
    entry = AuditEntry.objects.filter(event="accounts.user.role_change").get()
    assert (entry.actor, entry.data["from"], entry.data["to"]) == (world.secadmin, "", Role.TOWNSHIP_STAFF)
    # A new role clears the scope it does not use.
    client.post(url, {"role": Role.COUNTY_ADMIN, "county": world.county.pk, "township": world.township_a.pk})
    account.refresh_from_db()
    assert (account.role, account.county, account.township, account.is_active) == (
        Role.COUNTY_ADMIN,
        world.county,
        None,
        False,
    )
    assert AuditEntry.objects.filter(event="accounts.user.deactivate", target_id=str(account.uuid)).count() == 1


def test_security_admin_is_told_what_a_role_lacks(client, world):
    client.force_login(world.secadmin)
    url = reverse("accounts:user_authorisation", args=[world.staff_b.uuid])
    response = client.post(url, {"role": Role.AGENCY_HANDLER, "is_active": "on"})
    assert response.status_code == 200 and "承办单位经办人须指定所属承办单位" in response.content.decode()
    response = client.post(
        url, {"role": Role.TOWNSHIP_STAFF, "county": world.other_county.pk, "township": world.township_a.pk}
    )
    assert "该乡镇（街道）不属于所选县（市、区）" in response.content.decode()
    assert User.objects.get(pk=world.staff_b.pk).township == world.township_b


def test_security_admin_learns_no_password(client, world):
    client.force_login(world.secadmin)
    url = reverse("accounts:user_password_reset", args=[world.staff_a.uuid])
    assert client.post(url).status_code == 404
    assert log_in(client, "staff_a", "Correct-Horse-Battery-9")


def test_a_reset_issues_a_one_time_password_and_ends_the_old_one(client, world):
    client.force_login(world.sysadmin)
    response = client.post(reverse("accounts:user_password_reset", args=[world.staff_a.uuid]))
    assert "no-store" in response["Cache-Control"]
    issued = one_time_password(response)
    assert not log_in(client, "staff_a", "Correct-Horse-Battery-9")
    assert log_in(client, "staff_a", issued)
    assert AuditEntry.objects.filter(event="accounts.user.password_reset", actor=world.sysadmin).count() == 1
    client.force_login(world.sysadmin)
    assert client.post(reverse("accounts:user_password_reset", args=[world.sysadmin.uuid])).status_code == 403


def test_a_one_time_password_leads_only_to_the_change_page(client, world):
    issued = services.user_password_reset(user=world.staff_a, actor=world.sysadmin)
    assert log_in(client, "staff_a", issued)
    response = client.get(reverse("deputies:roster"))
    assert response.status_code == 302 and response.url.startswith(reverse("accounts:password_change"))
    assert client.get("/api/v1/deputies").status_code == 403
    change = {"old_password": issued, "new_password1": "Own-Choice-River-81", "new_password2": "Own-Choice-River-81"}
    assert client.post(reverse("accounts:password_change"), change).status_code == 302
    assert client.get(reverse("deputies:roster")).status_code == 200
    assert not User.objects.get(pk=world.staff_a.pk).password_must_change


def test_nobody_sets_another_persons_password_through_the_change_service(world):
    with pytest.raises(PermissionDenied):
        services.user_set_password(user=world.staff_a, password="Quiet-River-Stone-77", actor=world.sysadmin)
