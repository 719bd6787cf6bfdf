"""Reception days (接待选民日) for staff: a station's schedules, the days planned from them with the
deputies on duty, the notice, the record of the day and the opinions received, which become cases;
and the QR codes and A4 posters of the public pages of stations and deputies."""

import datetime as dt

from django.conf import settings
from django.contrib import messages
from django.core.exceptions import ValidationError
from django.db.models import Prefetch
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.dates import WEEKDAYS
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from renda.accounts.permissions import require
from renda.accounts.scoping import CHANGE, VIEW, get_scoped_or_404, scoped
from renda.core.forms import show_refusal
from renda.deputies.models import Mandate
from renda.documents.http import docx_response
from renda.documents.word import Section, Table, official_document
from renda.organisations.models import Station

from . import permissions as may
from . import posters, reception
from .form_errors import REFUSALS
from .forms_reception import CancelForm, DayForm, OpinionFormSet, RecordForm, ScheduleForm
from .models import ReceptionDay, ReceptionSchedule, ReceptionState


def _today() -> dt.date:
    return timezone.localdate()


def _station_url(station) -> str:
    return reverse("casework:reception_station", args=[station.uuid])


def _days(queryset):
    return queryset.select_related("station").prefetch_related(
        Prefetch("deputies", queryset=Mandate.objects.unscoped().select_related("person"))
    )


# ---------------------------------------------------------------- overview


def index(request):
    """Stations with their next reception day (staff, leaders); a deputy's own duty days."""
    require(may.may_view_reception(request.user))
    today = _today()
    return render(
        request,
        "casework/reception/index.html",
        {
            "stations": reception.stations_overview(request.user, today),
            "duty_days": list(_days(scoped(ReceptionDay, request.user).filter(date__gte=today)).order_by("date")[:20]),
            "today": today,
        },
    )


def station(request, uuid):
    station = get_scoped_or_404(Station.objects.select_related("township"), request.user, VIEW, uuid=uuid)
    require(may.may_view_reception(request.user))
    today = _today()
    days = _days(scoped(ReceptionDay, request.user).filter(station=station))
    upcoming = list(days.filter(date__gte=today).order_by("date")[:30])
    for day in upcoming:
        day.late = day.notice_late(today)
    recent = list(days.filter(date__lt=today).order_by("-date")[:10])
    mandates = list(
        scoped(Mandate, request.user)
        .filter(reception.serving_filter(today), station=station)
        .select_related("person")
        .order_by("person__full_name")
    )
    return render(
        request,
        "casework/reception/station.html",
        {
            "station": station,
            "schedules": scoped(ReceptionSchedule, request.user).filter(station=station).order_by("-active_from"),
            "upcoming": upcoming,
            "late": [day for day in upcoming if day.late],
            "recent": recent,
            "below": reception.below_minimum(mandates, today.year),
            "mandates": mandates,
            "minimum": settings.RENDA_RECEPTION_DAYS_PER_DEPUTY,
            "year": today.year,
            "may_manage": may.may_plan_reception_at(request.user, station),
            "notice_days": settings.RENDA_RECEPTION_NOTICE_DAYS,
            "today": today,
        },
    )


# ---------------------------------------------------------------- schedules


def _schedule_form(request, station, schedule=None):
    require(may.may_plan_reception_at(request.user, station))
    initial = {}
    if schedule is not None:
        initial = {
            "recurrence": schedule.recurrence,
            "days": ",".join(str(day) for day in schedule.days),
            "place": schedule.place,
            "active_from": schedule.active_from,
            "active_to": schedule.active_to,
        }
    form = ScheduleForm(request.POST or None, initial=initial or {"active_from": _today()})
    if request.method == "POST" and form.is_valid():
        try:
            reception.schedule_save(station=station, actor=request.user, schedule=schedule, **form.cleaned_data)
        except ValidationError as error:
            show_refusal(form, error)
        else:
            messages.success(request, _("The schedule was saved."))
            return redirect(_station_url(station))
    return render(
        request,
        "casework/reception/form.html",
        {"form": form, "station": station, "title": _("Reception schedule")},
    )


def schedule_create(request, uuid):
    station = get_scoped_or_404(Station.objects.select_related("township"), request.user, CHANGE, uuid=uuid)
    return _schedule_form(request, station)


def schedule_edit(request, uuid):
    schedule = get_scoped_or_404(
        ReceptionSchedule.objects.select_related("station__township"), request.user, CHANGE, uuid=uuid
    )
    return _schedule_form(request, schedule.station, schedule)


@require_POST
def plan(request, uuid):
    station = get_scoped_or_404(Station.objects.select_related("township"), request.user, CHANGE, uuid=uuid)
    created = reception.plan_days(station=station, actor=request.user)
    messages.success(request, _("%(count)s reception days were planned.") % {"count": len(created)})
    return redirect(_station_url(station))


@require_POST
def announce(request, uuid):
    station = get_scoped_or_404(Station.objects.select_related("township"), request.user, CHANGE, uuid=uuid)
    count = reception.announce(station=station, actor=request.user)
    messages.success(request, _("The notice of %(count)s days was recorded as published today.") % {"count": count})
    return redirect(_station_url(station))


# ---------------------------------------------------------------- the notice


def _notice_days(request, station):
    return list(
        _days(scoped(ReceptionDay, request.user).filter(station=station, date__gte=_today())).filter(
            state=ReceptionState.PLANNED
        )[:30]
    )


def notice(request, uuid):
    station = get_scoped_or_404(Station.objects.select_related("township"), request.user, VIEW, uuid=uuid)
    require(may.may_view_reception(request.user))
    return render(
        request,
        "casework/reception/notice.html",
        {
            "station": station,
            "days": _notice_days(request, station),
            "notice_days": settings.RENDA_RECEPTION_NOTICE_DAYS,
        },
    )


def notice_docx(request, uuid):
    station = get_scoped_or_404(Station.objects.select_related("township"), request.user, VIEW, uuid=uuid)
    require(may.may_view_reception(request.user))
    days = _notice_days(request, station)
    rows = [
        [
            f"{day.date:%Y-%m-%d} {WEEKDAYS[day.date.weekday()]}",
            day.place or station.address,
            "、".join(mandate.person.full_name for mandate in day.deputies.all()),
        ]
        for day in days
    ]
    content = official_document(
        title=_("Notice of reception days"),
        subtitle=station.name,
        sections=[
            Section(
                paragraphs=[
                    _(
                        "Deputies of %(station)s receive voters on the days below. Voters are welcome to come "
                        "and give their opinions and suggestions."
                    )
                    % {"station": station.name}
                ],
                table=Table(headers=[_("Date"), _("Place"), _("Deputies on duty")], rows=rows, widths_mm=[45, 60, 51]),
            )
        ],
        issuer=station.township.name,
        issued_on=_today(),
    )
    return docx_response(content, f"{station.name}-{_('Notice of reception days')}.docx")


# ---------------------------------------------------------------- one day


def _duty_choices(request, station):
    today = _today()
    return (
        scoped(Mandate, request.user)
        .filter(reception.serving_filter(today), person__township__county_id=station.township.county_id)
        .filter(person__township=station.township)
        .select_related("person")
        .order_by("person__full_name")
    )


def _day_form(request, station, day=None):
    require(may.may_plan_reception_at(request.user, station))
    initial = {"place": station.address}
    if day is not None:
        initial = {
            "date": day.date,
            "place": day.place,
            "deputies": list(day.deputies.all()),
            "version": day.version,
        }
    form = DayForm(request.POST or None, initial=initial, mandates=_duty_choices(request, station))
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            saved = reception.day_save(
                station=station,
                actor=request.user,
                date=data["date"],
                place=data["place"],
                deputies=data["deputies"],
                day=day,
                version=data["version"],
            )
        except REFUSALS as error:
            show_refusal(form, error)
        else:
            messages.success(request, _("The reception day was saved."))
            return redirect("casework:reception_day", uuid=saved.uuid)
    return render(
        request, "casework/reception/form.html", {"form": form, "station": station, "title": _("Reception day")}
    )


def day_create(request, uuid):
    station = get_scoped_or_404(Station.objects.select_related("township"), request.user, CHANGE, uuid=uuid)
    return _day_form(request, station)


def _get_day(request, uuid, action=VIEW) -> ReceptionDay:
    return get_scoped_or_404(ReceptionDay.objects.select_related("station__township"), request.user, action, uuid=uuid)


def day_edit(request, uuid):
    day = _get_day(request, uuid, CHANGE)
    return _day_form(request, day.station, day)


def day_detail(request, uuid):
    day = _get_day(request, uuid)
    return render(
        request,
        "casework/reception/day.html",
        {
            "day": day,
            "deputies": list(day.deputies.select_related("person")),
            "opinions": list(reception.opinions_of(day).order_by("reference")[:100]),
            "may_manage": may.may_plan_reception_at(request.user, day.station),
            "late": day.notice_late(_today()),
            "past": day.date <= _today(),
        },
    )


def day_record(request, uuid):
    day = _get_day(request, uuid, CHANGE)
    initial = {"summary": day.summary, "visitors": day.visitors, "version": day.version}
    form = RecordForm(request.POST or None, initial=initial)
    if request.method == "POST" and form.is_valid():
        try:
            reception.record_day(day=day, actor=request.user, **form.cleaned_data)
        except REFUSALS as error:
            show_refusal(form, error)
        else:
            messages.success(request, _("The record of the day was saved."))
            return redirect("casework:reception_day", uuid=day.uuid)
    return render(
        request,
        "casework/reception/form.html",
        {"form": form, "station": day.station, "day": day, "title": _("Record of the day")},
    )


def day_cancel(request, uuid):
    day = _get_day(request, uuid, CHANGE)
    form = CancelForm(request.POST or None, initial={"version": day.version})
    if request.method == "POST" and form.is_valid():
        try:
            reception.cancel_day(day=day, actor=request.user, **form.cleaned_data)
        except REFUSALS as error:
            show_refusal(form, error)
        else:
            messages.success(request, _("The reception day was cancelled."))
            return redirect(_station_url(day.station))
    return render(
        request,
        "casework/reception/form.html",
        {"form": form, "station": day.station, "day": day, "title": _("Cancel the reception day")},
    )


def day_opinions(request, uuid):
    """Several opinions received on the day at once; all are filed, or none (each bad row listed)."""
    day = _get_day(request, uuid, CHANGE)
    formset = OpinionFormSet(request.POST or None, prefix="opinions")
    row_errors: list[str] = []
    if request.method == "POST":
        if formset.is_valid():
            rows = [
                reception.OpinionRow(**form.cleaned_data)
                for form in formset.forms
                if form.has_changed() and form.cleaned_data
            ]
            if not rows:
                row_errors.append(_("Write at least one opinion."))
            else:
                try:
                    filed = reception.file_opinions(day=day, actor=request.user, rows=rows)
                except reception.OpinionsRefused as refused:
                    row_errors = [
                        _("Row %(row)s: %(errors)s") % {"row": index + 1, "errors": " ".join(errors)}
                        for index, errors in sorted(refused.errors.items())
                    ]
                except ValidationError as error:
                    row_errors = list(error.messages)
                else:
                    messages.success(request, _("%(count)s opinions were entered as cases.") % {"count": len(filed)})
                    return redirect("casework:reception_day", uuid=day.uuid)
        else:
            row_errors = [
                _("Row %(row)s: %(errors)s")
                % {
                    "row": index + 1,
                    "errors": " ".join(str(m) for messages_ in form.errors.values() for m in messages_),
                }
                for index, form in enumerate(formset.forms)
                if form.errors
            ] + [str(error) for error in formset.non_form_errors()]
    return render(
        request,
        "casework/reception/opinions.html",
        {"day": day, "formset": formset, "row_errors": row_errors},
    )


# ---------------------------------------------------------------- QR codes and posters


def _qr_response(address: str, fmt: str, filename: str) -> HttpResponse:
    if fmt == "svg":
        response = HttpResponse(posters.qr_svg(address), content_type="image/svg+xml")
    elif fmt == "png":
        response = HttpResponse(posters.qr_png(address), content_type="image/png")
    else:
        raise Http404
    response["Content-Disposition"] = f'attachment; filename="{filename}.{fmt}"'
    return response


def _schedule_lines(station) -> list[str]:
    today = _today()
    schedules = [schedule.describe() for schedule in station.reception_schedules.all() if schedule.covers(today)]
    days = "；".join(schedules) or station.reception_schedule
    return [
        _("Address: %(address)s") % {"address": station.address} if station.address else "",
        _("Reception days: %(days)s") % {"days": days} if days else "",
    ]


def _station_for_poster(request, uuid) -> Station:
    station = get_scoped_or_404(Station.objects.select_related("township"), request.user, CHANGE, uuid=uuid)
    require(may.may_print_poster(request.user, station))
    return station


def _mandate_for_poster(request, uuid) -> Mandate:
    mandate = get_scoped_or_404(Mandate.objects.select_related("person", "station"), request.user, CHANGE, uuid=uuid)
    require(may.may_print_poster(request.user, mandate))
    return mandate


def _instruction() -> str:
    return _(
        "Scan the code with your phone's camera or WeChat, write your opinion and send it. No account "
        "is needed. Keep the tracking code you get to follow what is done."
    )


def station_poster(request, uuid):
    station = _station_for_poster(request, uuid)
    address = posters.public_address(reverse("public:station", args=[station.uuid]), request)
    content = posters.poster_docx(
        posters.Poster(
            heading=_("Scan to give your opinion"),
            title=f"{station.township.name} {station.name}",
            lines=_schedule_lines(station),
            address=address,
            instruction=_instruction(),
        )
    )
    return docx_response(content, f"{station.name}-{_('QR poster')}.docx")


def station_qr(request, uuid, fmt):
    station = _station_for_poster(request, uuid)
    address = posters.public_address(reverse("public:station", args=[station.uuid]), request)
    return _qr_response(address, fmt, "station-qr")


def deputy_poster(request, uuid):
    mandate = _mandate_for_poster(request, uuid)
    address = posters.public_address(reverse("public:deputy", args=[mandate.uuid]), request)
    station = mandate.station
    lines = _schedule_lines(station) if station is not None else []
    content = posters.poster_docx(
        posters.Poster(
            heading=_("Scan to give your opinion"),
            title=_("Deputy %(name)s") % {"name": mandate.person.full_name},
            lines=[station.name if station is not None else "", *lines],
            address=address,
            instruction=_instruction(),
        )
    )
    return docx_response(content, f"{mandate.person.full_name}-{_('QR poster')}.docx")


def deputy_qr(request, uuid, fmt):
    mandate = _mandate_for_poster(request, uuid)
    address = posters.public_address(reverse("public:deputy", args=[mandate.uuid]), request)
    return _qr_response(address, fmt, "deputy-qr")
