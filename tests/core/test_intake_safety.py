"""Reusable pieces for public intake: S34 tracking codes, S35 rate limits, S36 idempotent
submission, S37 optimistic locking."""

import json
import threading
from datetime import UTC, datetime
from urllib.parse import urlencode
from urllib.request import Request, urlopen

import pytest
import time_machine
from django.core.cache import cache
from django.urls import reverse

from renda.core.locking import StaleEdit
from renda.core.models import SubmissionReceipt
from renda.core.tracking import ALPHABET, new_tracking_code, normalise_tracking_code
from renda.organisations.models import Station

pytestmark = pytest.mark.urls("tests.core.intake_urls")


def test_s34_tracking_codes_carry_80_random_bits_and_survive_retyping():
    codes = {new_tracking_code() for _ in range(2000)}
    assert len(codes) == 2000
    code = codes.pop()
    assert len(code.replace("-", "")) * 5 == 80 and all(c in ALPHABET for c in code.replace("-", ""))
    typed = code.lower().replace("-", " ").replace("0", "o").replace("1", "l")
    assert normalise_tracking_code(typed) == code
    assert normalise_tracking_code("ABCD") is None
    assert normalise_tracking_code("UUUU-UUUU-UUUU-UUUU") is None


@pytest.fixture
def fresh_cache():
    cache.clear()
    yield
    cache.clear()


# Frozen inside a minute: the test is about the count, not about where a window boundary falls.
@time_machine.travel(datetime(2026, 3, 4, 9, 30, 10, tzinfo=UTC), tick=False)
def test_s35_a_crowd_behind_one_address_gets_through_and_excess_gets_a_friendly_429(client, db, fresh_cache):
    statuses = []
    for _ in range(35):
        token = client.get("/form/").json()["submission"]
        response = client.post("/submit/", {"token": token}, REMOTE_ADDR="10.0.0.7")
        statuses.append(response.status_code)
    assert statuses.count(200) == 30
    assert statuses[30:] == [429] * 5
    assert SubmissionReceipt.objects.count() == statuses.count(200)
    refused = client.post("/submit/", {"token": "x"}, REMOTE_ADDR="10.0.0.7")
    assert refused["Retry-After"] == "60"
    assert "errors/429.html" in [template.name for template in refused.templates]
    # Another address is counted on its own.
    token = client.get("/form/").json()["submission"]
    assert client.post("/submit/", {"token": token}, REMOTE_ADDR="10.0.0.8").status_code == 200


def test_s35_the_window_slides_across_a_minute_boundary(client, db, fresh_cache):
    def submit() -> int:
        token = client.get("/form/").json()["submission"]
        return client.post("/submit/", {"token": token}, REMOTE_ADDR="10.0.0.9").status_code

    with time_machine.travel(datetime(2026, 3, 4, 9, 30, 50, tzinfo=UTC), tick=False):
        assert [submit() for _ in range(30)] == [200] * 30
    # A new minute has begun: a fixed window would let 30 more through at once.
    with time_machine.travel(datetime(2026, 3, 4, 9, 31, 1, tzinfo=UTC), tick=False):
        assert submit() == 429
    # Once the burst has slid out of the last minute, the address is served again.
    with time_machine.travel(datetime(2026, 3, 4, 9, 31, 55, tzinfo=UTC), tick=False):
        assert submit() == 200


def test_s36_retry_and_double_click_return_the_same_code(client, db):
    token = client.get("/form/").json()["submission"]
    first = client.post("/submit/", {"token": token}).json()
    again = client.post("/submit/", {"token": token}).json()
    assert first["created"] and not again["created"]
    assert first["code"] == again["code"]
    assert SubmissionReceipt.objects.count() == 1
    assert client.post("/submit/", {"token": token + "x"}).status_code == 400


@pytest.mark.django_db(transaction=True)
def test_s36_concurrent_identical_posts_against_a_live_server_create_one_row(live_server, fresh_cache):
    tokens = json.loads(urlopen(f"{live_server.url}/form/", timeout=10).read())
    token, csrf = tokens["submission"], tokens["csrf"]
    barrier = threading.Barrier(5)
    results: list[dict] = []

    def post():
        barrier.wait()
        body = urlencode({"token": token}).encode()
        # An exception in a thread would vanish; a missing result makes the test fail instead.
        headers = {"Cookie": f"csrftoken={csrf}", "X-CSRFToken": csrf}
        with urlopen(Request(f"{live_server.url}/submit/", data=body, headers=headers), timeout=30) as response:
            results.append(json.loads(response.read()))

    threads = [threading.Thread(target=post) for _ in range(5)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert len(results) == 5
    assert SubmissionReceipt.objects.count() == 1
    assert len({result["code"] for result in results}) == 1
    assert sum(result["created"] for result in results) == 1


@pytest.mark.urls("renda.urls")
def test_s37_an_edit_based_on_a_stale_version_is_refused_and_keeps_the_input(client, world):
    station = world.station_a
    url = reverse("organisations:station_edit", args=[station.uuid])
    client.force_login(world.staff_a)
    form = {"name": "新名字甲", "kind": "station", "address": "甲地", "version": station.version}
    assert client.post(url, form).status_code == 302
    # A colleague opened the page before that save and submits the old version.
    stale = {**form, "name": "新名字乙", "address": "乙地"}
    response = client.post(url, stale)
    assert response.status_code == 200
    body = response.content.decode()
    assert "乙地" in body and "alert-danger" in body
    station.refresh_from_db()
    assert (station.name, station.version) == ("新名字甲", 2)


def test_s37_save_versioned_raises_on_a_concurrent_change(world):
    first = Station.objects.get(pk=world.station_a.pk)
    second = Station.objects.get(pk=world.station_a.pk)
    first.name = "甲"
    first.save_versioned(expected_version=1, update_fields=["name"])
    second.name = "乙"
    with pytest.raises(StaleEdit):
        second.save_versioned(expected_version=1, update_fields=["name"])
    assert Station.objects.get(pk=first.pk).name == "甲"



def test_a_nul_character_in_a_query_or_form_is_a_bad_request_never_a_server_error(client, world):
    client.force_login(world.staff_a)
    assert client.get("/api/v1/deputies", {"q": "张\x00"}).status_code == 400
    assert client.get(reverse("deputies:roster"), {"q": "\x00"}).status_code == 400
    assert client.post(reverse("deputies:roster"), {"q": "a\x00b"}).status_code == 400
    assert client.get("/api/v1/deputies", {"q": "张"}).status_code == 200
