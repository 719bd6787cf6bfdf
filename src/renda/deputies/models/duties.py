"""Other duties a deputy performed (training attended, an article published, an award…), recorded
by staff with their evidence. Each kind of duty is a kind of record of its own, so the county's
point rules decide, kind by kind, what it counts for."""

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from renda.core.models import TimeStampedModel, UUIDModel
from renda.core.scopes import ScopedModel

from .people import MANDATE_RECORD_SCOPE, Mandate


class DutyKind(models.TextChoices):
    TRAINING = "training", _("Training attended")
    ARTICLE = "article", _("Article or research report published")
    AWARD = "award", _("Award or commendation received")
    DONATION = "donation", _("Public welfare or donation")
    OTHER = "other", _("Other duty")


class DutyRecord(ScopedModel, UUIDModel, TimeStampedModel):
    """One other duty of one mandate, on one date, with the evidence staff saw."""

    mandate = models.ForeignKey(Mandate, verbose_name=_("deputy"), on_delete=models.CASCADE, related_name="duties")
    kind = models.CharField(_("kind of duty"), max_length=20, choices=DutyKind.choices)
    date = models.DateField(_("date"))
    title = models.CharField(_("what was done"), max_length=200)
    evidence = models.TextField(
        _("evidence"),
        max_length=1000,
        help_text=_("What proves it: a certificate, the publication and issue, the organiser's notice…"),
    )
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )

    scope = MANDATE_RECORD_SCOPE

    class Meta:
        verbose_name = _("other duty")
        verbose_name_plural = _("other duties")
        ordering = ["-date", "-created_at"]
        indexes = [models.Index(fields=["mandate", "kind", "date"], name="duty_mandate_kind_date")]

    def __str__(self) -> str:
        return self.title

    def audit_place(self) -> tuple[int | None, int | None]:
        return self.mandate.person.audit_place()
