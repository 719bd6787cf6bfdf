"""Log in through a real browser: headless Debian Chromium driven by Playwright against live_server.

The browser is the system's ``chromium`` (installed by ``.ci/run``); Playwright's own browser
download is never used. Without ``chromium`` on PATH these tests are skipped.
"""

import shutil
from collections.abc import Iterator

import pytest

from tests import factories
from tests.conftest import build_world

pytestmark = pytest.mark.browser

CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--disable-quic",
    "--no-first-run",
]
TIMEOUT_MS = 20_000


@pytest.fixture(scope="module")
def _allow_sync_orm_beside_playwright() -> Iterator[None]:
    # Playwright's sync API runs an asyncio loop in this thread, so Django would refuse ORM calls
    # (SynchronousOnlyOperation) from the test body and from the database teardown. Module scope
    # keeps the variable set until after transactional_db's flush, and unset for other modules.
    with pytest.MonkeyPatch.context() as mp:
        mp.setenv("DJANGO_ALLOW_ASYNC_UNSAFE", "true")
        yield


@pytest.fixture(scope="module")
def browser(_allow_sync_orm_beside_playwright):
    executable = shutil.which("chromium")
    if executable is None:
        pytest.skip("Debian's chromium is not installed (apt-get install chromium); .ci/run installs it")
    from playwright.sync_api import sync_playwright

    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path=executable, args=CHROMIUM_ARGS)
        yield browser
        browser.close()


@pytest.fixture
def new_page(browser, live_server, transactional_db):
    contexts = []
    failed: list[str] = []

    def open_page(**context_options):
        context = browser.new_context(locale="zh-CN", **context_options)
        context.set_default_timeout(TIMEOUT_MS)
        contexts.append(context)
        page = context.new_page()
        page.on("response", lambda r: failed.append(f"{r.status} {r.url}") if r.status >= 400 else None)
        # A request the browser abandoned because the page navigated on (the favicon of a page
        # left at once) is not a failure of the server.
        page.on(
            "requestfailed",
            lambda r: failed.append(f"failed {r.url}: {r.failure}") if r.failure != "net::ERR_ABORTED" else None,
        )
        page.failed_responses = failed
        return page

    yield open_page
    for context in contexts:
        context.close()


def log_in(page, live_server, username: str) -> None:
    page.goto(f"{live_server.url}/accounts/login/")
    page.fill("input[name=username]", username)
    page.fill("input[name=password]", factories.TEST_PASSWORD)
    with page.expect_navigation():
        page.click("main form button[type=submit]")
    page.wait_for_load_state("load")


def test_staff_logs_in_and_sees_their_township(new_page, live_server):
    build_world()
    page = new_page(viewport={"width": 1280, "height": 800})

    log_in(page, live_server, "staff_a")

    assert page.url == f"{live_server.url}/", f"login did not land on the home page: {page.url}"
    assert page.locator("main").get_by_text("甲镇").first.is_visible()
    assert page.locator('form[action$="/accounts/logout/"] button[type=submit]').count() == 1
    assert page.locator("input[name=password]").count() == 0
    assert page.failed_responses == [], "requests failed (static files not served?)"


def test_deputy_on_a_phone_has_no_horizontal_overflow(new_page, live_server):
    build_world()
    page = new_page(viewport={"width": 375, "height": 740}, device_scale_factor=2, is_mobile=True, has_touch=True)

    log_in(page, live_server, "deputy_a")

    assert page.url == f"{live_server.url}/", f"login did not land on the home page: {page.url}"
    # Bootstrap's stylesheet must have loaded, or the layout below proves nothing.
    assert page.evaluate("getComputedStyle(document.querySelector('.navbar-collapse')).display") == "none"
    assert page.locator(".navbar-toggler").is_visible()
    scroll_width = page.evaluate("document.documentElement.scrollWidth")
    assert scroll_width <= 375, f"the page is {scroll_width}px wide on a 375px screen"
    assert page.failed_responses == [], "requests failed (static files not served?)"
