"""Setting up a county from the statistical division codes."""

import pytest
from django.urls import reverse

from renda.organisations import divisions
from renda.organisations.models import County, TownshipKind
from renda.organisations.services import (
    OrganisationError,
    county_create_from_division,
    townships_import_from_divisions,
)

pytestmark = pytest.mark.skipif(
    not (divisions.settings.DIVISION_DATA_DIR / "streets.csv").exists(), reason="division data not installed"
)


@pytest.mark.parametrize(
    "name, kind",
    [
        ("湖镇镇", TownshipKind.TOWN),
        ("沐尘畲族乡", TownshipKind.ETHNIC_TOWNSHIP),
        ("罗家乡", TownshipKind.TOWNSHIP),
        ("龙洲街道", TownshipKind.SUBDISTRICT),
        ("经济开发区", TownshipKind.OTHER),
    ],
)
def test_kind_is_read_from_the_official_name(name, kind):
    assert TownshipKind.from_name(name) == kind


def test_county_is_created_with_all_its_townships(db):
    county = county_create_from_division(division_code="330825", actor=None)
    townships = {t.name: t for t in county.townships.all()}
    assert county.name == "龙游县" and len(townships) == 15
    assert townships["沐尘畲族乡"].kind == TownshipKind.ETHNIC_TOWNSHIP
    assert not townships["龙洲街道"].has_congress
    assert divisions.full_county_name("330825") == "浙江省衢州市龙游县"
    with pytest.raises(OrganisationError):
        county_create_from_division(division_code="330825", actor=None)
    with pytest.raises(OrganisationError):
        county_create_from_division(division_code="999999", actor=None)


def test_import_adds_only_what_is_missing_and_codes_hand_typed_townships(db):
    county = County.objects.create(name="龙游县", division_code="330825")
    typed = county.townships.create(name="湖镇镇", kind=TownshipKind.TOWN)
    assert len(townships_import_from_divisions(county=county, actor=None)) == 14
    typed.refresh_from_db()
    assert typed.division_code.startswith("330825")
    assert townships_import_from_divisions(county=county, actor=None) == []


def test_import_page_previews_then_adds(client, world):
    world.county.division_code = "330825"
    world.county.save()
    client.force_login(world.county_admin)
    url = reverse("organisations:township_import", args=[world.county.uuid])
    assert "沐尘畲族乡" in client.get(url).content.decode()
    client.post(url)
    assert world.county.townships.count() == 2 + 15
    client.force_login(world.staff_a)
    assert client.post(url).status_code == 404


def test_system_administrator_sets_up_a_county_by_its_code(client, world):
    client.force_login(world.county_admin)
    assert client.get(reverse("organisations:county_create")).status_code == 403
    client.force_login(world.sysadmin)
    response = client.post(reverse("organisations:county_create"), {"division_code": "330825"})
    assert response.status_code == 302
    county = County.objects.get(division_code="330825")
    assert county.townships.count() == 15
    assert "龙游县" in client.get(reverse("organisations:county_list")).content.decode()
    again = client.post(reverse("organisations:county_create"), {"division_code": "330825"})
    assert again.status_code == 200 and County.objects.filter(division_code="330825").count() == 1
    unknown = client.post(reverse("organisations:county_create"), {"division_code": "12ab"})
    assert unknown.status_code == 200


def test_setup_county_command(db, capsys):
    from django.core.management import call_command

    call_command("setup_county", "330825")
    assert "浙江省衢州市龙游县" in capsys.readouterr().out
    assert County.objects.get(division_code="330825").townships.count() == 15
