from datetime import datetime, time, timedelta
from typing import Any, cast

from django.conf import settings
from django.db.models import BooleanField, Exists, ExpressionWrapper, OuterRef, Q, QuerySet
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from . import events
from .models import AuditEntry, ExportApproval, SecurityNotice, User
from .roles import MANDATE_HOLDER_ROLES, Role
from .scoping import CHANGE, VIEW, scoped


def audit_entries(user: User, *, event="", actor="", target="", outcome="", since=None, until=None) -> QuerySet:
    """Audit entries the user may read, filtered as on the audit search page."""
    entries = scoped(AuditEntry, user, VIEW)
    if event:
        # What the user types may be an event's name as the page shows it, or the start of a code.
        entries = entries.filter(Q(event__startswith=event) | Q(event__in=events.codes_named(event)))
    if actor:
        entries = entries.filter(Q(actor__username=actor) | Q(actor_label__icontains=actor))
    if target:
        entries = entries.filter(Q(target_id=target) | Q(target_label__icontains=target))
    if outcome:
        entries = entries.filter(outcome=outcome)
    tz = timezone.get_current_timezone()
    if since:
        entries = entries.filter(at__gte=datetime.combine(since, time.min, tzinfo=tz))
    if until:
        entries = entries.filter(at__lt=datetime.combine(until + timedelta(days=1), time.min, tzinfo=tz))
    return entries.order_by("-at", "-id")


def person_model() -> Any:
    """The deputies' Person, reached through its link to the account: accounts imports no domain app."""
    # The stubs type a reverse one-to-one field as its descriptor, which has no related_model.
    return User._meta.get_field("person").related_model  # type: ignore[attr-defined]


def users_visible(user: User, *, query: str = "") -> QuerySet[User]:
    """Accounts the user may see, each with ``lacks_person``: a deputy account not yet linked to
    the deputy's record, which the account list flags."""
    lacks_person = ExpressionWrapper(
        Q(role__in=MANDATE_HOLDER_ROLES) & ~Exists(person_model()._default_manager.filter(user=OuterRef("pk"))),
        output_field=BooleanField(),
    )
    users = scoped(User, user, VIEW).select_related("county", "township", "agency").annotate(lacks_person=lacks_person)
    if query:
        users = users.filter(Q(username__icontains=query) | Q(full_name__icontains=query))
    return users.order_by("role", "username")


def people_linkable(user: User, account: User) -> QuerySet:
    """People ``user`` may link to the deputy account ``account``: of the account's county, without
    an account of their own, or linked to this one already."""
    return (
        scoped(person_model(), user, CHANGE)
        .filter(township__county=account.county_id)
        .filter(Q(user__isnull=True) | Q(user=account))
        .select_related("township")
        .order_by("township__name", "name_stroke_key", "full_name")
    )


def accounts_by_role(user: User) -> list[tuple[str, int, int]]:
    """(role label, active accounts, inactive accounts) for every role, in role order."""
    roles = [*Role.choices, ("", _("No role yet"))]
    counts = {(role, active): 0 for role, _label in roles for active in (True, False)}
    for role, active in scoped(User, user, VIEW).values_list("role", "is_active"):
        counts[(role, active)] += 1
    return [(str(label), counts[(value, True)], counts[(value, False)]) for value, label in roles]


def open_security_notices(user: User, *, limit: int = 10) -> list[SecurityNotice]:
    return list(scoped(SecurityNotice, user, VIEW).filter(acknowledged_at__isnull=True).order_by("-at")[:limit])


def export_approvals(user: User) -> list[ExportApproval]:
    """The export requests a user sees (a county administrator: the county's; township staff:
    the township's), undecided ones first, then the newest; at most 100."""
    pending = ExpressionWrapper(Q(approved_at__isnull=True, refused_at__isnull=True), output_field=BooleanField())
    return list(
        scoped(ExportApproval, user, VIEW)
        .select_related("requested_by", "approved_by", "refused_by")
        .order_by(pending.desc(), "-requested_at")[:100]
    )


def _validator_option(validator_name: str, option: str) -> Any:
    validators = cast(list[dict[str, Any]], settings.AUTH_PASSWORD_VALIDATORS)
    for validator in validators:
        if validator["NAME"].endswith(validator_name):
            return validator.get("OPTIONS", {}).get(option)
    return None


def security_policy() -> dict[str, Any]:
    """The policy in force, as the security administrator's pages show it: read from the settings
    that enforce it, so the page cannot say one thing while the code does another."""
    return {
        "password_min_length": _validator_option("MinimumLengthValidator", "min_length"),
        "password_classes": _validator_option("CharacterClassValidator", "min_classes"),
        "password_max_age_days": settings.RENDA_PASSWORD_MAX_AGE_DAYS,
        "lockout_failures": settings.AXES_FAILURE_LIMIT,
        "lockout_address_failures": settings.RENDA_LOCKOUT_ADDRESS_FAILURES,
        "lockout_minutes": int(settings.AXES_COOLOFF_TIME.total_seconds() // 60),
        "idle_minutes": settings.RENDA_IDLE_MINUTES,
        "admin_idle_minutes": settings.RENDA_ADMIN_IDLE_MINUTES,
        "session_hours": settings.RENDA_SESSION_MAX_HOURS,
        "require_2fa": settings.RENDA_REQUIRE_2FA,
        "admin_networks": ", ".join(settings.RENDA_ADMIN_NETWORKS),
        "dormant_days": settings.RENDA_DORMANT_DAYS,
        "audit_retention_days": settings.RENDA_AUDIT_RETENTION_DAYS,
        "export_row_cap": settings.RENDA_EXPORT_ROW_CAP,
    }
