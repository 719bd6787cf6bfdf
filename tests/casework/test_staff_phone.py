"""The staff's casework pages on a 375 px phone: nothing scrolls sideways, no name is squeezed to
one character per line, and a step taken on the detail page moves the case (htmx)."""

import pytest
from django.urls import reverse

from renda.casework import services
from renda.casework.models import Case, CaseState
from tests.browser.test_login_journey import (  # noqa: F401  (fixtures)
    _allow_sync_orm_beside_playwright,
    browser,
    log_in,
    new_page,
)
from tests.browser.test_phone_screens import PHONE, SCREENS, phone_problems
from tests.casework.test_staff_pages import answered_case, new_case
from tests.conftest import build_world

pytestmark = pytest.mark.browser


def test_case_pages_fit_a_phone_and_a_step_works(new_page, live_server):  # noqa: F811
    world = build_world()
    sample = answered_case(world)
    services.rate(sample, world.deputy_a, mandate=world.mandate_a, handling="satisfied", result="basic", comment="好")
    case = new_case(world, title="甲镇农贸市场周边停车难问题亟需解决")
    SCREENS.mkdir(parents=True, exist_ok=True)
    page = new_page(**PHONE)
    log_in(page, live_server, "staff_a")
    problems = []
    for shot, path in (
        ("cases-list", reverse("casework:list")),
        ("cases-new", reverse("casework:new")),
        ("cases-detail-rated", reverse("casework:detail", args=[sample.uuid])),
        ("cases-detail-submitted", reverse("casework:detail", args=[case.uuid])),
    ):
        response = page.goto(f"{live_server.url}{path}")
        assert response.status == 200, shot
        problems += phone_problems(page, shot)
    assert problems == [], "\n".join(problems)
    # On the submitted case's page: open the step, take it, land on the case again.
    page.click("#step-accept summary")
    with page.expect_navigation():
        page.click("#step-accept button[type=submit]")
    assert Case.objects.unscoped().get(pk=case.pk).state == CaseState.ACCEPTED
    assert "立案" in page.content()


def test_choosing_the_township_offers_its_deputies(new_page, live_server):  # noqa: F811
    world = build_world()
    page = new_page(viewport={"width": 1280, "height": 800})
    log_in(page, live_server, "county_admin")
    page.goto(f"{live_server.url}{reverse('casework:new')}")
    page.fill("#id_title", "保留的标题")
    page.select_option("#id_township", str(world.township_b.uuid))
    # Before, the county's deputies are all offered; after the reload, only township B's.
    page.wait_for_selector(f"#id_lead option[value='{world.mandate_a.uuid}']", state="detached")
    assert page.locator(f"#id_lead option[value='{world.mandate_b.uuid}']").count() == 1
    assert page.input_value("#id_title") == "保留的标题"
