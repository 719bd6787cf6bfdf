from datetime import datetime, time, timedelta

from django.db.models import BooleanField, ExpressionWrapper, Q, QuerySet
from django.utils import timezone

from .models import AuditEntry, ExportApproval, User
from .scoping import VIEW, scoped


def audit_entries(user: User, *, event="", actor="", target="", outcome="", since=None, until=None) -> QuerySet:
    """Audit entries the user may read, filtered as on the audit search page."""
    entries = scoped(AuditEntry, user, VIEW)
    if event:
        entries = entries.filter(event__startswith=event)
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


def export_approvals(user: User) -> list[ExportApproval]:
    """The export requests a user sees (a county administrator: the county's; township staff:
    the township's), undecided ones first, then the newest; at most 100."""
    pending = ExpressionWrapper(Q(approved_at__isnull=True, refused_at__isnull=True), output_field=BooleanField())
    return list(
        scoped(ExportApproval, user, VIEW)
        .select_related("requested_by", "approved_by", "refused_by")
        .order_by(pending.desc(), "-requested_at")[:100]
    )
