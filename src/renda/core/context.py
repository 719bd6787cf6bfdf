"""Who is acting, from where, in which request — available to services without passing the request.

The middleware fills it for web requests; management commands and tasks leave it empty,
and the audit log then records the process as the origin.
"""

from contextvars import ContextVar
from dataclasses import dataclass


@dataclass(frozen=True)
class RequestContext:
    request_id: str
    ip_address: str | None
    user_agent: str


_current: ContextVar[RequestContext | None] = ContextVar("renda_request_context", default=None)


def current_request_context() -> RequestContext | None:
    return _current.get()


def set_request_context(context: RequestContext | None):
    return _current.set(context)


def reset_request_context(token) -> None:
    _current.reset(token)
