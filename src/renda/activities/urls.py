"""The activities area (/activities/): each part of it keeps its routes in a module of its own
(no app_name there; the names are "activities:<name>")."""

from django.urls import include, path  # noqa: F401  (each part appends its include below)

app_name = "activities"

urlpatterns: list = [
    path("", include("renda.activities.urls_plans")),
    path("voter-reports/", include("renda.activities.urls_voter_reports")),
    path("evaluations/", include("renda.activities.urls_evaluations")),
    path("", include("renda.activities.urls_findings")),
    path("", include("renda.activities.urls_activities")),
]
