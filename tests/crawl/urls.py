"""The registry the crawl tests walk: every URL pattern of the site, and how to fill its arguments
with an object of township A (own) or township B (foreign).

A new page fails ``test_every_url_is_registered`` until it is added here, so no page escapes the
scope, login and query-count checks.
"""

from django.urls import URLPattern, URLResolver, get_resolver

from renda.accounts.models import ApiToken
from renda.accounts.services import api_token_create

# Views reachable without logging in. Keep it short: every entry is an attack surface.
PUBLIC = {"accounts:login"}

# The JSON API authenticates itself (401, not a login redirect); tests/test_api.py crawls it.
API_NAMESPACE = "api:"


def _token(world, side: str) -> ApiToken:
    owner = world.staff_a if side == "a" else world.staff_b
    token = ApiToken.objects.filter(user=owner).first()
    return token or api_token_create(user=owner, name="crawl", actor=owner)[0]


def _unit(world, side, name):
    return getattr(world, f"{name}_{side}")


SAMPLES = {
    "home": None,
    "accounts:login": None,
    "accounts:logout": None,
    "accounts:password_change": None,
    "accounts:password_change_done": None,
    "accounts:audit_log": None,
    "accounts:api_tokens": None,
    "accounts:api_token_revoke": lambda w, s: {"uuid": _token(w, s).uuid},
    "accounts:user_list": None,
    "accounts:user_create": None,
    "accounts:user_edit": lambda w, s: {"uuid": (w.staff_a if s == "a" else w.staff_b).uuid},
    "accounts:pii_reveal": lambda w, s: {
        "model_label": "deputies.person",
        "uuid": _unit(w, s, "person").uuid,
        "field": "phone",
    },
    "organisations:index": None,
    "organisations:county_list": None,
    "organisations:county_create": None,
    "organisations:township_create": None,
    "organisations:township_detail": lambda w, s: {"uuid": _unit(w, s, "township").uuid},
    "organisations:township_edit": lambda w, s: {"uuid": _unit(w, s, "township").uuid},
    "organisations:station_create": lambda w, s: {"uuid": _unit(w, s, "township").uuid},
    "organisations:group_create": lambda w, s: {"uuid": _unit(w, s, "township").uuid},
    "organisations:term_create": lambda w, s: {"uuid": _unit(w, s, "township").uuid},
    "organisations:township_import": lambda w, s: {"uuid": (w.county if s == "a" else w.other_county).uuid},
    "organisations:station_edit": lambda w, s: {"uuid": _unit(w, s, "station").uuid},
    "organisations:group_edit": lambda w, s: {"uuid": _unit(w, s, "group").uuid},
    "organisations:agency_list": None,
    "organisations:agency_create": None,
    "organisations:agency_edit": lambda w, s: {"uuid": _unit(w, s, "agency").uuid},
    "organisations:unit_set_active": lambda w, s: {"kind": "stations", "uuid": _unit(w, s, "station").uuid},
    "deputies:roster": None,
    "deputies:person_detail": lambda w, s: {"uuid": _unit(w, s, "person").uuid},
}


def all_url_names() -> list[str]:
    names: list[str] = []

    def walk(patterns, prefix: str) -> None:
        for pattern in patterns:
            if isinstance(pattern, URLResolver):
                walk(pattern.url_patterns, f"{prefix}{pattern.namespace}:" if pattern.namespace else prefix)
            elif isinstance(pattern, URLPattern):
                names.append(f"{prefix}{pattern.name}")

    walk(get_resolver().url_patterns, "")
    return names


def page_url_names() -> list[str]:
    return [name for name in all_url_names() if not name.startswith(API_NAMESPACE)]
