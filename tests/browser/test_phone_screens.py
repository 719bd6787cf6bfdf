"""The pages people open on a phone, at 375 px: the page never scrolls sideways and no name is
squeezed into a column narrower than two characters. Each page's screenshot is kept under
test-results/screens/ for a person to look at."""

from pathlib import Path

import pytest
from django.urls import reverse

from renda.accounts import audit
from renda.accounts.models import SecurityNotice, SecurityNoticeKind
from renda.deputies import importing
from tests.browser.test_login_journey import (  # noqa: F401  (fixtures)
    _allow_sync_orm_beside_playwright,
    browser,
    log_in,
    new_page,
)
from tests.conftest import build_world
from tests.deputies import office_files

pytestmark = pytest.mark.browser

SCREENS = Path(__file__).resolve().parents[2] / "test-results" / "screens"
PHONE = {"viewport": {"width": 375, "height": 812}, "device_scale_factor": 2, "is_mobile": True, "has_touch": True}

# Cells of at least two characters (names, places, labels) narrower than two characters of their
# own font: the text wraps one character per line.
SQUEEZED_CELLS = """() => [...document.querySelectorAll('main td, main th')]
  .filter(cell => cell.offsetParent !== null && cell.innerText.trim().length >= 2)
  .filter(cell => {
    const style = getComputedStyle(cell);
    const inner = cell.clientWidth - parseFloat(style.paddingLeft) - parseFloat(style.paddingRight);
    return inner < 1.9 * parseFloat(style.fontSize);
  })
  .map(cell => cell.innerText.trim().slice(0, 20))"""


def phone_problems(page, shot: str) -> list[str]:
    """Screenshot the page as ``shot`` (for a person to look at) and say what is wrong with it on a
    375 px phone: a page that scrolls sideways, or cells squeezed to one character per line."""
    page.screenshot(path=str(SCREENS / f"{shot}.png"), full_page=True)
    problems = []
    width = page.evaluate("document.documentElement.scrollWidth")
    if width > 375:
        problems.append(f"{shot}: the page is {width} px wide")
    squeezed = page.evaluate(SQUEEZED_CELLS)
    if squeezed:
        problems.append(f"{shot}: squeezed cells {squeezed[:5]}")
    return problems


def _pages(world, job) -> list[tuple[str, str, str]]:
    """(screenshot name, username, path) of the pages a phone user opens."""
    return [
        ("home-staff", "staff_a", reverse("home")),
        ("home-deputy", "deputy_a", reverse("home")),
        ("home-leader", "leader", reverse("home")),
        ("home-auditadmin", "auditadmin", reverse("home")),
        ("roster-staff", "staff_a", reverse("deputies:roster")),
        ("roster-county", "county_admin", reverse("deputies:roster")),
        ("leaderboard-staff", "staff_a", reverse("deputies:leaderboard")),
        ("leaderboard-leader", "leader", reverse("deputies:leaderboard")),
        ("composition-leader", "leader", reverse("deputies:composition")),
        ("audit-log", "auditadmin", reverse("accounts:audit_log")),
        ("security", "secadmin", reverse("accounts:security_overview")),
        ("import-mapping", "staff_a", reverse("deputies:import_detail", args=[job.uuid])),
    ]


def test_phone_pages_fit_375_px_and_keep_names_readable(new_page, live_server):  # noqa: F811
    world = build_world()
    rows = [office_files.deputy(n, world) for n in range(1, 6)]
    job = importing.import_start(
        township=world.township_a,
        term=world.mandate_a.term,
        level="township",
        filename="甲镇代表花名册.xlsx",
        data=office_files.workbook(rows),
        actor=world.staff_a,
    )
    audit.record("export.deputies.roster", actor=world.staff_a, data={"rows": 56, "masked": True})
    SecurityNotice.objects.create(kind=SecurityNoticeKind.FAILED_LOGINS, subject="203.0.113.9", count=25)
    SCREENS.mkdir(parents=True, exist_ok=True)
    problems = []
    pages: dict[str, object] = {}
    for shot, username, path in _pages(world, job):
        if username not in pages:
            page = new_page(**PHONE)
            log_in(page, live_server, username)
            pages[username] = page
        page = pages[username]
        response = page.goto(f"{live_server.url}{path}")
        assert response.status == 200, f"{shot}: {response.status}"
        problems += phone_problems(page, shot)
    assert problems == [], "\n".join(problems)
