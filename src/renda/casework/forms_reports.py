"""Forms of the reports area: the figures' period, the digest and its items, the leaders' instructions."""

from __future__ import annotations

from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from renda.core.forms import StyledFormMixin
from renda.core.locking import VersionedFormMixin

from .models.digest import DEFAULT_DIGEST_TITLE

DATE_INPUT = forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")


class FiguresForm(StyledFormMixin, forms.Form):
    year = forms.IntegerField(label=_("Year"), min_value=2000, max_value=2100, required=False)
    start = forms.DateField(label=_("From"), required=False, widget=DATE_INPUT)
    end = forms.DateField(label=_("To"), required=False, widget=DATE_INPUT)

    def clean(self):
        data = super().clean()
        start, end = data.get("start"), data.get("end")
        if bool(start) != bool(end):
            raise forms.ValidationError(_("Give both dates of the range, or a year."))
        if start and end and end < start:
            raise forms.ValidationError(_("The range ends before it starts."))
        return data

    def period(self):
        from .figures import Period

        data = self.cleaned_data if self.is_bound and self.is_valid() else {}
        if data.get("start") and data.get("end"):
            return Period(data["start"], data["end"])
        return Period.year(data.get("year") or timezone.localdate().year)


class DigestForm(StyledFormMixin, VersionedFormMixin, forms.Form):
    title = forms.CharField(label=_("Title"), max_length=60, initial=DEFAULT_DIGEST_TITLE)
    period_start = forms.DateField(label=_("Period from"), widget=DATE_INPUT)
    period_end = forms.DateField(label=_("Period to"), widget=DATE_INPUT)
    foreword = forms.CharField(
        label=_("Foreword"), max_length=2000, required=False, widget=forms.Textarea(attrs={"rows": 3})
    )


class DigestItemForm(StyledFormMixin, forms.Form):
    heading = forms.CharField(label=_("Heading"), max_length=120)
    summary = forms.CharField(label=_("Summary"), max_length=3000, widget=forms.Textarea(attrs={"rows": 6}))
    reason = forms.CharField(
        label=_("Reason for the correction"),
        max_length=1000,
        required=False,
        widget=forms.Textarea(attrs={"rows": 2}),
        help_text=_("The digest has been issued: the change is recorded beside it with this reason."),
    )

    def __init__(self, *args, correction: bool = False, **kwargs):
        super().__init__(*args, **kwargs)
        if correction:
            self.fields["reason"].required = True
        else:
            del self.fields["reason"]


class FeedbackForm(StyledFormMixin, forms.Form):
    leader_name = forms.CharField(label=_("Leader"), max_length=50)
    given_on = forms.DateField(label=_("Date of the instruction"), widget=DATE_INPUT)
    text = forms.CharField(label=_("Instruction"), max_length=3000, widget=forms.Textarea(attrs={"rows": 4}))
    mark_key = forms.BooleanField(
        label=_("Make the case one of key supervision, followed by this leader"), required=False
    )
