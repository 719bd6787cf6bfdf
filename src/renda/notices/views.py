"""The notice board's pages (/notices/): the board, a notice, composing, withdrawing. Thin: scope,
form, service."""

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from renda.accounts.permissions import require
from renda.accounts.scoping import VIEW, scoped
from renda.core.forms import show_refusal
from renda.organisations.models import Township

from . import permissions as may
from . import selectors, services
from .forms import BoardFilterForm, ComposeForm, WithdrawForm

PAGE_SIZE = 20


def board(request):
    user = request.user
    require(may.may_view_board(user))
    form = BoardFilterForm(request.GET or None)
    kind = form.cleaned_data["kind"] if form.is_valid() else ""
    unread_only = request.GET.get("unread") == "1"
    notices = selectors.board(user, kind, unread_only=unread_only)
    page = Paginator(notices, PAGE_SIZE).get_page(request.GET.get("page"))
    return render(
        request,
        "notices/board.html",
        {"page": page, "form": form, "can_post": may.may_post(user), "unread_only": unread_only},
    )


def detail(request, uuid):
    user = request.user
    notice = selectors.notice_for_page(user, uuid)
    manage = may.may_manage(user, notice)
    return render(
        request,
        "notices/detail.html",
        {
            "notice": notice,
            "mine": selectors.my_recipient(notice, user),
            "manage": manage,
            "recipients": selectors.recipients_of(notice) if manage else [],
        },
    )


@require_POST
def confirm_read(request, uuid):
    user = request.user
    notice = selectors.notice_for_page(user, uuid)
    try:
        services.confirm_read(notice, user)
    except PermissionDenied as error:
        messages.error(request, str(error))
    else:
        messages.success(request, _("You have confirmed reading the notice."))
    target = request.POST.get("next", "")
    return redirect("home") if target == "home" else redirect("notices:detail", uuid=notice.uuid)


def compose(request):
    user = request.user
    require(may.may_post(user))
    townships = None if user.township_id else scoped(Township, user, VIEW).order_by("division_code", "name")
    form = ComposeForm(request.POST or None, townships=townships)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            notice = services.compose(
                user, title=data["title"], body=data["body"], kind=data["kind"], townships=data.get("townships")
            )
        except (ValidationError, PermissionDenied) as error:
            show_refusal(form, error)
        else:
            messages.success(request, _("The notice is posted."))
            return redirect("notices:detail", uuid=notice.uuid)
    return render(request, "notices/compose.html", {"form": form})


def withdraw(request, uuid):
    user = request.user
    notice = selectors.notice_for_page(user, uuid)
    require(may.may_manage(user, notice))
    form = WithdrawForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        services.withdraw(notice, user)
        messages.success(request, _("The notice is withdrawn."))
        return redirect("notices:detail", uuid=notice.uuid)
    return render(request, "notices/withdraw.html", {"notice": notice, "form": form})
