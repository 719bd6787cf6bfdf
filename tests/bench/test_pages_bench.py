"""The page benchmark's report (renda.bench.pages) on a tiny world measured at two sizes: the county
of the crawl's world, then the same with a neighbouring county of two more townships."""

import json
from types import SimpleNamespace

from renda.bench import pages
from tests import factories


def scale_world(world) -> SimpleNamespace:
    """The crawl's world in the shape of ``renda.demo.scale.ScaleWorld``."""
    rows = world.rows
    users = world.users
    return SimpleNamespace(
        county=world.county,
        township=world.township_a,
        users={
            "county_admin": users["county_admin"],
            "leader": users["leader"],
            "staff": users["staff_a"],
            "deputy": users["deputy_a"],
            "handler": users["handler_x"],
        },
        case=rows["casework.case"]["a"][0],
        mandate=world.mandate_a,
        activity=rows["activities.activity"]["a"][0],
        agency=world.agency_a,
    )


def grow(world) -> None:
    """Two more townships in another county, with deputies: rows the first county does not see."""
    county = factories.CountyFactory()
    for _ in range(2):
        township = factories.TownshipFactory(county=county)
        for _ in range(3):
            factories.MandateFactory(person__township=township)


def test_report_has_every_page_at_every_size_in_json_and_markdown(world, settings, tmp_path):
    settings.RENDA_REQUIRE_2FA = False
    small = scale_world(world)
    measured = {"county": {"pages": pages.measure(small, runs=2)}}
    grow(world)
    measured["city"] = {"pages": pages.measure(small, runs=2)}
    report = pages.evaluate(measured)

    names = [page["name"] for page in report["pages"]]
    assert {"roster", "agency inbox", "home (deputy)", "API /deputies", "API /cases"} <= set(names)
    for page in report["pages"]:
        for figures in page["sizes"].values():
            assert figures["status"] == 200, page
            assert figures["queries"] > 0
            assert 0 < figures["median_ms"] <= figures["p95_ms"]
        assert set(page["ratios"]) == {"city"}

    report["machine"] = {**pages.machine_info(pages.database_version()), "load_before": "0", "load_after": "0"}
    report["runs"] = 2
    written = pages.write_report(report, tmp_path)
    assert {path.name for path in written} >= {"latest.md", "latest.json"}
    assert json.loads((tmp_path / "latest.json").read_text())["summary"]["pages"] == len(names)
    markdown = (tmp_path / "latest.md").read_text().splitlines()
    for name in names:
        assert sum(line.startswith(f"| {name} |") for line in markdown) == 1, name


def test_a_page_whose_queries_grow_is_flagged():
    def figures(queries: int, median: float) -> dict:
        return {
            "persona": "county_admin",
            "path": "/",
            "status": 200,
            "queries": queries,
            "median_ms": median,
            "p95_ms": median,
        }

    report = pages.evaluate(
        {
            "county": {"pages": {"steady": figures(10, 20), "growing": figures(10, 20), "slow": figures(5, 100)}},
            "city": {"pages": {"steady": figures(10, 30), "growing": figures(14, 20), "slow": figures(5, 250)}},
        }
    )
    by_name = {page["name"]: page for page in report["pages"]}
    assert by_name["steady"]["failures"] == []
    assert by_name["growing"]["failures"] == ["queries grow: 10 → 14"]
    assert len(by_name["slow"]["failures"]) == 2  # 2.5 times slower, and 250 ms at city size
    assert report["summary"]["missed"]["queries"] == ["growing"]
    assert report["summary"]["missed"]["ratio"] == report["summary"]["missed"]["median"] == ["slow"]
    markdown = pages.render_markdown(report)
    assert "| growing | county_admin | 10 / 14 |" in markdown
    assert "✗ queries grow: 10 → 14" in markdown
    assert "| steady | county_admin | 10 / 10 | 20 / 30 | 20 / 30 | 1.50 | ✓ |" in markdown
