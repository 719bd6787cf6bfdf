"""The meetings area (/meetings/): each part of it keeps its routes in a module of its own."""

from django.urls import include, path

app_name = "meetings"

urlpatterns = [
    path("", include("renda.meetings.urls_sessions")),
    path("", include("renda.meetings.urls_attendance")),
    path("", include("renda.meetings.urls_votes")),
    path("", include("renda.meetings.urls_motions")),
    path("", include("renda.meetings.urls_reports")),
]
