"""The demo's assessment: last year's scheme published with a result and rank for every township,
this year's copied and still a draft with points entered for about half the townships, and the year
documents (the county's guidance, each township's plan and summary). The demo county is the one
seeded for the whole package (conftest.py)."""

from decimal import Decimal

import pytest
from django.utils import timezone

from renda.assessment.measures import measures
from renda.assessment.models import (
    Adjustment,
    DocumentKind,
    EnteredScore,
    Indicator,
    IndicatorKind,
    Result,
    Scheme,
    SchemeState,
    YearDocument,
)
from renda.assessment.services import assessed_townships
from renda.organisations.models import County

pytestmark = pytest.mark.xdist_group("demo")  # one seeded demo per worker: see conftest.py


def test_last_years_scheme_is_published_with_a_ranked_result_per_township(demo_county, db):
    county = County.objects.get()
    year = timezone.localdate().year
    schemes = list(Scheme.objects.filter(county=county).order_by("year"))
    assert [(s.year, s.state) for s in schemes] == [(year - 1, SchemeState.PUBLISHED), (year, SchemeState.DRAFT)]
    last, this = schemes
    assert last.title == f"{year - 1}年度乡镇（街道）人大工作考核" and last.published_at.date().month == 1
    assert this.copied_from == last

    townships = list(assessed_townships(county))
    results = list(Result.objects.filter(scheme=last).order_by("rank"))
    assert {r.township_id for r in results} == {t.pk for t in townships}
    ranks = [r.rank for r in results]
    assert ranks[0] == 1 and max(ranks) <= len(townships) and ranks == sorted(ranks)
    assert len({r.total for r in results}) > 1  # the townships differ
    assert Adjustment.objects.filter(indicator__section__scheme=last).exclude(reason="").count() >= 3

    indicators = Indicator.objects.filter(section__scheme=last)
    base = sum(i.counted_max for i in indicators if not i.is_bonus)
    assert base == Decimal(100)
    assert indicators.filter(is_bonus=True, name="特色亮点", kind=IndicatorKind.ENTERED).exists()
    assert indicators.filter(is_bonus=True, name="宣传用稿").exists()
    for indicator in indicators.filter(kind=IndicatorKind.COMPUTED):
        assert measures.get(indicator.measure) is not None, indicator.measure
    # Every township has points and evidence on every entered (non-bonus) indicator.
    entered = indicators.filter(kind=IndicatorKind.ENTERED, is_bonus=False)
    for indicator in entered:
        rows = EnteredScore.objects.filter(indicator=indicator)
        assert rows.count() == len(townships) and not rows.filter(evidence="").exists()


def test_this_years_draft_has_points_for_about_half_the_townships(demo_county, db):
    this = Scheme.objects.get(year=timezone.localdate().year)
    assert this.state == SchemeState.DRAFT and not this.results.exists()
    assert (
        Indicator.objects.filter(section__scheme=this).count()
        == Indicator.objects.filter(section__scheme=this.copied_from).count()
    )
    # Last year's points were all read from the ledgers; this year the platform counts most of them.
    computed = Indicator.objects.filter(section__scheme=this, kind=IndicatorKind.COMPUTED)
    assert computed.count() >= 10
    assert not Indicator.objects.filter(section__scheme=this.copied_from, kind=IndicatorKind.COMPUTED).exists()
    for indicator in computed:
        assert measures.get(indicator.measure) is not None, indicator.measure
    # Last year's published results spread over the grades, as a county's townships do.
    grades = set(Result.objects.filter(scheme=this.copied_from).values_list("grade", flat=True))
    assert {"excellent", "pass"} <= grades
    checked = EnteredScore.objects.filter(indicator__section__scheme=this).values("township").distinct().count()
    total = len(assessed_townships(this.county))
    assert 0 < checked < total and abs(checked - total / 2) <= 1


def test_year_documents_for_guidance_plans_and_summaries(demo_county, db):
    year = timezone.localdate().year
    documents = YearDocument.objects.all()
    guidance = documents.filter(kind=DocumentKind.GUIDANCE, township=None)
    assert set(guidance.values_list("year", flat=True)) == {year - 1, year}
    assert "一、" in guidance.first().text and "指导意见" in guidance.first().title
    townships = assessed_townships(County.objects.get()).count()
    assert documents.filter(kind=DocumentKind.PLAN, year=year).count() == townships
    summaries = documents.filter(kind=DocumentKind.SUMMARY, year=year - 1).select_related("township")
    assert summaries.count() == townships
    for summary in summaries:
        assert summary.township.name in summary.text and "考核得分" in summary.text


def _county_admin_client(client):
    from renda.accounts.models import User

    client.force_login(User.objects.get(username="county_admin"))
    return client


def test_the_demo_countys_heat_map_shows_every_township_on_every_indicator(demo_county, db, client):
    from django.urls import reverse

    county = County.objects.get()
    scheme = Scheme.objects.get(county=county, year=timezone.localdate().year)
    body = _county_admin_client(client).get(reverse("assessment:dashboard_heat_map")).content.decode()
    for township in assessed_townships(county):
        assert township.name in body
    for indicator in Indicator.objects.filter(section__scheme=scheme):
        assert indicator.name in body


def test_the_demo_countys_year_end_table_and_report(demo_county, db, client):
    import io

    import docx
    import python_calamine
    from django.urls import reverse

    county = County.objects.get()
    last = Scheme.objects.get(county=county, year=timezone.localdate().year - 1)
    results = list(Result.objects.filter(scheme=last).select_related("township").order_by("rank", "township__name"))
    client = _county_admin_client(client)

    table = client.get(reverse("assessment:scheme_excel", args=[last.uuid]))
    book = python_calamine.CalamineWorkbook.from_filelike(io.BytesIO(table.content))
    rows = book.get_sheet_by_index(0).to_python()
    names = [row[1] for row in rows if len(row) > 1]
    assert [r.township.name for r in results] == [name for name in names if name in {r.township.name for r in results}]
    header = next(row for row in rows if "合计" in [str(cell) for cell in row] or "总分" in [str(cell) for cell in row])
    assert len(header) > Indicator.objects.filter(section__scheme=last).count()

    report = docx.Document(io.BytesIO(client.get(reverse("assessment:scheme_word", args=[last.uuid])).content))
    text = "\n".join(p.text for p in report.paragraphs)
    ranking = report.tables[0]
    assert [row.cells[1].text for row in ranking.rows[1:]] == [r.township.name for r in results]
    assert f"{last.year}年度" in text
    for result in results:
        assert result.township.name in text


def test_the_demo_countys_assessment_pages_take_a_query_per_measure_not_per_record(demo_county, db, client):
    """The pages that score read one grouped query per source of the measures the scheme uses (the
    measures reading the same records share one), and a handful of their own: within the crawl's cap
    of 20 on the demo's scheme, and the same however many records the county holds
    (test_dashboard.py, test_score_pages.py count again)."""
    from django.db import connection
    from django.test.utils import CaptureQueriesContext
    from django.urls import reverse

    county = County.objects.get()
    this = Scheme.objects.get(county=county, year=timezone.localdate().year)
    township = assessed_townships(county).first()
    client = _county_admin_client(client)
    counts = {}
    for url in (
        reverse("assessment:dashboard"),
        reverse("assessment:dashboard_heat_map"),
        reverse("assessment:township_dashboard", args=[township.uuid]),
        reverse("assessment:scores", args=[this.uuid]),
        reverse("assessment:township_score", args=[this.uuid, township.uuid]),
    ):
        with CaptureQueriesContext(connection) as queries:
            assert client.get(url).status_code == 200, url
        counts[url] = len(queries.captured_queries)
    assert Indicator.objects.filter(section__scheme=this, kind=IndicatorKind.COMPUTED).count() >= 10
    assert max(counts.values()) <= 20, counts
