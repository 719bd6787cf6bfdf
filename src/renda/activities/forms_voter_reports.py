"""Forms of reports to voters: schedule, change the plan, record held, missed or cancelled."""

from __future__ import annotations

from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from renda.core.locking import VersionedFormMixin

from .models import VoterReportState

_DATE = {"class": "form-control", "type": "date"}
_TEXT = {"class": "form-control"}
_NUMBER = {"class": "form-control", "min": 0, "inputmode": "numeric"}


class MandateChoiceField(forms.ModelChoiceField):
    def label_from_instance(self, obj: Any) -> str:
        return f"{obj.person} · {obj.term.township.name}"


class ReportFilterForm(forms.Form):
    state = forms.ChoiceField(
        label=_("state"),
        required=False,
        choices=[("", _("All states")), *VoterReportState.choices],
        widget=forms.Select(attrs={"class": "form-select"}),
    )


class PlanFields(forms.Form):
    scheduled_on = forms.DateField(
        label=_("scheduled on"),
        error_messages={"required": _("Give the date of the report."), "invalid": _("Enter a valid date.")},
        widget=forms.DateInput(attrs=_DATE, format="%Y-%m-%d"),
    )
    place = forms.CharField(
        label=_("place"),
        max_length=120,
        error_messages={"required": _("Give the place of the report."), "max_length": _("The place is too long.")},
        widget=forms.TextInput(attrs=_TEXT),
    )


class ScheduleForm(PlanFields):
    field_order = ["mandate", "scheduled_on", "place"]
    mandate = MandateChoiceField(
        label=_("deputy"),
        queryset=None,
        error_messages={"required": _("Choose the deputy."), "invalid_choice": _("Choose the deputy.")},
        widget=forms.Select(attrs={"class": "form-select"}),
    )

    def __init__(self, *args: Any, mandates: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        field = self.fields["mandate"]
        assert isinstance(field, forms.ModelChoiceField)
        field.queryset = mandates


class EditForm(VersionedFormMixin, PlanFields):
    pass


def _count(label: Any) -> forms.IntegerField:
    return forms.IntegerField(
        label=label,
        min_value=0,
        max_value=100000,
        error_messages={
            "required": _("Enter a number (0 or more)."),
            "invalid": _("Enter a number (0 or more)."),
            "min_value": _("Enter a number (0 or more)."),
            "max_value": _("The number is too large."),
        },
        widget=forms.NumberInput(attrs=_NUMBER),
    )


class HeldForm(VersionedFormMixin, forms.Form):
    held_on = forms.DateField(
        label=_("held on"),
        error_messages={"required": _("Give the date the report was held."), "invalid": _("Enter a valid date.")},
        widget=forms.DateInput(attrs=_DATE, format="%Y-%m-%d"),
    )
    voters_present = _count(_("voters present"))
    satisfied = _count(_("satisfied"))
    basically_satisfied = _count(_("basically satisfied"))
    dissatisfied = _count(_("dissatisfied"))
    summary = forms.CharField(
        label=_("summary of the report and the voters' opinions"),
        required=False,
        max_length=10000,
        error_messages={"max_length": _("The text is too long.")},
        widget=forms.Textarea(attrs={"class": "form-control", "rows": 5}),
    )


class NoteForm(VersionedFormMixin, forms.Form):
    note = forms.CharField(
        label=_("note"),
        max_length=300,
        error_messages={"required": _("Say why."), "max_length": _("The note is too long.")},
        widget=forms.TextInput(attrs=_TEXT),
    )
