"""A deputy rates the units of an evaluation from a phone (issue 12): at 375 px they open the ballot
from the notice, choose an opinion for every unit, send once, and see only "已测评" afterwards —
never what they chose. The screenshots are kept under test-results/screens/."""

import pytest
from django.urls import reverse

from renda.activities import services_evaluations as evaluations
from renda.activities.models import BallotReceipt, BallotTally, EvaluationState
from renda.notices.models import Notice
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


def test_a_deputy_rates_every_unit_on_a_phone_and_sees_only_that_they_voted(new_page, live_server):  # noqa: F811
    world = build_world()
    agencies = [
        world.agency_a,
        world.county_agency,
        factories.AgencyFactory(township=world.township_a, name="甲镇卫生院"),
    ]
    evaluation = evaluations.create_evaluation(
        world.staff_a, township=world.township_a, year=2026, title="甲镇代表评议"
    )
    evaluations.set_units(evaluation, world.staff_a, agencies=agencies)
    evaluations.move_evaluation(evaluation, world.staff_a, to=EvaluationState.MEETING)
    ballot = evaluations.open_round(evaluation, world.staff_a)
    notice = Notice.objects.unscoped().get(source_uuid=ballot.uuid)
    SCREENS.mkdir(parents=True, exist_ok=True)

    page = new_page(**PHONE)
    log_in(page, live_server, "deputy_a")
    # From the notice on the board to the ballot.
    assert page.goto(f"{live_server.url}{reverse('notices:detail', args=[notice.uuid])}").status == 200
    with page.expect_navigation():
        page.locator(f"a[href='{notice.link}']").first.click()
    problems = phone_problems(page, "evaluation-ballot")
    fieldsets = page.locator("main fieldset")
    assert fieldsets.count() == 3
    for index in range(3):
        fieldsets.nth(index).get_by_label("满意", exact=True).check()
    button = page.get_by_role("button", name="提交测评票")
    box = button.bounding_box()
    assert box is not None and box["width"] >= 300, box
    with page.expect_navigation():
        button.click()
    assert page.get_by_text("已测评").first.is_visible()
    body = page.content()
    assert "checked" not in body  # the page keeps no trace of the choices
    problems += phone_problems(page, "evaluation-ballot-sent")

    assert BallotReceipt.objects.unscoped().filter(round=ballot, mandate=world.mandate_a).count() == 1
    counts = BallotTally.objects.unscoped().filter(round=ballot, choice="satisfied").values_list("count", flat=True)
    assert sorted(counts) == [1, 1, 1]
    assert page.failed_responses == []
    assert problems == [], "\n".join(problems)
