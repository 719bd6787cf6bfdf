"""Annual plans (domain.md §6, §7): each township's yearly work plan, its deputies' activity plan and
its evaluation plan, approved through a presidium meeting; activities link to plan items, so plan
versus done is counted, never typed."""

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from renda.core.locking import VersionedModel
from renda.core.models import TimeStampedModel, UUIDModel
from renda.core.scopes import Scope, ScopedModel

from .activities import ACTIVITY_EDITORS, ActivityCategory


class PlanKind(models.TextChoices):
    WORK = "work", _("Annual work plan")
    ACTIVITY = "activity", _("Deputies' activity plan")
    EVALUATION = "evaluation", _("Evaluation plan")


class PlanState(models.TextChoices):
    DRAFT = "draft", _("Draft")
    APPROVED = "approved", _("Approved")


class WorkPlan(ScopedModel, UUIDModel, TimeStampedModel, VersionedModel):
    township = models.ForeignKey(
        "organisations.Township", verbose_name=_("township"), on_delete=models.PROTECT, related_name="work_plans"
    )
    year = models.PositiveSmallIntegerField(_("year"))
    kind = models.CharField(_("kind of plan"), max_length=20, choices=PlanKind.choices)
    title = models.CharField(_("title"), max_length=120)
    text = models.TextField(_("text"), blank=True, max_length=50000)
    state = models.CharField(_("state"), max_length=20, choices=PlanState.choices, default=PlanState.DRAFT)
    approved_at = models.ForeignKey(
        "meetings.Meeting",
        verbose_name=_("approved at the presidium meeting"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="approved_plans",
    )
    approved_on = models.DateField(_("approved on"), null=True, blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )

    scope = Scope(county="township__county", township="township", editors=ACTIVITY_EDITORS)

    class Meta:
        verbose_name = _("annual plan")
        verbose_name_plural = _("annual plans")
        ordering = ["township", "-year", "kind"]
        constraints = [
            models.UniqueConstraint(
                fields=["township", "year", "kind"],
                name="work_plan_once_a_year",
                violation_error_message=_("The township has a plan of this kind for this year already."),
            )
        ]

    def __str__(self) -> str:
        return self.title

    def audit_place(self) -> tuple[int | None, int | None]:
        return self.township.county_id, self.township_id


class PlanItem(ScopedModel, UUIDModel, TimeStampedModel):
    """One planned piece of work: what, of which category, how many times, by which month."""

    plan = models.ForeignKey(WorkPlan, verbose_name=_("plan"), on_delete=models.CASCADE, related_name="items")
    title = models.CharField(_("planned work"), max_length=200)
    category = models.CharField(_("category"), max_length=20, choices=ActivityCategory.choices, blank=True)
    target_count = models.PositiveSmallIntegerField(_("times planned"), default=1)
    due_month = models.PositiveSmallIntegerField(_("by month"), null=True, blank=True)
    notes = models.CharField(_("notes"), max_length=300, blank=True)
    order = models.PositiveSmallIntegerField(_("order"), default=0)

    scope = Scope(county="plan__township__county", township="plan__township", editors=ACTIVITY_EDITORS)

    class Meta:
        verbose_name = _("plan item")
        verbose_name_plural = _("plan items")
        ordering = ["plan", "order", "id"]

    def __str__(self) -> str:
        return self.title

    def audit_place(self) -> tuple[int | None, int | None]:
        return self.plan.audit_place()
