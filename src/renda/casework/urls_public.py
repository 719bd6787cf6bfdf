"""The citizens' pages under /p/ (namespace ``public``): no account needed."""

from django.urls import path

from . import views_public as views

urlpatterns = [
    path("s/<uuid:uuid>/", views.station_page, name="station"),
    path("d/<uuid:uuid>/", views.deputy_page, name="deputy"),
    path("t/", views.lookup, name="lookup"),
    path("t/<str:code>/", views.status, name="status"),
]
