"""The assessment's pages; each part (schemes and scores, dashboards, reports, year documents)
appends its include below (names are "assessment:<name>")."""

from django.urls import include, path  # noqa: F401  (each part appends its include below)

app_name = "assessment"

urlpatterns: list = []
urlpatterns.append(path("", include("renda.assessment.urls_schemes")))
urlpatterns.append(path("documents/", include("renda.assessment.urls_documents")))
urlpatterns.append(path("reports/", include("renda.assessment.urls_reports")))
urlpatterns.append(path("dashboard/", include("renda.assessment.urls_dashboard")))
