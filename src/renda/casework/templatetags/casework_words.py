"""A case's timeline in words: the label of each step and the details it recorded."""

from django import template

from renda.accounts import events

from ..workflow import Step

register = template.Library()


@register.filter
def step_label(code: str) -> str:
    try:
        return str(Step(code).label)
    except ValueError:
        return code


@register.filter
def event_details(event) -> list[tuple[str, str]]:
    return events.describe(event.data, target_type="casework.case")


@register.filter
def who(user) -> str:
    """A person acting on a case, by name (their account name is not for every reader of the case)."""
    if user is None:
        return ""
    return user.full_name or str(user.get_role_display())
