"""The citizens' pages (no account): mounted at /p/ under the namespace ``public``."""

from django.urls import include, path

app_name = "public"

urlpatterns = [path("", include("renda.casework.urls_public"))]
