"""The handler answers from a phone-sized screen (issue 10): at 375 px, from the inbox, accept the
case, open the answer form, fill the full reply and send it; no page scrolls sideways. The
screenshots are kept under test-results/screens/ for a person to look at."""

import pytest

from renda.casework import services
from renda.casework.models import Case, CaseSource, CaseState
from tests.browser.test_login_journey import (  # noqa: F401  (fixtures)
    _allow_sync_orm_beside_playwright,
    browser,
    log_in,
    new_page,
)
from tests.browser.test_phone_screens import PHONE, SCREENS, phone_problems
from tests.conftest import build_world

pytestmark = pytest.mark.browser


def test_the_handler_answers_from_a_phone_sized_screen(new_page, live_server):  # noqa: F811
    world = build_world()
    case = services.file_case(
        world.staff_a,
        township=world.township_a,
        source=CaseSource.RECESS_SUGGESTION,
        title="甲镇中心小学门口增设人行横道建议",
        content="学校门口车流量大，学生过马路危险，建议增设人行横道和减速带。",
        signers=[world.mandate_a],
    )
    case = services.accept(case, world.staff_a)
    case = services.assign(case, world.staff_a, lead=world.agency_a)
    SCREENS.mkdir(parents=True, exist_ok=True)
    problems: list[str] = []

    page = new_page(**PHONE)
    log_in(page, live_server, "handler_x")
    page.goto(f"{live_server.url}/cases/inbox/")
    problems += phone_problems(page, "agency-inbox")
    card = page.locator("section#awaiting .card", has_text=case.title)
    with page.expect_navigation():
        card.get_by_role("button", name="签收").click()
    assert Case.objects.unscoped().get(pk=case.pk).state == CaseState.IN_PROGRESS

    with page.expect_navigation():
        page.locator("section .card", has_text=case.title).get_by_role("link", name="答复").click()
    problems += phone_problems(page, "agency-answer-form")
    form = page.locator("#answer-form")
    form.get_by_text("A类：已解决或基本解决").click()
    form.locator("textarea[name=done_items]").fill("已在校门口施划人行横道并设置减速带两处。")
    form.locator("label[for=id_consultation_0]").click()  # the first way: met in person
    form.locator("textarea[name=public_text]").fill("已施划人行横道，设置减速带。")
    form.locator("input[name=signer]").fill("李局长")
    form.locator("input[name=contact_phone]").fill("0731-1234567")
    form.locator("input[name=document_number]").fill("交复〔2026〕8号")
    submit = form.get_by_role("button", name="提交答复")
    box = submit.bounding_box()
    assert box is not None and box["width"] >= 300 and box["height"] >= 40, box
    with page.expect_navigation():
        submit.click()
    problems += phone_problems(page, "agency-after-answer")

    case = Case.objects.unscoped().get(pk=case.pk)
    assert case.state == CaseState.ANSWERED
    reply = case.replies.get()
    assert (reply.reply_class, reply.consultation, reply.signer) == ("A", "meeting", "李局长")
    assert page.failed_responses == []
    assert problems == [], "\n".join(problems)


def test_the_deputy_rates_the_answer_from_a_phone(new_page, live_server):  # noqa: F811
    world = build_world()
    case = services.file_case(
        world.staff_a,
        township=world.township_a,
        source=CaseSource.RECESS_SUGGESTION,
        title="甲镇农贸市场排水改造建议",
        content="雨后市场积水严重。",
        signers=[world.mandate_a],
    )
    case = services.accept(case, world.staff_a)
    case = services.assign(case, world.staff_a, lead=world.agency_a)
    case = services.agency_accept(case, world.handler_x)
    services.answer(
        case, world.handler_x, reply_class="A", done_items="已新建排水沟", consultation="visit", signer="王"
    )
    SCREENS.mkdir(parents=True, exist_ok=True)
    problems: list[str] = []

    page = new_page(**PHONE)
    log_in(page, live_server, "deputy_a")
    with page.expect_navigation():
        page.locator("main").get_by_role("link", name="我的建议").click()
    problems += phone_problems(page, "deputy-my-suggestions")
    with page.expect_navigation():
        page.get_by_role("link", name="满意度测评").click()
    problems += phone_problems(page, "deputy-rate")
    page.locator("label[for=id_handling_0]").click()
    page.locator("label[for=id_result_1]").click()
    page.locator("textarea[name=comment]").fill("办理及时")
    with page.expect_navigation():
        page.get_by_role("button", name="提交测评").click()

    rating = case.ratings.get()
    assert (rating.handling, rating.result, rating.comment) == ("satisfied", "basic", "办理及时")
    assert Case.objects.unscoped().get(pk=case.pk).state == CaseState.RATED
    assert page.failed_responses == []
    assert problems == [], "\n".join(problems)
