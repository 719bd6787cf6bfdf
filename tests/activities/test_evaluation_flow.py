"""代表评议 end to end: 30 deputies vote on 5 units (phone and paper); one unit falls under 60% and
gets rectification items; its handler reports them done; the follow-up ballot improves it. A second
vote is refused; nothing anywhere links a deputy to their choices; outsiders get 404."""

import json
from datetime import datetime
from unittest import mock
from zoneinfo import ZoneInfo

import pytest
from django.utils import timezone

from renda.accounts.models import AuditEntry
from renda.accounts.roles import Role
from renda.accounts.services import api_token_create
from renda.activities import services_evaluations as services
from renda.activities.models import (
    BallotReceipt,
    BallotTally,
    EvaluationState,
    RectificationState,
    RoundState,
)
from tests import factories

pytestmark = pytest.mark.django_db

TODAY_IN_THE_TERM = datetime(2026, 11, 2, 10, 0, tzinfo=ZoneInfo("Asia/Shanghai"))
S, B, D = "satisfied", "basically", "dissatisfied"


@pytest.fixture(autouse=True)
def _inside_the_worlds_term(time_machine):
    time_machine.move_to(TODAY_IN_THE_TERM, tick=True)


def bearer(user) -> dict:
    raw = api_token_create(user=user, name="手机端", actor=user)[1]
    return {"HTTP_AUTHORIZATION": f"Bearer {raw}"}


@pytest.fixture
def deputies(world):
    """Township A's congress: the world's deputy and 29 more, each with an account: 30 in all."""
    users = [world.deputy_a]
    for n in range(29):
        mandate = factories.MandateFactory(person__township=world.township_a, term=world.mandate_a.term)
        user = factories.UserFactory(username=f"dep{n}", role=Role.DEPUTY, county=world.county)
        mandate.person.user = user
        mandate.person.save()
        users.append(user)
    return users


@pytest.fixture
def evaluation(world, deputies):
    """Township A's evaluation of five units (one a county-level vertical unit), after the meeting."""
    agencies = [world.agency_a, world.county_agency] + [
        factories.AgencyFactory(township=world.township_a, name=f"甲镇单位{n}") for n in range(3)
    ]
    evaluation = services.create_evaluation(
        world.staff_a, township=world.township_a, year=2026, title="甲镇2026年代表评议"
    )
    services.set_units(evaluation, world.staff_a, agencies=agencies)
    unit = evaluation.units.get(agency=world.agency_a)
    services.update_unit(
        unit, world.staff_a, survey_findings="窗口办事排队久", demands="压缩办理时限", report_summary="述职"
    )
    services.move_evaluation(evaluation, world.staff_a, to=EvaluationState.MEETING)
    services.set_meeting_date(evaluation, world.staff_a, meeting_on=timezone.localdate())
    return evaluation


def vote_all(ballot, users, choice=S):
    """These deputies vote ``choice`` on every unit: enough of them, the ballot may close."""
    units = list(ballot.units.all())
    for user in users:
        services.cast_ballot(ballot, user, choices={u.pk: choice for u in units})


def _units(evaluation):
    return list(evaluation.units.select_related("agency").order_by("order"))


def test_the_whole_evaluation_with_a_secret_ballot(client, client_for, world, deputies, evaluation):
    units = _units(evaluation)
    weak = units[0]  # the world's agency A
    ballot = services.open_round(evaluation, world.staff_a)
    evaluation.refresh_from_db()
    assert evaluation.state == EvaluationState.BALLOT and ballot.electorate == 30

    # deputy_a votes from the phone page with a distinctive pattern.
    page = client_for(world.deputy_a)
    pattern = [S, D, B, D, B]
    vote_url = f"/activities/evaluations/ballots/{ballot.uuid}/vote/"
    answer = page.post(vote_url, {f"unit_{u.pk}": c for u, c in zip(units, pattern, strict=True)}, follow=True)
    assert answer.status_code == 200
    assert "已测评" in answer.content.decode()
    # The same deputy again: refused, by the page and by the API (409), the count unchanged.
    again = page.post(vote_url, {f"unit_{u.pk}": S for u in units})
    assert again.status_code == 200 and "已测评" in again.content.decode()
    api = client.post(
        f"/api/v1/ballots/{ballot.uuid}/vote",
        data=json.dumps({"choices": {str(u.uuid): S for u in units}}),
        content_type="application/json",
        **bearer(world.deputy_a),
    )
    assert api.status_code == 409 and "已" in api.json()["detail"]
    with pytest.raises(services.EvaluationRefused):
        services.cast_ballot(ballot, world.deputy_a, choices={u.pk: S for u in units})
    # Even past the check (two phones at once): the receipt's constraint refuses in Chinese.
    with (
        mock.patch.object(services, "has_voted", return_value=False),
        pytest.raises(services.EvaluationRefused) as race,
    ):
        services.cast_ballot(ballot, world.deputy_a, choices={u.pk: S for u in units})
    assert "已" in race.value.message

    # 25 more vote from the phone: the weak unit mostly dissatisfied, the others satisfied.
    for n, user in enumerate(deputies[1:26]):
        choices = {u.pk: S for u in units}
        choices[weak.pk] = D if n < 14 else S
        services.cast_ballot(ballot, user, choices=choices)
    # While open only the turnout shows, to staff and deputies alike.
    staff = client_for(world.staff_a)
    open_page = staff.get(f"/activities/evaluations/ballots/{ballot.uuid}/").content.decode()
    assert "26" in open_page and "满意率" not in open_page

    # The other 4 hand in paper ballots; staff tick them and enter the counts; a wrong sum is refused.
    paper_url = f"/activities/evaluations/ballots/{ballot.uuid}/paper/"
    paper_mandates = [u.person.mandates.get().pk for u in deputies[26:]]
    data = {"mandates": paper_mandates}
    for u in units:
        data.update(
            {
                f"unit_{u.pk}_satisfied": 4,
                f"unit_{u.pk}_basically": 0,
                f"unit_{u.pk}_dissatisfied": 0,
                f"unit_{u.pk}_invalid": 0,
            }
        )
    data[f"unit_{weak.pk}_satisfied"] = 1
    data[f"unit_{weak.pk}_dissatisfied"] = 2
    wrong = staff.post(paper_url, data)
    assert wrong.status_code == 200 and "4" in wrong.content.decode()
    assert BallotReceipt.objects.unscoped().filter(round=ballot).count() == 26
    data[f"unit_{weak.pk}_invalid"] = 1
    assert staff.post(paper_url, data).status_code == 302
    assert BallotReceipt.objects.unscoped().filter(round=ballot, method="paper").count() == 4

    assert staff.post(f"/activities/evaluations/ballots/{ballot.uuid}/close/").status_code == 302
    ballot.refresh_from_db()
    evaluation.refresh_from_db()
    assert ballot.state == RoundState.CLOSED and evaluation.state == EvaluationState.RECTIFICATION
    results = staff.get(f"/activities/evaluations/ballots/{ballot.uuid}/").content.decode()
    # Weak unit: 1 (deputy_a) + 11 phone + 1 paper satisfied = 13 of 29 valid ballots → 44.8%.
    assert "44.8%" in results and "须整改" in results and "100.0%" in results

    # A rectification item with the default deadline; the unit's handler reports it done.
    item = services.add_rectification(weak, world.staff_a, demand="窗口办理时限压缩到3个工作日")
    assert item.deadline > timezone.localdate()
    handler = client_for(world.handler_x)
    assert world.handler_x.agency_id == weak.agency_id
    assert item.demand in handler.get("/activities/evaluations/rectifications/").content.decode()
    done = handler.post(
        f"/activities/evaluations/rectifications/{item.uuid}/", {"text": "已增设窗口", "completes": "on"}
    )
    assert done.status_code == 302
    item.refresh_from_db()
    assert item.state == RectificationState.DONE
    # Another unit's handler does not see it.
    assert client_for(world.handler_y).get(f"/activities/evaluations/rectifications/{item.uuid}/").status_code == 404

    # The follow-up ballot is on the weak unit only; it improves.
    follow = services.open_round(evaluation, world.staff_a)
    assert list(follow.units.all()) == [weak]
    for n, user in enumerate(deputies[:28]):
        services.cast_ballot(follow, user, choices={weak.pk: D if n < 5 else B})
    services.close_round(follow, world.staff_a)
    evaluation.refresh_from_db()
    assert evaluation.state == EvaluationState.CLOSED
    follow_page = client_for(world.staff_a).get(f"/activities/evaluations/ballots/{follow.uuid}/").content.decode()
    assert "82.1%" in follow_page and "须整改" not in follow_page

    # ---- Nothing links deputy_a to their choices.
    name = str(world.mandate_a.person)
    texts = []
    for user in (world.staff_a, world.county_admin, world.leader, world.deputy_a):
        c = client_for(user)
        for url in (
            f"/activities/evaluations/{evaluation.uuid}/",
            f"/activities/evaluations/ballots/{ballot.uuid}/",
            f"/activities/evaluations/ballots/{ballot.uuid}/vote/",
        ):
            texts.append(c.get(url).content.decode())
    api_detail = client.get(f"/api/v1/evaluations/{evaluation.uuid}", **bearer(world.deputy_a)).json()
    texts.append(json.dumps(api_detail, ensure_ascii=False))
    staff_api = client.get(f"/api/v1/evaluations/{evaluation.uuid}", **bearer(world.staff_a)).json()
    texts.append(json.dumps(staff_api, ensure_ascii=False))
    for text in texts:
        assert name not in text  # no page names the deputy beside any figures
    own_page = client_for(world.deputy_a).get(vote_url).content.decode()
    assert "已测评" in own_page and "checked" not in own_page
    for key in ("choice", "choices", "satisfied", "basically", "dissatisfied"):
        assert all(key not in json.dumps(ballot_view) for ballot_view in [api_detail["units"]])
    # The audit entries of votes hold only how many units were voted on.
    cast = AuditEntry.objects.filter(event="activities.ballot.cast")
    assert cast.count() == 26 + 28
    assert {json.dumps(e.data, sort_keys=True) for e in cast} == {json.dumps({"count": 5}), json.dumps({"count": 1})}
    for entry in AuditEntry.objects.filter(event__startswith="activities.ballot"):
        dumped = json.dumps(entry.data)
        assert all(word not in dumped for word in (S, B, D))
    # The counts have no time and no deputy; receipts no choice.
    assert {f.name for f in BallotTally._meta.fields} == {"id", "uuid", "round", "unit", "choice", "count"}
    assert "choice" not in {f.name for f in BallotReceipt._meta.fields}
    # Exports: figures per unit, no deputy's name.
    word = client_for(world.staff_a).get(f"/activities/evaluations/{evaluation.uuid}/report.docx")
    excel = client_for(world.staff_a).get(f"/activities/evaluations/{evaluation.uuid}/results.xlsx")
    assert word.status_code == 200 and excel.status_code == 200
    for download in (word, excel):
        assert name.encode() not in download.content


def test_only_electors_vote_on_every_unit_of_an_open_ballot(world, deputies, evaluation):
    units = _units(evaluation)
    ballot = services.open_round(evaluation, world.staff_a)
    with pytest.raises(services.EvaluationRefused):  # a unit missing
        services.cast_ballot(ballot, world.deputy_a, choices={units[0].pk: S})
    with pytest.raises(services.EvaluationRefused):  # not a deputy of township A
        services.cast_ballot(ballot, world.deputy_b, choices={u.pk: S for u in units})
    with pytest.raises(services.EvaluationRefused):  # "invalid" is for paper only
        services.cast_ballot(ballot, world.deputy_a, choices={u.pk: "invalid" for u in units})
    assert not BallotReceipt.objects.unscoped().filter(round=ballot).exists()
    with pytest.raises(services.EvaluationRefused):  # fewer than half have voted: the few would be known
        services.close_round(ballot, world.staff_a)
    vote_all(ballot, deputies[1:16])
    with pytest.raises(services.EvaluationRefused):
        services.close_round(ballot, world.staff_a)
    vote_all(ballot, deputies[16:17])
    services.close_round(ballot, world.staff_a)
    with pytest.raises(services.EvaluationRefused):  # closed
        services.cast_ballot(ballot, world.deputy_a, choices={u.pk: S for u in units})


def test_only_legal_steps(world, deputies, evaluation):
    with pytest.raises(services.EvaluationRefused) as refused:
        services.move_evaluation(evaluation, world.staff_a, to=EvaluationState.CLOSED)
    assert "不能" in refused.value.message or "无法" in refused.value.message
    with pytest.raises(services.EvaluationRefused):  # no rectification items before the ballot
        services.add_rectification(_units(evaluation)[0], world.staff_a, demand="x")
    ballot = services.open_round(evaluation, world.staff_a)
    with pytest.raises(services.EvaluationRefused):  # one open ballot at a time
        services.open_round(evaluation, world.staff_a)
    with pytest.raises(services.EvaluationRefused):
        services.set_units(evaluation, world.staff_a, agencies=[world.agency_a])
    vote_all(ballot, deputies[:16])
    services.close_round(ballot, world.staff_a)
    with pytest.raises(services.EvaluationRefused):  # nothing to follow up
        services.open_round(evaluation, world.staff_a)
    services.move_evaluation(evaluation, world.staff_a, to=EvaluationState.CLOSED)


def test_units_are_the_townships_and_the_countys_vertical_ones(world, deputies):
    evaluation = services.create_evaluation(world.staff_a, township=world.township_a, year=2026, title="评议")
    from django.core.exceptions import ValidationError

    with pytest.raises(ValidationError):
        services.set_units(evaluation, world.staff_a, agencies=[world.agency_b])


def test_outsiders_get_404_on_every_page(client_for, world, deputies, evaluation):
    units = _units(evaluation)
    ballot = services.open_round(evaluation, world.staff_a)
    vote_all(ballot, deputies[:16])
    services.close_round(ballot, world.staff_a)
    item = services.add_rectification(units[0], world.staff_a, demand="整改")
    urls = [
        f"/activities/evaluations/{evaluation.uuid}/",
        f"/activities/evaluations/{evaluation.uuid}/units/",
        f"/activities/evaluations/{evaluation.uuid}/results.xlsx",
        f"/activities/evaluations/{evaluation.uuid}/report.docx",
        f"/activities/evaluations/units/{units[0].uuid}/",
        f"/activities/evaluations/ballots/{ballot.uuid}/",
        f"/activities/evaluations/ballots/{ballot.uuid}/vote/",
        f"/activities/evaluations/ballots/{ballot.uuid}/paper/",
        f"/activities/evaluations/rectifications/{item.uuid}/",
    ]
    for user in (world.staff_b, world.other_county_admin, world.deputy_b):
        c = client_for(user)
        for url in urls:
            assert c.get(url).status_code == 404, (user, url)
        assert evaluation.title not in c.get("/activities/evaluations/").content.decode()
    assert client_for(world.staff_a).get(urls[0]).status_code == 200


def test_list_and_detail_queries_are_bounded(client_for, world, deputies, django_assert_max_num_queries):
    agencies = [factories.AgencyFactory(township=world.township_a, name=f"单位{n}") for n in range(20)]
    evaluation = services.create_evaluation(world.staff_a, township=world.township_a, year=2026, title="多单位评议")
    services.set_units(evaluation, world.staff_a, agencies=agencies)
    services.move_evaluation(evaluation, world.staff_a, to=EvaluationState.MEETING)
    ballot = services.open_round(evaluation, world.staff_a)
    vote_all(ballot, deputies[:16])
    services.close_round(ballot, world.staff_a)
    for unit in _units(evaluation)[:5]:
        services.add_rectification(unit, world.staff_a, demand="整改事项")
    for user in (world.staff_a, world.deputy_a):
        c = client_for(user)
        with django_assert_max_num_queries(20):
            assert c.get("/activities/evaluations/").status_code == 200
        with django_assert_max_num_queries(20):
            assert c.get(f"/activities/evaluations/{evaluation.uuid}/").status_code == 200
        with django_assert_max_num_queries(20):
            assert c.get(f"/activities/evaluations/ballots/{ballot.uuid}/").status_code == 200


def test_home_cards(client_for, world, deputies, evaluation):
    ballot = services.open_round(evaluation, world.staff_a)
    home = client_for(world.deputy_a).get("/").content.decode()
    assert f"/activities/evaluations/ballots/{ballot.uuid}/vote/" in home
    services.cast_ballot(ballot, world.deputy_a, choices={u.pk: S for u in _units(evaluation)})
    assert (
        f"/activities/evaluations/ballots/{ballot.uuid}/vote/"
        not in client_for(world.deputy_a).get("/").content.decode()
    )


def test_opening_a_ballot_posts_a_notice_to_every_elector_with_the_link_to_vote(world, deputies, evaluation):
    from django.urls import reverse

    from renda.notices.models import Notice

    ballot = services.open_round(evaluation, world.staff_a)
    notice = Notice.objects.unscoped().get(source_uuid=ballot.uuid)
    assert notice.kind == "evaluation" and notice.township == world.township_a
    assert notice.link == reverse("activities:ballot_vote", args=[ballot.uuid])
    assert {r.user_id for r in notice.recipients.all()} == {user.pk for user in deputies}
    assert "甲镇单位0" in notice.body
