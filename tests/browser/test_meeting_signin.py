"""A deputy signs in at the session with their phone (issue 11, "done when" 3): at 375 px they open
the address in the venue's QR code, log in, come back to the sign-in page, press the big "签到"
button and see the confirmation; no page scrolls sideways. The screenshots are kept under
test-results/screens/ for a person to look at."""

from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from renda.meetings import services as meetings
from renda.meetings.models import Attendance, AttendanceStatus, SigninMethod
from tests import factories
from tests.browser.test_login_journey import (  # noqa: F401  (fixtures)
    _allow_sync_orm_beside_playwright,
    browser,
    log_in,
    new_page,
)
from tests.browser.test_phone_screens import PHONE, SCREENS, phone_problems
from tests.conftest import build_world

pytestmark = pytest.mark.browser


def test_a_deputy_signs_in_with_the_venue_code_on_a_phone(new_page, live_server):  # noqa: F811
    world = build_world()
    starts = timezone.now() + timedelta(minutes=20)
    session = meetings.plan_meeting(
        world.staff_a,
        township=world.township_a,
        kind="session",
        starts_at=starts,
        ends_on=timezone.localtime(starts).date(),
        venue="甲镇人民政府三楼大会议室",
    )
    address = f"{live_server.url}{reverse('meetings:signin', args=[session.signin_token])}"
    SCREENS.mkdir(parents=True, exist_ok=True)
    problems: list[str] = []

    page = new_page(**PHONE)
    # Not logged in yet: the code's address leads to the login page, which sends them back.
    page.goto(address)
    assert "/accounts/login/" in page.url
    page.fill("input[name=username]", "deputy_a")
    page.fill("input[name=password]", factories.TEST_PASSWORD)
    with page.expect_navigation():
        page.click("main form button[type=submit]")
    page.wait_for_load_state("load")
    assert page.url == address, f"the login did not lead back to the sign-in page: {page.url}"
    assert page.get_by_role("heading", name=session.name).is_visible()
    problems += phone_problems(page, "meeting-signin")

    button = page.get_by_role("button", name="签到")
    box = button.bounding_box()
    assert box is not None and box["width"] >= 300 and box["height"] >= 48, box
    with page.expect_navigation():
        button.click()
    confirmation = page.locator("#signed-in")
    assert confirmation.is_visible() and "签到成功" in confirmation.inner_text()
    problems += phone_problems(page, "meeting-signed-in")

    row = Attendance.objects.unscoped().get(meeting=session, mandate=world.mandate_a)
    assert (row.status, row.signin_method) == (AttendanceStatus.PRESENT, SigninMethod.QR)
    assert page.failed_responses == []
    assert problems == [], "\n".join(problems)


def test_the_attendance_pages_fit_a_phone(new_page, live_server):  # noqa: F811
    """Staff follow the attendance and show the code from a phone; the deputy asks for leave on one."""
    world = build_world()
    term = world.mandate_a.term
    for n in range(5):
        factories.MandateFactory(person__township=world.township_a, person__full_name=f"欧阳晓{n}", term=term)
    starts = timezone.now() + timedelta(minutes=20)
    session = meetings.plan_meeting(
        world.staff_a,
        township=world.township_a,
        kind="session",
        starts_at=starts,
        ends_on=timezone.localtime(starts).date() + timedelta(days=1),
        venue="甲镇人民政府三楼大会议室",
    )
    rows = list(session.attendances.order_by("id"))
    meetings.sign_in(session, world.staff_a, attendance=rows[1])
    meetings.request_leave(
        rows[2], world.staff_a, first_day=session.date, first_half="pm", half_days=2, reason="参加县里培训"
    )
    meetings.add_observer(session, world.staff_a, name="李列席", position="镇政府办公室主任")
    SCREENS.mkdir(parents=True, exist_ok=True)
    problems: list[str] = []

    staff = new_page(**PHONE)
    log_in(staff, live_server, "staff_a")
    for shot, path in (
        ("meeting-attendance", reverse("meetings:attendance", args=[session.uuid])),
        ("meeting-signin-code", reverse("meetings:signin_code", args=[session.uuid])),
    ):
        assert staff.goto(f"{live_server.url}{path}").status == 200
        problems += phone_problems(staff, shot)
    assert staff.locator("#signin-qr svg").is_visible()

    deputy = new_page(**PHONE)
    log_in(deputy, live_server, "deputy_a")
    own = session.attendances.get(mandate=world.mandate_a)
    assert deputy.goto(f"{live_server.url}{reverse('meetings:leave_request', args=[own.uuid])}").status == 200
    problems += phone_problems(deputy, "meeting-leave-form")
    assert problems == [], "\n".join(problems)
