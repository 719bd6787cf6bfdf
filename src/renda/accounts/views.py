from django.apps import apps
from django.contrib import messages
from django.contrib.auth import views as auth_views
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.http import Http404
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from . import selectors, services
from .forms import ApiTokenForm, AuditSearchForm, LoginForm, StyledSetPasswordForm, UserForm
from .models import ApiToken, AuditEntry, User
from .scoping import CHANGE, VIEW, get_scoped_or_404, role_may


class LoginView(auth_views.LoginView):
    template_name = "accounts/login.html"
    authentication_form = LoginForm
    redirect_authenticated_user = True


def audit_log(request):
    if not role_may(request.user, VIEW, AuditEntry):
        raise PermissionDenied
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
    tokens = ApiToken.objects.filter(user=request.user)
    return render(request, "accounts/api_tokens.html", {"form": form, "tokens": tokens, "new_token": new_token})


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
    obj = get_scoped_or_404(model, request.user, VIEW, uuid=uuid)
    value = services.pii_reveal(obj=obj, field_name=field, actor=request.user)
    template = "components/pii_revealed.html" if request.htmx else "accounts/pii_revealed_page.html"
    return render(request, template, {"value": value, "obj": obj, "field": field})


def user_list(request):
    if not role_may(request.user, VIEW, User):
        raise PermissionDenied
    query = request.GET.get("q", "").strip()[:50]
    page = Paginator(selectors.users_visible(request.user, query=query), 50).get_page(request.GET.get("page"))
    return render(
        request,
        "accounts/user_list.html",
        {"page": page, "query": query, "can_add": role_may(request.user, CHANGE, User)},
    )


def user_create(request):
    if not role_may(request.user, CHANGE, User):
        raise PermissionDenied
    return _user_form(request, User())


def user_edit(request, uuid):
    return _user_form(request, get_scoped_or_404(User, request.user, CHANGE, uuid=uuid))


def _user_form(request, user: User):
    form = UserForm(request.POST or None, instance=user)
    password_form = StyledSetPasswordForm(user, request.POST or None) if request.method == "POST" else None
    wants_password = bool(request.POST.get("new_password1")) or user._state.adding
    if request.method == "POST":
        valid = form.is_valid() and (not wants_password or password_form.is_valid())
        if valid:
            services.user_save(
                user=form.save(commit=False),
                actor=request.user,
                changed_fields=form.changed_data,
                password=password_form.cleaned_data["new_password1"] if wants_password else None,
            )
            messages.success(request, _("Saved: %(name)s") % {"name": user})
            return redirect("accounts:user_list")
    if password_form is None:
        password_form = StyledSetPasswordForm(user)
    return render(
        request,
        "accounts/user_form.html",
        {"form": form, "password_form": password_form, "object": None if user._state.adding else user},
    )
