"""Error pages: generic, in Chinese, with the request id to quote to support, never a traceback."""

from django.http import HttpResponseServerError
from django.shortcuts import render
from django.template import loader


def _error(request, status: int, template: str):
    return render(request, template, {"request_id": getattr(request, "request_id", "")}, status=status)


def bad_request(request, exception=None):
    return _error(request, 400, "errors/400.html")


def permission_denied(request, exception=None):
    return _error(request, 403, "errors/403.html")


def page_not_found(request, exception=None):
    return _error(request, 404, "errors/404.html")


def server_error(request):
    # Rendered without the request's context processors: whatever failed may fail again there.
    body = loader.get_template("errors/500.html").render({"request_id": getattr(request, "request_id", "")})
    return HttpResponseServerError(body)
