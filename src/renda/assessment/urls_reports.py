"""Routes of the year-end documents (/assessment/reports/); names are "assessment:<name>"."""

from django.urls import path

from . import views_reports as views

urlpatterns = [
    path("", views.reports, name="reports"),
    path("<uuid:uuid>/table.xlsx", views.scheme_excel, name="scheme_excel"),
    path("<uuid:uuid>/report.docx", views.scheme_word, name="scheme_word"),
]
