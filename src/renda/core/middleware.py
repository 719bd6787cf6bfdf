import ipaddress
import json
import uuid

from django.conf import settings
from django.core.exceptions import BadRequest

from .context import (
    RequestContext,
    begin_after_request,
    reset_request_context,
    run_after_request,
    set_request_context,
)


def client_ip(request) -> str | None:
    """The client's address, for the audit log, lockouts, rate limits and the administrator
    networks: every use of the client's address goes through here.

    Each of the ``RENDA_TRUSTED_PROXIES`` reverse proxies appends the address it received the
    request from to X-Forwarded-For, after whatever the client itself sent in that header. Only
    what the trusted proxies wrote can be believed, so the client is the Nth value from the right,
    never the leftmost. A shorter list means fewer proxies handled the request than configured
    (typically: the setting counts one proxy too many); its leftmost value is then the address the
    outermost proxy saw, where REMOTE_ADDR would be a proxy: one address for every client, so one
    rate limit and one lockout for all, and inside the administrator networks' loopback default.
    A value that is not an IP address is never returned: REMOTE_ADDR instead."""
    remote = _valid_address(request.META.get("REMOTE_ADDR", ""))
    trusted = settings.RENDA_TRUSTED_PROXIES
    forwarded = request.META.get("HTTP_X_FORWARDED_FOR", "")
    if trusted <= 0 or not forwarded:
        return remote
    hops = [hop.strip() for hop in forwarded.split(",")]
    return _valid_address(hops[-trusted] if len(hops) >= trusted else hops[0]) or remote


def _valid_address(text: str) -> str | None:
    try:
        address = ipaddress.ip_address(text)
    except ValueError:
        return None
    # An IPv6 zone (fe80::1%eth0) names a link of the proxy's host, not a client; the database's
    # address columns refuse it.
    if isinstance(address, ipaddress.IPv6Address) and address.scope_id:
        return None
    return str(address)


class RequestContextMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        request.request_id = uuid.uuid4().hex
        token = set_request_context(
            RequestContext(
                request_id=request.request_id,
                ip_address=client_ip(request),
                user_agent=request.META.get("HTTP_USER_AGENT", "")[:200],
            )
        )
        deferred = begin_after_request()
        try:
            response = self.get_response(request)
        finally:
            try:
                # Inside the request context, so that what runs late is still attributed to it.
                run_after_request(deferred)
            finally:
                reset_request_context(token)
        response["X-Request-ID"] = request.request_id
        return response


class RejectNulCharactersMiddleware:
    """No input a person types holds a NUL character, and PostgreSQL refuses to store or compare
    one: a query, form or JSON body carrying it is answered 400 (the generic bad-request page)
    before any view, instead of reaching the database as a 500. Django's form fields refuse NUL
    already; this also covers the API's query parameters and JSON bodies (where NUL is written
    ``\\u0000``: the body is parsed only when that text is in it, so an escaped backslash before
    ``u0000`` is not mistaken for one)."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        values = [value for _key, value in request.GET.lists()]
        if request.content_type in {"application/x-www-form-urlencoded", "multipart/form-data"}:
            values += [value for _key, value in request.POST.lists()]
        if any("\x00" in text for group in values for text in group) or "\x00" in request.path:
            raise BadRequest("NUL character in the request")
        if request.content_type == "application/json" and _json_holds_nul(request.body):
            raise BadRequest("NUL character in the request")
        return self.get_response(request)


def _json_holds_nul(body: bytes) -> bool:
    if b"\x00" in body:
        return True
    if b"\\u0000" not in body:
        return False
    try:
        document = json.loads(body)
    except ValueError:
        return False  # not JSON: the view answers that
    stack = [document]
    while stack:
        item = stack.pop()
        if isinstance(item, str):
            if "\x00" in item:
                return True
        elif isinstance(item, dict):
            stack.extend(item.keys())
            stack.extend(item.values())
        elif isinstance(item, list):
            stack.extend(item)
    return False
