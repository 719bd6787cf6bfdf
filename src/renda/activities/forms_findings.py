"""The forms of an activity's photos and findings, and of the county's activity types. They check
the shape of what was typed; the services check the rules."""

from __future__ import annotations

from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from renda.casework.models import CaseCategory
from renda.core.forms import StyledForm
from renda.organisations.models import Township

from .models import ActivityCategory


class PhotoForm(StyledForm):
    file = forms.FileField(label=_("Photo"), help_text=_("A JPG or PNG file."))
    caption = forms.CharField(label=_("Caption"), max_length=200, required=False)

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["file"].widget.attrs["accept"] = "image/jpeg,image/png"


class FindingForm(StyledForm):
    text = forms.CharField(label=_("Problem found"), max_length=5000, widget=forms.Textarea(attrs={"rows": 4}))
    raised_by = forms.TypedChoiceField(label=_("Raised by"), required=False, choices=(), empty_value=None)

    def __init__(self, *args: Any, raisers: list | None = None, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.raisers = {str(m.uuid): m for m in raisers or []}
        if raisers is None:
            del self.fields["raised_by"]
        else:
            field = self.fields["raised_by"]
            assert isinstance(field, forms.ChoiceField)
            field.choices = [("", _("Nobody in particular"))] + [
                (key, mandate.person.full_name) for key, mandate in self.raisers.items()
            ]

    def clean_raised_by(self):
        value = self.cleaned_data.get("raised_by")
        return self.raisers.get(value) if value else None


class FindingCaseForm(StyledForm):
    title = forms.CharField(label=_("Title of the case"), max_length=120)
    category = forms.ModelChoiceField(label=_("Category"), queryset=CaseCategory.objects.none(), required=False)
    township = forms.ModelChoiceField(label=_("Township"), queryset=Township.objects.none(), required=False)

    def __init__(self, *args: Any, categories: Any, townships: Any = None, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.category_field().queryset = categories
        if townships is None:
            del self.fields["township"]
        else:
            field = self.fields["township"]
            assert isinstance(field, forms.ModelChoiceField)
            field.queryset = townships
            field.required = True

    def category_field(self) -> forms.ModelChoiceField:
        field = self.fields["category"]
        assert isinstance(field, forms.ModelChoiceField)
        return field


class TypeAddForm(StyledForm):
    name = forms.CharField(label=_("Name"), max_length=60)
    category = forms.ChoiceField(label=_("Category"), choices=ActivityCategory.choices)


class TypeEditForm(StyledForm):
    name = forms.CharField(label=_("Name"), max_length=60)
    offered = forms.BooleanField(label=_("Offered for new activities"), required=False)
