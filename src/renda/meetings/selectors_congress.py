"""The size of the township congresses (domain.md §4): the seats the law gives each congress (or
the county fixed), the deputies serving on a day, and the vacancies. The congress page reads it,
and the county's assessment of townships will too.

Every figure is read for many townships at once, in a fixed number of queries."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from typing import Any

from django.db.models import Count

from renda.accounts.scoping import VIEW, scoped
from renda.deputies.models import Mandate, MandateLevel
from renda.deputies.selectors import serving_on
from renda.organisations.models import CONGRESS_KINDS, Term, Township, in_office_on

from . import rules


@dataclass(frozen=True)
class CongressSize:
    township: Township
    term: Term | None  # the term in office on the day; None: none recorded
    seats: rules.Seats
    serving: int  # deputies serving on the day (现有代表)

    @property
    def vacancies(self) -> int | None:
        """Empty seats; None while the number of seats is unknown (no population, no fixed figure)."""
        if self.seats.seats is None:
            return None
        return max(0, self.seats.seats - self.serving)

    @property
    def over(self) -> int:
        """Deputies beyond the seats (a fixed figure lowered after the election, a typing slip)."""
        if self.seats.seats is None:
            return 0
        return max(0, self.serving - self.seats.seats)

    @property
    def warn(self) -> bool:
        return self.vacancies is not None and rules.vacancies_warn(self.vacancies, self.seats.seats)


def serving_counts(terms: list[Term], day: date) -> dict[int, int]:
    """Deputies serving on ``day`` per term, in one query: the roster ``services.congress_deputies``
    reads for one congress, counted for many."""
    rows = (
        Mandate.objects.unscoped()
        .filter(term__in=terms, level=MandateLevel.TOWNSHIP)
        .filter(serving_on(day))
        .values("term")
        .annotate(count=Count("id"))
    )
    return {row["term"]: row["count"] for row in rows}


def size_of(term: Term, day: date) -> CongressSize:
    """One township congress's size on ``day`` (``term`` is its term in office then)."""
    assert term.township is not None, "the county congress's size is not a township's"
    return sizes_of([term.township], {term.township_id: term}, day)[0]


def sizes_of(townships: list[Township], terms: dict[Any, Term], day: date) -> list[CongressSize]:
    counts = serving_counts(list(terms.values()), day)
    sizes = []
    for township in townships:
        term = terms.get(township.pk)
        if term is None:
            sizes.append(CongressSize(township=township, term=None, seats=rules.legal_seats(None), serving=0))
        else:
            seats = rules.legal_seats(term.population, term.fixed_seats)
            sizes.append(CongressSize(township=township, term=term, seats=seats, serving=counts.get(term.pk, 0)))
    return sizes


def congress_sizes(user: Any, day: date) -> list[CongressSize]:
    """The congresses within the user's scope (townships and towns; a subdistrict has none), with
    the term in office on ``day``, its seats, serving deputies and vacancies."""
    townships = list(
        scoped(Township, user, VIEW)
        .filter(kind__in=CONGRESS_KINDS, is_active=True)
        .select_related("county")
        .order_by("county__name", "division_code", "name")
    )
    # Terms do not overlap; should two be recorded so, the later one counts.
    terms = {
        term.township_id: term
        for term in scoped(Term, user, VIEW).filter(in_office_on(day), township__in=townships).order_by("starts_on")
    }
    return sizes_of(townships, terms, day)
