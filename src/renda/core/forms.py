from django import forms


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


class StyledModelForm(StyledFormMixin, forms.ModelForm):
    """``Meta.parent_fields`` names fields the view sets (the township a station belongs to): they
    are not on the form, but uniqueness within the parent must be checked before saving, or a
    duplicate name would reach the database constraint and fail there."""

    def _get_validation_exclusions(self):
        return super()._get_validation_exclusions() - set(getattr(self.Meta, "parent_fields", ()))


class StyledForm(StyledFormMixin, forms.Form):
    pass


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
