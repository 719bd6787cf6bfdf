"""Forms of the annual plans, the study library and the groups' frequency. They check the shape of
what was typed; the services check the rules."""

from __future__ import annotations

from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from renda.core.forms import StyledForm, StyledFormMixin
from renda.core.locking import VersionedFormMixin
from renda.meetings.models import Meeting
from renda.organisations.models import Township

from .models import Activity, ActivityCategory, LibraryCategory, PlanKind


class YearForm(StyledForm):
    year = forms.IntegerField(label=_("Year"), min_value=2000, max_value=2100, required=False)

    def chosen_year(self) -> int:
        """The year asked for, or this year when none (or a wrong one) was given."""
        data = self.cleaned_data if self.is_bound and self.is_valid() else {}
        return data.get("year") or timezone.localdate().year


class PlanForm(StyledForm):
    township = forms.ModelChoiceField(
        label=_("Township"), queryset=Township.objects.none(), empty_label=None, to_field_name="uuid"
    )
    year = forms.IntegerField(label=_("Year"), min_value=2000, max_value=2100)
    kind = forms.ChoiceField(label=_("Kind of plan"), choices=PlanKind.choices)
    title = forms.CharField(label=_("Title"), max_length=120)
    text = forms.CharField(label=_("Text"), max_length=50000, required=False, widget=forms.Textarea(attrs={"rows": 10}))

    def __init__(self, *args, townships=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["township"].queryset = townships


class PlanTextForm(StyledFormMixin, VersionedFormMixin, forms.Form):
    title = forms.CharField(label=_("Title"), max_length=120)
    text = forms.CharField(label=_("Text"), max_length=50000, required=False, widget=forms.Textarea(attrs={"rows": 14}))

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["version"].required = True


class PlanItemForm(StyledForm):
    title = forms.CharField(label=_("Planned work"), max_length=200)
    category = forms.ChoiceField(
        label=_("Category"), choices=[("", _("(any)")), *ActivityCategory.choices], required=False
    )
    target_count = forms.IntegerField(label=_("Times planned"), min_value=1, max_value=999, initial=1)
    due_month = forms.IntegerField(
        label=_("By month"),
        min_value=1,
        max_value=12,
        required=False,
        help_text=_("1 to 12; empty for the whole year."),
    )
    notes = forms.CharField(label=_("Notes"), max_length=300, required=False)


class ApproveForm(StyledFormMixin, VersionedFormMixin, forms.Form):
    meeting = forms.ModelChoiceField(
        label=_("Approved at the presidium meeting"), queryset=Meeting.objects.none(), to_field_name="uuid"
    )

    def __init__(self, *args, meetings=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["meeting"].queryset = meetings
        self.fields["meeting"].label_from_instance = lambda meeting: f"{meeting.name}（{meeting.date:%Y-%m-%d}）"
        self.fields["version"].required = True


class ReviseForm(StyledFormMixin, VersionedFormMixin, forms.Form):
    reason = forms.CharField(label=_("Reason"), max_length=300)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["version"].required = True


class LinkForm(StyledForm):
    activity = forms.ModelChoiceField(label=_("Activity"), queryset=Activity.objects.none(), to_field_name="uuid")

    def __init__(self, *args, activities=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["activity"].queryset = activities
        self.fields["activity"].label_from_instance = lambda activity: (
            f"{activity.date:%Y-%m-%d} {activity.title}（{activity.get_state_display()}）"
        )


class LibraryFilterForm(StyledForm):
    category = forms.ChoiceField(
        label=_("Category"), choices=[("", _("(all)")), *LibraryCategory.choices], required=False
    )
    q = forms.CharField(label=_("Title contains"), max_length=100, required=False)


class LibraryForm(StyledForm):
    category = forms.ChoiceField(label=_("Category"), choices=LibraryCategory.choices)
    title = forms.CharField(label=_("Title"), max_length=200)
    issuer = forms.CharField(label=_("Issued by"), max_length=120, required=False)
    issued_on = forms.DateField(
        label=_("Issued or revised on"), required=False, widget=forms.DateInput(attrs={"type": "date"})
    )
    summary = forms.CharField(
        label=_("Summary or text"), max_length=100000, required=False, widget=forms.Textarea(attrs={"rows": 10})
    )
    file = forms.FileField(label=_("File"), required=False)
