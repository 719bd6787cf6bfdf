"""How the JSON API answers a service's refusal, the same way in every app: ``StaleEdit`` (and an
app's own conflicts, e.g. a step the workflow does not allow) 409 with the Chinese message,
``ValidationError`` 422 with the messages per field, ``PermissionDenied`` 403 (the caller sees the
row but may not take this step). Every refusal has the body of ``RefusalOut``."""

from __future__ import annotations

import functools
from collections.abc import Callable
from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.http import JsonResponse
from django.utils.functional import Promise
from ninja import Schema
from ninja.responses import codes_4xx

from .locking import StaleEdit


class RefusalOut(Schema):
    """A refused request: ``detail`` in Chinese; ``errors`` names the fields for a 422."""

    detail: str
    errors: dict[str, list[str]] = {}


# The refusals' part of an operation's ``response`` declaration: ``{201: CaseOut, **REFUSALS}``.
REFUSALS: dict[Any, Any] = {codes_4xx: RefusalOut}


def error_response(status: int, detail: str | Promise, errors: dict[str, list[str]] | None = None) -> JsonResponse:
    return JsonResponse(
        {"detail": str(detail), "errors": errors or {}}, status=status, json_dumps_params={"ensure_ascii": False}
    )


def answers_refusals(
    forbidden: str | Promise, *, conflicts: tuple[type[Exception], ...] = ()
) -> Callable[[Callable[..., Any]], Callable[..., Any]]:
    """A decorator for an API operation that calls a service. ``forbidden`` is the 403's message
    (e.g. "you may not take this step on this case"); ``conflicts`` are the app's own exceptions
    answered 409 with their ``message``."""

    def decorate(view: Callable[..., Any]) -> Callable[..., Any]:
        @functools.wraps(view)
        def wrapper(request, *args, **kwargs):
            try:
                return view(request, *args, **kwargs)
            except conflicts as exc:
                return error_response(409, str(getattr(exc, "message", exc)))
            except StaleEdit as exc:
                return error_response(409, str(exc.args[0]) if exc.args else str(StaleEdit.message))
            except ValidationError as exc:
                if hasattr(exc, "error_dict"):
                    errors = {field: [str(m) for m in messages] for field, messages in exc.message_dict.items()}
                else:
                    errors = {"__all__": [str(m) for m in exc.messages]}
                return error_response(422, next(iter(errors.values()))[0], errors)
            except PermissionDenied:
                return error_response(403, forbidden)

        return wrapper

    return decorate
