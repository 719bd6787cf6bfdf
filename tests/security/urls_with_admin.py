"""The site's URLs with Django's admin switched on (ADMIN_ENABLED), for the S13 test."""

from django.contrib import admin
from django.urls import path

from renda.urls import urlpatterns as site_patterns

urlpatterns = [*site_patterns, path("django-admin/", admin.site.urls)]

handler404 = "renda.core.views.page_not_found"
handler500 = "renda.core.views.server_error"
