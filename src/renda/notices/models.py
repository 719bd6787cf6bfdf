"""The notice board (通知公告): notices of a township (to its deputies) or of the county (to every
township's deputies, or to the townships it names). Sessions, activities, reception-day duty and
evaluations post theirs through ``services.post``; staff post others by hand. Each recipient
confirms reading; the sender sees who has not. Delivery beyond the platform (SMS, e-mail, a
government messaging app) goes through the notification backend (``renda.notices.backends``)."""

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from renda.core.models import TimeStampedModel, UUIDModel
from renda.core.roles import Role
from renda.core.scopes import Scope, ScopedModel

TITLE_LENGTH = 120

NOTICE_EDITORS = frozenset({Role.COUNTY_ADMIN, Role.TOWNSHIP_STAFF})


class NoticeKind(models.TextChoices):
    GENERAL = "general", _("Notice")
    MEETING = "meeting", _("Meeting notice")
    ACTIVITY = "activity", _("Activity notice")
    RECEPTION = "reception", _("Reception-day duty")
    EVALUATION = "evaluation", _("Evaluation")
    STUDY = "study", _("Study")


class Notice(ScopedModel, UUIDModel, TimeStampedModel):
    county = models.ForeignKey(
        "organisations.County", verbose_name=_("county"), on_delete=models.CASCADE, related_name="notices"
    )
    township = models.ForeignKey(
        "organisations.Township",
        verbose_name=_("township"),
        null=True,
        blank=True,
        on_delete=models.CASCADE,
        related_name="notices",
        help_text=_("Empty for a notice of the county."),
    )
    kind = models.CharField(_("kind of notice"), max_length=20, choices=NoticeKind.choices, default=NoticeKind.GENERAL)
    title = models.CharField(_("title"), max_length=TITLE_LENGTH)
    body = models.TextField(_("text"), max_length=10000)
    # The page of what the notice is about (a meeting, an activity…), when a capability posted it.
    link = models.CharField(_("link"), max_length=300, blank=True)
    source_label = models.CharField(max_length=100, blank=True, editable=False)
    source_uuid = models.UUIDField(null=True, blank=True, editable=False)
    posted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    posted_at = models.DateTimeField(_("posted at"))
    withdrawn_at = models.DateTimeField(_("withdrawn at"), null=True, blank=True)

    scope = Scope(
        county="county",
        township="township",
        county_wide=True,
        owner="recipients__user",
        editors=NOTICE_EDITORS,
    )

    class Meta:
        verbose_name = _("notice")
        verbose_name_plural = _("notices")
        ordering = ["-posted_at", "-id"]
        indexes = [
            models.Index(fields=["county", "township", "posted_at"], name="notice_place_posted"),
            models.Index(fields=["source_label", "source_uuid"], name="notice_source"),
        ]

    def __str__(self) -> str:
        return self.title

    def audit_place(self) -> tuple[int | None, int | None]:
        return self.county_id, self.township_id


class Recipient(ScopedModel, UUIDModel):
    """An account a notice is for, and whether it has confirmed reading and been delivered."""

    notice = models.ForeignKey(Notice, verbose_name=_("notice"), on_delete=models.CASCADE, related_name="recipients")
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("account"), on_delete=models.CASCADE, related_name="notices_received"
    )
    read_at = models.DateTimeField(_("read at"), null=True, blank=True)
    delivered_at = models.DateTimeField(_("delivered at"), null=True, blank=True)
    delivery_error = models.CharField(_("delivery error"), max_length=300, blank=True)

    scope = Scope(
        county="notice__county",
        township="notice__township",
        county_wide=True,
        owner="user",
        editors=NOTICE_EDITORS,
    )

    class Meta:
        verbose_name = _("notice recipient")
        verbose_name_plural = _("notice recipients")
        ordering = ["notice", "id"]
        constraints = [models.UniqueConstraint(fields=["notice", "user"], name="notice_recipient_once")]
        indexes = [models.Index(fields=["user", "read_at"], name="notice_recipient_unread")]

    def __str__(self) -> str:
        return str(self.user)

    def audit_place(self) -> tuple[int | None, int | None]:
        return self.notice.audit_place()
