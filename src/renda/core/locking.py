"""Optimistic locking for edits (S37). ``select_for_update`` does nothing on SQLite, so an edit
carries the version it started from and the save succeeds only if nobody saved in between."""

from typing import cast

from django import forms
from django.db import models
from django.db.models import F
from django.utils.translation import gettext_lazy as _


class StaleEdit(Exception):
    """Someone else saved the row after this edit began; the message is shown to the user."""

    message = _("Someone else changed this record while you were editing it. Reload it and apply your change again.")


class VersionedModel(models.Model):
    version = models.PositiveIntegerField(_("version"), default=1, editable=False)

    class Meta:
        abstract = True

    def save_versioned(self, *, expected_version: int, update_fields: list[str]) -> None:
        """Write ``update_fields`` if the row is still at ``expected_version``; raise StaleEdit if not."""
        values = {name: getattr(self, name) for name in update_fields}
        if hasattr(self, "updated_at"):
            updated_at = cast(models.DateTimeField, self._meta.get_field("updated_at"))
            values["updated_at"] = updated_at.pre_save(self, add=False)
        changed = (
            type(self)
            ._default_manager.filter(pk=self.pk, version=expected_version)
            .update(version=F("version") + 1, **values)
        )
        if not changed:
            raise StaleEdit(StaleEdit.message)
        self.version = expected_version + 1


class VersionedFormMixin(forms.Form):
    """Carries the version the user started editing from through the round trip."""

    version = forms.IntegerField(widget=forms.HiddenInput, min_value=1, required=False)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        instance = getattr(self, "instance", None)
        if instance is not None and instance.pk and not self.is_bound:
            self.initial["version"] = instance.version
