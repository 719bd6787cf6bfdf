"""More rows of every kind, for the query-count checks: a page or API list whose number of queries
grows with them makes a query per row. The checks' verdict is here too (``query_growth``).

The kinds are not listed by hand: ``add_rows`` copies the sample rows of ``world.rows`` (one per
scoped model and side, tests/conftest.py), so a new scoped model gets more rows as soon as it has a
sample. Two kinds of copies:

- whole copies of the samples' tree (a case with its signers, events, replies and ratings; a meeting
  with its agenda, attendance, votes and motions; an evaluation with its units and ballots...) in the
  same township, for the same deputy, agency and staff, in varying states — what the lists show;
- more children of the sample rows themselves (attendances of the sample meeting by other deputies,
  events of the sample case...) — what the sample's own page shows.

The units the samples hang on (counties, townships, stations, groups, agencies, terms, deputies and
accounts) are added with tests/factories.py.
"""

import contextlib
import copy
import graphlib
import uuid
from datetime import timedelta

from django.apps import apps
from django.db import IntegrityError, connection, models, transaction
from django.test.utils import CaptureQueriesContext

from renda.accounts import audit
from renda.accounts.roles import Role
from renda.core import workdays
from renda.deputies.models import DeputySettings
from tests import factories

# The rows other rows hang on: shared by the copies rather than copied, made with the factories.
UNITS = {
    "organisations.county",
    "organisations.township",
    "organisations.station",
    "organisations.deputygroup",
    "organisations.agency",
    "organisations.term",
    "deputies.person",
    "deputies.mandate",
    "accounts.user",
    "deputies.deputysettings",  # one a county: add_units gives the new counties theirs
}
# No page or API list needs more; one above it makes a query per something.
MAX_QUERIES = 20
# Rows that only their own service may write (the audit log's hash chain).
MADE_BY_SERVICE = {"accounts.auditentry"}


class CannotVary(Exception):
    """No field of a unique set can take another value: the copy would collide with its sample."""


def model_counts(labels) -> dict[str, int]:
    return {label: apps.get_model(label)._base_manager.count() for label in labels}


def add_rows(world, count: int = 3) -> None:
    """``count`` more rows of every scoped model, in both townships and both counties."""
    pool = add_units(world, count)
    samples = world.rows
    for side in ("a", "b"):
        for number in range(count):
            copy_tree(samples, side, number, pool[side])
        for number in range(count):
            add_children(samples, side, number, pool[side])
        staff = world.users[f"staff_{side}"]
        for number in range(count):
            audit.record("test.more_rows", actor=staff, target_label=f"更多行{number}")


def add_units(world, count: int) -> dict[str, dict[str, list]]:
    """Stations, groups, agencies, deputies and accounts in both townships, county agencies, and a
    county and a township of their own; the deputies, agencies and accounts of each side are the
    pool the children of the sample rows are given (a second attendance needs a second deputy)."""
    pool: dict[str, dict[str, list]] = {}
    for side in ("a", "b"):
        township = getattr(world, f"township_{side}")
        pool[side] = {"mandate": [], "agency": [], "user": []}
        for _ in range(count):
            station = factories.StationFactory(township=township)
            group = factories.DeputyGroupFactory(township=township, station=station)
            pool[side]["agency"].append(factories.AgencyFactory(township=township))
            user = factories.UserFactory(township=township)
            deputy = factories.UserFactory(role=Role.DEPUTY, county=township.county)
            mandate = factories.MandateFactory(
                person__township=township, person__user=deputy, group=group, station=station
            )
            pool[side]["mandate"].append(mandate)
            pool[side]["user"] += [user, deputy]
    for _ in range(count):
        factories.AgencyFactory(township=None, county=world.county)
        factories.TownshipFactory(county=world.county)
        county = factories.CountyFactory()
        DeputySettings.objects.create(county=county)
        factories.MandateFactory(person__township=factories.TownshipFactory(county=county))
    return pool


def unique_sets(model) -> list[tuple[str, ...]]:
    """The field names of each uniqueness rule of ``model`` (conditions ignored: varying a field
    satisfies the rule whatever its condition)."""
    sets = [(f.name,) for f in model._meta.concrete_fields if f.unique and not f.primary_key and f.name != "uuid"]
    sets += [tuple(names) for names in model._meta.unique_together]
    sets += [tuple(c.fields) for c in model._meta.constraints if isinstance(c, models.UniqueConstraint) and c.fields]
    return sets


def vary(row, names: tuple[str, ...], number: int, pool: dict[str, list], kept: set[str]) -> None:
    """Give one field of the unique set ``names`` a value no other row has. ``kept`` are fields
    already pointing at a new row: the set is unique then."""
    if kept.intersection(names):
        return
    fields = [row._meta.get_field(name) for name in names]
    if any(getattr(row, field.attname) is None for field in fields):
        return  # no two NULLs are equal
    for field in fields if len(fields) == 1 else ():
        if field.null and getattr(row, field.attname) is not None:
            setattr(row, field.attname, None)
            return
    for field in fields:
        if field.is_relation and field.related_model._meta.model_name in pool:
            # A pool row of the sample's kind that the sample's parents have not met yet.
            setattr(row, field.name, pool[field.related_model._meta.model_name][number])
            return
    for field in fields:
        value = getattr(row, field.attname)
        if isinstance(field, models.CharField | models.TextField) and not field.choices:
            setattr(row, field.attname, f"{value}-{number + 1}"[-field.max_length :] if field.max_length else value)
            return
        if isinstance(field, models.IntegerField) and not field.choices:
            setattr(row, field.attname, value + number + 1)
            return
        if isinstance(field, models.DateField | models.DateTimeField):
            setattr(row, field.attname, value + timedelta(days=number + 1))
            return
    for field in fields:
        others = [value for value, _label in field.flatchoices if value != getattr(row, field.attname)]
        if others:
            setattr(row, field.attname, others[number % len(others)])
            return
    raise CannotVary(f"{row._meta.label_lower}: {names}")


def duplicate(sample, number: int, pool, remapped: dict[str, object], state: bool) -> object:
    """A saved copy of ``sample`` with the foreign keys of ``remapped`` (field name → row) replaced,
    every uniqueness rule kept, and, if ``state``, the ``number``-th other state of its model."""
    row = copy.copy(sample)
    row._state = copy.copy(sample._state)
    row._state.adding, row._state.fields_cache = True, {}
    row.pk = None
    if row._meta.pk.name != "id":
        raise CannotVary(f"{row._meta.label_lower}: primary key {row._meta.pk.name}")
    if hasattr(row, "uuid"):
        row.uuid = uuid.uuid4()
    for name, target in remapped.items():
        setattr(row, name, target)
    state_field = next((f for f in row._meta.concrete_fields if f.name == "state" and f.choices), None)
    if state and state_field is not None:
        states = [value for value, _label in state_field.flatchoices]
        row.state = states[(states.index(sample.state) + number + 1) % len(states)]
    for names in unique_sets(type(row)):
        vary(row, names, number, pool, set(remapped))
    with transaction.atomic():
        row.save()
    for field in row._meta.many_to_many:
        getattr(row, field.name).set(getattr(sample, field.name).all())
    return row


def sample_links(samples, side: str) -> dict[str, dict[str, str]]:
    """{label: {foreign key name: label of the sample row it points at}} among the copied samples."""
    by_row = {(type(r)._meta.label_lower, r.pk): label for label, sides in samples.items() for r in [sides[side][0]]}
    links: dict[str, dict[str, str]] = {}
    for label, sides in samples.items():
        row = sides[side][0]
        links[label] = {}
        for field in row._meta.concrete_fields:
            if field.is_relation and getattr(row, field.attname) is not None:
                target = by_row.get((field.related_model._meta.label_lower, getattr(row, field.attname)))
                if target and target not in UNITS:
                    links[label][field.name] = target
    return links


def copyable(samples) -> list[str]:
    return [label for label in samples if label not in UNITS | MADE_BY_SERVICE]


def copy_tree(samples, side: str, number: int, pool) -> None:
    """A copy of every sample row of ``side``, pointing at each other's copies."""
    links = sample_links(samples, side)
    order = graphlib.TopologicalSorter({label: set(links[label].values()) for label in copyable(samples)})
    copies: dict[str, object] = {}
    for label in order.static_order():
        if label not in samples or label in UNITS | MADE_BY_SERVICE:
            continue
        remapped = {name: copies[target] for name, target in links[label].items() if target in copies}
        # A model that cannot be copied is caught by test_more_rows_are_of_every_scoped_model.
        with contextlib.suppress(CannotVary, IntegrityError):
            copies[label] = duplicate(samples[label][side][0], number, pool, remapped, state=True)


def add_children(samples, side: str, number: int, pool) -> None:
    """Another child of each sample row that has a parent among the samples (another event of the
    sample case, another deputy's attendance of the sample meeting), where the uniqueness rules
    leave room for one."""
    links = sample_links(samples, side)
    for label in copyable(samples):
        if links[label]:
            # A child whose uniqueness rules leave no room (a meeting's one suggestion per case) is
            # not duplicated: the whole copies of copy_tree still grow its model.
            with contextlib.suppress(CannotVary, IntegrityError):
                duplicate(samples[label][side][0], number, pool, {}, state=False)


def hold_calendar_cache(monkeypatch) -> None:
    """The working-day calendar cached in the process is checked against the shared cache every
    few seconds (one query, whenever the interval ends): held for the test, so that the two sizes
    differ only by the rows."""
    monkeypatch.setattr(workdays, "RECHECK_SECONDS", 10**9)


def queries_of(client, urls: dict[str, str]) -> dict[str, tuple[int, int]]:
    """{name: (status, number of queries)} of a GET of each URL."""
    measured = {}
    for name, url in urls.items():
        with CaptureQueriesContext(connection) as queries:
            status = client.get(url).status_code
        measured[name] = (status, len(queries))
    return measured


def query_growth(small: dict, large: dict, unbounded: frozenset[str] = frozenset()) -> dict[str, str]:
    """{name: what went wrong} where the answer changed, or its queries grew or exceed the bound
    (but for the ``unbounded`` names). A refusal lists no rows: its queries (the audit of the denial,
    an alert after a burst of them) depend on the walk's pace, not on the rows."""
    problems = {}
    for name, (status, queries) in large.items():
        before_status, before = small[name]
        if status != before_status:
            problems[name] = f"answers {status} with more rows, {before_status} before"
        elif status == 200 and (queries > before or (queries > MAX_QUERIES and name not in unbounded)):
            problems[name] = f"{before} → {queries} queries"
    return problems


def assert_bounded(username: str, problems: dict[str, str]) -> None:
    assert problems == {}, f"{username}: {problems}"
