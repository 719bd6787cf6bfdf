from django.urls import path

from . import views

app_name = "workcalendar"

urlpatterns = [
    path("", views.calendar_overview, name="overview"),
    path("<int:year>/notice/", views.notice_edit, name="notice_edit"),
    path("<int:year>/notice/remove/", views.notice_remove, name="notice_remove"),
]
