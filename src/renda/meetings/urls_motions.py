"""Routes of the meetings area: a session's motions and suggestions, and the congresses' size."""

from django.urls import path

from . import views_motions as views

urlpatterns = [
    path("<uuid:uuid>/motions/", views.motion_list, name="motions"),
    path("<uuid:uuid>/motions/new/", views.motion_new, name="motion_new"),
    path("<uuid:uuid>/suggestions/new/", views.suggestion_new, name="suggestion_new"),
    path("motions/<uuid:uuid>/", views.motion_detail, name="motion_detail"),
    path("motions/<uuid:uuid>/decide/", views.motion_decide, name="motion_decide"),
    path("motions/<uuid:uuid>/suggestion/", views.motion_to_suggestion, name="motion_to_suggestion"),
    path("congress/", views.congress, name="congress"),
    path("congress/<uuid:uuid>/", views.congress_size, name="congress_size"),
]
