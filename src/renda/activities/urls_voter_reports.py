"""Reports to voters (/activities/voter-reports/); names "activities:voter_report_*"."""

from django.urls import path

from . import views_voter_reports as views

urlpatterns = [
    path("", views.report_list, name="voter_reports"),
    path("new/", views.report_new, name="voter_report_new"),
    path("rates/", views.report_rates, name="voter_report_rates"),
    path("rates/<uuid:uuid>/", views.township_rate, name="voter_report_township"),
    path("<uuid:uuid>/", views.report_detail, name="voter_report_detail"),
    path("<uuid:uuid>/edit/", views.report_edit, name="voter_report_edit"),
    path("<uuid:uuid>/held/", views.report_held, name="voter_report_held"),
    path("<uuid:uuid>/missed/", views.report_missed, name="voter_report_missed"),
    path("<uuid:uuid>/cancel/", views.report_cancel, name="voter_report_cancel"),
]
