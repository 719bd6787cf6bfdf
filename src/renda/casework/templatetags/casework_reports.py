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
    rights = may.document_rights(user, case)
    docs = CaseDocuments(
        assignment_notice=rights.assignment_notice,
        issue_reminder=rights.issue_reminder,
        opinion_form=rights.opinion_form,
    )
    if rights.reminder_letters:
        for reminder in case.reminders.exclude(document_number="").order_by("sent_at", "id"):
            parts = documents.reminder_number_parts(reminder)
            if parts:
                docs.reminder_letters.append((reminder.document_number, *parts))
    if rights.reply_letters and documents.latest_reply(case) is not None:
        # This case's own raters; each case merged into it offers its own signers' letters.
        for signer in case.signers.select_related("mandate__person"):
            docs.reply_letters.append((signer.mandate.person.full_name, signer.mandate.uuid))
        if case.is_citizen_opinion:
            docs.reply_letters.append(("", None))
    return docs


@register.simple_tag(takes_context=True)
def case_digest_items(context, case) -> list:
    return digests.case_feedback(case, context["request"].user)
