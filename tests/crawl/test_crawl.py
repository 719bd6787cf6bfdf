"""Walk every page and API operation as every role, inside and outside its scope.

- anonymous visitors are sent to the login page unless the page is on the public allowlist;
- township A's people get 403/404 for anything of township B, by GET and by POST, and change nothing;
- no page or API answer is a 500 for any role, and none shows — in HTML, JSON, Excel or Word, listed
  or searched — the text or UUID of a row of a scoped model that the role's scope excludes (the rows
  of ``world.rows``: one per scoped model and side, so a new scoped model is covered once it has rows);
- the number of SQL queries of a page does not grow with the number of rows.
"""

import io
from urllib.parse import unquote

import docx
import pytest
import python_calamine
from django.apps import apps
from django.core.cache import cache
from django.urls import reverse

from renda.accounts.models import AuditEntry
from renda.accounts.scoping import scoped
from renda.core.scopes import declared_scope

from .rows import add_rows, assert_bounded, hold_calendar_cache, model_counts, queries_of, query_growth
from .urls import API_SAMPLES, PUBLIC, SAMPLES, all_url_names, api_url_for, page_url_names

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
    return [text for _row, text in (sides["b"] for sides in world.rows.values()) if text]


def scoped_models() -> list:
    """The site's models that declare a scope (test-only apps have their own tests)."""
    return [m for m in apps.get_models() if declared_scope(m) is not None and not m.__module__.startswith("tests.")]


# The roles tied to township A; side a is their own, so only side b is checked for them (their own
# pages legitimately name side-a rows they reach through their own, e.g. a deputy's group).
TOWNSHIP_A_SIDE = {"staff_a", "handler_x", "deputy_a"}
# Administrators see townships and agencies as choices when they set up accounts: their pages are
# checked for UUIDs only.
UUID_ONLY = {"sysadmin", "secadmin", "auditadmin"}
VIEWERS = (*EVERY_ROLE, "other_county_admin")
# Whose detail answers must be 404 for whom: side b for township A's people, everything of the
# county for the neighbouring county's administrator.
FOREIGN_SIDE = {**dict.fromkeys(TOWNSHIP_A_SIDE, "b"), "other_county_admin": "a"}


def hidden_from(world, username: str) -> list[str]:
    """Texts and UUIDs of the sample rows outside the scope of ``username``."""
    user = world.users[username]
    markers = []
    for label, sides in world.rows.items():
        model = apps.get_model(label)
        candidates = {
            side: row for side, (row, _text) in sides.items() if side == "b" or username not in TOWNSHIP_A_SIDE
        }
        visible = set(
            scoped(model, user).filter(pk__in=[r.pk for r in candidates.values()]).values_list("pk", flat=True)
        )
        for side, row in candidates.items():
            if row.pk in visible:
                continue
            # The audit log names the rows it is about: its administrator reads their ids there.
            if hasattr(row, "uuid") and not scoped(AuditEntry, user).filter(target_id=str(row.uuid)).exists():
                markers.append(str(row.uuid))
            text = sides[side][1]
            if text and username not in UUID_ONLY:
                markers.append(text)
    return markers


def readable_text(response) -> str:
    """What a person would read in the answer: HTML or JSON as text, Excel cells, Word paragraphs."""
    content_type = response.get("Content-Type", "")
    body = b"".join(response.streaming_content) if response.streaming else response.content
    if content_type.startswith("image/"):
        return ""  # a QR code: nothing a person reads
    if content_type.startswith(("text/", "application/json")):
        return body.decode()
    if "spreadsheetml" in content_type:
        book = python_calamine.CalamineWorkbook.from_filelike(io.BytesIO(body))
        cells = (
            cell for name in book.sheet_names for line in book.get_sheet_by_name(name).to_python() for cell in line
        )
        return "\n".join(str(cell) for cell in cells)
    if "wordprocessingml" in content_type:
        document = docx.Document(io.BytesIO(body))
        parts = [p.text for p in document.paragraphs]
        parts += [cell.text for table in document.tables for line in table.rows for cell in line.cells]
        for section in document.sections:
            parts += [p.text for p in (*section.header.paragraphs, *section.footer.paragraphs)]
        return "\n".join(parts)
    if content_type.startswith(("image/", "application/pdf")):
        # A case's attachment as uploaded: what a person reads of it here is its name.
        return unquote(response.get("Content-Disposition", ""))
    raise AssertionError(f"the crawl cannot read {content_type!r}: teach readable_text() to")


def test_every_url_is_registered():
    unregistered = sorted(set(all_url_names()) - set(SAMPLES) - {n for n in all_url_names() if n.startswith("api:")})
    assert unregistered == [], f"add these URL names to tests/crawl/urls.py: {unregistered}"


def test_every_api_operation_is_registered(client, world):
    client.force_login(world.county_admin)
    paths = set(client.get("/api/v1/openapi.json").json()["paths"])
    assert sorted(paths - set(API_SAMPLES)) == [], "add these API paths to API_SAMPLES in tests/crawl/urls.py"


def test_every_scoped_model_has_a_row_on_each_side(world):
    missing = sorted(
        m._meta.label_lower for m in scoped_models() if set(world.rows.get(m._meta.label_lower, {})) != {"a", "b"}
    )
    assert missing == [], "add rows of side a and b for these models to add_every_scoped_row (tests/conftest.py)"


def test_side_b_rows_are_outside_the_scope_of_township_a_people(world):
    """The samples are foreign indeed: the scope declarations keep every side-b row from township A's
    people, and everything of the county from the neighbouring county's administrator."""
    for label, sides in world.rows.items():
        model = apps.get_model(label)
        for username in TOWNSHIP_A_SIDE:
            assert not scoped(model, world.users[username]).filter(pk=sides["b"][0].pk).exists(), (label, username)
        assert not scoped(model, world.other_county_admin).filter(pk=sides["a"][0].pk).exists(), label


@pytest.mark.parametrize("name", PAGE_NAMES)
def test_anonymous_visitor_is_sent_to_login(client, world, name):
    response = client.get(url_for(world, name, "a"))
    if name in PUBLIC:
        assert response.status_code == 200
    else:
        assert response.status_code == 302
        assert response.url.startswith(reverse("accounts:login"))


# Public pages (a station's form, a deputy's form, the status by code) are open to anyone by design.
@pytest.mark.parametrize("name", [n for n in PAGE_NAMES if SAMPLES[n] is not None and n not in PUBLIC])
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


# Logging out ends the walk's session: last.
WALK = sorted(PAGE_NAMES, key=lambda name: name == "accounts:logout")
# Pages without arguments are lists; each is also searched for 乙, which every side-b text contains.
SEARCH = "乙"


@pytest.mark.parametrize("username", VIEWERS)
def test_no_page_or_api_answer_fails_or_leaks(client, world, username):
    markers = hidden_from(world, username)
    client.force_login(world.users[username])
    problems: list[str] = []  # all of them, so that one run shows every page that leaks

    def check(url: str, public: bool = False) -> None:
        response = client.get(url)
        if response.status_code >= 500:
            problems.append(f"{response.status_code} on {url}")
        elif response.status_code == 200 and not public:
            body = readable_text(response)
            leaked = [marker for marker in markers if marker in body]
            if leaked:
                problems.append(f"{url} shows {leaked}, outside the scope")

    for name in WALK:
        url = url_for(world, name, "a")
        # A public page shows a station's or a deputy's name to anyone by design (tests/casework/
        # test_public.py checks that it shows no personal data); it must not fail.
        check(url, public=name in PUBLIC)
        if SAMPLES[name] is None and name not in PUBLIC and name != "accounts:logout":
            check(f"{url}?q={SEARCH}")
    client.force_login(world.users[username])
    for path in api_paths_with(client, "get"):
        check(api_url_for(world, path, "a"))
        if API_SAMPLES[path] is None:
            check(f"{path}?q={SEARCH}")
        elif username in FOREIGN_SIDE:
            foreign = api_url_for(world, path, FOREIGN_SIDE[username])
            if client.get(foreign).status_code != 404:
                problems.append(f"{foreign} is not 404")
    assert problems == [], f"{username}: " + "; ".join(problems)


def api_paths_with(client, method: str) -> list[str]:
    """The API paths with an operation of ``method``, as the OpenAPI document lists them."""
    paths = client.get("/api/v1/openapi.json").json()["paths"]
    return [path for path in API_SAMPLES if method in paths.get(path, {})]


# One body that every write operation accepts (each reads the fields it knows), so the walk
# reaches the row's lookup rather than stopping at the body's validation.
WRITE_BODY = {
    "step": "close",
    "reason": "乙",
    "text": "乙",
    "approve": True,
    "until": "2030-01-01",
    "handling": "satisfied",
    "result": "satisfied",
    "reply_class": "A",
    "consultation": "phone",
    "signer": "乙",
    "done_items": "乙",
}


def test_outsider_cannot_write_through_the_api(client, world):
    """Every POST on a row of township B is 404 for township A's people, whatever the body, and
    changes nothing (the crawl's GET walk reads; this writes)."""
    changes = AuditEntry.objects.exclude(event__startswith="auth.").exclude(event__startswith="access.")
    changes = changes.exclude(event="security.alert")
    assert world.rows  # built before counting
    audit_rows = changes.count()
    client.force_login(world.county_admin)
    posts = [path for path in api_paths_with(client, "post") if API_SAMPLES[path] is not None]
    assert posts, "no POST operation on a row: the walk would check nothing"
    for username in TOWNSHIP_A_PEOPLE:
        client.force_login(world.users[username])
        for path in posts:
            url = api_url_for(world, path, "b")
            response = client.post(url, WRITE_BODY, content_type="application/json")
            assert response.status_code == 404, f"{username} POST {url}: {response.status_code}"
    assert changes.count() == audit_rows, "a denied request changed something"


# Who is measured: the county's, a township's and a deputy's pages, and the administrators'.
QUERY_ROLES = ("county_admin", "staff_a", "sysadmin", "auditadmin", "deputy_a")
QUERY_WALK = [name for name in WALK if name not in PUBLIC]


def test_more_rows_are_of_every_scoped_model(world):
    """The query counts below are only as good as the rows added between the two sizes."""
    labels = [model._meta.label_lower for model in scoped_models()]
    assert world.rows
    before = model_counts(labels)
    add_rows(world)
    after = model_counts(labels)
    same = sorted(label for label in labels if after[label] <= before[label])
    assert same == [], f"add_rows (tests/crawl/rows.py) adds no rows of {same}: give them a sample in world.rows"


def page_queries(client, world, username: str) -> dict[str, tuple[int, int]]:
    """{page: (status, number of queries)} of every page but the public ones, as ``username``."""
    # Denials are counted in the cache towards a security alert: each size starts from none.
    cache.clear()
    client.force_login(world.users[username])
    return queries_of(client, {name: url_for(world, name, "a") for name in QUERY_WALK})


@pytest.mark.parametrize("username", QUERY_ROLES)
def test_query_count_does_not_grow_with_rows(client, world, username, monkeypatch):
    """Every page at two sizes: the samples, then three more rows of every kind (tests/crawl/rows.py)."""
    hold_calendar_cache(monkeypatch)
    assert world.rows
    small = page_queries(client, world, username)
    add_rows(world)
    large = page_queries(client, world, username)
    assert_bounded(username, query_growth(small, large))
