"""Casework pages, one module per area: staff (list, entry, review and assignment), agency (the
inbox and the handling), reports (documents, figures, the digest). Public pages, which need no
account, are mounted separately under /p/ (``urls_public``)."""

from django.urls import include, path

app_name = "casework"

urlpatterns = [
    path("", include("renda.casework.urls_staff")),
    path("", include("renda.casework.urls_agency")),
    path("", include("renda.casework.urls_reports")),
    path("", include("renda.casework.urls_reception")),
]
