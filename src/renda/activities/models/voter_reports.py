"""Deputies' reports to voters (代表向选民述职): scheduled, held before a group of voters with a
satisfaction ballot of those present (counted on paper, entered by staff), or missed. The share of a
term's deputies who have reported (述职率) is counted from the held ones."""

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from renda.core.locking import VersionedModel
from renda.core.models import TimeStampedModel, UUIDModel
from renda.core.scopes import Scope, ScopedModel

from .activities import ACTIVITY_EDITORS


class VoterReportState(models.TextChoices):
    SCHEDULED = "scheduled", _("Scheduled")
    HELD = "held", _("Held")
    MISSED = "missed", _("Missed")
    CANCELLED = "cancelled", _("Cancelled")


class VoterReport(ScopedModel, UUIDModel, TimeStampedModel, VersionedModel):
    township = models.ForeignKey(
        "organisations.Township", verbose_name=_("township"), on_delete=models.PROTECT, related_name="voter_reports"
    )
    mandate = models.ForeignKey(
        "deputies.Mandate", verbose_name=_("deputy"), on_delete=models.PROTECT, related_name="voter_reports"
    )
    activity = models.ForeignKey(
        "activities.Activity",
        verbose_name=_("activity"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="voter_reports",
        help_text=_("The reporting activity several deputies may share."),
    )
    scheduled_on = models.DateField(_("scheduled on"))
    place = models.CharField(_("place"), max_length=120)
    state = models.CharField(
        _("state"), max_length=20, choices=VoterReportState.choices, default=VoterReportState.SCHEDULED
    )
    held_on = models.DateField(_("held on"), null=True, blank=True)
    voters_present = models.PositiveIntegerField(_("voters present"), null=True, blank=True)
    satisfied = models.PositiveIntegerField(_("satisfied"), null=True, blank=True)
    basically_satisfied = models.PositiveIntegerField(_("basically satisfied"), null=True, blank=True)
    dissatisfied = models.PositiveIntegerField(_("dissatisfied"), null=True, blank=True)
    summary = models.TextField(_("summary of the report and the voters' opinions"), blank=True, max_length=10000)
    note = models.CharField(_("note"), max_length=300, blank=True, help_text=_("Why it was missed or cancelled."))
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )

    scope = Scope(
        county="township__county", township="township", owner="mandate__person__user", editors=ACTIVITY_EDITORS
    )

    class Meta:
        verbose_name = _("report to voters")
        verbose_name_plural = _("reports to voters")
        ordering = ["-scheduled_on", "-id"]
        indexes = [models.Index(fields=["township", "state", "scheduled_on"], name="voter_report_township_state")]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(state="held", held_on__isnull=False) | ~models.Q(state="held"),
                name="voter_report_held_has_date",
            )
        ]

    def __str__(self) -> str:
        return f"{self.mandate.person} · {self.scheduled_on}"

    def audit_place(self) -> tuple[int | None, int | None]:
        return self.township.county_id, self.township_id
