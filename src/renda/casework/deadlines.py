"""Case deadlines in working days (domain.md §5), each rule a ``RENDA_CASE_*`` setting.

A deadline is derived from the day its step began (received, assigned, answered, sent back) and the
rule; ``Case`` stores both so that lists filter on deadlines and so that a change to the calendar
can derive them again (``recompute_open``). 三色督办: green on time, yellow within
``RENDA_CASE_NEAR_DAYS`` of a deadline (临期), red past it (超期).
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, timedelta

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from renda.core import workdays

from .models import Case, CaseSource, CaseState

S = CaseState


def assign_due(received_on: date) -> date:
    return workdays.add_working_days(received_on, settings.RENDA_CASE_ASSIGN_WORKING_DAYS)


def answer_due(assigned_on: date) -> date:
    return workdays.add_months_to_working_day(assigned_on, settings.RENDA_CASE_ANSWER_MONTHS)


def answer_cap(assigned_on: date) -> date:
    """The latest an approved extension may reach (3 months + extension ≤ 6 months)."""
    return workdays.add_months_to_working_day(assigned_on, settings.RENDA_CASE_ANSWER_MAX_MONTHS)


def co_view_due(assigned_on: date) -> date:
    return workdays.add_months_to_working_day(assigned_on, settings.RENDA_CASE_CO_AGENCY_MONTHS)


def hand_back_until(assigned_on: date) -> date:
    return workdays.add_working_days(assigned_on, settings.RENDA_CASE_HAND_BACK_WORKING_DAYS)


def rehandle_due(started_on: date) -> date:
    return workdays.add_months_to_working_day(started_on, settings.RENDA_CASE_REHANDLE_MONTHS)


def rating_due(answered_on: date) -> date:
    return workdays.add_working_days(answered_on, settings.RENDA_CASE_RATING_WORKING_DAYS)


def needs_assignment_deadline(case: Case) -> bool:
    """The 5-working-day rule is for suggestions between sessions and for citizens' opinions;
    suggestions made during a session are assigned in one batch after it."""
    return case.source != CaseSource.SESSION_SUGGESTION


def derived(case: Case) -> dict[str, date | None]:
    """Every deadline of ``case`` as the rules and the calendar give it today."""
    values: dict[str, date | None] = {}
    if case.returned_on:
        # Handed back by its lead agency: assigning it again is a fresh step with its own days.
        values["assign_due_on"] = assign_due(case.returned_on)
    elif case.received_on and needs_assignment_deadline(case):
        values["assign_due_on"] = assign_due(case.received_on)
    if case.rehandle_started_on:
        values["answer_due_on"] = rehandle_due(case.rehandle_started_on)
    elif case.extended_to:
        # An approved date, not a rule: the calendar does not move it.
        values["answer_due_on"] = case.extended_to
    elif case.assigned_on:
        values["answer_due_on"] = answer_due(case.assigned_on)
    if case.answered_on:
        values["rating_due_on"] = rating_due(case.answered_on)
    return values


class Urgency(models.TextChoices):
    GREEN = "green", _("On time")
    YELLOW = "yellow", _("Due soon")
    RED = "red", _("Overdue")


@dataclass(frozen=True)
class Due:
    """The deadline that matters now for a case, and how urgent it is."""

    on: date
    label: str
    urgency: Urgency

    @property
    def css(self) -> str:
        return {Urgency.GREEN: "success", Urgency.YELLOW: "warning", Urgency.RED: "danger"}[self.urgency]


# The deadline that runs in each state: the states, the ``Case`` field that holds it, its name. The
# rating window counts too; the finished states and a draft have none.
_RUNNING = (
    ((S.SUBMITTED, S.ACCEPTED, S.RETURNED), "assign_due_on", _("assign by")),
    ((S.ASSIGNED, S.IN_PROGRESS, S.REHANDLING), "answer_due_on", _("answer by")),
    ((S.ANSWERED,), "rating_due_on", _("rate by")),
)


def current_due(case: Case) -> tuple[date, str] | None:
    """The deadline running in the case's present state, with its name."""
    for states, field, label in _RUNNING:
        if case.state in states:
            day = getattr(case, field)
            return (day, str(label)) if day else None
    return None


def urgency_on(due_on: date, today: date) -> Urgency:
    if today > due_on:
        return Urgency.RED
    if (due_on - today).days <= settings.RENDA_CASE_NEAR_DAYS:
        return Urgency.YELLOW
    return Urgency.GREEN


def due_of(case: Case, today: date) -> Due | None:
    current = current_due(case)
    if current is None:
        return None
    on, label = current
    return Due(on=on, label=label, urgency=urgency_on(on, today))


def _running_due(**bounds: date) -> Q:
    """Cases whose running deadline meets ``bounds`` (lookup → day, e.g. ``lt=today``)."""
    matches = Q()
    for states, field, _label in _RUNNING:
        matches |= Q(state__in=states, **{f"{field}__{lookup}": day for lookup, day in bounds.items()})
    return matches


def overdue_filter(today: date) -> Q:
    """Cases whose running deadline has passed (for lists, inbox counts and the nightly sweep)."""
    return _running_due(lt=today)


def near_filter(today: date) -> Q:
    """Cases due within the warning window and not yet overdue (临期)."""
    return _running_due(gte=today, lte=today + timedelta(days=settings.RENDA_CASE_NEAR_DAYS))


def recompute_open(first: date, last: date) -> int:
    """Derive again the deadlines of open cases whose running period touches ``first``–``last``
    (the days whose working status changed), and the co-agencies' and hand-back windows.
    Registered as a calendar listener; returns how many cases moved."""
    from . import services  # services import this module
    from .workflow import OPEN_STATES

    touched = (
        Case.objects.unscoped()
        .filter(state__in=OPEN_STATES)
        .filter(
            Q(received_on__lte=last, assign_due_on__gte=first)
            | Q(returned_on__lte=last, assign_due_on__gte=first)
            | Q(assigned_on__lte=last, answer_due_on__gte=first)
            | Q(rehandle_started_on__lte=last, answer_due_on__gte=first)
            | Q(answered_on__lte=last, rating_due_on__gte=first)
        )
    )
    moved = 0
    # The ids first: refreshing writes the very columns the query filters on.
    for case_id in list(touched.values_list("pk", flat=True)):
        moved += services.refresh_deadlines(Case(pk=case_id))
    return moved
