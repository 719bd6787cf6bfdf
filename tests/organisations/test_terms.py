"""Terms (届次) of the county congress and of the township congresses: set for all congresses in
one form by the county office, by a township's own staff where the county allows it, and a warning
before a term ends."""

from datetime import date

import pytest
import time_machine
from django.urls import reverse

from renda.accounts.models import AuditEntry
from renda.organisations.models import Term, TownshipKind
from tests import factories

START, END = date(2027, 1, 10), date(2032, 1, 9)
WARNING = "即将届满"


@pytest.fixture
def new_county(world):
    """A county set up this afternoon: townships and a subdistrict, no term anywhere yet."""
    county = factories.CountyFactory(name="新县")
    towns = [factories.TownshipFactory(county=county, name=name) for name in ("东镇", "西乡")]
    factories.TownshipFactory(county=county, name="城关街道", kind=TownshipKind.SUBDISTRICT)
    admin = factories.UserFactory(username="new_admin", role="county_admin", county=county)
    return county, towns, admin


def _post(client, county, rows: list[dict], shared: dict | None = None):
    data = {"action": "terms", "form-TOTAL_FORMS": len(rows), "form-INITIAL_FORMS": len(rows)}
    for key, value in (shared or {}).items():
        data[f"shared-{key}"] = value
    for index, row in enumerate(rows):
        for key, value in row.items():
            data[f"form-{index}-{key}"] = value
    return client.post(reverse("organisations:county_terms", args=[county.uuid]), data)


def test_the_county_office_records_every_congress_term_in_one_form(client, new_county):
    county, towns, admin = new_county
    client.force_login(admin)
    page = client.get(reverse("organisations:county_terms", args=[county.uuid])).content.decode()
    # The county's own congress and each township congress; a subdistrict has no congress.
    assert "新县" in page and "东镇" in page and "西乡" in page and "城关街道" not in page

    shared = {"number": 18, "starts_on": START, "ends_on": END}
    response = _post(client, county, [{"include": "on"}, {"include": "on"}, {"include": "on", "number": 7}], shared)
    assert response.status_code == 302
    terms = {
        (t.township.name if t.township else "县", t.number, t.starts_on) for t in Term.objects.filter(county=county)
    }
    assert terms == {("县", 18, START), ("东镇", 18, START), ("西乡", 7, START)}
    assert AuditEntry.objects.filter(event="organisations.term.create", county_id=county.pk).count() == 3

    # Recording them again is refused whole, and says which.
    response = _post(client, county, [{"include": "on"}, {"include": "on"}, {}], shared)
    assert response.status_code == 200
    assert "已有记录" in response.content.decode()
    assert Term.objects.filter(county=county).count() == 3


def test_a_row_without_values_is_an_error_and_keeps_what_was_typed(client, new_county):
    county, towns, admin = new_county
    client.force_login(admin)
    response = _post(client, county, [{}, {"include": "on", "number": 3, "starts_on": START}, {}])
    assert response.status_code == 200
    body = response.content.decode()
    assert 'value="3"' in body and 'value="2027-01-10"' in body
    assert Term.objects.filter(county=county).count() == 0


def test_township_staff_record_their_own_term_only_where_the_county_allows_it(client, world):
    url_a = reverse("organisations:term_create", args=[world.township_a.uuid])
    form = {"number": 13, "starts_on": "2027-01-01", "ends_on": "2031-12-31"}
    client.force_login(world.staff_a)
    assert client.get(reverse("organisations:county_terms", args=[world.county.uuid])).status_code in {403, 404}
    assert client.get(url_a).status_code == 403

    client.force_login(world.county_admin)
    settings_url = reverse("organisations:county_terms", args=[world.county.uuid])
    assert client.post(settings_url, {"action": "setting", "townships_register_terms": "on"}).status_code == 302
    assert AuditEntry.objects.filter(event="organisations.county.township_terms").exists()

    client.force_login(world.staff_a)
    assert client.post(url_a, form).status_code == 302
    assert Term.objects.filter(township=world.township_a, number=13).exists()
    # Never another township's.
    url_b = reverse("organisations:term_create", args=[world.township_b.uuid])
    assert client.get(url_b).status_code == 404


def _ending_2026_12_19(world) -> None:
    """The world's township terms end years ahead (tests/factories.py); these tests end them on
    2026-12-19, five years after they began. The warning starts 90 days before."""
    Term.objects.unscoped().filter(township__isnull=False, county=world.county).update(ends_on=date(2026, 12, 19))


def test_a_term_ending_soon_is_announced_until_the_next_is_recorded(client, world):
    _ending_2026_12_19(world)
    url = reverse("organisations:township_detail", args=[world.township_a.uuid])
    client.force_login(world.staff_a)
    with time_machine.travel(date(2026, 9, 1)):
        assert WARNING not in client.get(url).content.decode()
    with time_machine.travel(date(2026, 10, 20)):
        body = client.get(url).content.decode()
        assert WARNING in body and "2026-12-19" in body
        factories.TermFactory(township=world.township_a, number=13, starts_on=date(2026, 12, 20), ends_on=END)
        assert WARNING not in client.get(url).content.decode()


def test_the_home_page_warns_county_and_township_people_of_a_term_ending(client, world):
    _ending_2026_12_19(world)
    with time_machine.travel(date(2026, 10, 20)):
        for username in ("county_admin", "staff_a", "leader"):
            client.force_login(world.users[username])
            assert WARNING in client.get(reverse("home")).content.decode(), username
        client.force_login(world.handler_x)
        assert WARNING not in client.get(reverse("home")).content.decode()
