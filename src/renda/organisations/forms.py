from datetime import date
from typing import cast

from django import forms
from django.utils.translation import gettext_lazy as _

from renda.core.forms import StyledForm, StyledModelForm
from renda.core.locking import VersionedFormMixin

from . import divisions
from .models import Agency, DeputyGroup, Station, Term, Township


class TownshipForm(VersionedFormMixin, StyledModelForm):
    class Meta:
        model = Township
        fields = ["name", "kind", "division_code", "address"]
        parent_fields = ["county"]


class StationForm(VersionedFormMixin, StyledModelForm):
    class Meta:
        model = Station
        fields = ["name", "kind", "address", "reception_schedule"]
        parent_fields = ["township"]


class DeputyGroupForm(VersionedFormMixin, StyledModelForm):
    class Meta:
        model = DeputyGroup
        fields = ["name", "station"]
        parent_fields = ["township"]

    def __init__(self, *args, township: Township, **kwargs):
        super().__init__(*args, **kwargs)
        cast(forms.ModelChoiceField, self.fields["station"]).queryset = township.stations.filter(is_active=True)


class AgencyForm(VersionedFormMixin, StyledModelForm):
    class Meta:
        model = Agency
        fields = ["name", "kind", "township", "contact_name", "contact_phone"]
        parent_fields = ["county", "township"]

    def __init__(self, *args, townships, fixed_township: Township | None, **kwargs):
        super().__init__(*args, **kwargs)
        if fixed_township is not None:
            # Township staff add agencies of their own township only.
            del self.fields["township"]
            self.instance.township = fixed_township
        else:
            cast(forms.ModelChoiceField, self.fields["township"]).queryset = townships


class TermForm(StyledModelForm):
    class Meta:
        model = Term
        # The congress's size (population, a figure the county fixed) is recorded with the term.
        fields = ["number", "starts_on", "ends_on", "population", "fixed_seats"]
        parent_fields = ["county", "township"]
        widgets = {
            "starts_on": forms.DateInput(attrs={"type": "date"}),
            "ends_on": forms.DateInput(attrs={"type": "date"}),
        }

    def clean(self):
        cleaned = super().clean()
        starts_on, ends_on = cleaned.get("starts_on"), cleaned.get("ends_on")
        if starts_on and ends_on and ends_on <= starts_on:
            self.add_error("ends_on", _("The term must end after it starts."))
        return cleaned


class CountyDivisionForm(StyledForm):
    division_code = forms.RegexField(
        label=_("County division code"),
        regex=r"^\d{6}$",
        error_messages={"invalid": _("Enter the six-digit division code, e.g. 420802.")},
    )

    def clean_division_code(self):
        code = self.cleaned_data["division_code"]
        try:
            known = divisions.county(code) is not None
        except divisions.DivisionDataMissing as exc:
            raise forms.ValidationError(_("The division code data is not installed.")) from exc
        if not known:
            raise forms.ValidationError(_("No county has the division code %(code)s."), params={"code": code})
        return code


class TermDefaultsForm(StyledForm):
    """What most congresses share at an election (换届): rows left blank take these."""

    number = forms.IntegerField(label=_("term number"), min_value=1, max_value=99, required=False)
    starts_on = forms.DateField(label=_("starts on"), required=False, widget=forms.DateInput(attrs={"type": "date"}))
    ends_on = forms.DateField(label=_("ends on"), required=False, widget=forms.DateInput(attrs={"type": "date"}))


class TermRowForm(TermDefaultsForm):
    """One congress's row in the county's one-form term setting; unticked rows are ignored."""

    include = forms.BooleanField(label=_("Record this term"), required=False)


class BaseTermRowFormSet(forms.BaseFormSet):
    """Rows take what they leave blank from ``defaults`` (a validated TermDefaultsForm)."""

    def __init__(self, *args, defaults: TermDefaultsForm, **kwargs):
        self.defaults = defaults
        super().__init__(*args, **kwargs)

    def clean(self):
        super().clean()
        if any(self.errors) or not self.defaults.is_valid():
            return
        shared = self.defaults.cleaned_data
        self.plans: list[tuple[int, int, date, date]] = []
        for index, form in enumerate(self.forms):
            row = form.cleaned_data
            if not row.get("include"):
                continue
            values = {name: row.get(name) or shared.get(name) for name in ("number", "starts_on", "ends_on")}
            for name, value in values.items():
                if value is None:
                    form.add_error(name, _("Fill this in here or in the shared values above."))
            if values["starts_on"] and values["ends_on"] and values["ends_on"] <= values["starts_on"]:
                form.add_error("ends_on", _("The term must end after it starts."))
            if not form.errors:
                self.plans.append((index, values["number"], values["starts_on"], values["ends_on"]))
        if any(self.errors):
            raise forms.ValidationError(_("Some rows need correcting."))
        if not self.plans:
            raise forms.ValidationError(_("Tick at least one congress."))


TermRowFormSet = forms.formset_factory(TermRowForm, formset=BaseTermRowFormSet, extra=0)


class TownshipTermsSettingForm(StyledForm):
    townships_register_terms = forms.BooleanField(
        label=_("Township staff may record their own township's terms"), required=False
    )
