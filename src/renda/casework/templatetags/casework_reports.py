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
    # The case's page has read its rows already (``selectors.case_parts``): use them when given.
    parts = context.get("parts")
    if rights.reminder_letters:
        reminders = (
            sorted(parts.reminders, key=lambda r: (r.sent_at, r.pk))
            if parts is not None
            else case.reminders.order_by("sent_at", "id")
        )
        for reminder in reminders:
            number_parts = documents.reminder_number_parts(reminder) if reminder.document_number else None
            if number_parts:
                docs.reminder_letters.append((reminder.document_number, *number_parts))
    answered = (
        bool(parts.replies)
        if parts is not None and not case.merged_into_id
        else documents.latest_reply(case) is not None
    )
    if rights.reply_letters and answered:
        # This case's own raters; each case merged into it offers its own signers' letters.
        signers = parts.signers if parts is not None else case.signers.select_related("mandate__person")
        for signer in signers:
            docs.reply_letters.append((signer.mandate.person.full_name, signer.mandate.uuid))
        if case.is_citizen_opinion:
            docs.reply_letters.append(("", None))
    return docs


@register.simple_tag(takes_context=True)
def case_digest_items(context, case) -> list:
    return digests.case_feedback(case, context["request"].user)
