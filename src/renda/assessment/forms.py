"""Forms of the assessment's schemes and scores. They check the shape of what was typed; the
services check the rules (services.check_indicator, enter_score, adjust, publish)."""

from __future__ import annotations

from datetime import date

from django import forms
from django.utils.translation import gettext_lazy as _

from renda.core.forms import StyledForm, StyledFormMixin
from renda.core.locking import VersionedFormMixin

from . import measures
from .models import Formula, IndicatorKind, Scheme


class SchemeForm(StyledForm):
    year = forms.IntegerField(label=_("Year"), min_value=2000, max_value=2100)
    title = forms.CharField(label=_("Title"), max_length=120)
    notes = forms.CharField(label=_("Notes"), max_length=5000, required=False, widget=forms.Textarea(attrs={"rows": 5}))


class SchemeCopyForm(StyledForm):
    source = forms.ModelChoiceField(
        label=_("Copy the scheme of"), queryset=Scheme.objects.none(), empty_label=None, to_field_name="uuid"
    )
    year = forms.IntegerField(label=_("For the year"), min_value=2000, max_value=2100)
    title = forms.CharField(
        label=_("Title"),
        max_length=120,
        required=False,
        help_text=_("Empty: “<year> assessment of townships”."),
    )

    def __init__(self, *args, schemes=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["source"].queryset = schemes
        self.fields["source"].label_from_instance = lambda scheme: f"{scheme.year} {scheme.title}"


class SchemeEditForm(StyledFormMixin, VersionedFormMixin, forms.Form):
    title = forms.CharField(label=_("Title"), max_length=120)
    notes = forms.CharField(label=_("Notes"), max_length=5000, required=False, widget=forms.Textarea(attrs={"rows": 5}))

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["version"].required = True


class SectionForm(StyledForm):
    name = forms.CharField(label=_("Name"), max_length=80)
    order = forms.IntegerField(label=_("Order"), min_value=0, max_value=999, initial=0, required=False)


class IndicatorForm(StyledForm):
    name = forms.CharField(label=_("Name"), max_length=120)
    guidance = forms.CharField(
        label=_("How it is assessed"), max_length=2000, required=False, widget=forms.Textarea(attrs={"rows": 3})
    )
    order = forms.IntegerField(label=_("Order"), min_value=0, max_value=999, initial=0, required=False)
    max_score = forms.DecimalField(label=_("Maximum score"), min_value=0.1, max_digits=5, decimal_places=1)
    weight = forms.DecimalField(
        label=_("Weight"),
        min_value=0.01,
        max_digits=4,
        decimal_places=2,
        initial=1,
        help_text=_("The points are counted this many times in the total."),
    )
    kind = forms.ChoiceField(label=_("Rule"), choices=IndicatorKind.choices, widget=forms.RadioSelect)
    is_bonus = forms.BooleanField(label=_("Bonus on top of 100"), required=False)
    measure = forms.ChoiceField(label=_("Measure"), required=False)
    formula = forms.ChoiceField(label=_("Formula"), choices=[("", "---------"), *Formula.choices], required=False)
    full_at = forms.DecimalField(label=_("Full marks at"), required=False, max_digits=9, decimal_places=2)
    zero_at = forms.DecimalField(
        label=_("No marks at"),
        required=False,
        help_text=_("Below the full-marks figure when more is better, above it when less is better."),
        max_digits=9,
        decimal_places=2,
    )
    per_unit = forms.DecimalField(label=_("Points per unit"), required=False, max_digits=6, decimal_places=2)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["measure"].choices = [("", "---------"), *measures.choices()]

    def clean_order(self):
        return self.cleaned_data.get("order") or 0


class PeriodForm(StyledForm):
    """The day the scores are counted up to, within the scheme's year (the year to date when empty)."""

    end = forms.DateField(label=_("Counted up to"), required=False, widget=forms.DateInput(attrs={"type": "date"}))

    def __init__(self, *args, year: int, **kwargs):
        super().__init__(*args, **kwargs)
        self.year = year

    def clean_end(self):
        end = self.cleaned_data.get("end")
        if end is not None and not date(self.year, 1, 1) <= end <= date(self.year, 12, 31):
            raise forms.ValidationError(
                _("Choose a day in %(year)s, the scheme's year.") % {"year": self.year}, code="outside"
            )
        return end

    def chosen_end(self, today: date) -> date:
        """The day asked for, or today (the year to date) when none or a wrong one was given."""
        data = self.cleaned_data if self.is_bound and self.is_valid() else {}
        return data.get("end") or today


class EnterScoreForm(StyledForm):
    points = forms.DecimalField(label=_("Points"), max_digits=5, decimal_places=1)
    evidence = forms.CharField(
        label=_("Evidence"),
        max_length=5000,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_("What the points rest on: the field check's findings, the work recognised."),
    )


class AdjustForm(StyledForm):
    points = forms.DecimalField(
        label=_("Points added or taken"),
        max_digits=5,
        decimal_places=1,
        help_text=_("Negative to take points."),
    )
    reason = forms.CharField(label=_("Reason"), max_length=300)


class PublishForm(StyledFormMixin, VersionedFormMixin, forms.Form):
    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["version"].required = True
