from datetime import timedelta

import segno
from django.apps import apps
from django.conf import settings
from django.contrib import messages
from django.contrib.auth import update_session_auth_hash
from django.contrib.auth import views as auth_views
from django.core import signing
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.http import Http404
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.cache import add_never_cache_headers
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.safestring import mark_safe
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST
from django_otp import login as otp_login

from . import audit, exports, selectors, services
from .forms import (
    ApiTokenForm,
    AuditSearchForm,
    ExportApprovalRefuseForm,
    ExportApprovalRequestForm,
    LockoutResetForm,
    LoginForm,
    OtpTokenForm,
    PersonLinkForm,
    StyledPasswordChangeForm,
    UserAuthorisationForm,
    UserForm,
)
from .lockout import current_locks
from .models import ApiToken, ExportApproval, SecurityNotice, SessionRecord, User
from .permissions import (
    is_mandate_holder_account,
    may_approve_exports,
    may_change_authorisation,
    may_edit_account,
    may_follow_exports,
    may_link_people,
    may_link_person,
    may_manage_accounts,
    may_manage_security,
    may_reset_password,
    may_view_accounts,
    may_view_audit_log,
    require,
)
from .pii_register import REGISTER
from .scoping import CHANGE, VIEW, get_scoped_or_404, scoped


class LoginView(auth_views.LoginView):
    template_name = "accounts/login.html"
    authentication_form = LoginForm
    redirect_authenticated_user = True


class PasswordChangeView(auth_views.PasswordChangeView):
    """The change goes through the audited service; the session hash is renewed for this session
    only, so every other session of the account ends (S5)."""

    template_name = "accounts/password_change.html"
    form_class = StyledPasswordChangeForm

    def form_valid(self, form):
        services.user_set_password(user=form.user, password=form.cleaned_data["new_password1"], actor=self.request.user)
        update_session_auth_hash(self.request, form.user)
        messages.success(self.request, _("Your password was changed. Your other sessions have ended."))
        return redirect("accounts:password_change_done")


def _next_url(request) -> str:
    target = request.POST.get("next") or request.GET.get("next") or ""
    if url_has_allowed_host_and_scheme(target, allowed_hosts={request.get_host()}, require_https=request.is_secure()):
        return target
    return settings.LOGIN_REDIRECT_URL


# The secret of the device being enrolled, between the page that shows it and the first code.
PENDING_OTP_KEY = "renda.otp_pending_key"


def two_factor_setup(request):
    """Enrol an authenticator app: scan the QR code (inline SVG, no external image), confirm
    with a first code, then see the recovery codes once."""
    from django_otp import user_has_device

    if request.user.is_verified():
        messages.info(request, _("Your second factor is already confirmed for this session."))
        return redirect("home")
    if user_has_device(request.user, confirmed=True):
        # Enrolling a new device would bypass the one already set up: only the security
        # administrator's reset removes it.
        return redirect("accounts:two_factor_verify")
    device = services.two_factor_pending_device(user=request.user, key=request.session.get(PENDING_OTP_KEY))
    request.session[PENDING_OTP_KEY] = device.key
    form = OtpTokenForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        codes = services.two_factor_enrol(device=device, token=form.cleaned_data["otp_token"], actor=request.user)
        if codes is not None:
            del request.session[PENDING_OTP_KEY]
            otp_login(request, device)
            return render(request, "accounts/recovery_codes.html", {"codes": codes, "next": _next_url(request)})
        form.add_error("otp_token", _("This code is not correct. Check the time on your phone and try again."))
    qr = segno.make(device.config_url, error="m")
    return render(
        request,
        "accounts/two_factor_setup.html",
        {
            "form": form,
            "qr_svg": mark_safe(qr.svg_inline(scale=4, dark="#000", light="#fff", omitsize=False)),
            "secret": device.key and _base32(device),
            "next": request.GET.get("next", ""),
        },
    )


def _base32(device) -> str:
    import base64

    return base64.b32encode(device.bin_key).decode().rstrip("=")


def two_factor_verify(request):
    """After the password: a code from the authenticator app, or one recovery code."""
    from django_otp import user_has_device

    if not user_has_device(request.user, confirmed=True):
        return redirect("accounts:two_factor_setup")
    form = OtpTokenForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        device = services.two_factor_verify(user=request.user, token=form.cleaned_data["otp_token"])
        if device is not None:
            otp_login(request, device)
            return redirect(_next_url(request))
        form.add_error("otp_token", _("This code is not correct or was used already."))
    return render(request, "accounts/two_factor_verify.html", {"form": form, "next": request.GET.get("next", "")})


def security_overview(request):
    """The security administrator's page: lockouts, alerts, the policy in force and the register
    of personal information. No account fields, no audit log (三员分立)."""
    require(may_manage_security(request.user))
    lockouts = current_locks()[:100]
    notices = selectors.open_security_notices(request.user, limit=50)
    recent = timezone.now() - timedelta(hours=settings.RENDA_SESSION_MAX_HOURS)
    sessions = (
        SessionRecord.objects.filter(ended_at__isnull=True, started_at__gte=recent)
        .select_related("user")
        .order_by("-started_at")[:100]
    )
    policy = selectors.security_policy()
    return render(
        request,
        "accounts/security_overview.html",
        {
            "lockouts": lockouts,
            "notices": notices,
            "sessions": sessions,
            "policy": policy,
            "register": sorted(REGISTER.items()),
            "reset_form": LockoutResetForm(),
        },
    )


@require_POST
def lockout_reset(request):
    require(may_manage_security(request.user))
    form = LockoutResetForm(request.POST)
    if form.is_valid():
        removed = services.lockout_reset(
            username=form.cleaned_data["username"], ip_address=form.cleaned_data["ip_address"] or "", actor=request.user
        )
        messages.success(request, _("Lockout lifted (%(n)d records removed).") % {"n": removed})
    else:
        messages.error(request, _("Give an account name or an address."))
    return redirect("accounts:security_overview")


@require_POST
def security_notice_acknowledge(request, uuid):
    notice = get_scoped_or_404(SecurityNotice, request.user, CHANGE, uuid=uuid)
    services.security_notice_acknowledge(notice=notice, actor=request.user)
    return redirect("accounts:security_overview")


@require_POST
def sessions_end(request, uuid):
    """The security administrator ends every session of one account."""
    require(may_manage_security(request.user))
    user = get_scoped_or_404(User, request.user, VIEW, uuid=uuid)
    services.sessions_end_for_user(user=user, actor=request.user)
    messages.success(request, _("Every session of %(name)s has ended.") % {"name": user})
    return redirect("accounts:security_overview")


@require_POST
def two_factor_reset(request, uuid):
    """The security administrator removes a user's second factor (a lost phone)."""
    require(may_manage_security(request.user))
    user = get_scoped_or_404(User, request.user, VIEW, uuid=uuid)
    services.two_factor_reset(user=user, actor=request.user)
    messages.success(request, _("The second factor of %(name)s was removed; they will enrol again.") % {"name": user})
    return redirect("accounts:user_list")


def audit_verify(request):
    """The audit administrator checks that the log's hash chain is unbroken."""
    require(may_view_audit_log(request.user))
    checked, broken = audit.verify_chain()
    return render(request, "accounts/audit_verify.html", {"checked": checked, "broken": broken})


def audit_log(request):
    require(may_view_audit_log(request.user))
    form = AuditSearchForm(request.GET or None)
    filters = form.cleaned_data if form.is_valid() else {}
    entries = selectors.audit_entries(request.user, **{k: v for k, v in filters.items() if v})
    page = Paginator(entries.select_related("actor"), 50).get_page(request.GET.get("page"))
    return render(request, "accounts/audit_log.html", {"form": form, "page": page})


def api_tokens(request):
    form = ApiTokenForm(request.POST or None)
    new_token = None
    if request.method == "POST" and form.is_valid():
        _token, new_token = services.api_token_create(
            user=request.user, name=form.cleaned_data["name"], actor=request.user
        )
        form = ApiTokenForm()
    tokens = scoped(ApiToken, request.user, VIEW)
    return render(
        request,
        "accounts/api_tokens.html",
        {"form": form, "tokens": tokens, "new_token": new_token, "token_days": settings.RENDA_API_TOKEN_DAYS},
    )


@require_POST
def api_token_revoke(request, uuid):
    token = get_scoped_or_404(ApiToken, request.user, CHANGE, uuid=uuid)
    services.api_token_revoke(token=token, actor=request.user)
    messages.success(request, _("The token was revoked."))
    return redirect("accounts:api_tokens")


@require_POST
def pii_reveal(request, model_label, uuid, field):
    """Reveal one personal-information value of one object (audited). Answers a fragment for htmx."""
    try:
        model = apps.get_model(model_label)
        services.pii_field(model, field)
    except (LookupError, ValueError) as exc:
        raise Http404 from exc
    if model is User and uuid == request.user.uuid:
        obj = request.user  # one's own account is in no role's scope of records, but always one's own
    else:
        obj = get_scoped_or_404(model, request.user, VIEW, uuid=uuid)
    value = services.pii_reveal(obj=obj, field_name=field, actor=request.user)
    template = "components/pii_revealed.html" if request.htmx else "accounts/pii_revealed_page.html"
    return render(request, template, {"value": value, "obj": obj, "field": field})


def user_list(request):
    require(may_view_accounts(request.user))
    query = request.GET.get("q", "").strip()[:50]
    page = Paginator(selectors.users_visible(request.user, query=query), 50).get_page(request.GET.get("page"))
    actor = request.user
    linker = may_link_people(actor)
    # What this user may do with each listed account, so that no button leads to a refusal.
    for account in page:
        account.can_edit = may_edit_account(actor, account)
        account.can_reset_password = may_reset_password(actor, account)
        account.can_authorise = may_change_authorisation(actor, account)
        account.can_link_person = linker and is_mandate_holder_account(account)
    return render(
        request,
        "accounts/user_list.html",
        {
            "page": page,
            "query": query,
            "can_add": may_manage_accounts(actor),
            "can_reset_2fa": may_manage_security(actor),
        },
    )


def _one_time_password_page(request, account: User, password: str, *, created: bool):
    """The one-time password, shown once: the response must not be kept by the browser's cache."""
    response = render(
        request,
        "accounts/user_one_time_password.html",
        {"account": account, "password": password, "created": created},
    )
    add_never_cache_headers(response)
    return response


def user_create(request):
    """The system administrator creates an account: who it is for, no role (the security
    administrator grants it) and a one-time password shown once."""
    require(may_manage_accounts(request.user))
    form = UserForm(request.POST or None, instance=User())
    if request.method == "POST" and form.is_valid():
        account = form.save(commit=False)
        password = services.user_create(user=account, actor=request.user)
        return _one_time_password_page(request, account, password, created=True)
    return render(request, "accounts/user_form.html", {"form": form, "object": None})


def user_edit(request, uuid):
    account = get_scoped_or_404(User, request.user, CHANGE, uuid=uuid)
    require(may_edit_account(request.user, account))
    form = UserForm(request.POST or None, instance=account)
    if request.method == "POST" and form.is_valid():
        services.user_update(user=form.save(commit=False), actor=request.user, changed_fields=form.changed_data)
        messages.success(request, _("Saved: %(name)s") % {"name": account})
        return redirect("accounts:user_list")
    return render(
        request,
        "accounts/user_form.html",
        {"form": form, "object": account, "can_reset_password": may_reset_password(request.user, account)},
    )


@require_POST
def user_password_reset(request, uuid):
    account = get_scoped_or_404(User, request.user, CHANGE, uuid=uuid)
    require(may_reset_password(request.user, account))
    password = services.user_password_reset(user=account, actor=request.user)
    return _one_time_password_page(request, account, password, created=False)


def user_authorisation(request, uuid):
    """The security administrator grants or changes the role, its scope and the active flag."""
    account = get_scoped_or_404(User, request.user, VIEW, uuid=uuid)
    require(may_change_authorisation(request.user, account))
    form = UserAuthorisationForm(request.POST or None, instance=account)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            # The service reads the account afresh: the form's validation changed it in memory.
            services.user_authorisation_change(
                user=account,
                actor=request.user,
                role=data["role"],
                county=data["county"],
                township=data["township"],
                agency=data["agency"],
                is_active=data["is_active"],
            )
        except ValidationError as error:
            form.add_error(None, error)
        else:
            messages.success(request, _("Role saved: %(name)s") % {"name": account})
            return redirect("accounts:user_list")
    intro = _(
        "Choose the role, then the county, township or agency it needs; a township is listed under its county. "
        "Fields the role does not use are cleared."
    )
    return render(
        request,
        "accounts/account_step.html",
        {"form": form, "object": account, "title": _("Role and scope"), "intro": intro},
    )


def user_person_link(request, uuid):
    """A county administrator links a deputy's account to the deputy's record."""
    account = get_scoped_or_404(User, request.user, VIEW, uuid=uuid)
    require(may_link_person(request.user, account))
    people = selectors.people_linkable(request.user, account)
    current = people.filter(user=account).first()
    form = PersonLinkForm(request.POST or None, people=people, initial={"person": current})
    if request.method == "POST" and form.is_valid():
        try:
            services.user_person_link(user=account, person=form.cleaned_data["person"], actor=request.user)
        except ValidationError as error:
            form.add_error("person", error)
        else:
            messages.success(request, _("Saved: %(name)s") % {"name": account})
            return redirect("accounts:user_list")
    intro = _("The deputy signs in with this account to see their own record, work and points.")
    return render(
        request,
        "accounts/account_step.html",
        {"form": form, "object": account, "title": _("Deputy's record"), "intro": intro},
    )


def export_approvals(request):
    """Requests to export more rows than the cap: county administrators approve or refuse them
    here; township staff follow their township's requests and run their own approved exports."""
    require(may_follow_exports(request.user))
    return render(
        request,
        "accounts/export_approvals.html",
        {
            "approvals": selectors.export_approvals(request.user),
            "can_decide": may_approve_exports(request.user),
            "refuse_form": ExportApprovalRefuseForm(),
        },
    )


def export_approval_request(request):
    """The form an export refused at the row cap leads to: the export is fixed by the signed
    ``export`` parameter; the user gives the reason."""
    require(exports.may_export(request.user))
    form = ExportApprovalRequestForm(request.POST or None, initial={"export": request.GET.get("export", "")})
    token = request.POST.get("export") if request.method == "POST" else request.GET.get("export", "")
    try:
        details = exports.export_request_details(token or "")
    except signing.BadSignature:
        messages.error(request, _("This request form has expired or is incomplete: run the export again."))
        return redirect("accounts:export_approvals")
    if request.method == "POST" and form.is_valid():
        exports.export_approval_request(
            actor=request.user,
            kind=details["kind"],
            row_count=details["rows"],
            reason=form.cleaned_data["reason"],
            query=details["query"],
            path=details["path"],
        )
        messages.success(request, _("Your request was sent to the county administrators."))
        return redirect("accounts:export_approvals")
    return render(
        request,
        "accounts/export_approval_request.html",
        {
            "form": form,
            "details": details,
            "filter_display": ExportApproval(query=details["query"]).filter_display,
            "cap": settings.RENDA_EXPORT_ROW_CAP,
        },
    )


@require_POST
def export_approval_grant(request, uuid):
    approval = get_scoped_or_404(ExportApproval, request.user, CHANGE, uuid=uuid)
    try:
        exports.export_approval_grant(approval=approval, actor=request.user)
    except exports.ExportApprovalError as error:
        messages.error(request, str(error))
    else:
        messages.success(request, _("The export was approved."))
    return redirect("accounts:export_approvals")


@require_POST
def export_approval_refuse(request, uuid):
    approval = get_scoped_or_404(ExportApproval, request.user, CHANGE, uuid=uuid)
    form = ExportApprovalRefuseForm(request.POST)
    if not form.is_valid():
        messages.error(request, _("Give the reason for the refusal: the requester will read it."))
        return redirect("accounts:export_approvals")
    try:
        exports.export_approval_refuse(approval=approval, actor=request.user, reason=form.cleaned_data["reason"])
    except exports.ExportApprovalError as error:
        messages.error(request, str(error))
    else:
        messages.success(request, _("The export was refused."))
    return redirect("accounts:export_approvals")
