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
        self.fields["station"].queryset = township.stations.filter(is_active=True)


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
            self.fields["township"].queryset = townships


class TermForm(StyledModelForm):
    class Meta:
        model = Term
        fields = ["number", "starts_on", "ends_on"]
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
