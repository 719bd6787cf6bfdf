"""Walk every page as every role, inside and outside its scope.

- anonymous visitors are sent to the login page unless the page is on the public allowlist;
- township A's people get 403/404 for anything of township B, by GET and by POST, and change nothing;
- no page answers 500 to any role, and pages of township A's people show no row of township B;
- the number of SQL queries of a page does not grow with the number of rows.
"""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from renda.accounts.models import AuditEntry
from tests import factories

from .urls import PUBLIC, SAMPLES, all_url_names, page_url_names

PAGE_NAMES = page_url_names()
DENIED = {403, 404, 405}
TOWNSHIP_A_PEOPLE = ("staff_a", "handler_x", "deputy_a")
EVERY_ROLE = (
    "county_admin",
    "leader",
    "staff_a",
    "deputy_a",
    "handler_x",
    "sysadmin",
    "secadmin",
    "auditadmin",
)


def url_for(world, name: str, side: str) -> str:
    sample = SAMPLES[name]
    return reverse(name, kwargs=sample(world, side) if sample else None)


def foreign_markers(world) -> list[str]:
    return [
        world.township_b.name,
        world.station_b.name,
        world.group_b.name,
        world.agency_b.name,
        world.person_b.full_name,
        world.staff_b.username,
    ]


def test_every_url_is_registered():
    unregistered = sorted(set(all_url_names()) - set(SAMPLES) - {n for n in all_url_names() if n.startswith("api:")})
    assert unregistered == [], f"add these URL names to tests/crawl/urls.py: {unregistered}"


@pytest.mark.parametrize("name", PAGE_NAMES)
def test_anonymous_visitor_is_sent_to_login(client, world, name):
    response = client.get(url_for(world, name, "a"))
    if name in PUBLIC:
        assert response.status_code == 200
    else:
        assert response.status_code == 302
        assert response.url.startswith(reverse("accounts:login"))


@pytest.mark.parametrize("name", [n for n in PAGE_NAMES if SAMPLES[n] is not None])
def test_outsider_gets_nothing_of_another_township(client, world, name):
    url, own_url = url_for(world, name, "b"), url_for(world, name, "a")
    # Denials are audited (access.denied, S15) and may raise an alert; neither is a change.
    changes = AuditEntry.objects.exclude(event__startswith="auth.").exclude(event__startswith="access.")
    changes = changes.exclude(event="security.alert")
    audit_rows = changes.count()
    for username in TOWNSHIP_A_PEOPLE:
        client.force_login(world.users[username])
        assert client.get(url).status_code in DENIED, f"{username} GET {url}"
        assert client.post(url, {"name": "改名", "active": "0"}).status_code in DENIED, f"{username} POST {url}"
    # A county administrator of another county is an outsider to all of this county.
    client.force_login(world.other_county_admin)
    assert client.get(own_url).status_code in DENIED
    assert changes.count() == audit_rows, "a denied request changed something"


@pytest.mark.parametrize("name", PAGE_NAMES)
def test_no_page_fails_or_leaks_for_any_role(client, world, name):
    markers = foreign_markers(world)
    for username in EVERY_ROLE:
        client.force_login(world.users[username])
        response = client.get(url_for(world, name, "a"))
        assert response.status_code < 500, f"{username} GET {name}"
        # Binary downloads (.xlsx, .docx) are zip files: their own tests read them for foreign rows.
        text = response.get("Content-Type", "").startswith(("text/", "application/json"))
        if username in TOWNSHIP_A_PEOPLE and response.status_code == 200 and text:
            body = response.content.decode()
            leaked = [marker for marker in markers if marker in body]
            assert leaked == [], f"{username} sees township B's {leaked} on {name}"


def add_rows(world, count: int) -> None:
    """More of every kind of row in both townships, so a per-row query would show."""
    for township in (world.township_a, world.township_b):
        for _ in range(count):
            station = factories.StationFactory(township=township)
            group = factories.DeputyGroupFactory(township=township, station=station)
            factories.AgencyFactory(township=township)
            factories.MandateFactory(person__township=township, group=group, station=station)
            factories.UserFactory(township=township)
    factories.AgencyFactory(township=None, county=world.county)


@pytest.mark.parametrize("name", [n for n in PAGE_NAMES if n not in PUBLIC])
def test_query_count_does_not_grow_with_rows(client, world, name):
    url = url_for(world, name, "a")
    for username in ("county_admin", "staff_a", "sysadmin", "auditadmin", "deputy_a"):
        client.force_login(world.users[username])
        with CaptureQueriesContext(connection) as before:
            client.get(url)
        add_rows(world, 3)
        with CaptureQueriesContext(connection) as after:
            client.get(url)
        assert len(after) <= len(before), f"{username} {name}: {len(before)} → {len(after)} queries"
        assert len(after) <= 20, f"{username} {name}: {len(after)} queries"
