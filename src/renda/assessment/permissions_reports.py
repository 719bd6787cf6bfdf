"""Who gets the year-end documents of a scheme (the scheme itself is read through the scope first).

- the assessment table (Excel): everyone who takes part in the assessment; the county (and the
  townships once published, or when the scores are open) gets every township, a township's staff
  before publication their own township's row only, without a rank (``selectors_reports``);
- the summary report (Word): the county administrator and county leaders only, since it compares
  every township in prose.
"""

from __future__ import annotations

from typing import Any

from . import permissions as may


def may_export_table(user: Any) -> bool:
    return may.may_view_assessment(user)


def may_export_report(user: Any) -> bool:
    return may.may_view_assessment(user) and may.is_county_wide(user)
