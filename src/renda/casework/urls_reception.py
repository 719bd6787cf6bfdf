"""Reception days (接待选民日) and the QR posters of the public pages: staff pages under /cases/."""

from django.urls import path

from . import views_reception as views

urlpatterns = [
    path("reception/", views.index, name="reception"),
    path("reception/stations/<uuid:uuid>/", views.station, name="reception_station"),
    path("reception/stations/<uuid:uuid>/schedule/", views.schedule_create, name="reception_schedule_create"),
    path("reception/schedules/<uuid:uuid>/", views.schedule_edit, name="reception_schedule_edit"),
    path("reception/stations/<uuid:uuid>/plan/", views.plan, name="reception_plan"),
    path("reception/stations/<uuid:uuid>/announce/", views.announce, name="reception_announce"),
    path("reception/stations/<uuid:uuid>/notice/", views.notice, name="reception_notice"),
    path("reception/stations/<uuid:uuid>/notice.docx", views.notice_docx, name="reception_notice_docx"),
    path("reception/stations/<uuid:uuid>/days/new/", views.day_create, name="reception_day_create"),
    path("reception/days/<uuid:uuid>/", views.day_detail, name="reception_day"),
    path("reception/days/<uuid:uuid>/edit/", views.day_edit, name="reception_day_edit"),
    path("reception/days/<uuid:uuid>/record/", views.day_record, name="reception_day_record"),
    path("reception/days/<uuid:uuid>/cancel/", views.day_cancel, name="reception_day_cancel"),
    path("reception/days/<uuid:uuid>/opinions/", views.day_opinions, name="reception_day_opinions"),
    path("stations/<uuid:uuid>/poster.docx", views.station_poster, name="station_poster"),
    path("stations/<uuid:uuid>/qr.<str:fmt>", views.station_qr, name="station_qr"),
    path("deputies/<uuid:uuid>/poster.docx", views.deputy_poster, name="deputy_poster"),
    path("deputies/<uuid:uuid>/qr.<str:fmt>", views.deputy_qr, name="deputy_qr"),
]
