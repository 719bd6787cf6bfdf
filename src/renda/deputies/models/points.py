"""Points (履职积分): rules are data set by the county; entries are derived from the records and
rebuilt exactly by ``services.points_recompute``; contests by deputies are resolved by staff and
their outcome survives every recomputation."""

from django.conf import settings
from django.contrib.contenttypes.models import ContentType
from django.db import models
from django.utils.translation import gettext_lazy as _

from renda.core.models import TimeStampedModel, UUIDModel
from renda.core.roles import Role
from renda.core.scopes import Scope, ScopedModel

from .people import MANDATE_RECORD_SCOPE, Mandate

COUNTY_EDITORS = frozenset({Role.COUNTY_ADMIN})


class PointRule(ScopedModel, UUIDModel, TimeStampedModel):
    """Points per record of one kind (a code declared in ``deputies.contributions``)."""

    county = models.ForeignKey(
        "organisations.County", verbose_name=_("county"), on_delete=models.CASCADE, related_name="point_rules"
    )
    kind = models.CharField(_("kind of record"), max_length=60)
    amount = models.DecimalField(_("points per record"), max_digits=6, decimal_places=1)
    yearly_cap = models.DecimalField(
        _("yearly cap"),
        max_digits=7,
        decimal_places=1,
        null=True,
        blank=True,
        help_text=_("The most points (or deductions) of this kind a deputy can get in a year. Empty: no cap."),
    )
    is_active = models.BooleanField(_("active"), default=True)

    scope = Scope(county="county", township="county__townships", editors=COUNTY_EDITORS)

    class Meta:
        verbose_name = _("point rule")
        verbose_name_plural = _("point rules")
        ordering = ["county", "kind"]
        constraints = [
            models.UniqueConstraint(
                fields=["county", "kind"],
                name="point_rule_unique_kind",
                violation_error_message=_("The county has a rule for this kind of record already."),
            ),
            models.CheckConstraint(
                condition=models.Q(yearly_cap__isnull=True) | models.Q(yearly_cap__gt=0),
                name="point_rule_cap_positive",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.kind} {self.amount:+}"

    def audit_place(self) -> tuple[int | None, int | None]:
        return self.county_id, None


class PointEntry(ScopedModel, UUIDModel):
    """One derived line of the ledger: the points one record earned one mandate.

    Rebuilt from scratch by ``points_recompute`` (so its uuid changes then); never edited by hand.
    ``township`` and ``group`` are copied from the mandate so leaderboards are single aggregate queries."""

    county = models.ForeignKey("organisations.County", on_delete=models.CASCADE, related_name="+")
    township = models.ForeignKey("organisations.Township", on_delete=models.CASCADE, related_name="+")
    group = models.ForeignKey(
        "organisations.DeputyGroup", null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    mandate = models.ForeignKey(Mandate, on_delete=models.CASCADE, related_name="point_entries")
    kind = models.CharField(_("kind of record"), max_length=60)
    source_type = models.ForeignKey(ContentType, on_delete=models.CASCADE, related_name="+")
    source_uuid = models.UUIDField()
    date = models.DateField(_("date"))
    year = models.PositiveSmallIntegerField()
    quarter = models.PositiveSmallIntegerField()
    title = models.CharField(_("record"), max_length=200)
    url = models.CharField(max_length=200, blank=True)
    quantity = models.DecimalField(max_digits=6, decimal_places=1, default=1)
    rule_points = models.DecimalField(_("points by the rule"), max_digits=7, decimal_places=1)
    points = models.DecimalField(_("points"), max_digits=7, decimal_places=1)
    capped = models.BooleanField(default=False)
    contest = models.ForeignKey(
        "PointContest", null=True, blank=True, on_delete=models.SET_NULL, related_name="entries"
    )

    scope = Scope(county="county", township="township", owner="mandate__person__user")

    class Meta:
        verbose_name = _("point entry")
        verbose_name_plural = _("point entries")
        ordering = ["mandate", "date", "kind", "source_uuid"]
        indexes = [
            models.Index(fields=["county", "year", "quarter"], name="point_entry_period"),
            models.Index(fields=["mandate", "year"], name="point_entry_mandate_year"),
            models.Index(fields=["source_type", "source_uuid"], name="point_entry_source"),
        ]

    def __str__(self) -> str:
        return f"{self.title} {self.points:+}"

    def key(self) -> tuple:
        return (self.mandate_id, self.kind, self.source_type_id, str(self.source_uuid))


class ContestStatus(models.TextChoices):
    OPEN = "open", _("Open")
    ACCEPTED = "accepted", _("Accepted")
    REJECTED = "rejected", _("Rejected")


class PointContest(ScopedModel, UUIDModel, TimeStampedModel):
    """A deputy disputes one entry. It names the record (not the entry row, which recomputation
    replaces); once accepted, the corrected points apply to that record in every recomputation."""

    mandate = models.ForeignKey(Mandate, verbose_name=_("deputy"), on_delete=models.CASCADE, related_name="contests")
    kind = models.CharField(_("kind of record"), max_length=60)
    source_type = models.ForeignKey(ContentType, on_delete=models.CASCADE, related_name="+")
    source_uuid = models.UUIDField()
    title = models.CharField(_("record"), max_length=200)
    contested_points = models.DecimalField(_("points contested"), max_digits=7, decimal_places=1)
    reason = models.TextField(_("reason"), max_length=1000)
    status = models.CharField(_("status"), max_length=10, choices=ContestStatus.choices, default=ContestStatus.OPEN)
    corrected_points = models.DecimalField(
        _("corrected points"),
        max_digits=7,
        decimal_places=1,
        null=True,
        blank=True,
        help_text=_("Points the record counts for from now on; empty removes them."),
    )
    resolution_note = models.CharField(_("answer"), max_length=500, blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="point_contests"
    )
    resolved_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    resolved_at = models.DateTimeField(null=True, blank=True)

    scope = MANDATE_RECORD_SCOPE

    class Meta:
        verbose_name = _("contest of points")
        verbose_name_plural = _("contests of points")
        ordering = ["-created_at"]

    def __str__(self) -> str:
        return self.title

    def audit_place(self) -> tuple[int | None, int | None]:
        return self.mandate.person.audit_place()

    def key(self) -> tuple:
        return (self.mandate_id, self.kind, self.source_type_id, str(self.source_uuid))
