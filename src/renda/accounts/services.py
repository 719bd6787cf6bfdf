"""Writes for accounts: personal-information reveal, API tokens, accounts and their roles. Each is
atomic and audited."""

import secrets
from datetime import timedelta

from django.conf import settings
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import models, transaction
from django.http import Http404
from django.utils import timezone
from django.utils.translation import gettext as _

from renda.core.pii import PersonalInformationField

from . import audit
from .middleware import require_admin_network
from .models import ApiToken, TokenRevocation, User
from .permissions import (
    may_change_authorisation,
    may_edit_account,
    may_link_person,
    may_manage_accounts,
    may_reset_password,
    may_reveal,
)
from .roles import SCOPE_FIELDS
from .scoping import CHANGE, can
from .selectors import person_model
from .validators import CLASSES, character_classes


def pii_field(model: type[models.Model], field_name: str) -> PersonalInformationField:
    """The personal-information field ``field_name`` of ``model``; LookupError if there is none."""
    try:
        field = model._meta.get_field(field_name)
    except Exception as exc:
        raise LookupError(field_name) from exc
    if not isinstance(field, PersonalInformationField):
        raise LookupError(field_name)
    return field


def pii_reveal(*, obj: models.Model, field_name: str, actor: User) -> str:
    """Return the unmasked value of one personal-information field and audit the reveal.

    The audit entry is committed before the value is returned: if it cannot be written, nothing
    is revealed. A refusal is audited too (committed, since the refusal itself raises).
    Raises PermissionDenied when the actor may not reveal this object's data, LookupError for a
    field that is not personal information.
    """
    pii_field(obj._meta.model, field_name)
    if not may_reveal(actor, obj, field_name):
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
        expires_at=timezone.now() + timedelta(days=settings.RENDA_API_TOKEN_DAYS),
    )
    audit.record("accounts.api_token.create", actor=actor, target=token, data={"name": name})
    return token, raw


@transaction.atomic
def api_token_revoke(*, token: ApiToken, actor: User) -> None:
    if token.revoked_at is None:
        token.revoked_at = timezone.now()
        token.revoked_reason = TokenRevocation.HOLDER
        token.save(update_fields=["revoked_at", "revoked_reason"])
        audit.record("accounts.api_token.revoke", actor=actor, target=token)


@transaction.atomic
def api_tokens_revoke_all(*, user: User, actor: User | None, reason: TokenRevocation) -> int:
    """Revoke every token of ``user`` still in force, because the account's security state changed:
    a password change, the end of all sessions, deactivation, a role change (issue 9). A token is a
    session that a program holds, so whatever ends the holder's sessions ends it too; revoking
    rather than refusing keeps it dead if the account is later reactivated. One audit entry names
    the reason and the count; nothing is recorded when there was no token to revoke."""
    revoked = ApiToken.objects.unscoped().filter(user=user, revoked_at__isnull=True).update(
        revoked_at=timezone.now(), revoked_reason=reason
    )
    if revoked:
        audit.record(
            "accounts.api_token.revoke_all", actor=actor, target=user, data={"reason": reason.value, "tokens": revoked}
        )
    return revoked


def api_token_authenticate(raw: str, *, request) -> User | None:
    """The active user behind a bearer token, or None. Marks the token as used.

    An administrator's token answers only from the administrators' networks, as their session
    does (S13): elsewhere Http404 is raised, and the attempt is audited, since it means the token
    has left the office."""
    if not raw or not raw.startswith("rd_"):
        return None
    token = ApiToken.objects.unscoped().select_related("user").filter(digest=ApiToken.digest_of(raw)).first()
    if token is None or not token.is_usable or not token.user.is_active:
        return None
    try:
        require_admin_network(request, token.user)
    except Http404:
        audit.record(
            "accounts.api_token.refused",
            actor=token.user,
            target=token,
            outcome=audit.DENIED,
            data={"reason": "admin_network"},
        )
        raise
    now = timezone.now()
    # One write an hour at most: a busy API client should not turn every read into a write.
    if token.last_used_at is None or now - token.last_used_at > timedelta(hours=1):
        ApiToken.objects.unscoped().filter(pk=token.pk).update(last_used_at=now)
    return token.user


# ---- Accounts: creation, details, one-time passwords, roles (S11) ---------------------------

ONE_TIME_PASSWORD_ALPHABET = "ABCDEFGHJKMNPQRSTUVWXYZabcdefghjkmnpqrstuvwxyz23456789"  # no 0/O, 1/l/I


def one_time_password() -> str:
    """Four groups of four characters, easy to read out and type (``Hq7m-2xKp-…``); it meets the
    password rules (length, all four kinds of character) so the first login needs no exception."""
    while True:
        groups = ["".join(secrets.choice(ONE_TIME_PASSWORD_ALPHABET) for _n in range(4)) for _g in range(4)]
        password = "-".join(groups)
        if character_classes(password) == len(CLASSES):
            return password


def _issue_one_time_password(user: User) -> str:
    password = one_time_password()
    user.set_password(password)
    user.password_must_change = True
    return password


@transaction.atomic
def user_create(*, user: User, actor: User) -> str:
    """Create an account from a validated form, without a role (the security administrator grants
    it) and with a one-time password, returned to be shown once and never stored in clear.
    Raises PermissionDenied unless ``actor`` may create accounts."""
    if not may_manage_accounts(actor):
        raise PermissionDenied
    user.role = ""
    user.county = user.township = user.agency = None
    password = _issue_one_time_password(user)
    user.save()
    audit.record("accounts.user.create", actor=actor, target=user, data={"fields": ["username", "full_name"]})
    return password


# What the system administrator may change on an account; everything else is authorisation.
USER_DETAIL_FIELDS = ("username", "full_name", "phone")


@transaction.atomic
def user_update(*, user: User, actor: User, changed_fields: list[str]) -> User:
    """Save an account's own details (user name, full name, phone) from a validated form.
    Raises PermissionDenied for the actor's own account and for administrator accounts."""
    stored = User.objects.unscoped().get(pk=user.pk)
    if not may_edit_account(actor, stored):
        raise PermissionDenied
    fields = sorted(set(changed_fields) & set(USER_DETAIL_FIELDS))
    if fields:
        user.save(update_fields=fields)
        audit.record("accounts.user.update", actor=actor, target=user, data={"fields": fields})
    return user


@transaction.atomic
def user_password_reset(*, user: User, actor: User) -> str:
    """Replace someone's password with a one-time password, returned to be shown once; the holder
    must choose their own at the next login. Their sessions end (the session hash changes).
    Raises PermissionDenied for one's own account (that is the password change page)."""
    if not may_reset_password(actor, user):
        raise PermissionDenied
    password = _issue_one_time_password(user)
    user.save(update_fields=["password", "password_must_change"])
    audit.record("accounts.user.password_reset", actor=actor, target=user)
    api_tokens_revoke_all(user=user, actor=actor, reason=TokenRevocation.PASSWORD)
    return password


@transaction.atomic
def user_set_password(*, user: User, password: str, actor: User) -> None:
    """The holder sets their own password (the change page). Sets ``password_changed_at`` and ends
    the one-time password; the session auth hash changes, so the user's other sessions end, and
    the account's API tokens are revoked."""
    if actor is None or actor.pk != user.pk:
        raise PermissionDenied
    user.set_password(password)
    user.password_must_change = False
    user.save(update_fields=["password", "password_must_change"])
    audit.record("accounts.password.change", actor=actor, target=user)
    api_tokens_revoke_all(user=user, actor=actor, reason=TokenRevocation.PASSWORD)


def _scope_for_role(role: str, *, county, township, agency) -> dict:
    """The account's county, township and agency for ``role``: the fields the role does not use
    are cleared, and the county follows from the township or agency."""
    uses = SCOPE_FIELDS.get(role, frozenset())
    township = township if "township" in uses else None
    agency = agency if "agency" in uses else None
    if township is not None:
        county = township.county
    elif agency is not None:
        county = agency.county
    return {"county": county if "county" in uses else None, "township": township, "agency": agency}


@transaction.atomic
def user_role_change(*, user: User, actor: User, role: str, county=None, township=None, agency=None) -> bool:
    """Grant or change the role of ``user`` with the county, township or agency the role needs.
    Returns whether anything changed. Audited with the old and new values.

    This is the one place a role changes: whatever must follow a change of authority (API tokens,
    sessions) belongs here. Raises PermissionDenied unless ``actor`` may grant roles and is not
    ``user``; ValidationError when the role lacks the scope it needs."""
    stored = User.objects.unscoped().select_for_update().get(pk=user.pk)
    if not may_change_authorisation(actor, stored):
        raise PermissionDenied
    scope = _scope_for_role(role, county=county, township=township, agency=agency)
    before = {"role": stored.role, **{name: getattr(stored, f"{name}_id") for name in scope}}
    stored.role = role
    for name, value in scope.items():
        setattr(stored, name, value)
    after = {"role": role, **{name: getattr(stored, f"{name}_id") for name in scope}}
    if after == before:
        return False
    stored.full_clean(exclude=["password", "username", "full_name", "phone"])
    stored.save(update_fields=["role", "county", "township", "agency"])
    changed = sorted(name for name in after if after[name] != before[name])
    audit.record(
        "accounts.user.role_change",
        actor=actor,
        target=stored,
        data={"fields": changed, "from": before["role"], "to": role},
    )
    if "role" in changed:
        api_tokens_revoke_all(user=stored, actor=actor, reason=TokenRevocation.ROLE_CHANGED)
    user.refresh_from_db()
    return True


@transaction.atomic
def user_active_set(*, user: User, actor: User, active: bool) -> bool:
    """Enable or disable an account (the security administrator; never one's own). Returns
    whether it changed."""
    stored = User.objects.unscoped().select_for_update().get(pk=user.pk)
    if not may_change_authorisation(actor, stored):
        raise PermissionDenied
    if stored.is_active == active:
        return False
    User.objects.unscoped().filter(pk=stored.pk).update(is_active=active)
    audit.record("accounts.user.activate" if active else "accounts.user.deactivate", actor=actor, target=stored)
    if not active:
        api_tokens_revoke_all(user=stored, actor=actor, reason=TokenRevocation.DEACTIVATED)
    user.refresh_from_db()
    return True


@transaction.atomic
def user_authorisation_change(
    *, user: User, actor: User, role: str, county=None, township=None, agency=None, is_active: bool
) -> bool:
    """The security administrator's form: role, scope and active flag together, all or nothing."""
    role_changed = user_role_change(user=user, actor=actor, role=role, county=county, township=township, agency=agency)
    active_changed = user_active_set(user=user, actor=actor, active=is_active)
    return role_changed or active_changed


@transaction.atomic
def user_person_link(*, user: User, person, actor: User) -> None:
    """Link a deputy's account to the deputy's record (one person, one account), or unlink it
    with ``person=None``. The person must have no account yet.
    Raises PermissionDenied unless ``actor`` may link this account and change this person (so the
    person is of the account's county); ValidationError for a person linked to another account."""
    if not may_link_person(actor, user):
        raise PermissionDenied
    people = person_model().objects.unscoped()
    current = people.select_for_update().filter(user=user).first()
    if person is not None:
        person = people.select_for_update().get(pk=person.pk)
        # The actor's scope is one county, the account's: so is every person they may change.
        if not can(actor, CHANGE, person):
            raise PermissionDenied
        if person.user_id not in (None, user.pk):
            raise ValidationError(_("This person is linked to another account already."))
    if current == person:
        return
    if current is not None:
        people.filter(pk=current.pk).update(user=None)
    if person is not None:
        people.filter(pk=person.pk).update(user=user)
    audit.record(
        "accounts.user.person_link",
        actor=actor,
        target=user,
        data={
            "person": str(person.uuid) if person is not None else None,
            "previous": str(current.uuid) if current is not None else None,
        },
    )


# ---- Second factor (S7) ----------------------------------------------------------------------

RECOVERY_CODE_COUNT = 10


def two_factor_pending_device(*, user: User, key: str | None = None):
    """The TOTP device the user is enrolling, unsaved: showing its QR code writes nothing. ``key``
    is the secret shown before (the caller keeps it in the session); None makes a new one."""
    from django_otp.plugins.otp_totp.models import TOTPDevice

    device = TOTPDevice(user=user, name=_("Authenticator app"), confirmed=False)
    if key:
        device.key = key
    return device


@transaction.atomic
def two_factor_enrol(*, device, token: str, actor: User) -> list[str] | None:
    """Confirm a TOTP device with a first code. On success every other device of the user is
    removed, ten single-use recovery codes are made and returned (shown once); None if the code
    is wrong."""
    from django_otp.plugins.otp_static.models import StaticDevice, StaticToken
    from django_otp.plugins.otp_totp.models import TOTPDevice

    if device.pk is None:
        # The device is stored with the first code tried for it, so that failed codes count
        # towards django-otp's throttling from then on.
        device = TOTPDevice.objects.filter(user=actor, confirmed=False, key=device.key).first() or device
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
            User.objects.unscoped().filter(pk=user.pk).update(is_active=False)
            audit.record(
                "accounts.user.disable_dormant",
                actor=None,
                target=user,
                data={"last_login": user.last_login.isoformat() if user.last_login else None},
            )
            api_tokens_revoke_all(user=user, actor=None, reason=TokenRevocation.DEACTIVATED)
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
    User.objects.unscoped().filter(pk=user.pk).update(is_superuser=True, is_staff=enabled, is_active=enabled)
    audit.record(
        "security.break_glass.enable" if enabled else "security.break_glass.disable",
        actor=None,
        target=user,
        data={"reason": reason[:200]},
    )


@transaction.atomic
def sessions_end_for_user(*, user: User, actor: User) -> int:
    """End every session of ``user`` now (a stolen laptop): their next request finds the login page,
    and their API tokens are revoked."""
    from .models import SessionRecord

    User.objects.unscoped().filter(pk=user.pk).update(session_generation=models.F("session_generation") + 1)
    ended = SessionRecord.objects.filter(user=user, ended_at__isnull=True).update(ended_at=timezone.now())
    audit.record("security.sessions.end", actor=actor, target=user, data={"sessions": ended})
    api_tokens_revoke_all(user=user, actor=actor, reason=TokenRevocation.SESSIONS_ENDED)
    return ended
