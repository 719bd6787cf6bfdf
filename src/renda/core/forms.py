from django import forms
from django.core.exceptions import FieldDoesNotExist, ValidationError
from django.utils.datastructures import MultiValueDict
from django.utils.translation import gettext_lazy as _

from .pii import PersonalInformationField


class StyledFormMixin:
    """Gives every widget the Bootstrap class it needs, so templates render fields uniformly."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        for field in self.fields.values():
            widget = field.widget
            if isinstance(widget, forms.CheckboxInput | forms.CheckboxSelectMultiple | forms.RadioSelect):
                css = "form-check-input"
            elif isinstance(widget, forms.Select | forms.SelectMultiple):
                css = "form-select"
            else:
                css = "form-control"
            widget.attrs["class"] = f"{widget.attrs.get('class', '')} {css}".strip()


class MaskedPersonalInput(forms.TextInput):
    """The input of a personal field (``PersonalInformationField``): the recorded value is shown
    masked as the placeholder, never as the value, and a “clear” box is offered when the field may
    be empty. ``PersonalDataFormMixin`` fills ``masked`` and ``clearable`` for the form's instance.

    What the user typed in this very request is echoed back when the form has errors, as any input
    is: it came from their browser and discloses nothing that was stored."""

    template_name = "core/widgets/masked_personal_input.html"

    def __init__(self, attrs=None):
        super().__init__({"autocomplete": "off", "spellcheck": "false", **(attrs or {})})
        self.masked = ""
        self.clearable = False

    @staticmethod
    def clear_name(name: str) -> str:
        return f"{name}__clear"

    def clear_requested(self, data, name: str) -> bool:
        return forms.CheckboxInput().value_from_datadict(data, MultiValueDict(), self.clear_name(name))

    def value_omitted_from_data(self, data, files, name):
        return super().value_omitted_from_data(data, files, name) and self.clear_name(name) not in data

    def get_context(self, name, value, attrs):
        context = super().get_context(name, value, attrs)
        widget = context["widget"]
        if self.masked:
            widget["attrs"]["placeholder"] = self.masked
        widget["clearable"] = self.clearable
        widget["clear_name"] = self.clear_name(name)
        widget["clear_id"] = self.clear_name(widget["attrs"].get("id") or name)
        return context


class PersonalDataFormMixin:
    """Personal fields never travel to the browser in full (issue 9, S29/S30).

    Every field of the form that edits a ``PersonalInformationField`` of the model starts empty,
    with the recorded value masked as its placeholder. Typing a value replaces the recorded one;
    leaving the input empty keeps it; the “clear” box empties it on purpose. A blank input cannot
    mean “clear”, since every edit form sends every personal field blank; a separate box makes
    erasing a deliberate act that cannot happen by saving another field. The full value is read
    only through the audited reveal (``accounts.services.pii_reveal``).
    """

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.personal_fields: dict[str, tuple[PersonalInformationField, str]] = {}
        for name, field in self.fields.items():
            model_field = _personal_model_field(self._meta.model, name)
            if model_field is None:
                continue
            stored = getattr(self.instance, name, "") or ""
            self.personal_fields[name] = (model_field, stored)
            self.initial[name] = ""
            field.widget = MaskedPersonalInput(attrs=field.widget.attrs)
            if stored:
                field.widget.masked = model_field.mask(stored)
                field.widget.clearable = model_field.blank
                field.required = False
                field.help_text = _("Leave empty to keep the recorded value.")

    def clean(self):
        cleaned = super().clean()
        for name, (model_field, stored) in self.personal_fields.items():
            if name not in cleaned:
                continue  # the typed value was refused; its error is shown already
            cleared = model_field.blank and self.fields[name].widget.clear_requested(self.data, self.add_prefix(name))
            if cleaned[name] and cleared:
                self.add_error(name, _("Type a new value or clear the recorded one, not both."))
            elif cleared:
                cleaned[name] = ""
            elif not cleaned[name]:
                cleaned[name] = stored
        return cleaned

    @property
    def changed_data(self) -> list[str]:
        """A personal field changed when its value after cleaning differs from the recorded one:
        the input starts empty, so comparing it with its initial value says nothing."""
        # A mixin: the form class it is mixed into has changed_data.
        names = [name for name in super().changed_data if name not in self.personal_fields]  # type: ignore[misc]
        cleaned = getattr(self, "cleaned_data", {})
        for name, (model_field, stored) in self.personal_fields.items():
            if name in cleaned and model_field.normaliser(cleaned[name] or "") != stored:
                names.append(name)
        return names


def _personal_model_field(model, name: str) -> PersonalInformationField | None:
    try:
        field = model._meta.get_field(name)
    except FieldDoesNotExist:  # a form-only field, such as the version of VersionedFormMixin
        return None
    return field if isinstance(field, PersonalInformationField) else None


class StyledModelForm(StyledFormMixin, PersonalDataFormMixin, forms.ModelForm):
    """``Meta.parent_fields`` names fields the view sets (the township a station belongs to): they
    are not on the form, but uniqueness within the parent must be checked before saving, or a
    duplicate name would reach the database constraint and fail there.

    Every model form of the platform is one of these, so personal fields are masked by construction
    (``PersonalDataFormMixin``; tests/security/test_personal_data_only_by_reveal.py checks it)."""

    def _get_validation_exclusions(self):
        return super()._get_validation_exclusions() - set(getattr(self.Meta, "parent_fields", ()))


class StyledForm(StyledFormMixin, forms.Form):
    pass


def show_refusal(form: forms.BaseForm, error: Exception) -> None:
    """A service's refusal on the form that asked for it, so the user sees why beside what they
    typed: a ValidationError's field errors beside their fields, the rest above the form (an
    exception's user-facing ``message``, e.g. StaleEdit's, or its text)."""
    if isinstance(error, ValidationError) and hasattr(error, "error_dict"):
        for name, messages in error.message_dict.items():
            form.add_error(name if name in form.fields else None, messages)
    elif isinstance(error, ValidationError):
        form.add_error(None, error.messages)
    else:
        form.add_error(None, str(getattr(error, "message", error)))


def preselect_only_choice(form: forms.BaseForm, name: str) -> object | None:
    """Show the one object a choice field offers as chosen (a township staff's own township) instead
    of "---------", unless the form already has a value for it. Returns that object, or None."""
    field = form.fields[name]
    if not isinstance(field, forms.ModelChoiceField) or form.is_bound or form.initial.get(name):
        return None
    choices = list(field.queryset[:2]) if field.queryset is not None else []
    if len(choices) != 1:
        return None
    form.initial[name] = getattr(choices[0], field.to_field_name or "pk")
    return choices[0]
