"""Publicity (宣传): the townships' work news and deputies' profiles, some of which the county puts
on its public page, and the articles the media published (用稿), which the county confirms and the
annual assessment counts by media level (``RENDA_ARTICLE_POINTS``)."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from renda.core.locking import VersionedModel
from renda.core.models import TimeStampedModel, UUIDModel
from renda.core.roles import Role
from renda.core.scopes import Scope, ScopedModel

PUBLICITY_EDITORS = frozenset({Role.COUNTY_ADMIN, Role.TOWNSHIP_STAFF})


class MediaLevel(models.TextChoices):
    COUNTY = "county", _("County media")
    CITY = "city", _("City media")
    PROVINCIAL = "provincial", _("Provincial media")
    NATIONAL = "national", _("National media")


class ArticleState(models.TextChoices):
    SUBMITTED = "submitted", _("Awaiting confirmation")
    CONFIRMED = "confirmed", _("Confirmed")
    REJECTED = "rejected", _("Rejected")


class NewsKind(models.TextChoices):
    WORK_NEWS = "work_news", _("Work news")
    DEPUTY_PROFILE = "deputy_profile", _("Deputy profile")


class NewsState(models.TextChoices):
    DRAFT = "draft", _("Draft")
    SUBMITTED = "submitted", _("Submitted to the county")
    PUBLIC = "public", _("On the public page")
    WITHDRAWN = "withdrawn", _("Withdrawn from the public page")


class NewsItem(ScopedModel, UUIDModel, TimeStampedModel, VersionedModel):
    """A piece of the township's congress work: news, or a deputy's profile (only with the deputy's
    consent to publish it). The county administrator selects items for the public page."""

    county = models.ForeignKey(
        "organisations.County", verbose_name=_("county"), on_delete=models.PROTECT, related_name="+"
    )
    township = models.ForeignKey(
        "organisations.Township", verbose_name=_("township"), on_delete=models.PROTECT, related_name="news_items"
    )
    kind = models.CharField(_("kind"), max_length=20, choices=NewsKind.choices, default=NewsKind.WORK_NEWS)
    title = models.CharField(_("title"), max_length=120)
    body = models.TextField(_("text"), max_length=20000)
    photo = models.FileField(_("photo"), upload_to="publicity/news/%Y/", blank=True)
    mandate = models.ForeignKey(
        "deputies.Mandate",
        verbose_name=_("deputy"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="news_profiles",
    )
    consent = models.BooleanField(_("the deputy agreed to publish it"), default=False)
    state = models.CharField(_("state"), max_length=20, choices=NewsState.choices, default=NewsState.DRAFT)
    submitted_at = models.DateTimeField(_("submitted at"), null=True, blank=True)
    published_at = models.DateTimeField(_("put on the public page at"), null=True, blank=True)
    sent_to_medium = models.CharField(_("sent to the medium"), max_length=100, blank=True)
    sent_on = models.DateField(_("sent on"), null=True, blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )

    scope = Scope(county="county", township="township", editors=PUBLICITY_EDITORS)

    class Meta:
        verbose_name = _("news item")
        verbose_name_plural = _("news items")
        ordering = ["-created_at", "-id"]
        indexes = [models.Index(fields=["county", "state", "published_at"], name="news_public_page")]

    def __str__(self) -> str:
        return self.title

    def audit_place(self) -> tuple[int | None, int | None]:
        return self.county_id, self.township_id

    @property
    def is_public(self) -> bool:
        return self.state == NewsState.PUBLIC

    @property
    def is_profile(self) -> bool:
        return self.kind == NewsKind.DEPUTY_PROFILE


class Article(ScopedModel, UUIDModel, TimeStampedModel, VersionedModel):
    """An article the media published (用稿): registered by the township, counted once the county
    administrator confirmed it."""

    county = models.ForeignKey(
        "organisations.County", verbose_name=_("county"), on_delete=models.PROTECT, related_name="+"
    )
    township = models.ForeignKey(
        "organisations.Township", verbose_name=_("township"), on_delete=models.PROTECT, related_name="articles"
    )
    title = models.CharField(_("title"), max_length=200)
    medium = models.CharField(_("medium"), max_length=100)
    level = models.CharField(_("media level"), max_length=20, choices=MediaLevel.choices)
    published_on = models.DateField(_("published on"))
    link = models.URLField(_("link"), max_length=500, blank=True)
    scan = models.FileField(_("scan"), upload_to="publicity/articles/%Y/", blank=True)
    scan_name = models.CharField(_("file name"), max_length=200, blank=True)
    state = models.CharField(_("state"), max_length=20, choices=ArticleState.choices, default=ArticleState.SUBMITTED)
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    decided_at = models.DateTimeField(_("decided at"), null=True, blank=True)
    decision_note = models.CharField(_("reason"), max_length=300, blank=True)
    news_item = models.ForeignKey(
        NewsItem,
        verbose_name=_("news item"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="articles",
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )

    scope = Scope(county="county", township="township", editors=PUBLICITY_EDITORS)

    class Meta:
        verbose_name = _("article")
        verbose_name_plural = _("articles")
        ordering = ["-published_on", "-id"]
        indexes = [models.Index(fields=["township", "state", "published_on"], name="article_counted")]

    def __str__(self) -> str:
        return self.title

    def audit_place(self) -> tuple[int | None, int | None]:
        return self.county_id, self.township_id

    @property
    def counts(self) -> bool:
        return self.state == ArticleState.CONFIRMED
