"""Forms of the meetings' reports area: the compliance view's year and the minutes."""

from __future__ import annotations

from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from renda.core.forms import StyledForm, StyledFormMixin
from renda.core.locking import VersionedFormMixin


class ComplianceForm(StyledForm):
    year = forms.IntegerField(label=_("Year"), min_value=2000, max_value=2100, required=False)

    def chosen_year(self) -> int:
        """The year asked for, or this year when none (or a wrong one) was given."""
        data = self.cleaned_data if self.is_bound and self.is_valid() else {}
        return data.get("year") or timezone.localdate().year


class MinutesForm(StyledFormMixin, VersionedFormMixin, forms.Form):
    minutes = forms.CharField(
        label=_("Minutes"),
        max_length=50000,
        required=False,
        widget=forms.Textarea(attrs={"rows": 16}),
        help_text=_(
            "What was said and decided, item by item. The votes and resolutions are listed below from the records."
        ),
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        # The page the user edits from carries the meeting's version: an edit made in between is refused.
        self.fields["version"].required = True
