"""Forms of the notice board: the kind filter, composing a notice, withdrawing one."""

from __future__ import annotations

from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from . import services
from .models import Notice, NoticeKind

# Staff write these by hand; the others are posted by the capabilities they belong to.
HAND_KINDS = [(kind, kind.label) for kind in services.HAND_KINDS]


class BoardFilterForm(forms.Form):
    kind = forms.ChoiceField(
        label=_("kind of notice"),
        required=False,
        choices=[("", _("All kinds")), *NoticeKind.choices],
        widget=forms.Select(attrs={"class": "form-select"}),
    )


class ComposeForm(forms.Form):
    title = forms.CharField(
        label=_("title"),
        max_length=Notice._meta.get_field("title").max_length,
        error_messages={"required": _("Give the notice a title."), "max_length": _("The title is too long.")},
        widget=forms.TextInput(attrs={"class": "form-control"}),
    )
    kind = forms.ChoiceField(
        label=_("kind of notice"),
        choices=HAND_KINDS,
        error_messages={"invalid_choice": _("Choose the kind of notice.")},
        widget=forms.Select(attrs={"class": "form-select"}),
    )
    body = forms.CharField(
        label=_("text"),
        max_length=10000,
        error_messages={"required": _("Write the text of the notice."), "max_length": _("The text is too long.")},
        widget=forms.Textarea(attrs={"class": "form-control", "rows": 8}),
    )
    townships: forms.ModelMultipleChoiceField = forms.ModelMultipleChoiceField(
        label=_("townships"),
        queryset=None,
        required=False,
        help_text=_("Leave empty to send the notice to the deputies of every township."),
        error_messages={
            "invalid_choice": _("Choose townships of your county."),
            "invalid_pk_value": _("Choose townships of your county."),
        },
        widget=forms.CheckboxSelectMultiple,
    )

    def __init__(self, *args: Any, townships: Any = None, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        if townships is None:
            del self.fields["townships"]
        else:
            field = self.fields["townships"]
            assert isinstance(field, forms.ModelMultipleChoiceField)
            field.queryset = townships


class WithdrawForm(forms.Form):
    confirm = forms.BooleanField(
        label=_("Take this notice off the board"),
        error_messages={"required": _("Tick the box to withdraw the notice.")},
        widget=forms.CheckboxInput(attrs={"class": "form-check-input"}),
    )
