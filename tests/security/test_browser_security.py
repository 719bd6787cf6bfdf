"""S7 and S23 in a real browser: enrolling the second factor on a 375 px phone under the strict
CSP, with no policy violation reported by Chromium."""

import base64

import pytest
from django_otp.plugins.otp_totp.models import TOTPDevice

from tests.browser.test_login_journey import (  # noqa: F401  (fixtures)
    _allow_sync_orm_beside_playwright,
    browser,
    log_in,
    new_page,
)
from tests.conftest import build_world
from tests.security.test_two_factor import code_for

pytestmark = [pytest.mark.browser, pytest.mark.two_factor]


def test_s7_s23_second_factor_enrolment_on_a_phone_without_csp_violations(new_page, live_server):  # noqa: F811
    build_world()
    page = new_page(viewport={"width": 375, "height": 740})
    console: list[str] = []
    page.on("console", lambda message: console.append(message.text))
    page.on("pageerror", lambda error: console.append(str(error)))
    log_in(page, live_server, "staff_a")
    assert "/accounts/two-factor/setup/" in page.url
    qr = page.locator(".renda-qr svg")
    assert qr.is_visible() and qr.bounding_box()["width"] <= 375
    # The phone holds the key the page shows (nothing is stored before the first code).
    secret = page.locator("main .font-monospace.text-break").inner_text()
    device = TOTPDevice(key=base64.b32decode(secret).hex())
    page.fill("input[name=otp_token]", code_for(device))
    with page.expect_navigation():
        page.click("main form button[type=submit]")
    assert page.locator(".list-group-item").count() == 10, "ten recovery codes, shown once"
    with page.expect_navigation():
        page.click("main a.btn-primary")
    assert page.url.rstrip("/") == live_server.url
    # Bootstrap's JavaScript runs under the CSP: the collapsed menu opens on a phone.
    page.click("button.navbar-toggler")
    page.wait_for_selector("#nav.show")
    violations = [text for text in console if "Content Security Policy" in text or "Refused to" in text]
    assert violations == []
    assert page.failed_responses == []
