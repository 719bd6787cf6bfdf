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
    token = ApiToken.objects.unscoped().select_related("user").filter(digest=ApiToken.digest_of(raw)).first()
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
    """Set a password (an administrator for someone else, or the user for themselves). Sets
    ``password_changed_at``; the session auth hash changes, so the user's other sessions end."""
    user.set_password(password)
    user.save(update_fields=["password"])
    event = "accounts.password.change" if actor is not None and actor.pk == user.pk else "accounts.user.password_set"
    audit.record(event, actor=actor, target=user)


# ---- Second factor (S7) ----------------------------------------------------------------------

RECOVERY_CODE_COUNT = 10


def two_factor_pending_device(*, user: User):
    """The unconfirmed TOTP device the user is enrolling, created on first use."""
    from django_otp.plugins.otp_totp.models import TOTPDevice

    device = TOTPDevice.objects.filter(user=user, confirmed=False).order_by("-id").first()
    return device or TOTPDevice.objects.create(user=user, name=_("Authenticator app"), confirmed=False)


@transaction.atomic
def two_factor_enrol(*, device, token: str, actor: User) -> list[str] | None:
    """Confirm a TOTP device with a first code. On success every other device of the user is
    removed, ten single-use recovery codes are made and returned (shown once); None if the code
    is wrong."""
    from django_otp.plugins.otp_static.models import StaticDevice, StaticToken
    from django_otp.plugins.otp_totp.models import TOTPDevice

    already = TOTPDevice.objects.filter(user=actor, confirmed=True).exists()
    if device.user_id != actor.pk or device.confirmed or already or not device.verify_token(token):
        audit.record("accounts.two_factor.enrol", actor=actor, target=actor, outcome=audit.FAILURE)
        return None
    device.confirmed = True
    device.save()
    TOTPDevice.objects.filter(user=actor).exclude(pk=device.pk).delete()
    StaticDevice.objects.filter(user=actor).delete()
    recovery = StaticDevice.objects.create(user=actor, name=_("Recovery codes"), confirmed=True)
    codes = [StaticToken.random_token() for _n in range(RECOVERY_CODE_COUNT)]
    StaticToken.objects.bulk_create([StaticToken(device=recovery, token=code) for code in codes])
    audit.record("accounts.two_factor.enrol", actor=actor, target=actor)
    return codes


def two_factor_verify(*, user: User, token: str):
    """The confirmed device that accepts ``token`` (TOTP first, then a recovery code), or None.
    A TOTP code is refused a second time (django-otp keeps the last time step used); a recovery
    code is deleted when used. Audited either way."""
    from django_otp import devices_for_user

    token = (token or "").strip().replace(" ", "")
    accepted = None
    if token:
        with transaction.atomic():
            for device in devices_for_user(user, confirmed=True, for_verify=True):
                if device.verify_token(token):
                    accepted = device
                    break
    audit.record(
        "auth.two_factor",
        actor=user,
        target=user,
        outcome=audit.SUCCESS if accepted else audit.FAILURE,
        data={"device": type(accepted).__name__ if accepted else ""},
    )
    return accepted


@transaction.atomic
def two_factor_reset(*, user: User, actor: User) -> int:
    """Remove every second-factor device of ``user`` (lost phone); they enrol again at next login."""
    from django_otp import devices_for_user

    removed = 0
    for device in list(devices_for_user(user, confirmed=None)):
        device.delete()
        removed += 1
    audit.record("accounts.two_factor.reset", actor=actor, target=user, data={"devices": removed})
    return removed


# ---- Lockouts, notices, dormant accounts, break-glass (S3, S12, S26, S11) --------------------


@transaction.atomic
def lockout_reset(*, username: str = "", ip_address: str = "", actor: User) -> int:
    """Lift a lockout by account name or by address (security administrator)."""
    from axes.utils import reset

    removed = reset(username=username or None, ip=ip_address or None) if (username or ip_address) else 0
    audit.record(
        "security.lockout.reset",
        actor=actor,
        data={"username": username[:150], "address": ip_address[:45], "attempts": removed},
    )
    return removed


@transaction.atomic
def security_notice_acknowledge(*, notice, actor: User) -> None:
    if notice.acknowledged_at is None:
        notice.acknowledged_at = timezone.now()
        notice.acknowledged_by = actor
        notice.save(update_fields=["acknowledged_at", "acknowledged_by"])
        audit.record("security.notice.acknowledge", actor=actor, target=notice)


def dormant_accounts(*, now=None):
    from django.conf import settings
    from django.db.models import Q

    limit = (now or timezone.now()) - timedelta(days=settings.RENDA_DORMANT_DAYS)
    return (
        User.objects.unscoped()
        .filter(is_active=True)
        .filter(Q(last_login__lt=limit) | Q(last_login__isnull=True, date_joined__lt=limit))
    )


def disable_dormant_accounts() -> int:
    """Disable every active account unused for ``RENDA_DORMANT_DAYS`` (S12). Idempotent: a second
    run finds nothing. One audited transaction per account, so a failure stops before the rest."""
    disabled = 0
    for user in dormant_accounts().order_by("pk"):
        with transaction.atomic():
            User.objects.filter(pk=user.pk).update(is_active=False)
            audit.record(
                "accounts.user.disable_dormant",
                actor=None,
                target=user,
                data={"last_login": user.last_login.isoformat() if user.last_login else None},
            )
        disabled += 1
    return disabled


@transaction.atomic
def account_create(*, username: str, full_name: str, role: str, password: str, county=None) -> User:
    """The bootstrap path for the first accounts (``manage.py create_account``): never a superuser."""
    from django.contrib.auth.password_validation import validate_password

    user = User(username=username, full_name=full_name, role=role, county=county)
    validate_password(password, user)
    user.full_clean(exclude=["password"])
    user.set_password(password)
    user.save()
    audit.record("accounts.user.create", actor=None, target=user, data={"role": role, "via": "create_account"})
    return user


@transaction.atomic
def break_glass_set(*, user: User, enabled: bool, reason: str) -> None:
    """Enable or disable the break-glass superuser. Audited; while it is enabled the deployment
    check fails, so nobody forgets it."""
    User.objects.filter(pk=user.pk).update(is_superuser=True, is_staff=enabled, is_active=enabled)
    audit.record(
        "security.break_glass.enable" if enabled else "security.break_glass.disable",
        actor=None,
        target=user,
        data={"reason": reason[:200]},
    )


@transaction.atomic
def sessions_end_for_user(*, user: User, actor: User) -> int:
    """End every session of ``user`` now (a stolen laptop): their next request finds the login page."""
    from .models import SessionRecord

    User.objects.filter(pk=user.pk).update(session_generation=models.F("session_generation") + 1)
    ended = SessionRecord.objects.filter(user=user, ended_at__isnull=True).update(ended_at=timezone.now())
    audit.record("security.sessions.end", actor=actor, target=user, data={"sessions": ended})
    return ended
