"""Publicity's forms: the lists' filters, an article, a news item, the decisions and the media
steps. Forms check the shape of the input; the services check the rules and name what is wrong."""

from __future__ import annotations

from typing import Any

from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from renda.core.forms import StyledForm
from renda.core.locking import VersionedFormMixin

from .models import ArticleState, MediaLevel, NewsKind, NewsState

_DATE = forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")
_DATE_ERRORS = {"required": _("Give the date."), "invalid": _("Enter a valid date.")}


class TownshipChoiceField(forms.ModelChoiceField):
    def label_from_instance(self, obj: Any) -> str:
        return obj.name


class MandateChoiceField(forms.ModelChoiceField):
    def label_from_instance(self, obj: Any) -> str:
        return (
            f"{obj.person.full_name} · {obj.person.township.name}" if obj.person.township_id else obj.person.full_name
        )


def _township_field(required: bool) -> TownshipChoiceField:
    return TownshipChoiceField(
        label=_("township"),
        queryset=None,
        required=required,
        empty_label=_("All townships") if not required else "---------",
        error_messages={"required": _("Choose the township."), "invalid_choice": _("Choose the township.")},
    )


class ArticleFilterForm(StyledForm):
    year = forms.IntegerField(label=_("year"), required=False, min_value=2000, max_value=2100)
    township = _township_field(False)
    level = forms.ChoiceField(
        label=_("media level"), required=False, choices=[("", _("All levels")), *MediaLevel.choices]
    )
    state = forms.ChoiceField(label=_("state"), required=False, choices=[("", _("All states")), *ArticleState.choices])
    q = forms.CharField(label=_("search"), required=False, max_length=50)

    def __init__(self, *args: Any, townships: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["township"].queryset = townships  # type: ignore[attr-defined]


class ArticleForm(VersionedFormMixin, StyledForm):
    township = _township_field(True)
    title = forms.CharField(
        label=_("title"),
        max_length=200,
        error_messages={"required": _("Give the title."), "max_length": _("The title is too long.")},
    )
    medium = forms.CharField(
        label=_("medium"),
        max_length=100,
        help_text=_("The newspaper, website or new-media account that published it."),
        error_messages={"required": _("Name the medium."), "max_length": _("The name of the medium is too long.")},
    )
    level = forms.ChoiceField(
        label=_("media level"),
        choices=[("", "---------"), *MediaLevel.choices],
        error_messages={
            "required": _("Choose the level of the medium."),
            "invalid_choice": _("Choose the level of the medium."),
        },
    )
    published_on = forms.DateField(label=_("published on"), widget=_DATE, error_messages=_DATE_ERRORS)
    link = forms.CharField(label=_("link"), max_length=500, required=False)
    scan = forms.FileField(
        label=_("scan (PDF, JPG or PNG)"),
        required=False,
        widget=forms.ClearableFileInput(attrs={"accept": ".pdf,.jpg,.jpeg,.png"}),
    )

    def __init__(self, *args: Any, townships: Any = None, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        if townships is None:
            del self.fields["township"]
        else:
            self.fields["township"].queryset = townships  # type: ignore[attr-defined]
        self.fields["published_on"].widget.attrs["max"] = timezone.localdate().isoformat()


class RejectForm(VersionedFormMixin, StyledForm):
    reason = forms.CharField(
        label=_("reason"),
        max_length=300,
        widget=forms.Textarea(attrs={"rows": 3}),
        error_messages={
            "required": _("Give the reason for rejecting the article."),
            "max_length": _("The reason is too long."),
        },
    )


class NewsFilterForm(StyledForm):
    kind = forms.ChoiceField(label=_("kind"), required=False, choices=[("", _("All kinds")), *NewsKind.choices])
    township = _township_field(False)
    state = forms.ChoiceField(label=_("state"), required=False, choices=[("", _("All states")), *NewsState.choices])
    q = forms.CharField(label=_("search"), required=False, max_length=50)

    def __init__(self, *args: Any, townships: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["township"].queryset = townships  # type: ignore[attr-defined]


class NewsForm(VersionedFormMixin, StyledForm):
    township = _township_field(True)
    kind = forms.ChoiceField(
        label=_("kind"),
        choices=NewsKind.choices,
        error_messages={"required": _("Choose the kind of item."), "invalid_choice": _("Choose the kind of item.")},
    )
    title = forms.CharField(
        label=_("title"),
        max_length=120,
        error_messages={"required": _("Give the title."), "max_length": _("The title is too long.")},
    )
    body = forms.CharField(
        label=_("text"),
        max_length=20000,
        widget=forms.Textarea(attrs={"rows": 10}),
        error_messages={"required": _("Write the text."), "max_length": _("The text is too long.")},
    )
    mandate = MandateChoiceField(
        label=_("deputy (for a profile)"),
        queryset=None,
        required=False,
        error_messages={"invalid_choice": _("Choose a deputy of the township.")},
    )
    consent = forms.BooleanField(
        label=_("The deputy agreed to publish this profile (name, township, text and photo)"), required=False
    )
    photo = forms.FileField(
        label=_("photo (JPG or PNG)"),
        required=False,
        widget=forms.ClearableFileInput(attrs={"accept": ".jpg,.jpeg,.png"}),
    )

    def __init__(self, *args: Any, townships: Any = None, mandates: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        if townships is None:
            del self.fields["township"]
        else:
            self.fields["township"].queryset = townships  # type: ignore[attr-defined]
        self.fields["mandate"].queryset = mandates  # type: ignore[attr-defined]


class SentToMediaForm(StyledForm):
    medium = forms.CharField(
        label=_("medium"),
        max_length=100,
        error_messages={"required": _("Name the medium."), "max_length": _("The name of the medium is too long.")},
    )
    sent_on = forms.DateField(label=_("sent on"), widget=_DATE, error_messages=_DATE_ERRORS)


class RecordPublishedForm(StyledForm):
    medium = forms.CharField(
        label=_("medium"),
        max_length=100,
        error_messages={"required": _("Name the medium."), "max_length": _("The name of the medium is too long.")},
    )
    level = forms.ChoiceField(
        label=_("media level"),
        choices=[("", "---------"), *MediaLevel.choices],
        error_messages={
            "required": _("Choose the level of the medium."),
            "invalid_choice": _("Choose the level of the medium."),
        },
    )
    published_on = forms.DateField(label=_("published on"), widget=_DATE, error_messages=_DATE_ERRORS)
    link = forms.CharField(label=_("link"), max_length=500, required=False)


class PublicFilterForm(forms.Form):
    kind = forms.ChoiceField(
        label=_("kind"),
        required=False,
        choices=[("", _("All kinds")), *NewsKind.choices],
        widget=forms.Select(attrs={"class": "form-select"}),
    )
    township = forms.UUIDField(required=False)
