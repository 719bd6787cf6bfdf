"""A citizen on a 375 px phone: opens a station's QR link, submits an opinion, gets the tracking
code and opens the status page. The page never scrolls sideways; the screenshots are kept under
test-results/screens/."""

from pathlib import Path

import pytest
from django.urls import reverse

from renda.casework.models import Case, CaseSource
from tests.browser.test_login_journey import (  # noqa: F401  (fixtures)
    _allow_sync_orm_beside_playwright,
    browser,
    new_page,
)
from tests.conftest import build_world

pytestmark = pytest.mark.browser

SCREENS = Path(__file__).resolve().parents[2] / "test-results" / "screens"
PHONE = {"viewport": {"width": 375, "height": 812}, "device_scale_factor": 2, "is_mobile": True, "has_touch": True}
SIDEWAYS = "() => document.documentElement.scrollWidth > document.documentElement.clientWidth"


def test_a_citizen_submits_from_a_phone_and_follows_the_tracking_code(new_page, live_server):  # noqa: F811
    world = build_world()
    SCREENS.mkdir(parents=True, exist_ok=True)
    page = new_page(**PHONE)
    # What the station's QR code holds.
    response = page.goto(f"{live_server.url}{reverse('public:station', args=[world.station_a.uuid])}")
    assert response.status == 200
    assert world.station_a.name in page.inner_text("main")
    assert not page.evaluate(SIDEWAYS)
    page.screenshot(path=str(SCREENS / "public-form.png"), full_page=True)

    page.fill("textarea[name=content]", "村口的路灯坏了三盏，晚上出行不安全。")
    page.check("input[name=anonymous]")
    page.fill("input[name=phone]", "13912345678")
    page.click("button[type=submit]")
    page.wait_for_selector("#tracking-code")
    code = page.inner_text("#tracking-code").strip()
    assert not page.evaluate(SIDEWAYS)
    page.screenshot(path=str(SCREENS / "public-submitted.png"), full_page=True)
    case = Case.objects.unscoped().get(source=CaseSource.CITIZEN_OPINION)
    assert code == case.tracking_code and case.citizen_name == ""

    page.click("#status-link")
    page.wait_for_selector("#public-state")
    assert code in page.inner_text("main")
    assert "收到" in page.inner_text("#public-timeline")
    assert "13912345678" not in page.content()
    assert not page.evaluate(SIDEWAYS)
    page.screenshot(path=str(SCREENS / "public-status.png"), full_page=True)

    # The lookup form finds it from the code typed loosely.
    page.goto(f"{live_server.url}{reverse('public:lookup')}")
    page.fill("input[name=code]", code.lower().replace("-", " "))
    page.click("button[type=submit]")
    page.wait_for_selector("#public-state")
    assert page.url.endswith(reverse("public:status", args=[code]))
    assert page.failed_responses == []
