"""The attendance area's forms: opening and closing the meeting (versioned), a deputy's request for
leave by half-days, and the staff's decision on it. They parse what was typed; the rules (the
leave within the meeting, the reason for a refusal) are the services'."""

from __future__ import annotations

from datetime import timedelta
from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from renda.core.forms import StyledForm, StyledFormMixin
from renda.core.locking import VersionedFormMixin

from .models import HalfDay, Meeting


class MeetingStepForm(StyledFormMixin, VersionedFormMixin, forms.Form):
    """Open or close the meeting: only the version the page was read at travels, so a click on a
    page left open while someone else changed the meeting is refused rather than acted on."""

    def __init__(self, *args: Any, meeting: Meeting, **kwargs: Any) -> None:
        kwargs.setdefault("initial", {"version": meeting.version})
        super().__init__(*args, **kwargs)
        self.fields["version"].required = True


class LeaveRequestForm(StyledForm):
    first_day = forms.TypedChoiceField(label=_("First day of leave"), coerce=forms.DateField().clean)
    first_half = forms.ChoiceField(
        label=_("Leave starts in the"), choices=HalfDay.choices, initial=HalfDay.MORNING, widget=forms.RadioSelect
    )
    half_days = forms.TypedChoiceField(label=_("Half-days of leave"), coerce=int)
    reason = forms.CharField(label=_("Reason"), max_length=300, widget=forms.Textarea(attrs={"rows": 3}))

    def __init__(self, *args: Any, meeting: Meeting, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        # The choices are the meeting's own days and length, so a phone shows two short lists
        # instead of a calendar; the service still checks that the leave ends within the meeting.
        days = [meeting.date + timedelta(days=n) for n in range((meeting.ends_on - meeting.date).days + 1)]
        first_day, half_days = self.fields["first_day"], self.fields["half_days"]
        assert isinstance(first_day, forms.ChoiceField) and isinstance(half_days, forms.ChoiceField)
        first_day.choices = [(day.isoformat(), f"{day:%Y-%m-%d}") for day in days]
        half_days.choices = [(n, str(n)) for n in range(1, 2 * len(days) + 1)]
        half_days.help_text = _("A day is two half-days: the morning and the afternoon.")


class LeaveDecisionForm(StyledForm):
    """The decision comes from the button pressed (approve or refuse); the note is the reason the
    deputy reads, required for a refusal by the service."""

    APPROVE, REFUSE = "approve", "refuse"

    decision = forms.ChoiceField(
        label=_("Decision"),
        choices=[(APPROVE, _("Approve")), (REFUSE, _("Refuse"))],
        widget=forms.HiddenInput,
    )
    note = forms.CharField(label=_("Note to the deputy"), max_length=300, required=False)
