"""The county's annual assessment of townships (domain.md §9).

A scheme per county and year holds sections of indicators. An indicator is worth up to its maximum
score, counted ``weight`` times, and is either **computed** from a measure the platform holds
(``measures.py``) through a formula with thresholds (``rules.achievement``), or **entered** by
county staff with evidence (field checks, 特色亮点). Bonus indicators come on top of 100. County
staff may adjust any township's points on an indicator with a recorded reason. Publishing stores
each township's result (``Result``) and freezes the scheme: later changes to the records no longer
move a published score, and last year's scheme is copied, not edited, for the next.

Year documents are the county's guidance (指导意见) to townships, and each township's work plan and
year-end summary, linked from the dashboards.
"""

from __future__ import annotations

from decimal import Decimal

from django.conf import settings
from django.core.validators import MinValueValidator
from django.db import models
from django.utils.translation import gettext_lazy as _

from renda.core.locking import VersionedModel
from renda.core.models import TimeStampedModel, UUIDModel
from renda.core.roles import Role
from renda.core.scopes import Scope, ScopedModel

# The county office runs the assessment; townships read their own part.
ASSESSMENT_EDITORS = frozenset({Role.COUNTY_ADMIN})
DOCUMENT_EDITORS = frozenset({Role.COUNTY_ADMIN, Role.TOWNSHIP_STAFF})


class SchemeState(models.TextChoices):
    DRAFT = "draft", _("Draft")
    PUBLISHED = "published", _("Results published")


class Scheme(ScopedModel, UUIDModel, TimeStampedModel, VersionedModel):
    county = models.ForeignKey(
        "organisations.County", verbose_name=_("county"), on_delete=models.PROTECT, related_name="assessment_schemes"
    )
    year = models.PositiveSmallIntegerField(_("year"))
    title = models.CharField(_("title"), max_length=120)
    notes = models.TextField(_("notes"), blank=True, max_length=5000)
    state = models.CharField(_("state"), max_length=20, choices=SchemeState.choices, default=SchemeState.DRAFT)
    published_at = models.DateTimeField(_("published at"), null=True, blank=True)
    published_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    copied_from = models.ForeignKey(
        "self", verbose_name=_("copied from"), null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )

    # Townships read the scheme they are assessed on (the path through the county's townships).
    scope = Scope(county="county", township="county__townships", editors=ASSESSMENT_EDITORS)

    class Meta:
        verbose_name = _("assessment scheme")
        verbose_name_plural = _("assessment schemes")
        ordering = ["county", "-year"]
        constraints = [
            models.UniqueConstraint(
                fields=["county", "year"],
                name="assessment_scheme_once_a_year",
                violation_error_message=_("The county has an assessment scheme for this year already."),
            )
        ]

    def __str__(self) -> str:
        return self.title

    @property
    def is_published(self) -> bool:
        return self.state == SchemeState.PUBLISHED

    def audit_place(self) -> tuple[int | None, int | None]:
        return self.county_id, None


class Section(ScopedModel, UUIDModel):
    scheme = models.ForeignKey(Scheme, verbose_name=_("scheme"), on_delete=models.CASCADE, related_name="sections")
    name = models.CharField(_("name"), max_length=80)
    order = models.PositiveSmallIntegerField(_("order"), default=0)

    scope = Scope(county="scheme__county", township="scheme__county__townships", editors=ASSESSMENT_EDITORS)

    class Meta:
        verbose_name = _("section")
        verbose_name_plural = _("sections")
        ordering = ["scheme", "order", "id"]

    def __str__(self) -> str:
        return self.name

    def audit_place(self) -> tuple[int | None, int | None]:
        return self.scheme.county_id, None


class IndicatorKind(models.TextChoices):
    COMPUTED = "computed", _("Computed from the records")
    ENTERED = "entered", _("Entered by the county")


class Formula(models.TextChoices):
    LINEAR = "linear", _("In proportion between the two thresholds")
    STEP = "step", _("Full marks once the threshold is reached")
    PER_UNIT = "per_unit", _("Points for each unit, up to the maximum")


class Indicator(ScopedModel, UUIDModel):
    section = models.ForeignKey(Section, verbose_name=_("section"), on_delete=models.CASCADE, related_name="indicators")
    name = models.CharField(_("name"), max_length=120)
    guidance = models.TextField(_("how it is assessed"), blank=True, max_length=2000)
    order = models.PositiveSmallIntegerField(_("order"), default=0)
    max_score = models.DecimalField(
        _("maximum score"), max_digits=5, decimal_places=1, validators=[MinValueValidator(Decimal("0.1"))]
    )
    weight = models.DecimalField(
        _("weight"),
        max_digits=4,
        decimal_places=2,
        default=Decimal(1),
        validators=[MinValueValidator(Decimal("0.01"))],
        help_text=_("The points are counted this many times in the total."),
    )
    kind = models.CharField(_("rule"), max_length=10, choices=IndicatorKind.choices)
    is_bonus = models.BooleanField(_("bonus on top of 100"), default=False)
    measure = models.CharField(_("measure"), max_length=60, blank=True)
    formula = models.CharField(_("formula"), max_length=10, choices=Formula.choices, blank=True)
    full_at = models.DecimalField(_("full marks at"), max_digits=9, decimal_places=2, null=True, blank=True)
    zero_at = models.DecimalField(_("no marks at"), max_digits=9, decimal_places=2, null=True, blank=True)
    per_unit = models.DecimalField(_("points per unit"), max_digits=6, decimal_places=2, null=True, blank=True)

    scope = Scope(
        county="section__scheme__county", township="section__scheme__county__townships", editors=ASSESSMENT_EDITORS
    )

    class Meta:
        verbose_name = _("indicator")
        verbose_name_plural = _("indicators")
        ordering = ["section__order", "section_id", "order", "id"]
        constraints = [
            models.CheckConstraint(
                condition=~models.Q(kind="computed") | ~models.Q(measure=""), name="indicator_computed_has_measure"
            )
        ]

    def __str__(self) -> str:
        return self.name

    @property
    def counted_max(self) -> Decimal:
        return self.max_score * self.weight

    def audit_place(self) -> tuple[int | None, int | None]:
        return self.section.scheme.county_id, None


class EnteredScore(ScopedModel, UUIDModel, TimeStampedModel):
    """Points the county enters for an indicator of the ``entered`` kind, with the evidence."""

    indicator = models.ForeignKey(
        Indicator, verbose_name=_("indicator"), on_delete=models.CASCADE, related_name="entered_scores"
    )
    township = models.ForeignKey(
        "organisations.Township", verbose_name=_("township"), on_delete=models.PROTECT, related_name="+"
    )
    points = models.DecimalField(_("points"), max_digits=5, decimal_places=1)
    evidence = models.TextField(_("evidence"), max_length=5000)
    entered_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )

    scope = Scope(county="township__county", township="township", editors=ASSESSMENT_EDITORS)

    class Meta:
        verbose_name = _("entered score")
        verbose_name_plural = _("entered scores")
        constraints = [
            models.UniqueConstraint(fields=["indicator", "township"], name="entered_score_once_per_township")
        ]

    def audit_place(self) -> tuple[int | None, int | None]:
        return self.township.county_id, self.township_id


class Adjustment(ScopedModel, UUIDModel, TimeStampedModel):
    """Points added to or taken from a township's score on an indicator by the county, with why."""

    indicator = models.ForeignKey(
        Indicator, verbose_name=_("indicator"), on_delete=models.CASCADE, related_name="adjustments"
    )
    township = models.ForeignKey(
        "organisations.Township", verbose_name=_("township"), on_delete=models.PROTECT, related_name="+"
    )
    points = models.DecimalField(_("points added or taken"), max_digits=5, decimal_places=1)
    reason = models.CharField(_("reason"), max_length=300)
    made_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )

    scope = Scope(county="township__county", township="township", editors=ASSESSMENT_EDITORS)

    class Meta:
        verbose_name = _("adjustment")
        verbose_name_plural = _("adjustments")
        ordering = ["created_at", "id"]

    def audit_place(self) -> tuple[int | None, int | None]:
        return self.township.county_id, self.township_id


class Result(ScopedModel, UUIDModel):
    """A township's published result: total, bonus, grade, rank and each indicator's figure and
    points as they stood when the county published (``lines``: indicator uuid → figure, points,
    adjustment)."""

    scheme = models.ForeignKey(Scheme, verbose_name=_("scheme"), on_delete=models.CASCADE, related_name="results")
    township = models.ForeignKey(
        "organisations.Township", verbose_name=_("township"), on_delete=models.PROTECT, related_name="+"
    )
    total = models.DecimalField(_("total"), max_digits=6, decimal_places=1)
    bonus = models.DecimalField(_("bonus"), max_digits=6, decimal_places=1)
    grade = models.CharField(_("grade"), max_length=20)
    rank = models.PositiveSmallIntegerField(_("rank"))
    lines = models.JSONField(_("points per indicator"), default=dict)

    scope = Scope(county="township__county", township="township", editors=ASSESSMENT_EDITORS)

    class Meta:
        verbose_name = _("published result")
        verbose_name_plural = _("published results")
        ordering = ["scheme", "rank", "township__name"]
        constraints = [models.UniqueConstraint(fields=["scheme", "township"], name="result_once_per_township")]

    def audit_place(self) -> tuple[int | None, int | None]:
        return self.township.county_id, self.township_id


class DocumentKind(models.TextChoices):
    GUIDANCE = "guidance", _("County guidance to townships")
    PLAN = "plan", _("Township work plan")
    SUMMARY = "summary", _("Township year-end summary")


class YearDocument(ScopedModel, UUIDModel, TimeStampedModel):
    """The county's yearly guidance (``township`` empty) and each township's plan and summary."""

    county = models.ForeignKey(
        "organisations.County", verbose_name=_("county"), on_delete=models.PROTECT, related_name="+"
    )
    township = models.ForeignKey(
        "organisations.Township",
        verbose_name=_("township"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    year = models.PositiveSmallIntegerField(_("year"))
    kind = models.CharField(_("kind of document"), max_length=10, choices=DocumentKind.choices)
    title = models.CharField(_("title"), max_length=120)
    text = models.TextField(_("text"), blank=True, max_length=50000)
    file = models.FileField(_("file"), upload_to="assessment/%Y/", blank=True, max_length=200)
    file_name = models.CharField(_("file name"), max_length=200, blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )

    # The county's guidance is read in every township (county_wide); a township's own documents by
    # its staff and the county.
    scope = Scope(county="county", township="township", county_wide=True, editors=DOCUMENT_EDITORS)

    class Meta:
        verbose_name = _("year document")
        verbose_name_plural = _("year documents")
        ordering = ["-year", "kind", "township__name"]

    def __str__(self) -> str:
        return self.title

    def audit_place(self) -> tuple[int | None, int | None]:
        return self.county_id, self.township_id
