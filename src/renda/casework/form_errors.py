"""What a page catches from a service: the refusals of a step the user may take but that cannot be
taken now. The views catch these (and only these: anything else is a bug and must not be dressed up
as a form error) and show them with ``renda.core.forms.show_refusal``, keeping what was typed."""

from django.core.exceptions import ValidationError

from renda.core.locking import StaleEdit

from .workflow import IllegalTransition

REFUSALS = (IllegalTransition, StaleEdit, ValidationError)
