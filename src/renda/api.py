"""The JSON API under /api/v1/. Every operation needs a session or a bearer token, and reads its
rows through the same scoping as the pages."""

from django.contrib.auth.decorators import login_required
from django.utils.translation import gettext_lazy as _
from ninja import NinjaAPI
from ninja.security import HttpBearer, SessionAuth

from renda.accounts.services import api_token_authenticate
from renda.core.registry import api_routers


class BearerTokenAuth(HttpBearer):
    def authenticate(self, request, token):
        user = api_token_authenticate(token, request=request)
        if user is not None:
            request.user = user
        return user


api = NinjaAPI(
    title="renda API",
    version="1",
    # Translated when the OpenAPI document is rendered (a lazy string; ninja's encoder writes it).
    description=_(  # type: ignore[arg-type]
        "JSON API of the township congress work platform. A signed-in browser session may call it; "
        "programs send `Authorization: Bearer <token>` with a token created on the API tokens page."
    ),
    auth=[SessionAuth(), BearerTokenAuth()],
    docs_decorator=login_required,
    urls_namespace="api",
)
# The apps declare their routers in their AppConfig.ready(), which Django runs before the URLconf
# (and so this module) is imported.
for entry in api_routers:
    api.add_router(entry.prefix, entry.router)


def api_urls():
    """The API's URL patterns. Ninja answers 401 itself, so the login redirect must not intercept."""
    patterns, app_name, namespace = api.urls
    for pattern in patterns:
        if pattern.name not in {"openapi-json", "openapi-view"}:
            pattern.callback.login_required = False
    return patterns, app_name, namespace
