"""Named permission checks for the notice board. Views, the API and templates call these, never
``user.role``; rows are still fetched through ``get_scoped_or_404`` (an outsider gets 404).

Township staff post to their township's deputies, the county administrator to every township's or
the chosen ones; deputies read the notices addressed to them and confirm reading; staff and
leaders read their township's board and the county's notices."""

from __future__ import annotations

from typing import Any

from renda.accounts.scoping import CHANGE, VIEW, can, role_may

from .models import Notice


def may_view_board(user: Any) -> bool:
    return role_may(user, VIEW, Notice)


def may_post(user: Any) -> bool:
    return role_may(user, CHANGE, Notice)


def may_manage(user: Any, notice: Notice) -> bool:
    """See who has read it and withdraw it: the staff of its township, the county administrator."""
    return can(user, CHANGE, notice)
