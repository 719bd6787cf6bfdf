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
