from django.contrib import messages
from django.http import Http404
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from renda.accounts.permissions import require
from renda.core import workdays

from . import selectors, services
from .forms import NoticeForm, notice_text
from .permissions import may_change_calendar, may_view_calendar


def _year_or_404(value) -> int:
    try:
        year = int(value)
    except (TypeError, ValueError):
        raise Http404 from None
    if not workdays.FIRST_YEAR <= year <= workdays.LAST_YEAR:
        raise Http404
    return year


def _overview_url(year: int) -> str:
    return f"{reverse('workcalendar:overview')}?year={year}"


def calendar_overview(request):
    """The years with where their days off come from, and one year's days off and worked weekends."""
    require(may_view_calendar(request.user))
    today = timezone.localdate()
    year = _year_or_404(request.GET.get("year", today.year))
    return render(
        request,
        "workcalendar/overview.html",
        {
            "years": selectors.calendar_years(today=today),
            "year": year,
            "status": workdays.year_calendar(year).status,
            "days": selectors.calendar_days(year=year),
            "can_change": may_change_calendar(request.user),
        },
    )


def notice_edit(request, year):
    """Enter or correct a year's State Council notice (system administrator)."""
    require(may_change_calendar(request.user))
    year = _year_or_404(year)
    calendar = workdays.year_calendar(year)
    # A provisional year starts empty: pre-filling the library's estimate would invite saving a
    # guess as the official notice.
    initial = {"text": "" if calendar.status == workdays.YearStatus.PROVISIONAL else notice_text(calendar)}
    form = NoticeForm(request.POST or None, year=year, initial=initial)
    if request.method == "POST" and form.is_valid():
        services.calendar_notice_save(year=year, days=form.cleaned_data["text"], actor=request.user)
        messages.success(request, _("Saved the notice for %(year)s.") % {"year": year})
        return redirect(_overview_url(year))
    return render(request, "workcalendar/notice_form.html", {"form": form, "year": year, "status": calendar.status})


@require_POST
def notice_remove(request, year):
    require(may_change_calendar(request.user))
    year = _year_or_404(year)
    if not services.calendar_notice_remove(year=year, actor=request.user):
        raise Http404
    messages.success(request, _("Removed the notice entered for %(year)s.") % {"year": year})
    return redirect(_overview_url(year))
