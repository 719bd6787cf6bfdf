"""A county goes live in one afternoon (issue 8 item 3), in a real browser, with no dead end.

The system administrator sets up the county from its division code and creates the accounts, each
with a one-time password shown once; the security administrator grants their roles (三员分立: the one
who knows a password never grants a role); the county administrator chooses a password and records
the terms of every congress in one form; the township's staff import their roster file; the county
administrator links a deputy's account to the deputy's record; the deputy signs in and finds their
mandate on the home page. The run time is printed (-s shows it).
"""

import time

import pytest
from django.urls import reverse

from renda.accounts.roles import Role
from renda.deputies.models import Person
from renda.organisations.models import CONGRESS_KINDS, County, Term, Township
from tests import factories
from tests.browser.test_login_journey import (  # noqa: F401  (the browser fixtures)
    _allow_sync_orm_beside_playwright,
    browser,
    new_page,
)
from tests.deputies.test_import import roster_file, with_id

pytestmark = pytest.mark.browser

DIVISION_CODE = "330825"  # 龙游县, in the NBS division data shipped with renda


def log_in(page, live_server, username: str, password: str) -> None:
    page.goto(f"{live_server.url}{reverse('accounts:login')}")
    page.fill("input[name=username]", username)
    page.fill("input[name=password]", password)
    with page.expect_navigation():
        page.click("main form button[type=submit]")


def choose_own_password(page, one_time_password: str, new_password: str) -> None:
    """The first login with a one-time password lands on the change page, whatever was asked for."""
    assert "/accounts/password/" in page.url, f"no forced password change: {page.url}"
    page.fill("input[name=old_password]", one_time_password)
    page.fill("input[name=new_password1]", new_password)
    page.fill("input[name=new_password2]", new_password)
    with page.expect_navigation():
        page.click("main form button[type=submit]")
    assert "/accounts/password/done/" in page.url


def create_account(page, live_server, username: str, full_name: str) -> str:
    """As the system administrator: the one-time password shown once."""
    page.goto(f"{live_server.url}{reverse('accounts:user_create')}")
    page.fill("input[name=username]", username)
    page.fill("input[name=full_name]", full_name)
    with page.expect_navigation():
        page.click("main form button[type=submit]")
    return page.locator("[data-one-time-password]").inner_text().strip()


def grant(page, live_server, username: str, role: str, **scope: str) -> None:
    """As the security administrator, from the account list: the role and its county or township."""
    page.goto(f"{live_server.url}{reverse('accounts:user_list')}?q={username}")
    with page.expect_navigation():
        page.locator("tr", has_text=username).get_by_role("link", name="角色与范围").click()
    page.select_option("select[name=role]", value=role)
    for field, label in scope.items():
        page.select_option(f"select[name={field}]", label=label)
    with page.expect_navigation():
        page.click("main form button[type=submit]")
    assert page.url.endswith(reverse("accounts:user_list")), f"the grant was refused: {page.url}"


def test_a_county_goes_live_in_one_afternoon(new_page, live_server):  # noqa: F811
    factories.UserFactory(username="sysadmin", full_name="系统管理员", role=Role.SYSTEM_ADMIN)
    factories.UserFactory(username="secadmin", full_name="安全管理员", role=Role.SECURITY_ADMIN)
    started = time.monotonic()

    # The system administrator: the county from its code, then its people's accounts.
    sysadmin = new_page(viewport={"width": 1280, "height": 800})
    log_in(sysadmin, live_server, "sysadmin", factories.TEST_PASSWORD)
    sysadmin.goto(f"{live_server.url}{reverse('organisations:county_create')}")
    sysadmin.fill("input[name=division_code]", DIVISION_CODE)
    with sysadmin.expect_navigation():
        sysadmin.click("main form button[type=submit]")
    county = County.objects.get(division_code=DIVISION_CODE)
    assert sysadmin.locator("main").get_by_text(county.name).first.is_visible()
    township = Township.objects.filter(county=county, kind__in=CONGRESS_KINDS).order_by("division_code").first()
    passwords = {
        "lyx_admin": create_account(sysadmin, live_server, "lyx_admin", "龙游县人大 周主任"),
        "lyx_staff": create_account(sysadmin, live_server, "lyx_staff", f"{township.name}人大 王专干"),
        "lyx_deputy": create_account(sysadmin, live_server, "lyx_deputy", "周建华"),
    }

    # The security administrator grants the roles; a township is chosen under its county.
    secadmin = new_page(viewport={"width": 1280, "height": 800})
    log_in(secadmin, live_server, "secadmin", factories.TEST_PASSWORD)
    grant(secadmin, live_server, "lyx_admin", Role.COUNTY_ADMIN, county=county.name)
    grant(secadmin, live_server, "lyx_staff", Role.TOWNSHIP_STAFF, township=township.name)
    grant(secadmin, live_server, "lyx_deputy", Role.DEPUTY, county=county.name)

    # The county administrator: their own password, then every congress's term in one form.
    admin = new_page(viewport={"width": 1280, "height": 800})
    log_in(admin, live_server, "lyx_admin", passwords["lyx_admin"])
    choose_own_password(admin, passwords["lyx_admin"], "Dragon-Wander-Tea-2027")
    admin.goto(f"{live_server.url}{reverse('organisations:county_terms', args=[county.uuid])}")
    admin.fill("input[name=shared-number]", "18")
    admin.fill("input[name=shared-starts_on]", "2022-01-01")
    admin.fill("input[name=shared-ends_on]", "2026-12-31")
    with admin.expect_navigation():
        admin.click("form:has(input[name=action][value=terms]) button[type=submit]")
    congresses = Township.objects.filter(county=county, kind__in=CONGRESS_KINDS).count()
    assert Term.objects.filter(county=county).count() == congresses + 1  # and the county's own

    # The township's staff: their own password, then their roster file as the office keeps it.
    staff = new_page(viewport={"width": 1280, "height": 800})
    log_in(staff, live_server, "lyx_staff", passwords["lyx_staff"])
    choose_own_password(staff, passwords["lyx_staff"], "Bamboo-Ferry-Lantern-2027")
    term = Term.objects.get(township=township)
    rows = [
        {"姓名": name, "民族": "汉族", "政治面貌": "群众", "手机": phone, **with_id(factories.valid_id_number(n))}
        for n, (name, phone) in enumerate([("周建华", "13800001111"), ("吴小红", "13900002222")], start=7000)
    ]
    staff.goto(f"{live_server.url}{reverse('deputies:import_upload')}")
    staff.select_option("select[name=township]", value=str(township.uuid))
    staff.select_option("select[name=term]", value=str(term.uuid))
    staff.set_input_files(
        "input[name=file]",
        files=[
            {
                "name": "代表名册.xlsx",
                "mimeType": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
                "buffer": roster_file(rows, title=f"{township.name}第十八届人民代表大会代表名册"),
            }
        ],
    )
    with staff.expect_navigation():
        staff.click("main form[enctype='multipart/form-data'] button[type=submit]")
    with staff.expect_navigation():
        staff.click("form[action$='/confirm/'] button[type=submit]")
    assert Person.objects.filter(township=township).count() == 2

    # The county administrator sees the deputy's account flagged until it is linked to the record.
    admin.goto(f"{live_server.url}{reverse('accounts:user_list')}")
    row = admin.locator("tr", has_text="lyx_deputy")
    assert row.get_by_text("未关联代表信息").is_visible()
    with admin.expect_navigation():
        row.get_by_role("link", name="代表信息").click()
    admin.select_option("select[name=person]", label=f"周建华（{township.name}）")
    with admin.expect_navigation():
        admin.click("main form button[type=submit]")
    assert admin.locator("tr", has_text="lyx_deputy").get_by_text("未关联代表信息").count() == 0

    # The deputy signs in, chooses a password and finds their own record.
    deputy = new_page(viewport={"width": 375, "height": 740}, is_mobile=True, has_touch=True)
    log_in(deputy, live_server, "lyx_deputy", passwords["lyx_deputy"])
    choose_own_password(deputy, passwords["lyx_deputy"], "Orchid-River-Lamp-2027")
    deputy.goto(f"{live_server.url}/")
    assert deputy.locator("main").get_by_text(str(term)).first.is_visible(), "the deputy's mandate is not on home"
    assert deputy.locator("main").get_by_text("尚未关联代表资格").count() == 0

    elapsed = time.monotonic() - started
    print(f"\ncounty in an afternoon: {elapsed:.1f} s in the browser")
    for page in (sysadmin, secadmin, admin, staff, deputy):
        assert page.failed_responses == [], page.failed_responses
