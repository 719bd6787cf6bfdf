"""The figures on a small constructed set (on time, 办结率, 满意率, 面复率, reply classes), their
scope (a township sees its own row) and a number of queries that does not grow with the cases."""

from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from renda.casework import figures
from renda.casework import services as cases
from renda.casework.models import Case, CaseCategory, CaseSource
from tests import factories


def new_case(world, township, *, source=CaseSource.RECESS_SUGGESTION, category=None, actor=None):
    actor = actor or world.county_admin
    signers = (
        []
        if source == CaseSource.CITIZEN_OPINION
        else [world.mandate_a if township == world.township_a else world.mandate_b]
    )
    return cases.file_case(
        actor,
        township=township,
        source=source,
        title="修缮村小学围墙",
        content="围墙破损，存在安全隐患。",
        signers=signers,
        category=category,
    )


def assign(world, case, agency=None):
    case = cases.accept(case, world.county_admin)
    return cases.assign(case, world.county_admin, lead=agency or world.agency_a)


def answer(world, case, *, handler=None, reply_class="A", consultation="meeting", late=False):
    if late:
        Case.objects.unscoped().filter(pk=case.pk).update(answer_due_on=timezone.localdate() - timedelta(days=1))
        case.refresh_from_db()
    cases.answer(
        case,
        handler or world.handler_x,
        reply_class=reply_class,
        done_items="已修缮",
        consultation=consultation,
        signer="负责人",
    )
    case.refresh_from_db()
    return case


def rate(world, case, handling, result):
    cases.rate(case, world.deputy_a, mandate=world.mandate_a, handling=handling, result=result)
    case.refresh_from_db()
    return case


@pytest.fixture
def constructed(world, settings):
    """Township A: six cases whose figures are worked out by hand in the test below."""
    settings.RENDA_CASE_MAX_REHANDLINGS = 1
    schools = CaseCategory.objects.create(county=world.county, name="教科文卫")
    a = world.township_a
    # 1: on time, met in person, class A, satisfied; closed.
    one = answer(world, assign(world, new_case(world, a, category=schools)))
    one = rate(world, one, "satisfied", "satisfied")
    cases.close(one, world.county_admin)
    # 2: late, by phone, class B, rated basically satisfied / not satisfied → handled again (round 1),
    # answered A in person, rated the same again (the last re-handling: it stays rated).
    two = answer(
        world, assign(world, new_case(world, a, category=schools)), reply_class="B", consultation="phone", late=True
    )
    two = rate(world, two, "basic", "unsatisfied")
    assert two.rehandle_count == 1
    two = answer(world, two, reply_class="A", consultation="meeting")
    rate(world, two, "basic", "unsatisfied")
    # 3: assigned, not answered.
    assign(world, new_case(world, a))
    # 4: not accepted.
    cases.reject(new_case(world, a), world.county_admin, reason="不属于职责范围")
    # 5: handled on the spot.
    cases.handle_on_spot(new_case(world, a), world.county_admin, reply_text="当场解答")
    # 6: a citizen's opinion, on time, visited, class C; the citizen never rates (未表态).
    six = answer(
        world,
        assign(world, new_case(world, a, source=CaseSource.CITIZEN_OPINION)),
        reply_class="C",
        consultation="visit",
    )
    cases.lapse_ratings(six.rating_due_on + timedelta(days=1))
    # Township B: one answered case, which township A's staff must not see.
    b_case = new_case(world, world.township_b)
    answer(world, assign(world, b_case, world.agency_b), handler=world.handler_y)
    return figures.Period.year(timezone.localdate().year)


@pytest.mark.django_db
def test_figures_of_a_constructed_set(world, constructed):
    result = figures.figures(world.staff_a, constructed)
    by_township = result.tables[0]
    assert [row.name for row in by_township.rows] == ["甲镇"]
    row = by_township.rows[0]
    assert (row.received, row.accepted, row.answered, row.on_time) == (6, 5, 3, 2)
    assert row.on_time_rate == 66.7
    assert (row.closed, row.closed_rate) == (2, 40.0)
    assert row.rehandled == 1
    assert (row.face_to_face, row.face_to_face_rate) == (2, 66.7)
    # Current answers' ratings: case 1 satisfied/satisfied, case 2 basic/unsatisfied, case 6 未表态.
    assert (row.handling_rated, row.handling_good, row.handling_rate) == (2, 2, 100.0)
    assert (row.result_rated, row.result_good, row.result_rate) == (2, 1, 50.0)
    assert row.no_opinion == 1
    shares = {code: (count, share) for code, count, share in row.class_shares}
    assert shares["A"] == (2, 66.7) and shares["B"] == (0, 0.0) and shares["C"] == (1, 33.3)
    by_category = {row.name: row for row in result.tables[2].rows}
    assert by_category["教科文卫"].received == 2 and by_category["教科文卫"].rehandled == 1
    by_agency = {row.name: row for row in result.tables[1].rows}
    assert by_agency[world.agency_a.name].answered == 3


@pytest.mark.django_db
def test_county_sees_every_township_and_totals(world, constructed):
    table = figures.figures(world.county_admin, constructed).tables[0]
    assert {row.name for row in table.rows} == {"甲镇", "乙镇"}
    assert table.total.received == 7 and table.total.answered == 4
    leader = figures.figures(world.leader, constructed).tables[0]
    assert {row.name for row in leader.rows} == {"甲镇", "乙镇"}


@pytest.mark.django_db
def test_figures_page_scoped_and_refused_to_agencies_and_deputies(client, world, constructed):
    client.force_login(world.staff_a)
    response = client.get(reverse("casework:figures"))
    assert response.status_code == 200
    body = response.content.decode()
    assert "甲镇" in body and "乙镇" not in body
    # The page prints the rates as the export does: a percentage, or — when there is nothing to rate.
    row = response.context["result"].tables[0].rows[0]
    assert f"<td>{row.closed_rate}%</td>" in body and f"<td>{row.on_time}</td>" in body
    for user in (world.handler_x, world.deputy_a):
        client.force_login(user)
        assert client.get(reverse("casework:figures")).status_code == 403
    client.force_login(world.county_admin)
    response = client.get(reverse("casework:figures_export"), {"year": constructed.start.year})
    assert response.status_code == 200 and "spreadsheetml" in response["Content-Type"]


@pytest.mark.django_db
def test_a_bad_range_is_explained_not_failed(client, world):
    client.force_login(world.staff_a)
    response = client.get(reverse("casework:figures"), {"start": "2026-05-01", "end": "2026-01-01"})
    assert response.status_code == 200
    assert response.context["form"].errors


@pytest.mark.django_db
def test_queries_do_not_grow_with_cases(world, django_assert_max_num_queries):
    third = factories.TownshipFactory(county=world.county, name="丙乡")
    period = figures.Period.year(timezone.localdate().year)

    def add(count):
        for township in (world.township_a, world.township_b, third):
            for index in range(count):
                case = assign(world, new_case(world, township), world.county_agency)
                if index % 2:
                    Case.objects.unscoped().filter(pk=case.pk).update(rehandle_count=1)

    add(2)
    with django_assert_max_num_queries(9) as few:
        figures.figures(world.county_admin, period)
    add(6)
    with django_assert_max_num_queries(len(few.captured_queries)):
        result = figures.figures(world.county_admin, period)
    assert result.tables[0].total.received == 24


def test_agencies_with_the_same_name_have_rows_of_their_own(world):
    """Each township has its own 农业服务中心: the county's agency table must not add them up."""
    namesake = factories.AgencyFactory(township=world.township_b, name=world.agency_a.name)
    assign(world, new_case(world, world.township_a))
    assign(world, new_case(world, world.township_b), agency=namesake)
    table = figures.dimension_table(world.county_admin, figures.Period.year(timezone.localdate().year), "agency")
    same_name = [row for row in table.rows if row.name == world.agency_a.name]
    assert [row.received for row in same_name] == [1, 1]
