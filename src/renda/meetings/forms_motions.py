"""Forms of a session's motions and suggestions, and of a congress's size. They check what was
typed; the rules (how many co-signers, the deadline, who serves in the congress) are the services',
whose refusals are put back on these forms beside what was typed."""

from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _

from renda.core.forms import StyledForm
from renda.deputies.models import Mandate

DECISION_CHOICES = [("place", _("Place it on the agenda")), ("not_place", _("Do not place it on the agenda"))]


def _deputy_label(mandate: Mandate) -> str:
    return mandate.person.full_name


class SignedForm(StyledForm):
    """A text signed by deputies of the congress. Staff choose the lead signer; a deputy signs as
    the lead themselves (``lead_choices`` None: the field is left out) and picks the co-signers.
    Co-signers are ticked in a list, which a phone handles better than a multiple select."""

    title = forms.CharField(label=_("Title"), max_length=200)
    content = forms.CharField(label=_("Content"), max_length=10000, widget=forms.Textarea(attrs={"rows": 8}))
    lead = forms.ModelChoiceField(label=_("Lead signer"), queryset=Mandate.objects.none(), to_field_name="uuid")
    co_signers = forms.ModelMultipleChoiceField(
        label=_("Co-signers"),
        queryset=Mandate.objects.none(),
        required=False,
        to_field_name="uuid",
        widget=forms.CheckboxSelectMultiple,
    )

    def __init__(self, *args, lead_choices, co_choices, **kwargs):
        super().__init__(*args, **kwargs)
        if lead_choices is None:
            del self.fields["lead"]
        else:
            lead = self.fields["lead"]
            lead.queryset = lead_choices  # type: ignore[attr-defined]
            lead.label_from_instance = _deputy_label  # type: ignore[attr-defined]
        co = self.fields["co_signers"]
        co.queryset = co_choices  # type: ignore[attr-defined]
        co.label_from_instance = _deputy_label  # type: ignore[attr-defined]


class MotionForm(SignedForm):
    content = forms.CharField(
        label=_("Content"),
        max_length=10000,
        widget=forms.Textarea(attrs={"rows": 8}),
        help_text=_("The matter, the reasons and the proposal."),
    )


class SuggestionForm(SignedForm):
    title = forms.CharField(label=_("Title"), max_length=120)
    content = forms.CharField(label=_("Content"), max_length=5000, widget=forms.Textarea(attrs={"rows": 6}))


class DecisionForm(StyledForm):
    """The presidium's decision on a motion; it carries the motion's version, so a decision taken on
    a motion someone changed meanwhile is refused instead of overwriting theirs."""

    version = forms.IntegerField(widget=forms.HiddenInput, min_value=1)
    decision = forms.ChoiceField(label=_("Decision"), choices=DECISION_CHOICES, widget=forms.RadioSelect)
    reason = forms.CharField(
        label=_("Reason"),
        required=False,
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_("Required when the motion is not placed on the agenda; the signers read it."),
    )


class CongressSizeForm(StyledForm):
    population = forms.IntegerField(
        label=_("population"),
        min_value=0,
        max_value=10_000_000,
        required=False,
        help_text=_("Inhabitants counted when this term's seats were set."),
    )
    fixed_seats = forms.IntegerField(
        label=_("seats fixed by the county"),
        min_value=1,
        max_value=1000,
        required=False,
        help_text=_("Leave empty to use the legal number computed from the population."),
    )
