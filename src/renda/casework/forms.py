"""Forms of the staff's casework pages: the list's filters, entering a case, the review and
assignment steps of the detail page, the county's categories. Forms validate what was typed; the
rules of the workflow are the services' (their errors are put back on these forms)."""

from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _

from renda.accounts.scoping import VIEW, scoped
from renda.core.forms import StyledForm, preselect_only_choice
from renda.core.pii import normalise_phone, validate_phone
from renda.deputies.models import Mandate
from renda.organisations.models import Agency, Station, Township

from .models import RATING_CHOICES, Case, CaseCategory, CaseSource

DATE_INPUT = forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")

STATE_GROUP_CHOICES = [
    ("", _("All cases")),
    ("open", _("Open")),
    ("to_review", _("To review")),
    ("to_assign", _("To assign")),
    ("handling", _("Being handled")),
    ("awaiting_rating", _("Awaiting rating")),
    ("near", _("Due soon")),
    ("overdue", _("Overdue")),
    ("drafts", _("Drafts")),
    ("finished", _("Finished")),
]


def _mandate_label(mandate) -> str:
    return f"{mandate.person.full_name} · {mandate.person.township.name} · {mandate.get_level_display()}"


class CaseFilterForm(StyledForm):
    q = forms.CharField(label=_("Case number or title"), required=False, max_length=100)
    state = forms.ChoiceField(label=_("State"), choices=STATE_GROUP_CHOICES, required=False)
    source = forms.ChoiceField(label=_("Source"), choices=[("", _("Any source")), *CaseSource.choices], required=False)
    category = forms.ModelChoiceField(
        label=_("Category"),
        queryset=CaseCategory.objects.none(),
        required=False,
        to_field_name="uuid",
        empty_label=_("Any category"),
    )
    township = forms.ModelChoiceField(
        label=_("Township"),
        queryset=Township.objects.none(),
        required=False,
        to_field_name="uuid",
        empty_label=_("Any township"),
    )
    agency = forms.ModelChoiceField(
        label=_("Agency"),
        queryset=Agency.objects.none(),
        required=False,
        to_field_name="uuid",
        empty_label=_("Any agency"),
    )
    key = forms.BooleanField(label=_("Key supervision"), required=False)
    repeated = forms.BooleanField(label=_("Repeated over several years"), required=False)
    year = forms.TypedChoiceField(label=_("Year"), coerce=int, required=False, empty_value=None)

    def __init__(self, *args, categories, townships, agencies, years, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["category"].queryset = categories
        self.fields["township"].queryset = townships
        self.fields["agency"].queryset = agencies
        self.fields["year"].choices = [("", _("Any year")), *((year, str(year)) for year in years)]


class CaseForm(StyledForm):
    """A new case. Staff choose the township and the signers; a deputy files with one of their own
    serving mandates as the lead signer (``as_deputy``)."""

    source = forms.ChoiceField(label=_("Source"), choices=CaseSource.choices)
    township = forms.ModelChoiceField(label=_("Township"), queryset=Township.objects.none(), to_field_name="uuid")
    category = forms.ModelChoiceField(
        label=_("Category"),
        queryset=CaseCategory.objects.none(),
        required=False,
        to_field_name="uuid",
        empty_label=_("Not classified yet"),
    )
    title = forms.CharField(label=_("Title"), max_length=120)
    content = forms.CharField(label=_("Content"), max_length=5000, widget=forms.Textarea(attrs={"rows": 6}))
    lead = forms.ModelChoiceField(
        label=_("Lead signer"),
        queryset=Mandate.objects.none(),
        required=False,
        to_field_name="uuid",
        empty_label=_("No deputy"),
    )
    co_signers = forms.ModelMultipleChoiceField(
        label=_("Co-signers"),
        queryset=Mandate.objects.none(),
        required=False,
        to_field_name="uuid",
        widget=forms.SelectMultiple(attrs={"size": 6}),
        help_text=_("Hold Ctrl (or ⌘) to choose several."),
    )
    citizen_name = forms.CharField(
        label=_("Citizen's name"), max_length=30, required=False, help_text=_("Leave empty for an anonymous opinion.")
    )
    citizen_phone = forms.CharField(
        label=_("Citizen's phone for a call-back"),
        max_length=20,
        required=False,
        widget=forms.TextInput(attrs={"inputmode": "tel", "autocomplete": "off"}),
    )
    station = forms.ModelChoiceField(
        label=_("Station"),
        queryset=Station.objects.none(),
        required=False,
        to_field_name="uuid",
        empty_label=_("No station"),
    )
    received_on = forms.DateField(label=_("Received on"), required=False, widget=DATE_INPUT)

    def __init__(self, *args, user, townships, categories, lead_choices, co_choices, as_deputy, **kwargs):
        super().__init__(*args, **kwargs)
        self.as_deputy = as_deputy
        self.fields["township"].queryset = townships
        self.fields["category"].queryset = categories
        self.fields["lead"].queryset = lead_choices
        self.fields["co_signers"].queryset = co_choices
        self.fields["lead"].label_from_instance = _mandate_label
        self.fields["co_signers"].label_from_instance = _mandate_label
        if as_deputy:
            # A deputy files their own suggestion: the township follows from their mandate.
            for name in ("township", "citizen_name", "citizen_phone", "station", "received_on"):
                del self.fields[name]
            self.fields["source"].choices = [
                (value, label) for value, label in CaseSource.choices if value in _DEPUTY_SOURCES
            ]
            self.fields["lead"].required = True
            self.fields["lead"].empty_label = None
            self.fields["lead"].label = _("Filed as")
        else:
            self.fields["station"].queryset = scoped(Station, user, VIEW).select_related("township")
            self.fields["station"].label_from_instance = lambda station: f"{station.township.name} · {station.name}"
            preselect_only_choice(self, "township")

    def clean_citizen_phone(self) -> str:
        phone = normalise_phone(self.cleaned_data.get("citizen_phone") or "")
        if phone:
            validate_phone(phone)
        return phone

    def clean(self):
        cleaned = super().clean()
        lead, co = cleaned.get("lead"), list(cleaned.get("co_signers") or [])
        if co and lead is None:
            self.add_error("lead", _("Choose the lead signer first; the others co-sign."))
        township = cleaned.get("township") if not self.as_deputy else (lead.person.township if lead else None)
        if township is not None:
            for mandate in [m for m in (lead, *co) if m is not None]:
                if mandate.person.township_id != township.pk:
                    self.add_error("co_signers", _("The signers must be deputies of the case's township."))
                    break
        station = cleaned.get("station")
        if station is not None and township is not None and station.township_id != township.pk:
            self.add_error("station", _("The station is not in this township."))
        cleaned["filing_township"] = township
        if cleaned.get("source") != CaseSource.CITIZEN_OPINION:
            # A deputy's suggestion has no citizen or station: what was typed into those fields
            # before the source was changed is not filed.
            cleaned.update(station=None, citizen_name="", citizen_phone="")
        return cleaned


_DEPUTY_SOURCES = (CaseSource.SESSION_SUGGESTION, CaseSource.RECESS_SUGGESTION)


# ---------------------------------------------------------------- the steps of the detail page


class StepForm(StyledForm):
    """Every step's form carries the version of the case the page showed: a step taken on a case
    someone changed since is refused (``StaleEdit``) instead of overwriting their change."""

    version = forms.IntegerField(widget=forms.HiddenInput, min_value=1)

    def __init__(self, *args, case=None, **kwargs):
        super().__init__(*args, **kwargs)
        if case is not None and not self.is_bound:
            self.initial["version"] = case.version


class SubmitForm(StepForm):
    pass


class AcceptForm(StepForm):
    reason = forms.CharField(label=_("Note"), required=False, max_length=2000, widget=forms.Textarea(attrs={"rows": 2}))


class ReasonForm(StepForm):
    reason = forms.CharField(label=_("Reason"), max_length=2000, widget=forms.Textarea(attrs={"rows": 3}))


class HandleOnSpotForm(StepForm):
    reply_text = forms.CharField(
        label=_("What the citizen or deputy was told"), max_length=5000, widget=forms.Textarea(attrs={"rows": 3})
    )


class MergeForm(StepForm):
    into = forms.ModelChoiceField(label=_("Merge into"), queryset=Case.objects.none(), to_field_name="uuid")
    reason = forms.CharField(
        label=_("Reason"), required=False, max_length=2000, widget=forms.Textarea(attrs={"rows": 2})
    )

    def __init__(self, *args, targets, proposed=(), **kwargs):
        super().__init__(*args, **kwargs)
        proposed_ids = {case.pk for case in proposed}
        self.fields["into"].queryset = targets
        self.fields["into"].label_from_instance = lambda case: (
            f"{'★ ' if case.pk in proposed_ids else ''}{case.reference} {case.title}"
        )


class AssignForm(StepForm):
    lead = forms.ModelChoiceField(label=_("Lead agency"), queryset=Agency.objects.none(), to_field_name="uuid")
    co = forms.ModelMultipleChoiceField(
        label=_("Co-agencies"),
        queryset=Agency.objects.none(),
        required=False,
        to_field_name="uuid",
        widget=forms.SelectMultiple(attrs={"size": 4}),
        help_text=_("Hold Ctrl (or ⌘) to choose several."),
    )
    reason = forms.CharField(label=_("Note"), required=False, max_length=2000, widget=forms.Textarea(attrs={"rows": 2}))

    def __init__(self, *args, agencies, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["lead"].queryset = agencies
        self.fields["co"].queryset = agencies
        label = lambda agency: f"{agency.name} · {agency.level_label}"  # noqa: E731
        self.fields["lead"].label_from_instance = label
        self.fields["co"].label_from_instance = label

    def clean(self):
        cleaned = super().clean()
        lead = cleaned.get("lead")
        if lead is not None and lead in (cleaned.get("co") or []):
            self.add_error("co", _("The lead agency is not also a co-agency."))
        return cleaned


DECISION_CHOICES = [("approve", _("Approve")), ("refuse", _("Refuse"))]


class ExtensionDecisionForm(StepForm):
    extension = forms.IntegerField(widget=forms.HiddenInput)
    decision = forms.ChoiceField(label=_("Decision"), choices=DECISION_CHOICES, widget=forms.RadioSelect)
    reason = forms.CharField(
        label=_("Reason"),
        required=False,
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 2}),
        help_text=_("Required when refusing."),
    )

    def __init__(self, *args, extension=None, **kwargs):
        super().__init__(*args, **kwargs)
        if extension is not None and not self.is_bound:
            self.initial["extension"] = extension.pk


class RemindForm(StepForm):
    pass


class TagForm(StepForm):
    is_key = forms.BooleanField(label=_("Key supervision"), required=False)
    key_leader = forms.CharField(label=_("Leader following it"), required=False, max_length=50)
    is_repeated = forms.BooleanField(label=_("Repeated over several years"), required=False)

    def __init__(self, *args, case=None, **kwargs):
        super().__init__(*args, case=case, **kwargs)
        if case is not None and not self.is_bound:
            self.initial.update(is_key=case.is_key, key_leader=case.key_leader, is_repeated=case.is_repeated)



class RatingForm(StepForm):
    rater = forms.ChoiceField(label=_("On behalf of"))
    handling = forms.ChoiceField(label=_("Handling"), choices=RATING_CHOICES, widget=forms.RadioSelect)
    result = forms.ChoiceField(label=_("Result"), choices=RATING_CHOICES, widget=forms.RadioSelect)
    comment = forms.CharField(
        label=_("Comment"), required=False, max_length=2000, widget=forms.Textarea(attrs={"rows": 2})
    )

    def __init__(self, *args, raters, **kwargs):
        super().__init__(*args, **kwargs)
        self.raters = {rater.key: rater for rater in raters}
        self.fields["rater"].choices = [(rater.key, rater.label) for rater in raters]


class CloseForm(StepForm):
    reason = forms.CharField(
        label=_("Reason"),
        required=False,
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 2}),
        help_text=_("Required when the answer is still rated not satisfied."),
    )


# ---------------------------------------------------------------- categories


class CategoryForm(StyledForm):
    name = forms.CharField(label=_("Name"), max_length=30)
