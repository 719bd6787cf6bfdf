"""A deputy's side of casework: their own suggestions (我的建议) and the rating of each answer
(满意度测评), once per mandate signed, also for a case merged into another."""

import pytest
from django.urls import reverse

from renda.casework import inbox, services
from renda.casework.models import Case, CaseRating, CaseSource, CaseState
from tests import factories

S = CaseState


def answered_case(world, *, signers=None, title="甲镇村道硬化建议", answer=True) -> Case:
    case = services.file_case(
        world.staff_a,
        township=world.township_a,
        source=CaseSource.RECESS_SUGGESTION,
        title=title,
        content="村道泥泞，雨天无法通行。",
        signers=signers or [world.mandate_a],
    )
    case = services.accept(case, world.staff_a)
    case = services.assign(case, world.staff_a, lead=world.agency_a)
    case = services.agency_accept(case, world.handler_x)
    if answer:
        services.answer(
            case,
            world.handler_x,
            reply_class="A",
            done_items="已完成硬化两公里",
            consultation="meeting",
            signer="王局长",
        )
    return Case.objects.unscoped().get(pk=case.pk)


def rate_url(case) -> str:
    return reverse("casework:rate", args=[case.uuid])


def test_my_suggestions_lists_own_cases_with_their_answer_and_rating_status(client_for, world):
    mine = answered_case(world, title="甲镇村道硬化建议")
    cosigned = answered_case(world, signers=[world.mandate_b, world.mandate_a], title="联名修桥建议", answer=False)
    other = answered_case(world, signers=[world.mandate_b], title="他人建议")
    client = client_for(world.deputy_a)
    page = client.get(reverse("casework:my_cases"))
    assert page.status_code == 200
    body = page.content.decode()
    assert mine.title in body and cosigned.title in body and other.title not in body
    assert "已完成硬化两公里" in body
    assert rate_url(mine) in body and rate_url(cosigned) not in body
    assert client_for(world.handler_x).get(reverse("casework:my_cases")).status_code == 403


def test_a_deputy_rates_once_per_mandate_signed(client_for, world):
    case = answered_case(world)
    client = client_for(world.deputy_a)
    page = client.get(rate_url(case))
    assert page.status_code == 200 and "已完成硬化两公里" in page.content.decode()
    response = client.post(rate_url(case), {"handling": "satisfied", "result": "basic", "comment": "基本满意"})
    assert response.status_code == 302 and response.url == reverse("casework:my_cases")
    rating = CaseRating.objects.unscoped().get(case=case)
    assert (rating.mandate, rating.handling, rating.result) == (world.mandate_a, "satisfied", "basic")
    assert Case.objects.unscoped().get(pk=case.pk).state == S.RATED
    again = client.post(rate_url(case), {"handling": "unsatisfied", "result": "unsatisfied"}, follow=True)
    assert again.status_code == 200
    assert CaseRating.objects.unscoped().filter(case=case).count() == 1


def test_a_second_signer_rates_separately_and_the_first_rating_does_not_close(client_for, world):
    case = answered_case(world, signers=[world.mandate_a, world.mandate_b])
    client_for(world.deputy_a).post(rate_url(case), {"handling": "satisfied", "result": "satisfied"})
    assert Case.objects.unscoped().get(pk=case.pk).state == S.ANSWERED
    assert inbox.home_deputy(world.deputy_b) == {"awaiting_rating": 1}
    assert inbox.home_deputy(world.deputy_a) == {"awaiting_rating": 0}
    client_for(world.deputy_b).post(rate_url(case), {"handling": "basic", "result": "satisfied"})
    assert CaseRating.objects.unscoped().filter(case=case).count() == 2
    assert Case.objects.unscoped().get(pk=case.pk).state == S.RATED


def test_bad_input_keeps_the_comment_and_names_what_is_missing(client_for, world):
    case = answered_case(world)
    response = client_for(world.deputy_a).post(rate_url(case), {"handling": "satisfied", "comment": "希望尽快完工"})
    assert response.status_code == 200
    body = response.content.decode()
    assert "希望尽快完工" in body and "invalid-feedback" in body
    assert not CaseRating.objects.unscoped().filter(case=case).exists()


def test_a_non_signer_gets_404_and_staff_403(client_for, world):
    case = answered_case(world)
    assert client_for(world.deputy_b).get(rate_url(case)).status_code == 404
    assert client_for(world.deputy_b).post(rate_url(case), {"handling": "satisfied"}).status_code == 404
    assert client_for(world.staff_a).get(rate_url(case)).status_code == 403
    assert client_for(world.handler_x).post(rate_url(case), {"handling": "satisfied"}).status_code == 403
    assert not CaseRating.objects.unscoped().filter(case=case).exists()


def test_a_merged_case_is_rated_by_its_own_deputy_against_the_main_answer(client_for, world):
    other_deputy = factories.UserFactory(username="deputy_c", role="deputy", county=world.county)
    mandate_c = factories.MandateFactory(person__township=world.township_a, person__full_name="孙丙")
    mandate_c.person.user = other_deputy
    mandate_c.person.save()
    merged = services.file_case(
        world.staff_a,
        township=world.township_a,
        source=CaseSource.RECESS_SUGGESTION,
        title="同一村道的建议",
        content="同一条村道。",
        signers=[mandate_c],
    )
    main = answered_case(world, answer=False)
    services.merge(merged, world.staff_a, into=main, reason="同一事项")
    services.answer(
        main, world.handler_x, reply_class="B", done_items="列入明年计划", consultation="phone", signer="王"
    )
    client = client_for(other_deputy)
    listing = client.get(reverse("casework:my_cases")).content.decode()
    assert merged.title in listing and main.reference in listing and rate_url(merged) in listing
    page = client.get(rate_url(merged))
    assert page.status_code == 200 and "列入明年计划" in page.content.decode()
    assert client.post(rate_url(merged), {"handling": "satisfied", "result": "satisfied"}).status_code == 302
    rating = CaseRating.objects.unscoped().get(case=merged)
    assert rating.mandate == mandate_c
    assert client.get(rate_url(main)).status_code == 404


def test_the_detail_partial_offers_the_signer_a_rating_form(rf, world):
    from django.template.loader import render_to_string

    case = answered_case(world)
    request = rf.get("/")
    request.user = world.deputy_a
    html = render_to_string("casework/_actions_deputy.html", {"case": case, "request": request})
    assert rate_url(case) in html and 'name="handling"' in html
    request.user = world.staff_a
    assert render_to_string("casework/_actions_deputy.html", {"case": case, "request": request}).strip() == ""


@pytest.mark.parametrize("username", ["deputy_a"])
def test_the_deputy_home_card_and_menu(client_for, world, username):
    answered_case(world)
    body = client_for(world.users[username]).get(reverse("home")).content.decode()
    assert reverse("casework:my_cases") in body
    assert inbox.home_deputy(world.deputy_a) == {"awaiting_rating": 1}


def test_my_suggestions_costs_a_bounded_number_of_queries(client_for, world, django_assert_max_num_queries):
    for number in range(6):
        answered_case(world, title=f"建议{number}", answer=bool(number % 2))
    merged = services.file_case(
        world.staff_a,
        township=world.township_a,
        source=CaseSource.RECESS_SUGGESTION,
        title="并案建议",
        content="同一事项。",
        signers=[world.mandate_a],
    )
    main = answered_case(world, title="主件", answer=False)
    services.merge(merged, world.staff_a, into=main)
    client = client_for(world.deputy_a)
    with django_assert_max_num_queries(10):
        response = client.get(reverse("casework:my_cases"))
    assert response.status_code == 200 and response.content.decode().count("card-body") == 8
