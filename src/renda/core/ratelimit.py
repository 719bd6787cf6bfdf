"""Rate limits for public pages (S35), counted in the cache (Redis in production).

Tuned for crowds: on a reception day a station's whole queue submits from one address (one
mobile hotspot, one NAT), so the public form allows dozens a minute per address and answers
excess with a friendly 429 page, never an error.
"""

import time
from collections.abc import Callable
from dataclasses import dataclass
from functools import wraps

from django.core.cache import cache
from django.shortcuts import render

from .middleware import client_ip


@dataclass(frozen=True)
class Rate:
    limit: int
    seconds: int

    @classmethod
    def parse(cls, text: str) -> "Rate":
        """``"30/m"`` → 30 per minute; units s, m, h, d."""
        count, unit = text.split("/")
        return cls(int(count), {"s": 1, "m": 60, "h": 3600, "d": 86400}[unit])


def hit(key: str, rate: Rate) -> bool:
    """Count one request against ``key``; False once the sliding window's limit is exceeded.

    A sliding-window counter: the current fixed window's count plus the previous window's count
    weighted by how much of it the sliding window still covers. A plain fixed window would let a
    burst of twice the limit through across a window boundary, and reset a client mid-burst."""
    now = time.time()
    window, elapsed = divmod(now, rate.seconds)
    current = f"ratelimit:{key}:{int(window)}"
    # Each counter must outlive the window after it, which still reads it.
    timeout = 2 * rate.seconds + 1
    # add() creates the counter atomically with its expiry; incr() is atomic in Redis.
    cache.add(current, 0, timeout=timeout)
    try:
        count = cache.incr(current)
    except ValueError:  # expired between add and incr
        cache.add(current, 1, timeout=timeout)
        count = 1
    previous = cache.get(f"ratelimit:{key}:{int(window) - 1}", 0)
    return count + previous * (1 - elapsed / rate.seconds) <= rate.limit


def by_address(request) -> str:
    return client_ip(request) or "unknown"


def rate_limited(rate: str, *, key: Callable = by_address, scope: str = "", methods=("POST",)):
    """Decorate a view: beyond ``rate`` requests per key, answer 429 with the friendly page."""
    parsed = Rate.parse(rate)

    def decorate(view):
        name = scope or f"{view.__module__}.{view.__name__}"

        @wraps(view)
        def wrapper(request, *args, **kwargs):
            if request.method in methods and not hit(f"{name}:{key(request)}", parsed):
                response = render(request, "errors/429.html", {"retry_seconds": parsed.seconds}, status=429)
                response["Retry-After"] = str(parsed.seconds)
                return response
            return view(request, *args, **kwargs)

        return wrapper

    return decorate
