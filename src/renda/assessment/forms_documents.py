"""Forms of the year documents: the list's filter and adding a document. They check the shape of
what was typed; ``services.add_document`` checks the rules."""

from __future__ import annotations

from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from renda.core.forms import StyledForm

from .models import DocumentKind


class DocumentFilterForm(StyledForm):
    year = forms.IntegerField(label=_("Year"), min_value=2000, max_value=2100, required=False)
    kind = forms.ChoiceField(
        label=_("Kind of document"), choices=[("", _("(all)")), *DocumentKind.choices], required=False
    )
    township: forms.ModelChoiceField = forms.ModelChoiceField(
        label=_("Township"), queryset=None, required=False, to_field_name="uuid", empty_label=_("(all)")
    )

    def __init__(self, *args, townships=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["township"].queryset = townships

    def filter(self, documents):
        """The documents the filter asks for (all of them when it is empty or wrong)."""
        if not self.is_bound or not self.is_valid():
            return documents
        data = self.cleaned_data
        if data["year"]:
            documents = documents.filter(year=data["year"])
        if data["kind"]:
            documents = documents.filter(kind=data["kind"])
        if data["township"]:
            documents = documents.filter(township=data["township"])
        return documents


class DocumentForm(StyledForm):
    kind = forms.ChoiceField(label=_("Kind of document"), choices=DocumentKind.choices)
    township: forms.ModelChoiceField = forms.ModelChoiceField(
        label=_("Township"),
        queryset=None,
        required=False,
        to_field_name="uuid",
        help_text=_("Not needed for the county's guidance."),
    )
    year = forms.IntegerField(label=_("Year"), min_value=2000, max_value=2100)
    title = forms.CharField(label=_("Title"), max_length=120)
    text = forms.CharField(label=_("Text"), max_length=50000, required=False, widget=forms.Textarea(attrs={"rows": 12}))
    file = forms.FileField(label=_("File"), required=False, max_length=200)

    def __init__(self, *args, townships=None, kinds=None, **kwargs):
        kwargs.setdefault("initial", {}).setdefault("year", timezone.localdate().year)
        super().__init__(*args, **kwargs)
        self.fields["township"].queryset = townships
        if kinds is not None:
            self.fields["kind"].choices = [(value, label) for value, label in DocumentKind.choices if value in kinds]
            if DocumentKind.GUIDANCE not in kinds:
                self.fields["township"].help_text = ""
