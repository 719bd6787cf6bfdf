"""The duplicate proposal over the county's cases (selector) and through the API (issue 10, point 7)."""

import datetime as dt
import io

import pytest
from django.core.management import call_command
from django.utils import timezone

from renda.casework import selectors, services
from renda.casework.models import Case, CaseSource, CaseState

URL = "/api/v1/cases/duplicates"
ROAD = (
    "青石村3组通组公路坑洼不平",
    "青石村3组到村委会的通组公路坑洼严重，雨天泥泞，群众出行和农产品运输困难，建议硬化。",
)
# The same matter in the words of another citizen.
NEW_ROAD = "关于硬化青石村三组到村委会道路的建议：青石村3组通往村委会的道路坑坑洼洼，一下雨满是泥泞，村民出行困难。"
LIGHT = ("红星村路灯不亮", "红星村主干道的路灯坏了两个多月，晚上一片漆黑。")


def opinion(township, title, content, **fields) -> Case:
    """A citizen's opinion, submitted (open)."""
    case = services.file_case(None, township=township, source=CaseSource.CITIZEN_OPINION, title=title, content=content)
    if fields:
        Case.objects.unscoped().filter(pk=case.pk).update(**fields)
        case.refresh_from_db()
    return case


@pytest.fixture
def cases(world):
    today = timezone.localdate()
    road = opinion(world.township_a, *ROAD)
    return {
        "road": road,
        "light": opinion(world.township_a, *LIGHT),
        "road in B": opinion(world.township_b, *ROAD),
        "merged": opinion(world.township_a, *ROAD, state=CaseState.MERGED, merged_into=road),
        "closed long ago": opinion(
            world.township_a, *ROAD, state=CaseState.CLOSED, received_on=today - dt.timedelta(days=400)
        ),
        "closed lately": opinion(
            world.township_a, *ROAD, state=CaseState.CLOSED, received_on=today - dt.timedelta(days=30)
        ),
        "draft": opinion(world.township_a, *ROAD, state=CaseState.DRAFT),
    }


def test_open_and_recent_cases_of_the_county_are_proposed_same_township_first(world, cases, django_assert_num_queries):
    with django_assert_num_queries(1):
        proposals = selectors.propose_duplicates(text=NEW_ROAD, township=world.township_a, limit=5)
    found = [case for case, _ in proposals]
    # Merged cases live on in their main case, cases finished long ago and drafts are left out.
    assert set(found) == {cases["road"], cases["closed lately"], cases["road in B"]}
    # The same text in another township of the county counts less.
    assert found[-1] == cases["road in B"]
    assert all(0 < score <= 1 for _, score in proposals)
    assert [score for _, score in proposals] == sorted((score for _, score in proposals), reverse=True)


def test_below_the_threshold_nothing_is_proposed(world, cases, settings):
    assert selectors.propose_duplicates(text="白沙小学食堂太小，学生只能站着吃饭。", township=world.township_a) == []
    assert selectors.propose_duplicates(text="   ", township=world.township_a) == []
    settings.RENDA_CASE_DUPLICATE_MIN_SCORE = 0.0
    assert len(selectors.propose_duplicates(text="白沙小学食堂太小", township=world.township_a)) == 3


def test_the_case_itself_and_older_cases_can_be_left_out(world, cases, settings):
    text = "\n".join(ROAD)
    found = [
        case for case, _ in selectors.propose_duplicates(text=text, township=world.township_a, exclude=cases["road"])
    ]
    assert cases["road"] not in found and cases["closed lately"] in found
    settings.RENDA_CASE_DUPLICATE_DAYS = 10
    found = [
        case
        for case, _ in selectors.propose_duplicates(text=text, township=world.township_a, exclude=[cases["road"].pk])
    ]
    assert cases["closed lately"] not in found and cases["road in B"] in found


def test_api_proposes_what_the_user_may_see(client, world, cases):
    client.force_login(world.staff_a)
    response = client.post(
        URL, {"text": NEW_ROAD, "township": str(world.township_a.uuid)}, content_type="application/json"
    )
    assert response.status_code == 200
    answer = response.json()
    # Staff of township A do not see township B's case, so it is not proposed to them.
    assert [item["uuid"] for item in answer] == [str(cases["road"].uuid), str(cases["closed lately"].uuid)]
    first = answer[0]
    assert first["reference"] == cases["road"].reference
    assert first["title"] == ROAD[0]
    assert first["state"] == CaseState.SUBMITTED
    assert first["township_name"] == world.township_a.name
    assert 0 < first["score"] <= 1
    # The county administrator sees both townships.
    client.force_login(world.county_admin)
    answer = client.post(
        URL, {"text": NEW_ROAD, "township": str(world.township_a.uuid)}, content_type="application/json"
    )
    assert str(cases["road in B"].uuid) in [item["uuid"] for item in answer.json()]


@pytest.mark.parametrize("username", ["staff_b", "other_county_admin", "deputy_a", "handler_x"])
def test_api_township_outside_the_scope_is_404(client, world, cases, username):
    """Township B's staff and the neighbouring county are outsiders; deputies and agency handlers
    have no township in their scope (they see their own cases, their agency's), so none to ask about."""
    client.force_login(world.users[username])
    response = client.post(
        URL, {"text": NEW_ROAD, "township": str(world.township_a.uuid)}, content_type="application/json"
    )
    assert response.status_code == 404


def test_api_bad_input_gets_a_clear_answer(client, world):
    client.force_login(world.staff_a)
    too_long = client.post(
        URL, {"text": "路" * 6000, "township": str(world.township_a.uuid)}, content_type="application/json"
    )
    assert too_long.status_code == 422
    assert "最多" in too_long.json()["detail"]
    assert (
        client.post(URL, {"text": "路灯", "township": "not-a-uuid"}, content_type="application/json").status_code == 422
    )
    assert (
        client.post(URL, {"text": "", "township": str(world.township_a.uuid)}, content_type="application/json").json()
        == []
    )


def test_api_needs_authentication(client, world):
    response = client.post(
        URL, {"text": NEW_ROAD, "township": str(world.township_a.uuid)}, content_type="application/json"
    )
    assert response.status_code == 401


def test_evaluate_duplicates_prints_precision_and_recall_at_3():
    out = io.StringIO()
    call_command("evaluate_duplicates", stdout=out)
    report = out.getvalue()
    assert "65 items in 33 clusters" in report
    assert "precision@3 = 0.6" in report and "recall@3 = 0.9" in report
    assert "Threshold 0.15: precision of proposals" in report


def test_a_threshold_that_is_no_number_fails_loudly():
    from tests.test_settings import manage

    assert "must be a number" in manage("check", RENDA_CASE_DUPLICATE_MIN_SCORE="high").stderr
    assert "between 0 and 1" in manage("check", RENDA_CASE_DUPLICATE_MIN_SCORE="2").stderr
