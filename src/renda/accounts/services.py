"""Writes for accounts: personal-information reveal and API tokens. Each is atomic and audited."""

import secrets
from datetime import timedelta

from django.core.exceptions import PermissionDenied
from django.db import models, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from renda.core.pii import PersonalInformationField

from . import audit
from .models import ApiToken, User
from .roles import PII_REVEAL_ROLES
from .scoping import VIEW, can

API_TOKEN_LIFETIME = timedelta(days=180)


def pii_field(model: type[models.Model], field_name: str) -> PersonalInformationField:
    """The personal-information field ``field_name`` of ``model``; LookupError if there is none."""
    try:
        field = model._meta.get_field(field_name)
    except Exception as exc:
        raise LookupError(field_name) from exc
    if not isinstance(field, PersonalInformationField):
        raise LookupError(field_name)
    return field


def may_reveal(user: User, obj: models.Model) -> bool:
    """Staff working on the record may reveal it; a person may always see their own values."""
    if not getattr(user, "is_authenticated", False):
        return False
    if getattr(obj, "user_id", None) == user.pk or obj == user:
        return True
    return user.role in PII_REVEAL_ROLES and can(user, VIEW, obj)


def pii_reveal(*, obj: models.Model, field_name: str, actor: User) -> str:
    """Return the unmasked value of one personal-information field and audit the reveal.

    The audit entry is committed before the value is returned: if it cannot be written, nothing
    is revealed. A refusal is audited too (committed, since the refusal itself raises).
    Raises PermissionDenied when the actor may not reveal this object's data, LookupError for a
    field that is not personal information.
    """
    pii_field(type(obj), field_name)
    if not may_reveal(actor, obj):
        audit.record("pii.reveal", actor=actor, target=obj, outcome=audit.DENIED, data={"field": field_name})
        raise PermissionDenied(_("You may not see this information."))
    with transaction.atomic():
        audit.record("pii.reveal", actor=actor, target=obj, data={"field": field_name})
    return getattr(obj, field_name)


@transaction.atomic
def api_token_create(*, user: User, name: str, actor: User) -> tuple[ApiToken, str]:
    """Create a token for ``user``; the raw token is returned once and never stored."""
    raw = "rd_" + secrets.token_urlsafe(32)
    token = ApiToken.objects.create(
        user=user,
        name=name,
        prefix=raw[3:9],
        digest=ApiToken.digest_of(raw),
        expires_at=timezone.now() + API_TOKEN_LIFETIME,
    )
    audit.record("accounts.api_token.create", actor=actor, target=token, data={"name": name})
    return token, raw


@transaction.atomic
def api_token_revoke(*, token: ApiToken, actor: User) -> None:
    if token.revoked_at is None:
        token.revoked_at = timezone.now()
        token.save(update_fields=["revoked_at"])
        audit.record("accounts.api_token.revoke", actor=actor, target=token)


def api_token_authenticate(raw: str) -> User | None:
    """The active user behind a bearer token, or None. Marks the token as used."""
    if not raw or not raw.startswith("rd_"):
        return None
    token = ApiToken.objects.select_related("user").filter(digest=ApiToken.digest_of(raw)).first()
    if token is None or not token.is_usable or not token.user.is_active:
        return None
    now = timezone.now()
    # One write an hour at most: a busy API client should not turn every read into a write.
    if token.last_used_at is None or now - token.last_used_at > timedelta(hours=1):
        ApiToken.objects.filter(pk=token.pk).update(last_used_at=now)
    return token.user


@transaction.atomic
def user_save(*, user: User, actor: User, changed_fields: list[str], password: str | None = None) -> User:
    """Create or update an account from a validated form; a new account needs its first password."""
    created = user._state.adding
    if password:
        user.set_password(password)
    elif created:
        user.set_unusable_password()
    user.save()
    audit.record(
        "accounts.user.create" if created else "accounts.user.update",
        actor=actor,
        target=user,
        data={"fields": sorted(set(changed_fields) - {"password"}), "role": user.role},
    )
    return user


@transaction.atomic
def user_set_password(*, user: User, password: str, actor: User) -> None:
    user.set_password(password)
    user.save(update_fields=["password"])
    audit.record("accounts.user.password_set", actor=actor, target=user)
