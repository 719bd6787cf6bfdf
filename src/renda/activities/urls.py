"""The activities area (/activities/): each part of it keeps its routes in a module of its own
(no app_name there; the names are "activities:<name>")."""

from django.urls import include, path  # noqa: F401  (each part appends its include below)

app_name = "activities"

urlpatterns: list = [
    path("", include("renda.activities.urls_activities")),
]
