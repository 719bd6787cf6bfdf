from django import forms
from django.contrib.auth.forms import AuthenticationForm, PasswordChangeForm
from django.utils.translation import gettext_lazy as _

from renda.core.forms import StyledForm, StyledFormMixin, StyledModelForm

from .models import AuditOutcome, User
from .roles import Role


class LoginForm(StyledFormMixin, AuthenticationForm):
    pass


class UserForm(StyledModelForm):
    """The system administrator's form: who the account belongs to. Role, scope and the active
    flag are the security administrator's (UserAuthorisationForm); the password is issued."""

    class Meta:
        model = User
        fields = ["username", "full_name", "phone"]


def _grouped_by_county(queryset, label) -> list:
    """Choices grouped per county (``<optgroup>``): the list narrows to the county at a glance and
    works without JavaScript; the model still refuses a township of another county."""
    groups: dict[str, list] = {}
    for obj in queryset.select_related("county").order_by("county__name", "name"):
        groups.setdefault(obj.county.name, []).append((obj.pk, label(obj)))
    return [("", "---------"), *groups.items()]


class UserAuthorisationForm(StyledModelForm):
    """The security administrator's form: the role and the county, township or agency it needs."""

    class Meta:
        model = User
        fields = ["role", "county", "township", "agency", "is_active"]
        help_texts = {
            "county": _("County administrators, leaders and deputies: their county."),
            "township": _("Township staff (and a township's leader): their township."),
            "agency": _("Agency handlers: their agency."),
        }

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["role"].required = True
        self.fields["role"].choices = Role.choices
        # The organisation models are reached through the relations: accounts does not import them.
        # Only the system administrator changes accounts, for every county: all units are choices.
        for name in ("county", "township", "agency"):
            self.fields[name].queryset = self.fields[name].queryset.unscoped().filter(is_active=True)
        self.fields["township"].choices = _grouped_by_county(self.fields["township"].queryset, str)
        county_level = _("county level")
        self.fields["agency"].choices = _grouped_by_county(
            self.fields["agency"].queryset.select_related("township"),
            lambda agency: f"{agency.name}（{agency.township.name if agency.township else county_level}）",
        )


class PersonLinkForm(StyledForm):
    """Which deputy's record a deputy account belongs to: people of the account's county without
    an account of their own (and the one linked now)."""

    person: forms.ModelChoiceField = forms.ModelChoiceField(
        label=_("Deputy's record"),
        queryset=None,
        required=False,
        empty_label=_("— not linked —"),
        help_text=_("People of the account's county who have no account yet."),
    )

    def __init__(self, *args, people, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["person"].queryset = people
        self.fields["person"].label_from_instance = lambda person: f"{person.full_name}（{person.township.name}）"


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


class ExportReasonForm(StyledForm):
    """Why an export needs full values: asked before every unmasked export, kept in its audit entry."""

    reason = forms.CharField(
        label=_("Why full values are needed"),
        max_length=200,
        widget=forms.TextInput(attrs={"autocomplete": "off"}),
        help_text=_("Recorded in the audit log with the export's filter and row count."),
    )


class ExportApprovalRequestForm(StyledForm):
    # The refused export (kind, filter, rows, page), signed by accounts.exports.export_response.
    export = forms.CharField(widget=forms.HiddenInput)
    reason = forms.CharField(
        label=_("Reason"),
        max_length=200,
        help_text=_("What the export is for, so that the county administrator can decide."),
    )


class ExportApprovalRefuseForm(StyledForm):
    reason = forms.CharField(label=_("Reason for refusal"), max_length=200)
