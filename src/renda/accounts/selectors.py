from datetime import datetime, time, timedelta

from django.db.models import BooleanField, ExpressionWrapper, Q, QuerySet
from django.utils import timezone

from . import events
from .models import AuditEntry, ExportApproval, SecurityNotice, User
from .roles import Role
from .scoping import VIEW, scoped


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


def users_visible(user: User, *, query: str = "") -> QuerySet[User]:
    users = scoped(User, user, VIEW).select_related("county", "township", "agency")
    if query:
        users = users.filter(Q(username__icontains=query) | Q(full_name__icontains=query))
    return users.order_by("role", "username")


def accounts_by_role(user: User) -> list[tuple[str, int, int]]:
    """(role label, active accounts, inactive accounts) for every role, in role order."""
    counts = {(role, active): 0 for role in Role.values for active in (True, False)}
    for role, active in scoped(User, user, VIEW).values_list("role", "is_active"):
        counts[(role, active)] += 1
    return [(str(label), counts[(value, True)], counts[(value, False)]) for value, label in Role.choices]


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
