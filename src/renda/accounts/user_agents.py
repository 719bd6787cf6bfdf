"""A browser's user-agent string in words ("Chrome 120 · Windows 10") for the security pages,
read with ua-parser's maintained patterns (uap-core)."""

from functools import lru_cache

from django.utils.translation import gettext as _
from ua_parser import parse


def _named(family: str | None, *versions: str | None) -> str:
    if not family or family == "Other":
        return ""
    numbers = ".".join(v for v in versions if v)
    return f"{family} {numbers}".strip()


@lru_cache(maxsize=512)
def _parts(user_agent: str) -> tuple[str, str]:
    result = parse(user_agent)
    browser = _named(result.user_agent.family, result.user_agent.major) if result.user_agent else ""
    system = _named(result.os.family, result.os.major, result.os.minor) if result.os else ""
    return browser, system


def describe_user_agent(user_agent: str) -> str:
    """E.g. "Chrome 120 · Windows 10"; an unknown part is named as unknown, an empty string is "—"."""
    if not user_agent:
        return "—"
    browser, system = _parts(user_agent)
    unknown_browser, unknown_system = _("Unknown browser"), _("Unknown system")
    return f"{browser or unknown_browser} · {system or unknown_system}"
