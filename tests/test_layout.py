"""The frame every page shares."""

from django.contrib.staticfiles import finders
from django.urls import reverse


def _names_the_favicon(body: str) -> bool:
    return 'rel="icon"' in body and "/static/renda/favicon.svg" in body


def test_every_page_names_a_favicon_that_is_served_locally(client, world):
    assert _names_the_favicon(client.get(reverse("accounts:login")).content.decode())
    client.force_login(world.staff_a)
    assert _names_the_favicon(client.get(reverse("home")).content.decode())
    assert finders.find("renda/favicon.svg") is not None
