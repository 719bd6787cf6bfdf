"""The one scoping mechanism: which rows of a model a user may read or change.

Every model that views, the API, exports or selectors read declares ``scope_paths``: the paths
from the model to the county, township, agency or owning user it belongs to. ``scoped()`` turns
the declaration and the user's role into a queryset filter. A model without a declaration, a role
the declaration does not admit, or an inactive user gets an empty queryset — deny by default — and
a lookup outside the scope answers 404, so an outsider cannot even learn that a row exists.
"""

from __future__ import annotations

from dataclasses import dataclass
from enum import Enum
from typing import TYPE_CHECKING, Any

from django.core.exceptions import ValidationError
from django.db.models import Model, Q, QuerySet
from django.http import Http404

if TYPE_CHECKING:
    from .models import User


class Action(Enum):
    VIEW = "view"
    CHANGE = "change"


VIEW = Action.VIEW
CHANGE = Action.CHANGE


@dataclass(frozen=True)
class ScopePaths:
    """Where a model's rows belong. Paths are ORM lookups from the model ("township__county")."""

    county: str | None = None
    township: str | None = None
    agency: str | None = None
    owner: str | None = None
    # Rows with an empty township are county-wide (a county-level agency): township users of the
    # same county may read them but not change them.
    county_wide: bool = False
    # Roles that may read at all (None: every role that has a path to the rows).
    readers: frozenset[str] | None = None
    # Roles that may change rows within their scope; everyone else reads only.
    editors: frozenset[str] = frozenset()

    @property
    def personal(self) -> bool:
        return self.owner is not None and not (self.county or self.township or self.agency)


def _paths(model: type[Model]) -> ScopePaths | None:
    return getattr(model, "scope_paths", None)


def scope_filter(model: type[Model], user: User | Any, action: Action = VIEW) -> Q | None:
    """The filter selecting the rows ``user`` may act on, or None when it may act on none."""
    from .roles import ADMINISTRATOR_ROLES, Role

    paths = _paths(model)
    if paths is None or not getattr(user, "is_authenticated", False) or not user.is_active:
        return None
    role = user.role
    if paths.readers is not None and role not in paths.readers and not paths.personal:
        return None
    if action is CHANGE and role not in paths.editors:
        return None
    if paths.personal and paths.owner:
        return Q(**{paths.owner: user.pk})
    if role in ADMINISTRATOR_ROLES:
        # Administrators act installation-wide, but only on the models that name them as readers.
        return Q() if paths.readers is not None and role in paths.readers else None
    if role == Role.DEPUTY:
        return Q(**{paths.owner: user.pk}) if paths.owner else None
    if role == Role.AGENCY_HANDLER:
        return Q(**{paths.agency: user.agency_id}) if paths.agency and user.agency_id else None
    if role in {Role.TOWNSHIP_STAFF, Role.LEADER} and user.township_id:
        if not paths.township:
            return None
        own = Q(**{paths.township: user.township_id})
        if paths.county_wide and action is VIEW and paths.county:
            own |= Q(**{f"{paths.township}__isnull": True, paths.county: user.county_id})
        return own
    if role in {Role.COUNTY_ADMIN, Role.LEADER} and user.county_id:
        return Q(**{paths.county: user.county_id}) if paths.county else None
    return None


def scoped(model_or_queryset: type[Model] | QuerySet, user: User | Any, action: Action = VIEW) -> QuerySet:
    """The rows of a model or queryset that ``user`` may read (VIEW) or change (CHANGE)."""
    queryset = (
        model_or_queryset if isinstance(model_or_queryset, QuerySet) else model_or_queryset._default_manager.all()
    )
    condition = scope_filter(queryset.model, user, action)
    return queryset.none() if condition is None else queryset.filter(condition)


def get_scoped_or_404(
    model_or_queryset: type[Model] | QuerySet, user: User | Any, action: Action = VIEW, **lookup: Any
) -> Any:
    """One row within the user's scope, or 404 whether it does not exist or is someone else's."""
    queryset = scoped(model_or_queryset, user, action)
    try:
        return queryset.get(**lookup)
    except (queryset.model.DoesNotExist, ValueError, ValidationError) as exc:
        _audit_denied(model_or_queryset, user, action, lookup)
        raise Http404 from exc


def _audit_denied(model_or_queryset, user, action: Action, lookup: dict[str, Any]) -> None:
    """On the 404 path only: if the row exists outside the user's scope, audit the denial (S15)
    and count it towards the burst alert (S26). The happy path costs no extra query."""
    if not getattr(user, "is_authenticated", False):
        return
    base = model_or_queryset if isinstance(model_or_queryset, QuerySet) else model_or_queryset._default_manager
    try:
        existing = base.filter(**lookup).first()
    except (ValueError, ValidationError):
        return
    if existing is None:
        return
    from . import audit

    audit.record_denied(actor=user, target=existing, data={"action": action.value})


def can(user: User | Any, action: Action, obj: Model) -> bool:
    """Whether ``user`` may act on this one row (for showing or hiding buttons)."""
    condition = scope_filter(type(obj), user, action)
    return condition is not None and type(obj)._default_manager.filter(condition, pk=obj.pk).exists()


def role_may(user: User | Any, action: Action, model: type[Model]) -> bool:
    """Whether the user's role may act on rows of this model at all, before looking at a row."""
    return scope_filter(model, user, action) is not None
