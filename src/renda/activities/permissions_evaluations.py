"""Named checks of evaluations (代表评议). Views, the API and templates call these, never
``user.role``; rows are still fetched through ``get_scoped_or_404`` (an outsider gets 404).

Township staff (and the county administrator) run their township's evaluations; deputies of the
township read them and vote; leaders read; an agency's handlers see and report on their unit's
rectification items only."""

from __future__ import annotations

from typing import Any

from renda.accounts.roles import MANDATE_HOLDER_ROLES, Role, has_role
from renda.accounts.scoping import CHANGE, VIEW, can, role_may, scoped

from .models import Evaluation, RectificationItem, RectificationReport

HANDLERS = frozenset({Role.AGENCY_HANDLER})


def may_view_evaluations(user: Any) -> bool:
    return role_may(user, VIEW, Evaluation)


def may_create_evaluations(user: Any) -> bool:
    return role_may(user, CHANGE, Evaluation)


def may_run_township(user: Any, township: Any) -> bool:
    from renda.organisations.models import Township

    return may_create_evaluations(user) and scoped(Township, user, VIEW).filter(pk=township.pk).exists()


def may_run_evaluation(user: Any, evaluation: Evaluation) -> bool:
    """Choose units, write the survey, open and close ballots, enter paper ballots, set items."""
    return role_may(user, CHANGE, Evaluation) and can(user, CHANGE, evaluation)


def may_vote(user: Any) -> bool:
    return has_role(user, MANDATE_HOLDER_ROLES)


def may_view_rectifications(user: Any) -> bool:
    return role_may(user, VIEW, RectificationItem)


def is_unit_handler(user: Any) -> bool:
    return has_role(user, HANDLERS)


def may_report_progress(user: Any, item: RectificationItem) -> bool:
    """Staff of the township, or a handler of the unit itself (the item's scope has the agency)."""
    return role_may(user, CHANGE, RectificationReport) and can(user, VIEW, item)


def may_export_results(user: Any, evaluation: Evaluation) -> bool:
    """The results for the township party committee: those who run the evaluation and leaders."""
    return may_run_evaluation(user, evaluation) or has_role(user, frozenset({Role.LEADER}))
