"""Who is acting, from where, in which request — available to services without passing the request.

The middleware fills it for web requests; management commands and tasks leave it empty,
and the audit log then records the process as the origin.
"""

from collections.abc import Callable
from contextvars import ContextVar
from dataclasses import dataclass


@dataclass(frozen=True)
class RequestContext:
    request_id: str
    ip_address: str | None
    user_agent: str


_current: ContextVar[RequestContext | None] = ContextVar("renda_request_context", default=None)
_after_request: ContextVar[list[Callable[[], None]] | None] = ContextVar("renda_after_request", default=None)


def current_request_context() -> RequestContext | None:
    return _current.get()


def set_request_context(context: RequestContext | None):
    return _current.set(context)


def reset_request_context(token) -> None:
    _current.reset(token)


def after_request(callback: Callable[[], None]) -> bool:
    """Run ``callback`` once the view has answered, after every transaction it opened has ended,
    committed or rolled back. False outside a web request: the caller then acts at once."""
    pending = _after_request.get()
    if pending is None:
        return False
    pending.append(callback)
    return True


def begin_after_request():
    return _after_request.set([])


def run_after_request(token) -> None:
    """Run the callbacks ``after_request`` collected, in order, and stop collecting."""
    pending = _after_request.get() or []
    _after_request.reset(token)
    for callback in pending:
        callback()
