"""Posting notices, confirming reading, withdrawing. Capabilities post theirs here (a session's
notice, an activity's, reception-day duty, an evaluation); staff post others from the board."""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.text import Truncator
from django.utils.translation import gettext as _

from renda.accounts import audit
from renda.accounts.models import User

from .models import TITLE_LENGTH, Notice, NoticeKind, Recipient

# The kinds staff post by hand on the board.
HAND_KINDS = (NoticeKind.GENERAL, NoticeKind.STUDY)


def deputies_of(townships: Iterable[Any]) -> list[User]:
    """The accounts of the deputies serving today in these townships' congresses (and county
    deputies elected there), active accounts only."""
    from renda.deputies.models import Mandate
    from renda.deputies.selectors import serving_on

    mandates = (
        Mandate.objects.unscoped()
        .filter(serving_on(timezone.localdate()), person__township__in=list(townships), person__user__is_active=True)
        .select_related("person__user")
    )
    return list({m.person.user_id: m.person.user for m in mandates}.values())


def post(
    actor: User | None,
    *,
    county: Any,
    township: Any | None,
    title: str,
    body: str,
    recipients: Iterable[User],
    kind: str = NoticeKind.GENERAL,
    link: str = "",
    source: Any | None = None,
) -> Notice:
    """Post a notice for ``recipients`` and hand it to the notification backend once committed."""
    errors = {}
    if not title.strip():
        errors["title"] = _("Give the notice a title.")
    if not body.strip():
        errors["body"] = _("Write the text of the notice.")
    if township is not None and township.county_id != county.pk:
        errors["township"] = _("The township is not in this county.")
    if errors:
        raise ValidationError(errors)
    with transaction.atomic():
        notice = Notice.objects.create(
            county=county,
            township=township,
            kind=kind,
            # A capability's title may add to a title of the same length ("…：测评已开始").
            title=Truncator(title.strip()).chars(TITLE_LENGTH),
            body=body.strip(),
            link=link,
            source_label=source._meta.label_lower if source is not None else "",
            source_uuid=getattr(source, "uuid", None),
            posted_by=actor,
            posted_at=timezone.now(),
        )
        # Accounts switched off get nothing (neither on the board nor through the backend).
        users = {user.pk: user for user in recipients if user.is_active}
        Recipient.objects.bulk_create([Recipient(notice=notice, user_id=pk) for pk in users])
        audit.record("notices.notice.post", actor=actor, target=notice, data={"count": len(users)})
        if users:
            from .tasks import deliver_notice

            # robust: the notice is on the board whatever happens to the delivery beyond it.
            transaction.on_commit(lambda: deliver_notice.enqueue(notice.pk), robust=True)
    return notice


def confirm_read(notice: Notice, user: User) -> Recipient:
    """The recipient confirms reading (idempotent: the first time counts)."""
    recipient = Recipient.objects.unscoped().filter(notice=notice, user=user).first()
    if recipient is None:
        raise PermissionDenied(_("This notice is not addressed to you."))
    if recipient.read_at is None:
        recipient.read_at = timezone.now()
        recipient.save(update_fields=["read_at"])
        audit.record("notices.notice.read", actor=user, target=notice)
    return recipient


def compose(
    actor: User, *, title: str, body: str, kind: str = NoticeKind.GENERAL, townships: Iterable[Any] | None = None
) -> Notice:
    """A notice posted by hand on the board: township staff to all deputies of their township; the
    county administrator to every township's deputies (``townships`` empty: a notice of the county)
    or to those of the chosen townships."""
    from renda.accounts.scoping import CHANGE, VIEW, role_may, scoped
    from renda.organisations.models import Township

    if not role_may(actor, CHANGE, Notice):
        raise PermissionDenied(_("You may not post notices."))
    # The other kinds are posted by the capabilities themselves (a meeting's notice, an activity's…).
    if kind not in HAND_KINDS:
        raise ValidationError({"kind": _("Choose the kind of notice.")})
    own = scoped(Township, actor, VIEW)
    if actor.township_id:
        township = own.filter(pk=actor.township_id).first()
        if township is None:
            raise PermissionDenied(_("You may not post notices."))
        return post(
            actor,
            county=township.county,
            township=township,
            title=title,
            body=body,
            recipients=deputies_of([township]),
            kind=kind,
        )
    chosen = list(townships or [])
    allowed = set(own.values_list("pk", flat=True))
    if any(t.pk not in allowed for t in chosen):
        raise ValidationError({"townships": _("Choose townships of your county.")})
    targets = chosen or list(own)
    return post(
        actor, county=actor.county, township=None, title=title, body=body, recipients=deputies_of(targets), kind=kind
    )


def withdraw(notice: Notice, actor: User) -> Notice:
    """Take the notice off the board (kept for the record; no more deliveries)."""
    from renda.accounts.scoping import CHANGE, can

    if actor is not None and not can(actor, CHANGE, notice):
        raise PermissionDenied(_("You may not withdraw this notice."))
    if notice.withdrawn_at is None:
        notice.withdrawn_at = timezone.now()
        notice.save(update_fields=["withdrawn_at", "updated_at"])
        audit.record("notices.notice.withdraw", actor=actor, target=notice)
    return notice


def deliver(notice: Notice) -> int:
    """Send the notice's undelivered recipients through the backend; returns how many went out."""
    from django.conf import settings

    from .backends import Message, get_backend

    pending = list(notice.recipients.filter(delivered_at__isnull=True).select_related("user"))
    if not pending:
        return 0
    url = f"{settings.RENDA_PUBLIC_BASE_URL}{notice.link}" if notice.link else ""
    messages = [Message(user=r.user, subject=notice.title, body=notice.body, url=url) for r in pending]
    results = get_backend().send(messages)
    now, sent = timezone.now(), 0
    for recipient, error in zip(pending, results, strict=True):
        recipient.delivery_error = error[:300]
        if not error:
            recipient.delivered_at, sent = now, sent + 1
    Recipient.objects.bulk_update(pending, ["delivered_at", "delivery_error"])
    return sent
