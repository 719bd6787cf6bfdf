"""The dashboards' year selector."""

from __future__ import annotations

from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from renda.core.forms import StyledForm


class DashboardYearForm(StyledForm):
    year = forms.IntegerField(label=_("Year"), min_value=2000, max_value=2100, required=False)

    def chosen_year(self) -> int:
        """The year asked for, or this year when none (or a wrong one) was given."""
        data = self.cleaned_data if self.is_bound and self.is_valid() else {}
        return data.get("year") or timezone.localdate().year
