"""Idempotent form submission (S36): a one-time token in the form, a receipt in the database.

The page that shows a public form embeds ``issue_submission_token()``. The view that accepts it
calls ``claim_submission(token, create)`` inside its transaction: the first request with a token
runs ``create`` and stores its result (e.g. the tracking code); a retry, a double click or a
concurrent duplicate gets that same result back and creates nothing. The receipt's unique key is
what makes this hold under concurrency, on SQLite and PostgreSQL alike.
"""

import secrets
from collections.abc import Callable

from django.core import signing
from django.db import IntegrityError, transaction

from .models import SubmissionReceipt

SALT = "renda.submission"
MAX_AGE_SECONDS = 24 * 3600


class InvalidSubmissionToken(Exception):
    pass


def issue_submission_token() -> str:
    return signing.dumps(secrets.token_urlsafe(16), salt=SALT)


def _nonce(token: str) -> str:
    try:
        return signing.loads(token, salt=SALT, max_age=MAX_AGE_SECONDS)
    except signing.BadSignature as exc:  # includes SignatureExpired
        raise InvalidSubmissionToken from exc


def claim_submission(token: str, create: Callable[[], str]) -> tuple[str, bool]:
    """Run ``create`` once per token. Returns (its result, whether this call created it)."""
    nonce = _nonce(token)
    existing = SubmissionReceipt.objects.filter(nonce=nonce).values_list("result", flat=True).first()
    if existing is not None:
        return existing, False
    try:
        with transaction.atomic():
            result = create()
            SubmissionReceipt.objects.create(nonce=nonce, result=result)
    except IntegrityError:
        # A concurrent request with the same token committed first: its result stands.
        existing = SubmissionReceipt.objects.filter(nonce=nonce).values_list("result", flat=True).first()
        if existing is None:
            raise
        return existing, False
    return result, True
