"""How a page shows a service's refusal: one helper for the staff's, the agency's, the deputy's and
the reception pages, so a refused step reads the same everywhere and the form keeps what was typed."""

from __future__ import annotations

from django import forms
from django.core.exceptions import ValidationError

from renda.core.locking import StaleEdit

from .workflow import IllegalTransition

# What the services raise on a step the user may take but that cannot be taken now; the views catch
# these (and only these: anything else is a bug and should not be dressed up as a form error).
REFUSALS = (IllegalTransition, StaleEdit, ValidationError)


def show_refusal(form: forms.BaseForm, error: Exception) -> None:
    """A service's refusal on the form: a field's error beside the field, the rest above the form."""
    if isinstance(error, IllegalTransition):
        form.add_error(None, error.message)
    elif isinstance(error, StaleEdit):
        form.add_error(None, str(StaleEdit.message))
    elif isinstance(error, ValidationError) and hasattr(error, "error_dict"):
        for field, messages in error.message_dict.items():
            form.add_error(field if field in form.fields else None, messages)
    elif isinstance(error, ValidationError):
        form.add_error(None, error.messages)
    else:  # pragma: no cover - callers catch REFUSALS only
        raise error
