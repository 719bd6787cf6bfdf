"""Forms of the activity pages: the list's filters, planning (a township's activity, the county's
joint activity across townships), changing and cancelling the plan, inviting deputies, the notice,
recording the activity held, the minutes and a deputy's leave. They parse what was typed; the rules
are the services', whose refusals are put back on these forms."""

from __future__ import annotations

from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from renda.core.forms import StyledForm
from renda.core.locking import VersionedFormMixin
from renda.deputies.models import Mandate
from renda.organisations.models import DeputyGroup, Station, Township

from .models import ActivityCategory, ActivityState, ActivityType

MONTHS = [(month, _("Month %(month)s") % {"month": month}) for month in range(1, 13)]


def _datetime_input() -> forms.DateTimeInput:
    return forms.DateTimeInput(attrs={"type": "datetime-local"}, format="%Y-%m-%dT%H:%M")


def _mandate_label(mandate: Mandate) -> str:
    return f"{mandate.person.full_name} · {mandate.person.township.name}"


class ActivityFilterForm(StyledForm):
    township = forms.ModelChoiceField(
        label=_("Township"),
        queryset=Township.objects.none(),
        required=False,
        to_field_name="uuid",
        empty_label=_("Any township"),
    )
    category = forms.ChoiceField(
        label=_("Category"), choices=[("", _("Any category")), *ActivityCategory.choices], required=False
    )
    type = forms.ModelChoiceField(
        label=_("Type"),
        queryset=ActivityType.objects.none(),
        required=False,
        to_field_name="uuid",
        empty_label=_("Any type"),
    )
    state = forms.ChoiceField(label=_("State"), choices=[("", _("Any state")), *ActivityState.choices], required=False)
    year = forms.TypedChoiceField(label=_("Year"), coerce=int, required=False, empty_value=None)
    month = forms.TypedChoiceField(
        label=_("Month"), coerce=int, required=False, empty_value=None, choices=[("", _("Any month")), *MONTHS]
    )
    group = forms.ModelChoiceField(
        label=_("Deputy group"),
        queryset=DeputyGroup.objects.none(),
        required=False,
        to_field_name="uuid",
        empty_label=_("Any group"),
    )

    def __init__(self, *args: Any, townships, types, groups, years, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["township"].queryset = townships  # type: ignore[attr-defined]
        self.fields["type"].queryset = types  # type: ignore[attr-defined]
        self.fields["group"].queryset = groups  # type: ignore[attr-defined]
        self.fields["year"].choices = [("", _("Any year")), *((year, str(year)) for year in years)]  # type: ignore[attr-defined]


class PlanFieldsForm(StyledForm):
    type = forms.ModelChoiceField(
        label=_("Type of activity"), queryset=ActivityType.objects.none(), to_field_name="uuid"
    )
    title = forms.CharField(label=_("Title"), max_length=120)
    purpose = forms.CharField(
        label=_("Purpose and content"), max_length=5000, required=False, widget=forms.Textarea(attrs={"rows": 4})
    )
    starts_at = forms.DateTimeField(label=_("Starts at"), widget=_datetime_input())
    ends_at = forms.DateTimeField(label=_("Ends at"), widget=_datetime_input())
    place = forms.CharField(label=_("Place"), max_length=120)
    organiser = forms.CharField(label=_("Organiser"), max_length=120)
    other_participants = forms.CharField(
        label=_("Other participants"),
        max_length=300,
        required=False,
        help_text=_("Leaders, officials and others taking part who are not deputies."),
    )

    def __init__(self, *args: Any, types, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["type"].queryset = types  # type: ignore[attr-defined]


class TownshipPartsMixin(forms.Form):
    group = forms.ModelChoiceField(
        label=_("Deputy group"),
        queryset=DeputyGroup.objects.none(),
        required=False,
        to_field_name="uuid",
        help_text=_("For a group activity: the group's serving members are invited."),
    )
    station = forms.ModelChoiceField(
        label=_("Station"), queryset=Station.objects.none(), required=False, to_field_name="uuid"
    )

    def set_parts(self, groups, stations) -> None:
        self.fields["group"].queryset = groups  # type: ignore[attr-defined]
        self.fields["station"].queryset = stations  # type: ignore[attr-defined]


class ActivityPlanForm(TownshipPartsMixin, PlanFieldsForm):
    township = forms.ModelChoiceField(label=_("Township"), queryset=Township.objects.none(), to_field_name="uuid")

    field_order = ["township", "type", "title", "purpose", "starts_at", "ends_at", "place", "organiser"]

    def __init__(self, *args: Any, townships, groups, stations, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["township"].queryset = townships  # type: ignore[attr-defined]
        self.set_parts(groups, stations)


class JointPlanForm(PlanFieldsForm):
    townships = forms.ModelMultipleChoiceField(
        label=_("Townships taking part"),
        queryset=Township.objects.none(),
        to_field_name="uuid",
        widget=forms.CheckboxSelectMultiple,
    )

    field_order = ["townships", "type", "title"]

    def __init__(self, *args: Any, townships, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["townships"].queryset = townships  # type: ignore[attr-defined]


class ActivityEditForm(VersionedFormMixin, TownshipPartsMixin, PlanFieldsForm):
    def __init__(self, *args: Any, joint: bool, groups, stations, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        if joint:
            del self.fields["group"], self.fields["station"]
        else:
            self.set_parts(groups, stations)


class CancelForm(VersionedFormMixin, StyledForm):
    reason = forms.CharField(
        label=_("Why is the activity cancelled?"), max_length=300, widget=forms.Textarea(attrs={"rows": 3})
    )


class NoticeForm(VersionedFormMixin, StyledForm):
    text = forms.CharField(
        label=_("Activity notice"),
        max_length=5000,
        widget=forms.Textarea(attrs={"rows": 6}),
        help_text=_("The invited deputies read it on their notice board and on the activity's page."),
    )


class HeldForm(VersionedFormMixin, StyledForm):
    """Only the version travels: a click on a page left open while the plan changed is refused."""


class MinutesForm(VersionedFormMixin, StyledForm):
    minutes = forms.CharField(
        label=_("Minutes"), max_length=50000, required=False, widget=forms.Textarea(attrs={"rows": 10})
    )


class ParticipantsForm(StyledForm):
    mandates = forms.ModelMultipleChoiceField(
        label=_("Invited deputies"),
        queryset=Mandate.objects.none(),
        required=False,
        to_field_name="uuid",
        widget=forms.CheckboxSelectMultiple,
    )

    def __init__(self, *args: Any, choices, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        field = self.fields["mandates"]
        field.queryset = choices  # type: ignore[attr-defined]
        field.label_from_instance = _mandate_label  # type: ignore[attr-defined]


class LeaveRequestForm(StyledForm):
    reason = forms.CharField(label=_("Reason"), max_length=300, widget=forms.Textarea(attrs={"rows": 3}))
