import hashlib

from django.contrib.auth.models import AbstractUser, UserManager
from django.core.exceptions import ValidationError
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from renda.core.models import UUIDModel
from renda.core.pii import PhoneField

from .roles import Role
from .scoping import ScopePaths


class User(UUIDModel, AbstractUser):
    """One account, one role. A person who needs two roles gets two accounts (三员分立 demands it
    for the administrators, and it keeps every account's scope obvious for the others)."""

    full_name = models.CharField(_("full name"), max_length=50)
    role = models.CharField(_("role"), max_length=20, choices=Role.choices)
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

    first_name = None
    last_name = None
    REQUIRED_FIELDS = ["full_name", "role"]

    objects = UserManager()

    # Accounts are managed by the system administrator and, for their own county, by the county
    # administrator; the security and audit administrators read them but change nothing here.
    scope_paths = ScopePaths(
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
        errors: dict[str, str] = {}
        if self.role in {Role.COUNTY_ADMIN, Role.LEADER} and not self.county_id:
            errors["county"] = _("This role needs a county.")
        if self.role == Role.TOWNSHIP_STAFF and not self.township_id:
            errors["township"] = _("Township staff need a township.")
        if self.role == Role.AGENCY_HANDLER and not self.agency_id:
            errors["agency"] = _("An agency handler needs an agency.")
        if self.township_id and self.county_id and self.township.county_id != self.county_id:
            errors["township"] = _("The township is not in the chosen county.")
        if errors:
            raise ValidationError(errors)

    def save(self, *args, **kwargs):
        # The county follows from the township or the agency so that scope filters stay simple.
        if self.township_id and not self.county_id:
            self.county_id = self.township.county_id
        if self.agency_id and not self.county_id:
            self.county_id = self.agency.county_id
        super().save(*args, **kwargs)

    @property
    def is_administrator(self) -> bool:
        from .roles import ADMINISTRATOR_ROLES

        return self.role in ADMINISTRATOR_ROLES


class AuditOutcome(models.TextChoices):
    SUCCESS = "success", _("Success")
    FAILURE = "failure", _("Failure")
    DENIED = "denied", _("Denied")


class AuditEntry(models.Model):
    """Append-only: the model refuses updates and deletes."""

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

    scope_paths = ScopePaths(readers=frozenset({Role.AUDIT_ADMIN}))

    class Meta:
        verbose_name = _("audit entry")
        verbose_name_plural = _("audit entries")
        ordering = ["-at", "-id"]
        indexes = [models.Index(fields=["actor", "-at"])]

    def __str__(self) -> str:
        return f"{self.at:%Y-%m-%d %H:%M:%S} {self.event} {self.actor_label}"

    def save(self, *args, **kwargs):
        if self.pk is not None:
            raise ValidationError(_("Audit entries cannot be changed."))
        super().save(*args, **kwargs)

    def delete(self, *args, **kwargs):
        raise ValidationError(_("Audit entries cannot be deleted."))


class ApiToken(UUIDModel):
    """A bearer token for the JSON API. Only a SHA-256 digest is stored; the token is shown once."""

    user = models.ForeignKey(User, verbose_name=_("user"), on_delete=models.CASCADE, related_name="api_tokens")
    name = models.CharField(_("name"), max_length=60)
    prefix = models.CharField(_("prefix"), max_length=8)
    digest = models.CharField(max_length=64, unique=True)
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)
    expires_at = models.DateTimeField(_("expires at"))
    last_used_at = models.DateTimeField(_("last used at"), null=True, blank=True)
    revoked_at = models.DateTimeField(_("revoked at"), null=True, blank=True)

    scope_paths = ScopePaths(owner="user", editors=frozenset(Role.values))

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
