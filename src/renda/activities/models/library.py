"""The study library (学习资料): laws (宪法、监督法、代表法、地方组织法…), the county's rules and
study documents, and each township's work rules (学习、会议、视察、联系选民… 制度) kept as documents.
County documents are read in every township; a township's own only there."""

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from renda.core.models import TimeStampedModel, UUIDModel
from renda.core.roles import Role
from renda.core.scopes import Scope, ScopedModel, Via

from .activities import ACTIVITY_EDITORS


class LibraryCategory(models.TextChoices):
    LAW = "law", _("Laws and regulations")
    WORK_RULE = "work_rule", _("Work rules")
    STUDY = "study", _("Study material")
    TRAINING = "training", _("Training material")


class LibraryDocument(ScopedModel, UUIDModel, TimeStampedModel):
    county = models.ForeignKey(
        "organisations.County", verbose_name=_("county"), on_delete=models.CASCADE, related_name="library_documents"
    )
    township = models.ForeignKey(
        "organisations.Township",
        verbose_name=_("township"),
        null=True,
        blank=True,
        on_delete=models.CASCADE,
        related_name="library_documents",
        help_text=_("Empty for the county's documents, read in every township."),
    )
    category = models.CharField(_("category"), max_length=20, choices=LibraryCategory.choices)
    title = models.CharField(_("title"), max_length=200)
    issuer = models.CharField(_("issued by"), max_length=120, blank=True)
    issued_on = models.DateField(_("issued or revised on"), null=True, blank=True)
    summary = models.TextField(_("summary or text"), blank=True, max_length=100000)
    file = models.FileField(_("file"), upload_to="library/%Y/", blank=True)
    file_name = models.CharField(_("file name"), max_length=200, blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )

    scope = Scope(
        county="county",
        township="township",
        county_wide=True,
        # Deputies read the library too: their township's documents and the county's (no migration:
        # the scope is declared, not stored).
        owner=(
            "township__people__user",
            Via("county__townships__people__user", where=Q(township__isnull=True)),
        ),
        editors=frozenset(ACTIVITY_EDITORS | {Role.COUNTY_ADMIN}),
    )

    class Meta:
        verbose_name = _("library document")
        verbose_name_plural = _("library documents")
        ordering = ["category", "title", "id"]

    def __str__(self) -> str:
        return self.title

    def audit_place(self) -> tuple[int | None, int | None]:
        return self.county_id, self.township_id
