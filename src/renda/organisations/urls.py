from django.urls import path

from . import views

app_name = "organisations"

urlpatterns = [
    path("", views.index, name="index"),
    path("counties/", views.county_list, name="county_list"),
    path("counties/new/", views.county_create, name="county_create"),
    path("townships/new/", views.township_create, name="township_create"),
    path("townships/<uuid:uuid>/", views.township_detail, name="township_detail"),
    path("townships/<uuid:uuid>/edit/", views.township_edit, name="township_edit"),
    path("townships/<uuid:uuid>/stations/new/", views.station_create, name="station_create"),
    path("townships/<uuid:uuid>/groups/new/", views.group_create, name="group_create"),
    path("townships/<uuid:uuid>/terms/new/", views.term_create, name="term_create"),
    path("counties/<uuid:uuid>/import-townships/", views.township_import, name="township_import"),
    path("counties/<uuid:uuid>/terms/", views.county_terms, name="county_terms"),
    path("stations/<uuid:uuid>/edit/", views.station_edit, name="station_edit"),
    path("groups/<uuid:uuid>/edit/", views.group_edit, name="group_edit"),
    path("agencies/", views.agency_list, name="agency_list"),
    path("agencies/new/", views.agency_create, name="agency_create"),
    path("agencies/<uuid:uuid>/edit/", views.agency_edit, name="agency_edit"),
    path("<slug:kind>/<uuid:uuid>/active/", views.unit_set_active, name="unit_set_active"),
]
