"""Where a user has one obvious choice, the form shows it chosen instead of "---------"."""

import re
from datetime import date

import time_machine
from django.urls import reverse

from tests import factories


def selected(body: str, name: str) -> str | None:
    """The value of the option shown as chosen in the <select name=...>, if any."""
    select = re.search(rf'<select name="{name}"[^>]*>(.*?)</select>', body, re.S)
    assert select, name
    chosen = re.search(r'<option value="([^"]*)"[^>]*selected', select.group(1))
    return (chosen.group(1) or None) if chosen else None  # the empty option is "none chosen"


@time_machine.travel(date(2024, 6, 1), tick=False)
def test_township_staff_import_their_own_township_into_its_term_in_office(client, world):
    in_office = world.mandate_a.term  # 2021-12-20 … 2031-12-19
    factories.TermFactory(
        township=world.township_a, number=11, starts_on=date(2016, 12, 20), ends_on=date(2021, 12, 19)
    )
    client.force_login(world.staff_a)
    body = client.get(reverse("deputies:import_upload")).content.decode()
    assert selected(body, "township") == str(world.township_a.uuid)
    assert selected(body, "term") == str(in_office.uuid)


def test_a_county_administrator_chooses_the_township_themselves(client, world):
    client.force_login(world.county_admin)
    body = client.get(reverse("deputies:import_upload")).content.decode()
    assert selected(body, "township") is None
    assert selected(body, "term") is None


def test_the_roster_filter_shows_the_staff_members_township(client, world):
    client.force_login(world.staff_a)
    assert selected(client.get(reverse("deputies:roster")).content.decode(), "township") == str(world.township_a.uuid)
    client.force_login(world.county_admin)
    assert selected(client.get(reverse("deputies:roster")).content.decode(), "township") is None
