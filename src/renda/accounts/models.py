import hashlib
from typing import TYPE_CHECKING, Any, ClassVar
from urllib.parse import parse_qsl

from django.contrib.auth.models import AbstractUser
from django.contrib.auth.models import UserManager as AuthUserManager
from django.core.exceptions import ValidationError
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from renda.core.models import UUIDModel
from renda.core.pii import PhoneField
from renda.core.scopes import Scope, ScopedModel, ScopedQuerySet

from .roles import Role

if TYPE_CHECKING:
    from django_stubs_ext import StrOrPromise


class UserManager(AuthUserManager.from_queryset(ScopedQuerySet)):  # type: ignore[misc]
    """Django's user manager with the scope guard on reads."""

    def get_by_natural_key(self, username):
        # Logging in finds the account before anyone's scope exists.
        return self.unscoped().get(**{self.model.USERNAME_FIELD: username})


class User(ScopedModel, UUIDModel, AbstractUser):
    """One account, one role. A person who needs two roles gets two accounts (三员分立 demands it
    for the administrators, and it keeps every account's scope obvious for the others)."""

    full_name = models.CharField(_("full name"), max_length=50)
    # Empty until the security administrator grants a role: an account the system administrator
    # has just created can sign in (to set its password) but reaches no data (S11).
    role = models.CharField(_("role"), max_length=20, choices=Role.choices, blank=True)
    phone = PhoneField()
    county = models.ForeignKey(
        "organisations.County", verbose_name=_("county"), null=True, blank=True, on_delete=models.PROTECT
    )
    township = models.ForeignKey(
        "organisations.Township", verbose_name=_("township"), null=True, blank=True, on_delete=models.PROTECT
    )
    agency = models.ForeignKey(
        "organisations.Agency", verbose_name=_("agency"), null=True, blank=True, on_delete=models.PROTECT
    )

    # Set by every password change (set_password); the age limit (S2) counts from here.
    password_changed_at = models.DateTimeField(_("password changed at"), null=True, blank=True, editable=False)
    # Set when an administrator issues a one-time password (a new account, a reset); the holder
    # reaches only the password change page until they choose their own (S11).
    password_must_change = models.BooleanField(_("must change password"), default=False, editable=False)
    # Raised to end every session of the account at once (security administrator, S11/S5): each
    # session remembers the value it started with and ends when it no longer matches.
    session_generation = models.PositiveIntegerField(default=0, editable=False)

    first_name = None  # type: ignore[assignment]  # the full name is one field (Chinese names)
    last_name = None  # type: ignore[assignment]
    REQUIRED_FIELDS = ["full_name", "role"]

    # Typed loosely: the stubs cannot follow a manager built by from_queryset on a subclass.
    objects: ClassVar[Any] = UserManager()

    # The system administrator edits accounts' own details; the security administrator reads them
    # here and grants roles through its own service; a county administrator reads its county's
    # accounts (to link deputies to their records).
    scope = Scope(
        county="county",
        township="township",
        readers=frozenset({Role.SYSTEM_ADMIN, Role.SECURITY_ADMIN, Role.COUNTY_ADMIN}),
        editors=frozenset({Role.SYSTEM_ADMIN}),
    )

    class Meta:
        verbose_name = _("user")
        verbose_name_plural = _("users")
        ordering = ["username"]

    def __str__(self) -> str:
        return f"{self.full_name}（{self.username}）" if self.full_name else self.username

    def get_full_name(self) -> str:
        return self.full_name

    def get_short_name(self) -> str:
        return self.full_name

    def clean(self) -> None:
        super().clean()
        errors: dict[str, StrOrPromise] = {}
        if self.role in {Role.COUNTY_ADMIN, Role.LEADER, Role.DEPUTY} and not self.county_id:
            errors["county"] = _("This role needs a county.")
        if self.role == Role.TOWNSHIP_STAFF and not self.township_id:
            errors["township"] = _("Township staff need a township.")
        if self.role == Role.AGENCY_HANDLER and not self.agency_id:
            errors["agency"] = _("An agency handler needs an agency.")
        if self.county_id and self.township is not None and self.township.county_id != self.county_id:
            errors["township"] = _("The township is not in the chosen county.")
        if errors:
            raise ValidationError(errors)

    def set_password(self, raw_password):
        super().set_password(raw_password)
        self.password_changed_at = timezone.now()

    def save(self, *args, **kwargs):
        update_fields = kwargs.get("update_fields")
        if update_fields is not None and "password" in update_fields:
            kwargs["update_fields"] = {*update_fields, "password_changed_at"}
        # The county follows from the township or the agency so that scope filters stay simple.
        if self.township_id and not self.county_id:
            self.county_id = self.township.county_id
        if self.agency_id and not self.county_id:
            self.county_id = self.agency.county_id
        super().save(*args, **kwargs)

    @property
    def awaits_role(self) -> bool:
        """Created by the system administrator, not yet given a role by the security administrator."""
        return not self.role

    @property
    def is_administrator(self) -> bool:
        from .roles import ADMINISTRATOR_ROLES

        return self.role in ADMINISTRATOR_ROLES


class AuditOutcome(models.TextChoices):
    SUCCESS = "success", _("Success")
    FAILURE = "failure", _("Failure")
    DENIED = "denied", _("Denied")


class AuditEntry(ScopedModel):
    """Append-only: the model refuses updates and deletes, and so do database triggers (migrations
    0003 and 0005). An entry is written unsealed in the action's transaction; sealing (right after
    commit, ``audit.seal_pending``) gives it its place in the chain and the SHA-256 of its content
    and of the entry before it (S17). That one update is the only one the triggers let through."""

    at = models.DateTimeField(_("time"), default=timezone.now, db_index=True)
    actor = models.ForeignKey(
        User, verbose_name=_("actor"), null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    # Kept as text too so the entry still reads right after the account is renamed.
    actor_label = models.CharField(_("actor"), max_length=120, blank=True)
    actor_role = models.CharField(_("role"), max_length=20, blank=True)
    ip_address = models.GenericIPAddressField(_("address"), null=True, blank=True)
    request_id = models.CharField(_("request id"), max_length=32, blank=True)
    event = models.CharField(_("event"), max_length=60, db_index=True)
    outcome = models.CharField(_("outcome"), max_length=10, choices=AuditOutcome.choices)
    target_type = models.CharField(_("object type"), max_length=60, blank=True)
    target_id = models.CharField(_("object id"), max_length=40, blank=True, db_index=True)
    target_label = models.CharField(_("object"), max_length=200, blank=True)
    county = models.ForeignKey(
        "organisations.County", null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    township = models.ForeignKey(
        "organisations.Township", null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    data = models.JSONField(_("details"), default=dict, blank=True)
    prev_hash = models.CharField(_("previous hash"), max_length=64, blank=True, editable=False)
    entry_hash = models.CharField(_("hash"), max_length=64, blank=True, editable=False)
    # The chain runs in sealing order, which is commit order, not id order: ids are handed out
    # when transactions insert, and a long transaction commits after shorter ones that began later.
    seq = models.BigIntegerField(_("chain position"), null=True, blank=True, editable=False)

    scope = Scope(readers=frozenset({Role.AUDIT_ADMIN}))

    class Meta:
        verbose_name = _("audit entry")
        verbose_name_plural = _("audit entries")
        ordering = ["-at", "-id"]
        indexes = [
            models.Index(fields=["actor", "-at"]),
            models.Index(fields=["id"], condition=models.Q(seq__isnull=True), name="audit_unsealed"),
        ]
        # Partial, so that SQLite adds it as an index instead of rebuilding the table (which would
        # drop the append-only triggers); unsealed entries have no position yet.
        constraints = [
            models.UniqueConstraint(fields=["seq"], condition=models.Q(seq__isnull=False), name="audit_seq_unique")
        ]

    def __str__(self) -> str:
        return f"{self.at:%Y-%m-%d %H:%M:%S} {self.event} {self.actor_label}"

    def save(self, *args, **kwargs):
        if self.pk is not None:
            raise ValidationError(_("Audit entries cannot be changed."))
        super().save(*args, **kwargs)

    def delete(self, *args, **kwargs):
        raise ValidationError(_("Audit entries cannot be deleted."))


class TokenRevocation(models.TextChoices):
    """Why a token stopped working: its holder revoked it, or the account's security state changed
    (issue 9): a token must not outlive what ends the account's sessions."""

    HOLDER = "holder", _("Revoked by its holder")
    PASSWORD = "password", _("Password changed")
    SESSIONS_ENDED = "sessions_ended", _("All sessions ended by the security administrator")
    DEACTIVATED = "deactivated", _("Account deactivated")
    ROLE_CHANGED = "role_changed", _("Role changed")


class ApiToken(ScopedModel, UUIDModel):
    """A bearer token for the JSON API. Only a SHA-256 digest is stored; the token is shown once."""

    user = models.ForeignKey(User, verbose_name=_("user"), on_delete=models.CASCADE, related_name="api_tokens")
    name = models.CharField(_("name"), max_length=60)
    prefix = models.CharField(_("prefix"), max_length=8)
    digest = models.CharField(max_length=64, unique=True)
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)
    expires_at = models.DateTimeField(_("expires at"))
    last_used_at = models.DateTimeField(_("last used at"), null=True, blank=True)
    revoked_at = models.DateTimeField(_("revoked at"), null=True, blank=True)
    revoked_reason = models.CharField(_("why revoked"), max_length=20, choices=TokenRevocation.choices, blank=True)

    scope = Scope(owner="user", editors=frozenset(Role.values))

    class Meta:
        verbose_name = _("API token")
        verbose_name_plural = _("API tokens")
        ordering = ["-created_at"]

    def __str__(self) -> str:
        return f"{self.name} ({self.prefix}…)"

    @staticmethod
    def digest_of(raw: str) -> str:
        return hashlib.sha256(raw.encode()).hexdigest()

    @property
    def is_usable(self) -> bool:
        return self.revoked_at is None and self.expires_at > timezone.now()


class AuditAnchor(models.Model):
    """Where the hash chain starts after a purge: the hash of the last entry removed (S18)."""

    purged_through_seq = models.BigIntegerField()
    last_hash = models.CharField(max_length=64)
    rows = models.PositiveIntegerField(default=0)
    purged_at = models.DateTimeField(default=timezone.now)

    class Meta:
        verbose_name = _("audit chain anchor")
        verbose_name_plural = _("audit chain anchors")
        ordering = ["-purged_through_seq"]

    def __str__(self) -> str:
        return f"#{self.purged_through_seq} {self.last_hash[:12]}"


class AuditHeadAnchor(models.Model):
    """The chain's head (its last position, which is the number of entries ever sealed, and that
    entry's hash) as it was at a moment, kept outside the audit table so that removing the newest
    entries shows: verification expects to find this entry (S17). Written by ``audit.anchor_head``
    and also sent to the application log, which operators ship to another host."""

    seq = models.BigIntegerField(_("chain position"))
    entry_hash = models.CharField(_("hash"), max_length=64)
    at = models.DateTimeField(_("time"), default=timezone.now)

    class Meta:
        verbose_name = _("audit chain head")
        verbose_name_plural = _("audit chain heads")
        ordering = ["-seq"]

    def __str__(self) -> str:
        return f"#{self.seq} {self.entry_hash[:12]}"


class SecurityNoticeKind(models.TextChoices):
    FAILED_LOGINS = "failed_logins", _("Many failed logins")
    DENIED_ACCESS = "denied_access", _("Many requests for objects outside the scope")
    EXPORT_VOLUME = "export_volume", _("Many rows exported")
    OTHER = "other", _("Other")


class SecurityNotice(ScopedModel, UUIDModel):
    """A burst the security administrator should look at (S26); the alert is audited as well."""

    at = models.DateTimeField(_("time"), default=timezone.now, db_index=True)
    kind = models.CharField(_("kind"), max_length=20, choices=SecurityNoticeKind.choices)
    subject = models.CharField(_("about"), max_length=150, blank=True)
    count = models.PositiveIntegerField(_("count"), default=0)
    acknowledged_at = models.DateTimeField(_("acknowledged at"), null=True, blank=True)
    acknowledged_by = models.ForeignKey(
        User, verbose_name=_("acknowledged by"), null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )

    scope = Scope(readers=frozenset({Role.SECURITY_ADMIN}), editors=frozenset({Role.SECURITY_ADMIN}))

    class Meta:
        verbose_name = _("security notice")
        verbose_name_plural = _("security notices")
        ordering = ["-at"]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} {self.subject}"


class ExportApproval(ScopedModel, UUIDModel):
    """A county administrator's approval of one export above the row cap (S31)."""

    requested_by = models.ForeignKey(
        User, verbose_name=_("requested by"), on_delete=models.PROTECT, related_name="export_requests"
    )
    county = models.ForeignKey(
        "organisations.County", null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    township = models.ForeignKey(
        "organisations.Township", null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    kind = models.CharField(_("export"), max_length=60)
    row_count = models.PositiveIntegerField(_("rows"))
    reason = models.CharField(_("reason"), max_length=200)
    requested_at = models.DateTimeField(_("requested at"), default=timezone.now)
    approved_by = models.ForeignKey(
        User, verbose_name=_("approved by"), null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    approved_at = models.DateTimeField(_("approved at"), null=True, blank=True)
    expires_at = models.DateTimeField(_("expires at"), null=True, blank=True)
    used_at = models.DateTimeField(_("used at"), null=True, blank=True)
    # The export exactly as refused: its page and normalised query string (filters, "unmasked").
    # An approval runs that export and no other.
    path = models.CharField(_("export page"), max_length=200, blank=True)
    query = models.CharField(_("filter"), max_length=1000, blank=True)
    refused_by = models.ForeignKey(
        User, verbose_name=_("refused by"), null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    refused_at = models.DateTimeField(_("refused at"), null=True, blank=True)
    refusal_reason = models.CharField(_("reason for refusal"), max_length=200, blank=True)

    scope = Scope(
        county="county",
        township="township",
        owner="requested_by",
        readers=frozenset({Role.COUNTY_ADMIN, Role.TOWNSHIP_STAFF}),
        editors=frozenset({Role.COUNTY_ADMIN}),
    )

    class Meta:
        verbose_name = _("export approval")
        verbose_name_plural = _("export approvals")
        ordering = ["-requested_at"]

    def __str__(self) -> str:
        return f"{self.kind} × {self.row_count}"

    @property
    def is_pending(self) -> bool:
        return self.approved_at is None and self.refused_at is None

    @property
    def is_usable(self) -> bool:
        """Approved, not yet used and not expired: the requester may run the export once."""
        return (
            self.approved_at is not None
            and self.used_at is None
            and self.expires_at is not None
            and self.expires_at > timezone.now()
        )

    @property
    def status(self) -> str:
        """pending, refused, used, expired or approved (and usable)."""
        if self.refused_at is not None:
            return "refused"
        if self.approved_at is None:
            return "pending"
        if self.used_at is not None:
            return "used"
        return "approved" if self.is_usable else "expired"

    @property
    def filter_display(self) -> str:
        """The filter as people read it: "township=…; unmasked=1"."""
        return "; ".join(f"{key}={value}" for key, value in parse_qsl(self.query))

    @property
    def export_url(self) -> str:
        """The approved export: its page with the same filter. The approval itself is POSTed to it,
        since using it is a change that no GET (a prefetch, a link checker) may make."""
        return f"{self.path}?{self.query}" if self.query else self.path

    def is_valid_for(self, *, user: User, kind: str, row_count: int, query: str) -> bool:
        return (
            self.requested_by_id == user.pk
            and self.kind == kind
            and self.query == query
            and row_count <= self.row_count
            and self.is_usable
        )


class SessionRecord(models.Model):
    """One login, for the security administrator's list of active sessions. Holds a digest of
    the session key, never the key itself."""

    user = models.ForeignKey(User, verbose_name=_("user"), on_delete=models.CASCADE, related_name="+")
    key_digest = models.CharField(max_length=64, db_index=True)
    started_at = models.DateTimeField(_("started at"), default=timezone.now, db_index=True)
    ip_address = models.GenericIPAddressField(_("address"), null=True, blank=True)
    user_agent = models.CharField(_("browser"), max_length=200, blank=True)
    ended_at = models.DateTimeField(_("ended at"), null=True, blank=True)

    class Meta:
        verbose_name = _("session")
        verbose_name_plural = _("sessions")
        ordering = ["-started_at"]

    def __str__(self) -> str:
        return f"{self.user} {self.started_at:%Y-%m-%d %H:%M}"

    @staticmethod
    def digest_of(session_key: str) -> str:
        return hashlib.sha256((session_key or "").encode()).hexdigest()
