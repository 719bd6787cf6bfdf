"""The size of the township congresses: seats from the population (or fixed by the county), the
deputies serving today, vacancies and the warning when more than a tenth of the seats are empty;
who sees which townships; the county recording the population and a fixed figure."""

from datetime import date, timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from renda.meetings import selectors_congress
from renda.organisations.models import Term
from tests import factories

pytestmark = pytest.mark.django_db

PAGE = "meetings:congress"


def _serving(world, count):
    """Township A's congress with ``count`` deputies serving today (the world's deputy among them)."""
    term = world.mandate_a.term
    for _ in range(count - 1):
        factories.MandateFactory(person__township=world.township_a, term=term)
    return term


def _set(term, *, population=None, fixed_seats=None):
    Term.objects.unscoped().filter(pk=term.pk).update(population=population, fixed_seats=fixed_seats)
    term.refresh_from_db()


def test_the_warning_starts_past_a_tenth_of_the_seats_empty(client, world):
    term = _serving(world, 18)
    _set(term, population=1500, fixed_seats=20)  # the county fixed 20 seats
    # A deputy whose mandate ended does not count.
    factories.MandateFactory(
        person__township=world.township_a, term=term, ends_on=timezone.localdate() - timedelta(days=1)
    )
    size = selectors_congress.size_of(term, timezone.localdate())
    assert (size.seats.seats, size.serving, size.vacancies, size.warn) == (20, 18, 2, False)  # exactly a tenth

    client.force_login(world.county_admin)
    page = client.get(reverse(PAGE)).content.decode()
    assert "县定名额" in page and "法定名额46" in page and "需补选" not in page
    assert "代表名额可少于45名" in page  # 1,500 inhabitants: under the small-population limit

    factories.MandateFactory(
        person__township=world.township_a, term=term, ends_on=timezone.localdate() - timedelta(days=1)
    )
    world.mandate_a.ends_on = timezone.localdate()  # ends today: no longer serving
    world.mandate_a.save()
    size = selectors_congress.size_of(term, timezone.localdate())
    assert (size.vacancies, size.warn) == (3, True)
    assert "需补选" in client.get(reverse(PAGE)).content.decode()


def test_seats_follow_the_population_when_the_county_fixed_none(client, world):
    term = _serving(world, 3)
    _set(term, population=30000)
    client.force_login(world.staff_a)
    page = client.get(reverse(PAGE)).content.decode()
    assert "65" in page and "法定名额" in page and "需补选" in page  # 62 of 65 seats empty
    size = selectors_congress.size_of(term, timezone.localdate())
    assert (size.seats.seats, size.vacancies) == (65, 62)


def test_without_a_population_the_seats_are_unknown(client, world):
    client.force_login(world.county_admin)
    page = client.get(reverse(PAGE)).content.decode()
    assert "未知：请登记人口数" in page
    assert "未登记本届任期" not in page  # both townships have a term in office


def test_each_sees_their_own_reach(client, world):
    factories.MandateFactory(person__township=world.township_b)  # township B's term too
    client.force_login(world.county_admin)
    page = client.get(reverse(PAGE)).content.decode()
    assert "甲镇" in page and "乙镇" in page and "人口数和代表名额" in page
    client.force_login(world.leader)
    page = client.get(reverse(PAGE)).content.decode()
    assert "甲镇" in page and "乙镇" in page and "人口数和代表名额" not in page  # leaders read
    client.force_login(world.staff_a)
    page = client.get(reverse(PAGE)).content.decode()
    assert "甲镇" in page and "乙镇" not in page and "人口数和代表名额" not in page
    client.force_login(world.other_county_admin)
    page = client.get(reverse(PAGE)).content.decode()
    assert "甲镇" not in page and "乙镇" not in page
    for user in (world.deputy_a, world.handler_x):
        client.force_login(user)
        assert client.get(reverse(PAGE)).status_code == 403


def test_the_county_records_the_population_and_a_fixed_figure(client, world):
    term = world.mandate_a.term
    url = reverse("meetings:congress_size", args=[term.uuid])
    client.force_login(world.county_admin)
    # Fewer than 45 seats for 30,000 inhabitants is refused, what was typed kept.
    response = client.post(url, {"population": "30000", "fixed_seats": "30"})
    body = response.content.decode()
    assert response.status_code == 200 and "人口不足2000人的乡镇，代表名额才可少于45名" in body
    assert 'value="30000"' in body
    term.refresh_from_db()
    assert term.population is None
    response = client.post(url, {"population": "30000", "fixed_seats": "60"})
    assert response.status_code == 302
    term.refresh_from_db()
    assert (term.population, term.fixed_seats) == (30000, 60)
    # The outsiders: township staff may not change a term; another county's administrator sees none.
    for user in (world.staff_a, world.staff_b, world.other_county_admin, world.deputy_a):
        client.force_login(user)
        assert client.get(url).status_code == 404
        assert client.post(url, {"population": "1"}).status_code == 404
    term.refresh_from_db()
    assert term.population == 30000


def test_a_new_term_records_its_population(client, world):
    client.force_login(world.county_admin)
    response = client.post(
        reverse("organisations:term_create", args=[world.township_a.uuid]),
        {"number": "13", "starts_on": date(2026, 12, 20), "ends_on": date(2031, 12, 19), "population": "12000"},
    )
    assert response.status_code == 302
    term = Term.objects.unscoped().get(township=world.township_a, number=13)
    assert term.population == 12000 and term.fixed_seats is None
