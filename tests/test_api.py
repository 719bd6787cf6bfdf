"""The JSON API: authentication, scoping and the OpenAPI document."""

import json

import pytest

from renda.accounts.services import api_token_create, api_token_revoke
from tests import factories
from tests.crawl.rows import add_rows, assert_bounded, hold_calendar_cache, queries_of, query_growth
from tests.crawl.urls import api_url_for

LISTS = ["/api/v1/counties", "/api/v1/townships", "/api/v1/stations", "/api/v1/groups", "/api/v1/agencies"]


def api_operations(client, user) -> list[tuple[str, str]]:
    """(method, path) of every operation of the OpenAPI document."""
    client.force_login(user)
    schema = client.get("/api/v1/openapi.json").json()
    return [(method, path) for path, methods in schema["paths"].items() for method in methods]


def test_openapi_document_and_docs_need_login_and_are_served_locally(client, world):
    assert client.get("/api/v1/openapi.json").status_code == 302
    client.force_login(world.staff_a)
    schema = client.get("/api/v1/openapi.json").json()
    assert "/api/v1/townships" in schema["paths"]
    docs = client.get("/api/v1/docs").content.decode()
    assert "cdn" not in docs.lower()
    assert "/static/ninja/swagger-ui" in docs


def test_every_operation_refuses_anonymous_callers(client, world):
    for method, path in api_operations(client, world.staff_a):
        if path.startswith("/api/v1/public/"):
            continue  # the citizens' submission and status lookup need no account (test_public.py)
        client.logout()
        url = path.replace("{uuid}", str(world.township_a.uuid)).replace("{extension_id}", "1")
        response = client.generic(method.upper(), url, "{}", content_type="application/json")
        assert response.status_code == 401, f"{method} {url}"


def test_every_list_shows_only_own_township_rows(client, world):
    foreign = {
        str(world.township_b.uuid),
        str(world.station_b.uuid),
        str(world.group_b.uuid),
        str(world.agency_b.uuid),
    }
    client.force_login(world.staff_a)
    for url in LISTS:
        body = client.get(url).content.decode()
        assert not [uuid for uuid in foreign if uuid in body], url
    assert client.get(f"/api/v1/townships/{world.township_b.uuid}").status_code == 404
    assert client.get(f"/api/v1/townships/{world.township_a.uuid}").json()["name"] == "甲镇"


def test_county_admin_sees_whole_county_but_not_the_other(client, world):
    other = factories.TownshipFactory(county=world.other_county, name="外县镇")
    client.force_login(world.county_admin)
    names = {t["name"] for t in client.get("/api/v1/townships").json()["items"]}
    assert names == {"甲镇", "乙镇"}
    assert client.get(f"/api/v1/townships/{other.uuid}").status_code == 404


def test_agency_handler_sees_own_agency_only(client, world):
    client.force_login(world.handler_x)
    items = client.get("/api/v1/agencies").json()["items"]
    assert [a["uuid"] for a in items] == [str(world.agency_a.uuid)]
    assert client.get("/api/v1/townships").json()["items"] == []


def test_bearer_token_authenticates_until_revoked(client, world):
    token, raw = api_token_create(user=world.staff_a, name="报表", actor=world.staff_a)
    headers = {"Authorization": f"Bearer {raw}"}
    response = client.get("/api/v1/townships", headers=headers)
    assert response.status_code == 200
    assert [t["name"] for t in response.json()["items"]] == ["甲镇"]
    api_token_revoke(token=token, actor=world.staff_a)
    assert client.get("/api/v1/townships", headers=headers).status_code == 401
    assert client.get("/api/v1/townships", headers={"Authorization": "Bearer rd_wrong"}).status_code == 401


def test_token_is_stored_only_as_digest(world):
    token, raw = api_token_create(user=world.staff_a, name="报表", actor=world.staff_a)
    assert raw not in json.dumps([token.digest, token.prefix, token.name])


def list_paths(schema: dict) -> dict[str, bool]:
    """{path: whether it is a list} of the paths whose GET answers rows: a JSON array or a page of
    them (``items``), a list; or an object holding some (a meeting's attendance, a case's replies)."""

    def resolved(node: dict) -> dict:
        while "$ref" in node:
            node = schema["components"]["schemas"][node["$ref"].rsplit("/", 1)[1]]
        return node

    paths = {}
    for path, methods in schema["paths"].items():
        answer = methods.get("get", {}).get("responses", {}).get("200", {})
        body = resolved(answer.get("content", {}).get("application/json", {}).get("schema", {}))
        parts = [resolved(part) for part in body.get("properties", {}).values()]
        if body.get("type") == "array" or "items" in body.get("properties", {}):
            paths[path] = True
        elif any(part.get("type") == "array" for part in parts):
            paths[path] = False
    return paths


def api_list_queries(client, world, paths: list[str]) -> dict[str, tuple[int, int]]:
    return queries_of(client, {path: api_url_for(world, path, "a") for path in paths})


@pytest.mark.parametrize("username", ["county_admin", "staff_a", "handler_x", "deputy_a"])
def test_list_queries_do_not_grow_with_rows(client, world, username, monkeypatch):
    """Every list of the API (found in the OpenAPI document) at two sizes: the samples of every
    scoped model, then three more rows of every kind (tests/crawl/rows.py)."""
    hold_calendar_cache(monkeypatch)
    client.force_login(world.users[username])
    paths = list_paths(client.get("/api/v1/openapi.json").json())
    assert {"/api/v1/cases", "/api/v1/meetings/{uuid}/attendance", "/api/v1/groups/{uuid}/members"} <= set(paths)
    # The bound is the lists'; an object's rows must only not cost a query each.
    objects = frozenset(path for path, is_list in paths.items() if not is_list)
    assert world.rows
    small = api_list_queries(client, world, list(paths))
    add_rows(world)
    large = api_list_queries(client, world, list(paths))
    assert_bounded(username, query_growth(small, large, unbounded=objects))
