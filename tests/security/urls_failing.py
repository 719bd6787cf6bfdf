"""A URL that fails, for the S27 test: the error page must be generic, with an incident id."""

from django.urls import path

from renda.urls import urlpatterns as site_patterns


def fail(request):
    return 1 / 0


fail.login_required = False

urlpatterns = [*site_patterns, path("fail/", fail)]

handler500 = "renda.core.views.server_error"
