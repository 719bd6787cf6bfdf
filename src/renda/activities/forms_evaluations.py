"""Forms of the evaluations pages; the rules are in the services, the forms only read input."""

from __future__ import annotations

from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from renda.core.forms import StyledForm
from renda.deputies.models import Mandate
from renda.meetings.models import Meeting
from renda.organisations.models import Agency, Township

from .models import BallotChoice
from .services_evaluations import PHONE_CHOICES

DATE = forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")


class EvaluationForm(StyledForm):
    township = forms.ModelChoiceField(label=_("Township"), queryset=Township.objects.none())
    year = forms.IntegerField(label=_("Year"), min_value=2000, max_value=2100)
    title = forms.CharField(label=_("Title"), max_length=120)
    decided_at = forms.ModelChoiceField(
        label=_("Decided at the presidium meeting"), queryset=Meeting.objects.none(), required=False
    )

    def __init__(self, *args: Any, townships: Any, meetings: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["township"].queryset = townships  # type: ignore[attr-defined]
        self.fields["decided_at"].queryset = meetings  # type: ignore[attr-defined]


class UnitsForm(StyledForm):
    agencies = forms.ModelMultipleChoiceField(
        label=_("Units to evaluate"), queryset=Agency.objects.none(), widget=forms.CheckboxSelectMultiple
    )

    def __init__(self, *args: Any, agencies: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["agencies"].queryset = agencies  # type: ignore[attr-defined]


class MeetingDateForm(StyledForm):
    meeting_on = forms.DateField(label=_("Evaluation meeting on"), widget=DATE)


class UnitForm(StyledForm):
    survey_findings = forms.CharField(
        label=_("Survey findings"), widget=forms.Textarea(attrs={"rows": 4}), required=False, max_length=10000
    )
    demands = forms.CharField(
        label=_("Rectification demands"), widget=forms.Textarea(attrs={"rows": 3}), required=False, max_length=10000
    )
    report_summary = forms.CharField(
        label=_("The unit's report (述职)"), widget=forms.Textarea(attrs={"rows": 3}), required=False, max_length=10000
    )


class VoteForm(StyledForm):
    """One choice per unit of the round; the field of a unit is ``unit_<pk>``."""

    def __init__(self, *args: Any, units: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        choices = [(c.value, c.label) for c in PHONE_CHOICES]
        for unit in units:
            self.fields[f"unit_{unit.pk}"] = forms.ChoiceField(
                label=unit.agency.name, choices=choices, widget=forms.RadioSelect
            )

    def choices(self) -> dict[int, str]:
        return {int(name[5:]): value for name, value in self.cleaned_data.items() if name.startswith("unit_")}


class PaperForm(StyledForm):
    """A batch of paper ballots: the deputies who handed one in and the counts per unit."""

    mandates = forms.ModelMultipleChoiceField(
        label=_("Deputies who handed in a paper ballot"),
        queryset=Mandate.objects.none(),
        widget=forms.CheckboxSelectMultiple,
    )

    def __init__(self, *args: Any, mandates: Any, units: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["mandates"].queryset = mandates  # type: ignore[attr-defined]
        self.fields["mandates"].label_from_instance = lambda m: str(m.person)  # type: ignore[attr-defined]
        self.units = list(units)
        for unit in self.units:
            for choice in BallotChoice:
                self.fields[f"unit_{unit.pk}_{choice.value}"] = forms.IntegerField(
                    label=f"{unit.agency.name} · {choice.label}", min_value=0, max_value=10000, initial=0
                )

    def unit_rows(self) -> list[tuple[Any, list[Any]]]:
        return [(unit, [self[f"unit_{unit.pk}_{c.value}"] for c in BallotChoice]) for unit in self.units]

    def counts(self) -> dict[int, dict[str, int]]:
        return {
            unit.pk: {c.value: self.cleaned_data.get(f"unit_{unit.pk}_{c.value}") or 0 for c in BallotChoice}
            for unit in self.units
        }


class RectificationForm(StyledForm):
    demand = forms.CharField(
        label=_("What must be rectified"), widget=forms.Textarea(attrs={"rows": 2}), max_length=5000
    )
    deadline = forms.DateField(
        label=_("Deadline"),
        widget=DATE,
        required=False,
        help_text=_("Leave empty for the usual number of working days."),
    )


class ProgressForm(StyledForm):
    text = forms.CharField(label=_("Progress"), widget=forms.Textarea(attrs={"rows": 3}), max_length=5000)
    completes = forms.BooleanField(label=_("Rectification completed"), required=False)
