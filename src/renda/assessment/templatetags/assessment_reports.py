"""The year-end documents' links for any page that shows a scheme: include
``assessment/reports/links.html`` with ``scheme`` in the context."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from django import template

from .. import permissions_reports as may

register = template.Library()


@dataclass(frozen=True)
class ReportLinks:
    table: bool = False
    report: bool = False

    @property
    def any(self) -> bool:
        return self.table or self.report


@register.simple_tag(takes_context=True)
def report_links(context, scheme: Any) -> ReportLinks:
    """Which of the two downloads this user is offered for ``scheme`` (read through the scope)."""
    user = context.get("user")
    if scheme is None or user is None:
        return ReportLinks()
    return ReportLinks(table=may.may_export_table(user), report=may.may_export_report(user))
