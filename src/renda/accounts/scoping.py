"""The one scoping mechanism: which rows of a model a user may read or change.

Every model that views, the API, exports or selectors read declares ``scope = Scope(...)``
(``renda.core.scopes``): the paths from the model to the county, township, agency or owning user it
belongs to. ``scoped()`` turns the declaration and the user's role into a queryset filter. A model
without a declaration, a role the declaration does not admit, or an inactive user gets an empty
queryset — deny by default — and a lookup outside the scope answers 404, so an outsider cannot even
learn that a row exists. In a request, reading a scoped model any other way raises ``UnscopedRead``.
"""

from __future__ import annotations

from enum import Enum
from typing import TYPE_CHECKING, Any

from django.core.exceptions import ValidationError
from django.db.models import Model, Q, QuerySet
from django.http import Http404

from renda.core.roles import ADMINISTRATOR_ROLES, Role
from renda.core.scopes import ScopedQuerySet, declared_scope, unscoped_reads

if TYPE_CHECKING:
    from .models import User


class Action(Enum):
    VIEW = "view"
    CHANGE = "change"


VIEW = Action.VIEW
CHANGE = Action.CHANGE


def scope_filter(model: type[Model], user: User | Any, action: Action = VIEW) -> Q | None:
    """The filter selecting the rows ``user`` may act on, or None when it may act on none.

    The role decides the anchor: deputies their own account (``owner``), agency handlers their
    agency, township staff and township leaders their township, county administrators and county
    leaders their county; the administrators the whole table of the models naming them as readers."""
    scope = declared_scope(model)
    if scope is None or not getattr(user, "is_authenticated", False) or not user.is_active:
        return None
    role = user.role
    if scope.readers is not None and role not in scope.readers and not scope.personal:
        return None
    if action is CHANGE and role not in scope.editors:
        return None
    if scope.personal:
        return scope.matching(model, "owner", user.pk)
    if role in ADMINISTRATOR_ROLES:
        # Administrators act installation-wide, but only on the models that name them as readers.
        return Q() if scope.readers is not None and role in scope.readers else None
    if role == Role.DEPUTY:
        return scope.matching(model, "owner", user.pk)
    if role == Role.AGENCY_HANDLER:
        return scope.matching(model, "agency", user.agency_id) if user.agency_id else None
    if role in {Role.TOWNSHIP_STAFF, Role.LEADER} and user.township_id:
        own = scope.matching(model, "township", user.township_id)
        if own is not None and scope.county_wide and action is VIEW and scope.county:
            own |= scope.county_wide_rows(model, user.county_id)
        return own
    if role in {Role.COUNTY_ADMIN, Role.LEADER} and user.county_id:
        return scope.matching(model, "county", user.county_id)
    return None


def scoped(model_or_queryset: type[Model] | QuerySet, user: User | Any, action: Action = VIEW) -> QuerySet:
    """The rows of a model or queryset that ``user`` may read (VIEW) or change (CHANGE)."""
    queryset = (
        model_or_queryset if isinstance(model_or_queryset, QuerySet) else model_or_queryset._default_manager.all()
    )
    condition = scope_filter(queryset.model, user, action)
    queryset = queryset.none() if condition is None else queryset.filter(condition)
    return queryset._checked() if isinstance(queryset, ScopedQuerySet) else queryset


def get_scoped_or_404(
    model_or_queryset: type[Model] | QuerySet, user: User | Any, action: Action = VIEW, **lookup: Any
) -> Any:
    """One row within the user's scope, or 404 whether it does not exist or is someone else's."""
    queryset = scoped(model_or_queryset, user, action)
    try:
        return queryset.get(**lookup)
    except (queryset.model.DoesNotExist, ValueError, ValidationError) as exc:
        # The denial's audit looks up the row the user may not see: a read outside the scope by design.
        with unscoped_reads():
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
    # scoped() is empty without a query when the role may not act at all.
    return scoped(type(obj), user, action).filter(pk=obj.pk).exists()


def role_may(user: User | Any, action: Action, model: type[Model]) -> bool:
    """Whether the user's role may act on rows of this model at all, before looking at a row."""
    return scope_filter(model, user, action) is not None
