"""The client's address behind reverse proxies (RENDA_TRUSTED_PROXIES): a client cannot choose the
address the audit log, the lockout, the rate limits and the administrator networks see.

Behind nginx with ``proxy_set_header X-Forwarded-For $proxy_add_x_forwarded_for;`` the header
renda receives is whatever the client sent, then the address nginx saw; REMOTE_ADDR is nginx."""

from datetime import UTC, datetime

import pytest
import time_machine
from django.test import Client, RequestFactory
from django.urls import reverse

from renda.accounts.models import AuditEntry
from renda.core.middleware import client_ip
from tests.factories import TEST_PASSWORD

PROXY = "127.0.0.1"
CLIENT = "203.0.113.7"


def address(forwarded: str | None, *, proxies: int, settings, remote: str = PROXY) -> str | None:
    settings.RENDA_TRUSTED_PROXIES = proxies
    headers = {"REMOTE_ADDR": remote}
    if forwarded is not None:
        headers["HTTP_X_FORWARDED_FOR"] = forwarded
    return client_ip(RequestFactory().get("/", **headers))


def test_without_trusted_proxies_the_header_is_ignored(settings):
    assert address(f"10.9.9.9, {CLIENT}", proxies=0, settings=settings, remote=CLIENT) == CLIENT


def test_one_proxy_a_spoofed_leftmost_value_is_ignored(settings):
    assert address(CLIENT, proxies=1, settings=settings) == CLIENT
    assert address(f"127.0.0.1, {CLIENT}", proxies=1, settings=settings) == CLIENT
    assert address(f"10.0.0.1,10.0.0.2 ,  {CLIENT}", proxies=1, settings=settings) == CLIENT


def test_two_proxies_the_address_the_outer_proxy_saw(settings):
    # The client, then the address the outer proxy (a load balancer) saw, then the outer proxy
    # itself as the inner proxy (nginx) saw it.
    assert address(f"{CLIENT}, 10.0.0.5", proxies=2, settings=settings) == CLIENT
    assert address(f"198.51.100.1, {CLIENT}, 10.0.0.5", proxies=2, settings=settings) == CLIENT


def test_a_list_shorter_than_the_proxies_gives_its_leftmost_value(settings):
    # One proxy fewer than configured: the one present wrote the client's address; REMOTE_ADDR is
    # that proxy, the same for everyone.
    assert address(CLIENT, proxies=2, settings=settings) == CLIENT


def test_no_header_behind_a_proxy_gives_the_connecting_address(settings):
    assert address(None, proxies=1, settings=settings, remote=CLIENT) == CLIENT


@pytest.mark.parametrize(
    "forwarded",
    [
        "not-an-address",
        f"{CLIENT}, unknown",
        f"{CLIENT}, ",
        f"{CLIENT}, 198.51.100.1:8443",
        f"{CLIENT}, <script>alert(1)</script>",
        f"{CLIENT}, 198.51.100.1 198.51.100.2",
        f"{CLIENT}, fe80::1%eth0",
        "999.1.1.1",
    ],
)
def test_a_value_that_is_not_an_address_is_never_returned(settings, forwarded):
    assert address(forwarded, proxies=1, settings=settings) == PROXY


def test_addresses_are_returned_in_one_spelling(settings):
    assert address("2001:DB8:0:0::1", proxies=1, settings=settings) == "2001:db8::1"


def test_an_unusable_connecting_address_gives_none(settings):
    assert address(None, proxies=0, settings=settings, remote="") is None


# ---- everything that uses the address -----------------------------------------------------------


def behind_proxy(spoofed: str, real: str = CLIENT) -> dict[str, str]:
    """What renda receives from nginx when the client at ``real`` sent X-Forwarded-For: ``spoofed``."""
    return {"REMOTE_ADDR": PROXY, "HTTP_X_FORWARDED_FOR": f"{spoofed}, {real}"}


@pytest.mark.urls("tests.core.intake_urls")
@time_machine.travel(datetime(2026, 3, 4, 9, 30, 10, tzinfo=UTC), tick=False)
def test_the_rate_limit_counts_the_real_address_whatever_the_client_sends(client, db, settings):
    settings.RENDA_TRUSTED_PROXIES = 1

    def submit(n: int, real: str = CLIENT) -> int:
        token = client.get("/form/").json()["submission"]
        return client.post("/submit/", {"token": token}, **behind_proxy(f"10.1.0.{n}", real)).status_code

    assert [submit(n) for n in range(31)].count(429) == 1, "30 a minute from one address, whatever it claims"
    assert submit(99, real="198.51.100.9") == 200, "another client behind the same proxy has its own count"


def test_the_audit_log_and_the_lockout_record_the_real_address(client, world, settings):
    settings.RENDA_TRUSTED_PROXIES = 1
    url = reverse("accounts:login")
    for n in range(5):
        client.post(url, {"username": "staff_a", "password": "wrong"}, **behind_proxy(f"10.2.0.{n}"))
    locked = client.post(url, {"username": "staff_a", "password": TEST_PASSWORD}, **behind_proxy("10.2.0.9"))
    assert locked.status_code == 429, "the five failures were counted at one address"
    assert {entry.data["address"] for entry in AuditEntry.objects.filter(event="auth.locked")} == {CLIENT}
    assert set(AuditEntry.objects.values_list("ip_address", flat=True)) == {CLIENT}
    elsewhere = Client().post(
        url, {"username": "staff_a", "password": TEST_PASSWORD}, **behind_proxy("10.2.0.9", "198.51.100.9")
    )
    assert elsewhere.status_code == 302


def test_administrator_pages_cannot_be_reached_by_claiming_a_loopback_address(client, world, settings):
    settings.RENDA_TRUSTED_PROXIES = 1
    client.force_login(world.sysadmin)
    url = reverse("accounts:user_list")
    assert client.get(url, **behind_proxy("127.0.0.1")).status_code == 404
    assert client.get(url, **behind_proxy("203.0.113.1", real="127.0.0.1")).status_code == 200
