"""Forms of the citizens' pages: the opinion, the tracking-code lookup and the rating."""

from django import forms
from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

from renda.core.forms import StyledForm

from .models import RATING_CHOICES
from .public import PHONE_REFUSED, clean_phone, no_id_number


class OpinionForm(StyledForm):
    # What matters first: the opinion; the title is optional.
    field_order = ["token", "content", "title", "name", "anonymous", "phone"]

    token = forms.CharField(widget=forms.HiddenInput)
    title = forms.CharField(
        label=_("Title"),
        max_length=120,
        required=False,
        validators=[no_id_number],
        help_text=_("Optional: if left empty, the beginning of your opinion is used."),
    )
    content = forms.CharField(
        label=_("Your opinion or suggestion"),
        max_length=5000,
        validators=[no_id_number],
        widget=forms.Textarea(attrs={"rows": 6}),
        error_messages={"required": _("Describe the matter.")},
    )
    name = forms.CharField(label=_("Your name"), max_length=30, required=False, validators=[no_id_number])
    anonymous = forms.BooleanField(label=_("Anonymous (匿名)"), required=False)
    phone = forms.CharField(
        label=_("Phone for a call-back"),
        max_length=20,
        required=False,
        validators=[no_id_number],
        widget=forms.TextInput(attrs={"inputmode": "tel", "autocomplete": "tel"}),
        help_text=_("Optional. Only the township office and the department handling your opinion can see it."),
    )

    def clean_phone(self) -> str:
        value = self.cleaned_data.get("phone", "")
        try:
            return clean_phone(value)
        except ValidationError as exc:
            raise ValidationError(PHONE_REFUSED) from exc

    def clean(self):
        cleaned = super().clean()
        if cleaned.get("anonymous"):
            cleaned["name"] = ""
        return cleaned


class LookupForm(StyledForm):
    code = forms.CharField(
        label=_("Tracking code"),
        max_length=40,
        widget=forms.TextInput(attrs={"autocomplete": "off", "autocapitalize": "characters", "spellcheck": "false"}),
        error_messages={"required": _("Enter the tracking code you were given.")},
    )



class CitizenRatingForm(StyledForm):
    handling = forms.ChoiceField(
        label=_("How your opinion was handled"),
        choices=RATING_CHOICES,
        widget=forms.RadioSelect,
        error_messages={"required": _("Rate the handling.")},
    )
    result = forms.ChoiceField(
        label=_("The result"),
        choices=RATING_CHOICES,
        widget=forms.RadioSelect,
        error_messages={"required": _("Rate the result.")},
    )
    comment = forms.CharField(
        label=_("Comment"),
        max_length=2000,
        required=False,
        validators=[no_id_number],
        widget=forms.Textarea(attrs={"rows": 3}),
    )
