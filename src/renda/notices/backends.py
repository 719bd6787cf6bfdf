"""Delivery of notices beyond the platform, pluggable like Django's e-mail backends.

``RENDA_NOTIFICATION_BACKEND`` names a class with ``send(messages) -> list[str]``: one entry per
message, empty when it went out, otherwise why not (kept on the recipient for the sender to see).
A deployment adds its SMS gateway or government messaging app by writing such a class in its own
package and naming it in the setting; the apps never change."""

from __future__ import annotations

import logging
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

from django.conf import settings
from django.core.mail import EmailMessage, get_connection
from django.utils.module_loading import import_string
from django.utils.translation import gettext as _

logger = logging.getLogger("renda.notices")


@dataclass(frozen=True)
class Message:
    user: Any  # the recipient's account
    subject: str
    body: str
    url: str = ""  # the notice's page, absolute when RENDA_PUBLIC_BASE_URL is set


class BaseBackend:
    def send(self, messages: Sequence[Message]) -> list[str]:
        raise NotImplementedError


class LogBackend(BaseBackend):
    """Writes each message to the "renda.notices" log (the default: nothing leaves the machine)."""

    def send(self, messages: Sequence[Message]) -> list[str]:
        for message in messages:
            logger.info("notice to %s: %s %s", message.user.username, message.subject, message.url)
        return ["" for _message in messages]


class EmailBackend(BaseBackend):
    """Through Django's configured e-mail backend (EMAIL_* settings), to the account's address."""

    def send(self, messages: Sequence[Message]) -> list[str]:
        results: list[str] = []
        with get_connection() as connection:
            for message in messages:
                if not message.user.email:
                    results.append(_("The account has no e-mail address."))
                    continue
                body = f"{message.body}\n\n{message.url}".strip()
                email = EmailMessage(message.subject, body, to=[message.user.email], connection=connection)
                try:
                    email.send()
                except OSError as error:  # an unreachable server: kept on the recipient, retried never
                    results.append(str(error)[:300])
                else:
                    results.append("")
        return results


def get_backend() -> BaseBackend:
    return import_string(settings.RENDA_NOTIFICATION_BACKEND)()
