"""Routes of the dashboards (dashboard/): the county's, its heat map, a township's; each in Excel."""

from django.urls import path

from . import views_dashboard as views

urlpatterns = [
    path("", views.dashboard, name="dashboard"),
    path("export/", views.dashboard_export, name="dashboard_export"),
    path("heat-map/", views.heat_map, name="dashboard_heat_map"),
    path("heat-map/export/", views.heat_map_export, name="dashboard_heat_map_export"),
    path("townships/<uuid:uuid>/", views.township_dashboard, name="township_dashboard"),
    path("townships/<uuid:uuid>/export/", views.township_export, name="township_dashboard_export"),
]
