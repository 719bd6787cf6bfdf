from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from renda.core.models import TimeStampedModel, UUIDModel
from renda.core.scopes import Scope, ScopedModel

from .people import DEPUTY_EDITORS, MandateLevel


class ImportStatus(models.TextChoices):
    VALIDATING = "validating", _("Checking the file")
    MAPPING = "mapping", _("Columns to confirm")
    INVALID = "invalid", _("Errors found")
    VALID = "valid", _("Ready to import")
    IMPORTING = "importing", _("Importing")
    DONE = "done", _("Imported")
    FAILED = "failed", _("Failed")
    CANCELLED = "cancelled", _("Cancelled")


class ImportJob(ScopedModel, UUIDModel, TimeStampedModel):
    """One upload of a roster workbook: checked in the background, previewed, then imported whole
    or not at all. The file is kept encrypted only until the import ends or is cancelled."""

    township = models.ForeignKey(
        "organisations.Township", verbose_name=_("township"), on_delete=models.CASCADE, related_name="+"
    )
    term = models.ForeignKey("organisations.Term", verbose_name=_("term"), on_delete=models.CASCADE, related_name="+")
    level = models.CharField(_("level"), max_length=20, choices=MandateLevel.choices)
    filename = models.CharField(_("file"), max_length=200)
    content = models.TextField(blank=True, editable=False)  # encrypted, base64 of the workbook
    status = models.CharField(_("status"), max_length=12, choices=ImportStatus.choices, default=ImportStatus.VALIDATING)
    total_rows = models.PositiveIntegerField(default=0)
    processed_rows = models.PositiveIntegerField(default=0)
    created_rows = models.PositiveIntegerField(default=0)
    # What each column of the file was taken to mean, in the file's order:
    # [{"header": "联系电话", "field": "phone", "by": "auto"}]; field "ignore" is 不导入, "" undecided.
    columns = models.JSONField(default=list, blank=True)
    # [{"row": 5, "serial": "3", "name": "张三", "column": "联系电话", "code": "phone", "message": "…"}]
    errors = models.JSONField(default=list, blank=True)
    preview = models.JSONField(default=list, blank=True)  # the first rows, masked
    message = models.CharField(max_length=300, blank=True)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+")
    finished_at = models.DateTimeField(null=True, blank=True)

    scope = Scope(county="township__county", township="township", readers=DEPUTY_EDITORS, editors=DEPUTY_EDITORS)

    class Meta:
        verbose_name = _("roster import")
        verbose_name_plural = _("roster imports")
        ordering = ["-created_at"]

    def __str__(self) -> str:
        return self.filename

    def audit_place(self) -> tuple[int | None, int | None]:
        return self.township.county_id, self.township_id

    @property
    def percent(self) -> int:
        return int(100 * self.processed_rows / self.total_rows) if self.total_rows else 0

    @property
    def unmapped_headers(self) -> list[str]:
        return [column["header"] for column in self.columns if not column["field"]]

    @property
    def can_remap(self) -> bool:
        """The mapping can be corrected while the file is kept and the rows are not written."""
        return bool(self.content) and self.status in {ImportStatus.MAPPING, ImportStatus.INVALID, ImportStatus.VALID}

    @property
    def is_running(self) -> bool:
        return self.status in {ImportStatus.VALIDATING, ImportStatus.IMPORTING}
