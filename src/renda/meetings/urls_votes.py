"""Routes of the meetings area: votes and the resolutions they adopted."""

from django.urls import path

from . import views_votes as views

urlpatterns = [
    path("<uuid:uuid>/votes/", views.meeting_votes, name="votes"),
    path("votes/<uuid:uuid>/correct/", views.vote_correct, name="vote_correct"),
    path("<uuid:uuid>/resolutions/new/", views.resolution_adopt, name="resolution_adopt"),
    path("resolutions/", views.resolution_list, name="resolutions"),
    path("resolutions/<uuid:uuid>/", views.resolution_detail, name="resolution"),
    path("resolutions/<uuid:uuid>/report/", views.resolution_report, name="resolution_report"),
    path("resolutions/<uuid:uuid>/done/", views.resolution_done, name="resolution_done"),
]
