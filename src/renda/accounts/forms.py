from django import forms
from django.contrib.auth.forms import AuthenticationForm, PasswordChangeForm, SetPasswordForm
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
        # Only the system administrator changes accounts, for every county: all units are choices.
        for name in ("county", "township", "agency"):
            self.fields[name].queryset = self.fields[name].queryset.unscoped().filter(is_active=True)


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


class StyledPasswordChangeForm(StyledFormMixin, PasswordChangeForm):
    pass


class OtpTokenForm(StyledForm):
    otp_token = forms.CharField(
        label=_("Code"),
        max_length=16,
        widget=forms.TextInput(attrs={"autocomplete": "one-time-code", "inputmode": "numeric", "autofocus": True}),
        help_text=_("The 6-digit code from your authenticator app, or one of your recovery codes."),
    )


class LockoutResetForm(StyledForm):
    username = forms.CharField(label=_("Account name"), required=False, max_length=150)
    ip_address = forms.GenericIPAddressField(label=_("Address"), required=False)

    def clean(self):
        data = super().clean()
        if not data.get("username") and not data.get("ip_address"):
            raise forms.ValidationError(_("Give an account name or an address."))
        return data
