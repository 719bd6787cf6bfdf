"""Audit entries and sessions in words on the administrators' pages (see accounts.events)."""

from django import template

from .. import events
from ..user_agents import describe_user_agent

register = template.Library()


@register.filter
def event_label(code: str) -> str:
    return events.event_label(code)


@register.filter
def entry_details(entry) -> list[tuple[str, str]]:
    """The entry's details as (label, value) pairs."""
    return events.describe(entry.data, target_type=entry.target_type)


@register.filter
def field_path_label(path: str) -> str:
    return events.field_path_label(path)


@register.filter
def user_agent_words(user_agent: str) -> str:
    return describe_user_agent(user_agent)
