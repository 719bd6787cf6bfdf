"""Scope declarations, and the guard that makes a read around them fail loudly.

A model whose rows belong to a county, a township, an agency or a person subclasses
``ScopedModel`` and declares ``scope = Scope(...)``: for each anchor a role is tied to (the user's
county, township, agency or own account) the paths from the model to it, each optionally with a
condition on the related row it passes through::

    scope = Scope(
        county="county",
        township="township",
        agency=Via("assignments__agency", where=Q(assignments__ended_on__isnull=True)),
        owner=("filed_by", "cosigners__user"),
        editors=frozenset({Role.COUNTY_ADMIN}),
    )

Which anchor a role uses, and who may read or change, is decided by ``renda.accounts.scoping``,
the one evaluator (deputies: ``owner``; agency handlers: ``agency``; township staff and township
leaders: ``township``; county administrators and county leaders: ``county``). A path through a
to-many relation, or one with a condition, becomes an ``Exists()`` subquery, so a row reached
through several related rows is still one row.

Reads: inside a view (``ScopeGuardMiddleware`` arms the guard) a scoped model's rows can only be
read through a queryset that went through the evaluator (``scoped()``, ``get_scoped_or_404()``),
through one of the explicit system reads below, or by following a relation from a row already in
hand (``person.mandates.all()``). Anything else — ``Model.objects.filter(...)`` in a view, an
unscoped form choice — raises ``UnscopedRead``. Outside requests (commands, tasks, the shell)
nothing is guarded; system code still says which rows it means:

- ``Model.objects.for_county(county)`` / ``Model.objects.for_township(township)``: the rows the
  declaration places there (nightly jobs, county figures, recomputations);
- ``Model.objects.unscoped()``: the whole table, for reads that precede any scope (authentication,
  uniqueness checks) or follow a check the caller made itself. Grep ``unscoped(`` to review them.
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from contextvars import ContextVar
from dataclasses import dataclass
from functools import cache
from typing import Any, ClassVar, cast

from django.core.exceptions import FieldDoesNotExist, ImproperlyConfigured
from django.db import models
from django.db.models import Exists, OuterRef, Q
from django.db.models.constants import LOOKUP_SEP

ANCHORS = ("county", "township", "agency", "owner")


@dataclass(frozen=True)
class Via:
    """One path from the model to an anchor ("township__county"), with an optional condition that
    must hold on the same related rows the path passes through (written from the model, as in
    ``Q(assignments__ended_on__isnull=True)``)."""

    path: str
    where: Q | None = None

    def matching(self, model: type[models.Model], value: Any) -> Q:
        lookup = Q(**{self.path: value})
        if self.where is None and not _is_multivalued(model, self.path):
            return lookup
        # Through a to-many relation a plain join repeats the row once per related row; asking
        # whether one such related row exists keeps each row once. One filter() call keeps the
        # condition on the same related row as the path.
        related = lookup if self.where is None else lookup & self.where
        return Q(Exists(model._base_manager.filter(related, pk=OuterRef("pk"))))


PathSpec = str | Via | tuple[str | Via, ...] | None


@dataclass(frozen=True)
class Scope:
    """Where a model's rows belong. Each anchor takes a path, a ``Via`` or a tuple of them (a row
    is within the anchor if any of them leads there)."""

    county: PathSpec = None
    township: PathSpec = None
    agency: PathSpec = None
    owner: PathSpec = None
    # Rows with an empty township are county-wide (a county-level agency): township users of the
    # same county may read them but not change them.
    county_wide: bool = False
    # Roles that may read at all (None: every role that has a path to the rows).
    readers: frozenset[str] | None = None
    # Roles that may change rows within their scope; everyone else reads only.
    editors: frozenset[str] = frozenset()

    def __post_init__(self) -> None:
        for anchor in ANCHORS:
            object.__setattr__(self, anchor, _vias(getattr(self, anchor)))
        townships = self.vias("township")
        if self.county_wide and (len(townships) != 1 or townships[0].where is not None):
            raise ImproperlyConfigured("county_wide needs exactly one township path without a condition.")

    def vias(self, anchor: str) -> tuple[Via, ...]:
        return getattr(self, anchor)

    @property
    def personal(self) -> bool:
        """Rows that belong to one account only (an API token): every role sees its own."""
        return bool(self.owner) and not (self.county or self.township or self.agency)

    def matching(self, model: type[models.Model], anchor: str, value: Any) -> Q | None:
        """Rows that ``anchor`` paths lead to ``value``, or None when the model declares none."""
        condition = None
        for via in self.vias(anchor):
            one = via.matching(model, value)
            condition = one if condition is None else condition | one
        return condition

    def county_wide_rows(self, model: type[models.Model], county: Any) -> Q:
        """Rows of ``county`` that no township holds (with ``county_wide``)."""
        in_county = self.matching(model, "county", county)
        assert in_county is not None, "county_wide needs a county path"
        return Q(**{f"{self.vias('township')[0].path}__isnull": True}) & in_county


def _vias(spec: PathSpec) -> tuple[Via, ...]:
    if spec is None:
        return ()
    items = spec if isinstance(spec, tuple) else (spec,)
    return tuple(Via(item) if isinstance(item, str) else item for item in items)


@cache
def _is_multivalued(model: type[models.Model], path: str) -> bool:
    for name in path.split(LOOKUP_SEP):
        try:
            field = model._meta.get_field(name)
        except FieldDoesNotExist:
            return False  # "pk" or a lookup at the end of the path
        if field.one_to_many or field.many_to_many:
            return True
        if not field.is_relation:
            return False
        model = cast(type[models.Model], field.related_model)
    return False


def declared_scope(model: type[models.Model]) -> Scope | None:
    scope = getattr(model, "scope", None)
    return scope if isinstance(scope, Scope) else None


# --- The guard --------------------------------------------------------------------------------

_guarded: ContextVar[bool] = ContextVar("renda_scope_guard", default=False)


class UnscopedRead(RuntimeError):
    """A scoped model was read in a request without going through the scope."""


@contextmanager
def reads_guarded(active: bool = True) -> Iterator[None]:
    token = _guarded.set(active)
    try:
        yield
    finally:
        _guarded.reset(token)


def unscoped_reads():
    """Lift the guard for a block whose reads precede or follow the scope by design (the audit of a
    denial looks up the row the user may not see). Prefer ``.unscoped()`` on the one queryset."""
    return reads_guarded(False)


class ScopedQuerySet(models.QuerySet):
    _scope_checked = False

    def _clone(self):
        clone = super()._clone()
        clone._scope_checked = self._scope_checked
        return clone

    def _checked(self) -> ScopedQuerySet:
        """This queryset, marked as having gone through the scope. For the evaluator and the
        system reads below only."""
        clone = self._chain()  # type: ignore[attr-defined]  # QuerySet's own clone, absent from the stubs
        clone._scope_checked = True
        return clone

    def unscoped(self) -> ScopedQuerySet:
        """Every row, on purpose: authentication, uniqueness, or a read after the caller checked access."""
        return self._checked()

    def for_county(self, county: Any) -> ScopedQuerySet:
        """The rows the declaration places in ``county`` (system work: tasks, commands, figures)."""
        return self._placed("county", county)

    def for_township(self, township: Any) -> ScopedQuerySet:
        """The rows the declaration places in ``township`` (system work)."""
        return self._placed("township", township)

    def _placed(self, anchor: str, value: Any) -> ScopedQuerySet:
        scope = declared_scope(self.model)
        condition = scope.matching(self.model, anchor, value) if scope else None
        if condition is None:
            raise ImproperlyConfigured(f"{self.model._meta.label} declares no {anchor} path in its scope.")
        return self.filter(condition)._checked()

    def _guard(self) -> None:
        # A related manager's queryset (``person.mandates``) carries the instance it started from:
        # following a relation from a row in hand is as safe as the row itself.
        hints = self._hints  # type: ignore[attr-defined]  # set by related managers, absent from the stubs
        if self._scope_checked or not _guarded.get() or "instance" in hints:
            return
        raise UnscopedRead(
            f"{self.model._meta.label} read in a request without scoped(): use "
            "renda.accounts.scoping.scoped()/get_scoped_or_404(), or .unscoped()/.for_county() on purpose."
        )

    def _fetch_all(self):
        if self._result_cache is None:
            self._guard()
        super()._fetch_all()

    def iterator(self, chunk_size=None):
        self._guard()
        return super().iterator(chunk_size=chunk_size)

    def count(self):
        if self._result_cache is None:
            self._guard()
        return super().count()

    def exists(self):
        if self._result_cache is None:
            self._guard()
        return super().exists()

    def aggregate(self, *args, **kwargs):
        self._guard()
        return super().aggregate(*args, **kwargs)


ScopedManager = models.Manager.from_queryset(ScopedQuerySet)


class ScopedModel(models.Model):
    """Base of every model that declares ``scope``: its default manager guards reads."""

    scope: ClassVar[Scope]

    # Typed loosely: the stubs type an inherited from_queryset manager as a plain Manager, which
    # would hide unscoped()/for_county().
    objects: ClassVar[Any] = ScopedManager()

    class Meta:
        abstract = True

    # Uniqueness spans the whole table, whoever asks; the messages name no other row.
    def validate_unique(self, exclude=None):
        with unscoped_reads():
            super().validate_unique(exclude=exclude)

    def validate_constraints(self, exclude=None):
        with unscoped_reads():
            super().validate_constraints(exclude=exclude)


class ScopeGuardMiddleware:
    """Arms the guard for the view (pages and the API alike), after authentication has loaded the
    account: what runs before the view is not the view's reading."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        with reads_guarded(False):
            return self.get_response(request)

    def process_view(self, request, view_func, view_args, view_kwargs):
        user = getattr(request, "user", None)
        if user is not None:
            user.is_authenticated  # noqa: B018  (loads the lazy account before the guard)
        _guarded.set(True)


def check_scoped_models(app_configs=None, **kwargs):
    """A model that declares a scope but reads through a plain manager would let views read
    around it silently."""
    from django.apps import apps
    from django.core import checks

    return [
        checks.Error(
            f"{model._meta.label} declares a scope but its default manager does not guard reads.",
            hint="Subclass renda.core.scopes.ScopedModel (or give it a manager built on ScopedQuerySet).",
            obj=model,
            id="renda.E010",
        )
        for model in apps.get_models()
        if declared_scope(model) is not None and not issubclass(model._default_manager._queryset_class, ScopedQuerySet)
    ]
