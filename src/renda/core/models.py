import uuid

from django.db import models
from django.utils.translation import gettext_lazy as _


class UUIDModel(models.Model):
    """Rows are addressed by a random UUID in URLs and the API, never by their sequential id."""

    uuid = models.UUIDField(_("identifier"), default=uuid.uuid4, unique=True, editable=False)

    class Meta:
        abstract = True


class TimeStampedModel(models.Model):
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)
    updated_at = models.DateTimeField(_("updated at"), auto_now=True)

    class Meta:
        abstract = True


class SubmissionReceipt(models.Model):
    """One row per accepted one-time form token: a retry finds it and gets the same result."""

    nonce = models.CharField(max_length=40, unique=True)
    result = models.CharField(max_length=100)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("submission receipt")
        verbose_name_plural = _("submission receipts")

    def __str__(self) -> str:
        return self.result


class CalendarDay(TimeStampedModel):
    """One day of a year's State Council holiday notice as an administrator entered it.

    The entered days of a year replace the ``holidays`` library's data for that whole year (see
    ``core.workdays``): a notice is the complete arrangement for its year, and mixing it with the
    library's estimate would keep estimated days off that the notice does not grant.
    """

    class Kind(models.TextChoices):
        HOLIDAY = "holiday", _("Holiday")
        WORKING_DAY = "working_day", _("Make-up working day")

    date = models.DateField(_("date"), unique=True)
    kind = models.CharField(_("kind"), max_length=20, choices=Kind.choices)
    name = models.CharField(_("name"), max_length=50)

    class Meta:
        ordering = ["date"]
        verbose_name = _("calendar day")
        verbose_name_plural = _("calendar days")

    def __str__(self) -> str:
        return f"{self.date.isoformat()} {self.name}"
