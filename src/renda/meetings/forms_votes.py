"""Forms of the votes and resolutions pages. They parse what was typed; the services check the rules
(the tally against those present, the all-deputies majority, the units of the township or county)
and their refusals are shown on these forms beside the fields (``show_refusal``)."""

from __future__ import annotations

from typing import cast

from django import forms
from django.db.models import QuerySet
from django.utils.translation import gettext_lazy as _

from renda.core.forms import StyledForm
from renda.core.locking import VersionedFormMixin
from renda.deputies.models import Person
from renda.organisations.models import Agency, Township

from .models import AgendaItem, Meeting, ResolutionKind, ResolutionState, Vote, VoteKind, VoteMethod


def _offer(form: forms.Form, name: str, queryset: QuerySet) -> None:
    """The rows a choice field offers, chosen by the view within the user's scope."""
    cast(forms.ModelChoiceField, form.fields[name]).queryset = queryset


COUNT_WIDGET = forms.NumberInput(attrs={"inputmode": "numeric", "min": 0})


def _count(label) -> forms.IntegerField:
    return forms.IntegerField(label=label, min_value=0, max_value=32767, widget=COUNT_WIDGET)


class TallyForm(StyledForm):
    votes_for = _count(_("For"))
    votes_against = _count(_("Against"))
    abstentions = _count(_("Abstentions"))


class VoteForm(TallyForm):
    """One item's vote. Whether it passed is not asked: the service computes it."""

    item = forms.ModelChoiceField(
        label=_("Agenda item"),
        queryset=AgendaItem.objects.none(),
        required=False,
        to_field_name="uuid",
        empty_label=_("Not on the agenda"),
    )
    kind = forms.ChoiceField(label=_("Kind of vote"), choices=VoteKind.choices)
    title = forms.CharField(label=_("Matter voted on"), max_length=200)
    method = forms.ChoiceField(label=_("Voting method"), choices=VoteMethod.choices)
    candidate = forms.ModelChoiceField(
        label=_("Candidate"),
        queryset=Person.objects.none(),
        required=False,
        to_field_name="uuid",
        help_text=_(
            "Elections and by-elections only. A by-election that passes starts the candidate's mandate "
            "in this congress at once."
        ),
    )
    constituency = forms.CharField(
        label=_("Constituency or electing unit"),
        max_length=80,
        required=False,
        help_text=_("By-elections: the constituency the new deputy represents."),
    )

    field_order = ["item", "kind", "title", "method", "candidate", "constituency"]

    def __init__(self, *args, items: QuerySet[AgendaItem], candidates: QuerySet[Person], **kwargs):
        super().__init__(*args, **kwargs)
        _offer(self, "item", items)
        _offer(self, "candidate", candidates)


class CorrectionForm(TallyForm):
    reason = forms.CharField(
        label=_("Reason for the correction"),
        max_length=300,
        help_text=_("E.g. the tellers' recount; it is kept with the figures before and after."),
    )


class ResolutionForm(StyledForm):
    vote = forms.ModelChoiceField(
        label=_("Vote that adopted it"),
        queryset=Vote.objects.none(),
        required=False,
        to_field_name="uuid",
        empty_label=_("Adopted without a recorded vote"),
    )
    kind = forms.ChoiceField(label=_("Kind"), choices=ResolutionKind.choices)
    title = forms.CharField(label=_("Title"), max_length=200)
    text = forms.CharField(label=_("Text"), max_length=20000, widget=forms.Textarea(attrs={"rows": 8}))
    units = forms.ModelMultipleChoiceField(
        label=_("Responsible units"),
        queryset=Agency.objects.none(),
        to_field_name="uuid",
        widget=forms.CheckboxSelectMultiple,
        help_text=_("Agencies of the township or the county that carry it out and report on it."),
    )
    adopted_on = forms.DateField(label=_("Adopted on"), widget=forms.DateInput(attrs={"type": "date"}))

    def __init__(self, *args, votes: QuerySet[Vote], units: QuerySet[Agency], **kwargs):
        super().__init__(*args, **kwargs)
        _offer(self, "vote", votes)
        _offer(self, "units", units)


class ReportForm(StyledForm):
    agency = forms.ModelChoiceField(
        label=_("Reporting unit"),
        queryset=Agency.objects.none(),
        required=False,
        to_field_name="uuid",
        empty_label=_("The township as a whole"),
    )
    reported_on = forms.DateField(label=_("Reported on"), widget=forms.DateInput(attrs={"type": "date"}))
    text = forms.CharField(label=_("What has been done"), max_length=10000, widget=forms.Textarea(attrs={"rows": 5}))

    def __init__(self, *args, units: QuerySet[Agency] | None, **kwargs):
        """``units`` None: a handler reports for their own unit, so the unit is not asked."""
        super().__init__(*args, **kwargs)
        if units is None:
            del self.fields["agency"]
        else:
            _offer(self, "agency", units)


class DoneForm(VersionedFormMixin, StyledForm):
    presidium_meeting = forms.ModelChoiceField(
        label=_("Presidium meeting"),
        queryset=Meeting.objects.none(),
        to_field_name="uuid",
        help_text=_("The presidium meeting of the township that found it carried out."),
    )
    note = forms.CharField(
        label=_("The presidium's conclusion"), max_length=2000, widget=forms.Textarea(attrs={"rows": 3})
    )

    def __init__(self, *args, meetings: QuerySet[Meeting], **kwargs):
        super().__init__(*args, **kwargs)
        _offer(self, "presidium_meeting", meetings)


OVERDUE = "overdue"


class ResolutionFilterForm(StyledForm):
    q = forms.CharField(label=_("Title"), required=False, max_length=100)
    township = forms.ModelChoiceField(
        label=_("Township"),
        queryset=Township.objects.none(),
        required=False,
        to_field_name="uuid",
        empty_label=_("Any township"),
    )
    state = forms.ChoiceField(
        label=_("State"),
        required=False,
        choices=[("", _("Any state")), *ResolutionState.choices, (OVERDUE, _("Report overdue"))],
    )

    def __init__(self, *args, townships: QuerySet[Township], **kwargs):
        super().__init__(*args, **kwargs)
        _offer(self, "township", townships)
