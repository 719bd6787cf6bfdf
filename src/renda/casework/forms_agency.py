"""Forms of the agency's and the deputy's casework pages. They only take the input in; the rules
(windows, caps, what a reply must hold) are the services', whose errors the views put back on the
fields (``form_errors.show_refusal``)."""

from __future__ import annotations

from typing import Any, cast

from django import forms
from django.conf import settings
from django.utils.translation import gettext_lazy as _

from renda.core.forms import StyledFormMixin

from .forms import DATE_INPUT
from .models import RATING_CHOICES, Consultation
from .services import REPLY_FIELDS


def _text(
    label, *, rows: int = 4, required: bool = True, max_length: int = 5000, help_text: Any = ""
) -> forms.CharField:
    return forms.CharField(
        label=label,
        required=required,
        max_length=max_length,
        help_text=help_text,
        widget=forms.Textarea(attrs={"rows": rows}),
    )


class CaseStepForm(StyledFormMixin, forms.Form):
    """Carries the case's version (the service refuses a step on a case changed meanwhile) and the
    page to return to."""

    version = forms.IntegerField(widget=forms.HiddenInput, min_value=1, required=False)
    next = forms.CharField(widget=forms.HiddenInput, required=False)


class AcceptForm(CaseStepForm):
    pass


class HandBackForm(CaseStepForm):
    reason = _text(_("Why the case is not your agency's"), max_length=2000)


class NoteForm(CaseStepForm):
    text = _text(_("Progress"), max_length=2000)


class CoViewForm(CaseStepForm):
    text = _text(_("Co-agency's view"), rows=6, max_length=5000)


class ExtensionForm(CaseStepForm):
    until = forms.DateField(label=_("New deadline"), widget=DATE_INPUT)
    reason = _text(_("Reason"), max_length=2000)


def _reply_classes() -> list[tuple[str, str]]:
    return list(settings.RENDA_CASE_REPLY_CLASSES.items())


class AnswerForm(CaseStepForm):
    """答复: the full reply. What a reply must hold is checked by ``services.answer``."""

    reply_class = forms.ChoiceField(label=_("Reply class"), choices=_reply_classes, widget=forms.RadioSelect)
    done_items = _text(_("Items done"), required=False)
    planned_items = _text(_("Planned"), required=False)
    planned_by = forms.DateField(label=_("Planned to be done by"), required=False, widget=DATE_INPUT)
    not_adopted_reasons = _text(_("Reasons for what is not adopted"), required=False, rows=3)
    consultation = forms.ChoiceField(
        label=_("How the deputy or citizen was consulted"), choices=Consultation.choices, widget=forms.RadioSelect
    )
    public_text = _text(
        _("Reply shown to the citizen"),
        required=False,
        rows=3,
        help_text=_("Shown on the citizen's status page; write no personal data here."),
    )
    signer = forms.CharField(label=_("Signed by"), max_length=50)
    contact_name = forms.CharField(label=_("Contact person"), max_length=50, required=False)
    contact_phone = forms.CharField(
        label=_("Contact phone"),
        max_length=20,
        required=False,
        widget=forms.TextInput(attrs={"inputmode": "tel", "autocomplete": "tel"}),
    )
    document_number = forms.CharField(label=_("Document number"), max_length=50, required=False)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        # The service names what is missing; an empty choice is its error, not the form's.
        for name in ("reply_class", "consultation", "signer"):
            self.fields[name].required = False

    def reply(self) -> dict[str, Any]:
        return {name: self.cleaned_data.get(name) or ("" if name != "planned_by" else None) for name in REPLY_FIELDS}


class RateForm(CaseStepForm):
    """满意度测评 by a signing deputy: the handling and the result rated separately."""

    mandate = forms.ChoiceField(label=_("Rating as"), choices=())
    handling = forms.ChoiceField(
        label=_("Handling (the agency's work and attitude)"),
        choices=RATING_CHOICES,
        widget=forms.RadioSelect,
        required=False,
    )
    result = forms.ChoiceField(
        label=_("Result (what was done about the matter)"),
        choices=RATING_CHOICES,
        widget=forms.RadioSelect,
        required=False,
    )
    comment = _text(_("Comment"), required=False, rows=3, max_length=2000)

    def __init__(self, *args, mandates: list[tuple[str, str]], **kwargs):
        super().__init__(*args, **kwargs)
        cast(forms.ChoiceField, self.fields["mandate"]).choices = mandates
        self.only_mandate = mandates[0][0] if len(mandates) == 1 else None
        if self.only_mandate is not None:
            # One mandate signed (the usual case): nothing to choose.
            self.fields["mandate"].widget = forms.HiddenInput()
            self.fields["mandate"].initial = self.only_mandate
            self.fields["mandate"].required = False

    def clean_mandate(self) -> str:
        return self.cleaned_data.get("mandate") or self.only_mandate or ""


def rate_choices(state: Any) -> list[tuple[str, str]]:
    """The mandates a deputy still rates with (``inbox.RatingState.unrated``), as form choices."""
    return [
        (str(signer.mandate.uuid), f"{signer.mandate.get_level_display()} {signer.mandate.term or ''}".strip())
        for signer in state.unrated
    ]


class AttachmentForm(CaseStepForm):
    file = forms.FileField(label=_("File"))
