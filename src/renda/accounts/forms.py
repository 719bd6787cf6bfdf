from django import forms
from django.contrib.auth.forms import AuthenticationForm, SetPasswordForm
from django.utils.translation import gettext_lazy as _

from renda.core.forms import StyledForm, StyledFormMixin, StyledModelForm

from .models import AuditOutcome, User


class LoginForm(StyledFormMixin, AuthenticationForm):
    pass


class StyledSetPasswordForm(StyledFormMixin, SetPasswordForm):
    pass


class UserForm(StyledModelForm):
    class Meta:
        model = User
        fields = ["username", "full_name", "role", "phone", "county", "township", "agency", "is_active"]

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        # The organisation models are reached through the relations: accounts does not import them.
        for name in ("county", "township", "agency"):
            self.fields[name].queryset = self.fields[name].queryset.filter(is_active=True)


class ApiTokenForm(StyledForm):
    name = forms.CharField(label=_("Token name"), max_length=60)


class AuditSearchForm(StyledForm):
    event = forms.CharField(label=_("Event"), required=False, max_length=60)
    actor = forms.CharField(label=_("Account"), required=False, max_length=150)
    target = forms.CharField(label=_("Object id or name"), required=False, max_length=200)
    outcome = forms.ChoiceField(
        label=_("Outcome"), required=False, choices=[("", _("All"))] + list(AuditOutcome.choices)
    )
    since = forms.DateField(label=_("From"), required=False, widget=forms.DateInput(attrs={"type": "date"}))
    until = forms.DateField(label=_("Until"), required=False, widget=forms.DateInput(attrs={"type": "date"}))
