"""人大代表之声: the county's periodic digest of deputies' suggestions and citizens' opinions for the
county leaders. County staff compile an issue from cases across townships, each with a summary;
once issued (a Word document in the official layout) it is fixed, except by a recorded correction,
and each leader's written instruction (批示) on an item is recorded and shown on the case."""

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from renda.core.locking import VersionedModel
from renda.core.models import TimeStampedModel, UUIDModel
from renda.core.scopes import Scope, ScopedModel

from .cases import COUNTY_EDITORS, Case

# A digest is the county's: county administrators compile it, county leaders read it. Its items and
# the leaders' feedback also belong to the township of their case, whose staff see them on the case.
DIGEST_SCOPE = Scope(county="county", editors=COUNTY_EDITORS)
ITEM_SCOPE = Scope(county="digest__county", township="case__township", editors=COUNTY_EDITORS)
FEEDBACK_SCOPE = Scope(county="item__digest__county", township="item__case__township", editors=COUNTY_EDITORS)


class DigestState(models.TextChoices):
    DRAFT = "draft", _("Draft")
    ISSUED = "issued", _("Issued")


# The digest's usual name, given to a new one whose compiler leaves the title empty.
DEFAULT_DIGEST_TITLE = "人大代表之声"


class Digest(ScopedModel, UUIDModel, TimeStampedModel, VersionedModel):
    county = models.ForeignKey(
        "organisations.County", verbose_name=_("county"), on_delete=models.PROTECT, related_name="case_digests"
    )
    year = models.PositiveSmallIntegerField(_("year"))
    number = models.PositiveSmallIntegerField(_("issue number"))
    period_start = models.DateField(_("period from"))
    period_end = models.DateField(_("period to"))
    title = models.CharField(_("title"), max_length=60, default=DEFAULT_DIGEST_TITLE)
    foreword = models.TextField(_("foreword"), max_length=2000, blank=True)
    state = models.CharField(_("state"), max_length=10, choices=DigestState.choices, default=DigestState.DRAFT)
    issued_on = models.DateField(_("issued on"), null=True, blank=True)
    issued_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )

    scope = DIGEST_SCOPE

    class Meta:
        ordering = ["-year", "-number"]
        verbose_name = _("digest")
        verbose_name_plural = _("digests")
        constraints = [models.UniqueConstraint(fields=["county", "year", "number"], name="digest_unique_number")]

    def __str__(self) -> str:
        return f"{self.title} {self.year}-{self.number}"

    @property
    def is_issued(self) -> bool:
        return self.state == DigestState.ISSUED

    @property
    def issue_label(self) -> str:
        """As the masthead prints it: 2026年第3期."""
        return f"{self.year}年第{self.number}期"


class DigestItem(ScopedModel, UUIDModel):
    digest = models.ForeignKey(Digest, on_delete=models.CASCADE, related_name="items")
    case = models.ForeignKey(Case, verbose_name=_("case"), on_delete=models.PROTECT, related_name="digest_items")
    order = models.PositiveSmallIntegerField(_("order"), default=0)
    heading = models.CharField(_("heading"), max_length=120)
    summary = models.TextField(_("summary"), max_length=3000)

    scope = ITEM_SCOPE

    class Meta:
        ordering = ["digest", "order", "id"]
        verbose_name = _("digest item")
        verbose_name_plural = _("digest items")
        constraints = [models.UniqueConstraint(fields=["digest", "case"], name="digest_item_case_once")]

    def __str__(self) -> str:
        return self.heading


class DigestFeedback(ScopedModel, UUIDModel):
    """A leader's written instruction (批示) on one item, as the office received it."""

    item = models.ForeignKey(DigestItem, on_delete=models.CASCADE, related_name="feedback")
    leader_name = models.CharField(_("leader"), max_length=50)
    given_on = models.DateField(_("date of the instruction"))
    text = models.TextField(_("instruction"), max_length=3000)
    marked_key = models.BooleanField(_("made a case of key supervision"), default=False)
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    recorded_at = models.DateTimeField(_("recorded at"))

    scope = FEEDBACK_SCOPE

    class Meta:
        ordering = ["given_on", "id"]
        verbose_name = _("leader's instruction")
        verbose_name_plural = _("leaders' instructions")

    def __str__(self) -> str:
        return f"{self.leader_name}：{self.text[:20]}"


class DigestCorrection(ScopedModel):
    """A change to an issued digest, with its reason: the issued text is not edited silently."""

    digest = models.ForeignKey(Digest, on_delete=models.CASCADE, related_name="corrections")
    item = models.ForeignKey(DigestItem, null=True, blank=True, on_delete=models.SET_NULL, related_name="+")
    field = models.CharField(_("field"), max_length=30)
    before = models.TextField(_("before"), blank=True)
    after = models.TextField(_("after"), blank=True)
    reason = models.TextField(_("reason"), max_length=1000)
    corrected_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    corrected_at = models.DateTimeField(_("corrected at"))

    scope = Scope(county="digest__county", editors=COUNTY_EDITORS)

    class Meta:
        ordering = ["corrected_at", "id"]
        verbose_name = _("digest correction")
        verbose_name_plural = _("digest corrections")

    def __str__(self) -> str:
        return f"{self.digest} {self.field}"
