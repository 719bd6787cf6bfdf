"""The documents and digest partials of a case's page: which links this user is offered.

The detail page includes ``casework/_documents.html`` and ``casework/_digest.html`` with ``case``;
these tags read the rest (the user's named checks, the reply's recipients, the reminders with
letters, the digest items) so that the page's own view need not know about them."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from django import template

from .. import digest as digests
from .. import documents
from .. import permissions as may

register = template.Library()


@dataclass
class CaseDocuments:
    assignment_notice: bool = False
    issue_reminder: bool = False
    reminder_letters: list[tuple[str, int, int]] = field(default_factory=list)  # (number, year, sequence)
    reply_letters: list[tuple[str, Any]] = field(default_factory=list)  # (addressee, mandate uuid or None)
    opinion_form: bool = False

    @property
    def any(self) -> bool:
        return bool(
            self.assignment_notice
            or self.issue_reminder
            or self.reminder_letters
            or self.reply_letters
            or self.opinion_form
        )


@register.simple_tag(takes_context=True)
def case_documents(context, case) -> CaseDocuments:
    user = context["request"].user
    docs = CaseDocuments(
        assignment_notice=may.may_download_assignment_notice(user, case),
        issue_reminder=may.may_issue_reminder_letter(user, case),
        opinion_form=may.may_download_opinion_form(user, case),
    )
    if may.may_download_reminder_letter(user, case):
        for reminder in case.reminders.exclude(document_number="").order_by("sent_at", "id"):
            parts = documents.reminder_number_parts(reminder)
            if parts:
                docs.reminder_letters.append((reminder.document_number, *parts))
    if may.may_download_reply_letter(user, case) and documents.latest_reply(case) is not None:
        for member, mandate in documents.reply_recipients(case):
            if member.pk != case.pk:
                continue  # each merged case's page offers its own signers' letters
            if mandate is None:
                docs.reply_letters.append(("", None))
            else:
                docs.reply_letters.append((mandate.person.full_name, mandate.uuid))
    return docs


@register.simple_tag(takes_context=True)
def case_digest_items(context, case) -> list:
    return digests.case_feedback(case, context["request"].user)
