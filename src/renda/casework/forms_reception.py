"""Forms of the reception-day pages (staff)."""

from django import forms
from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

from renda.core.forms import StyledForm

from .forms import DATE_INPUT
from .models import Recurrence
from .public import PHONE_REFUSED, clean_phone, no_id_number
from .reception import parse_days


class ScheduleForm(StyledForm):
    recurrence = forms.ChoiceField(label=_("Recurrence"), choices=Recurrence.choices)
    days = forms.CharField(
        label=_("Days"),
        max_length=100,
        help_text=_("Weekly: weekdays 1 (Monday) to 7, e.g. 3 for every Wednesday. Monthly: days, e.g. 9,19."),
    )
    place = forms.CharField(
        label=_("Place"), max_length=200, required=False, help_text=_("Empty: the station's address.")
    )
    active_from = forms.DateField(label=_("Active from"), widget=DATE_INPUT)
    active_to = forms.DateField(label=_("Active to"), widget=DATE_INPUT, required=False)

    def clean(self):
        cleaned = super().clean()
        if cleaned.get("recurrence") and cleaned.get("days") is not None:
            try:
                cleaned["days"] = parse_days(cleaned["recurrence"], cleaned["days"])
            except ValidationError as error:
                self.add_error("days", error.message_dict["days"])
        return cleaned


class MandateChoiceField(forms.ModelMultipleChoiceField):
    def label_from_instance(self, obj) -> str:
        return obj.person.full_name


class DayForm(StyledForm):
    date = forms.DateField(label=_("Date"), widget=DATE_INPUT)
    place = forms.CharField(label=_("Place"), max_length=200, required=False)
    deputies = MandateChoiceField(
        label=_("Deputies on duty"), queryset=None, required=False, widget=forms.CheckboxSelectMultiple
    )
    version = forms.IntegerField(widget=forms.HiddenInput, required=False)

    def __init__(self, *args, mandates, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["deputies"].queryset = mandates


class RecordForm(StyledForm):
    summary = forms.CharField(
        label=_("Record of the day"),
        max_length=5000,
        widget=forms.Textarea(attrs={"rows": 5}),
        validators=[no_id_number],
        error_messages={"required": _("Write what happened on the day.")},
    )
    visitors = forms.IntegerField(
        label=_("Number of visitors"), min_value=0, error_messages={"required": _("Give the number of visitors.")}
    )
    version = forms.IntegerField(widget=forms.HiddenInput, required=False)


class CancelForm(StyledForm):
    reason = forms.CharField(label=_("Reason for cancelling"), max_length=200)
    version = forms.IntegerField(widget=forms.HiddenInput, required=False)


class OpinionRowForm(StyledForm):
    """One opinion received on the day. An untouched row of the formset is skipped."""

    title = forms.CharField(label=_("Title"), max_length=120, required=False, validators=[no_id_number])
    content = forms.CharField(
        label=_("Opinion"),
        max_length=5000,
        widget=forms.Textarea(attrs={"rows": 2}),
        validators=[no_id_number],
        error_messages={"required": _("Describe the matter.")},
    )
    citizen_name = forms.CharField(
        label=_("Name (empty: anonymous)"), max_length=30, required=False, validators=[no_id_number]
    )
    citizen_phone = forms.CharField(label=_("Phone"), max_length=20, required=False, validators=[no_id_number])

    def clean_citizen_phone(self) -> str:
        try:
            return clean_phone(self.cleaned_data.get("citizen_phone", ""))
        except ValidationError as exc:
            raise ValidationError(PHONE_REFUSED) from exc


OpinionFormSet = forms.formset_factory(OpinionRowForm, extra=5, max_num=50, validate_max=True)
