"""The JSON API under /api/v1/. Every operation needs a session or a bearer token, and reads its
rows through the same scoping as the pages."""

from django.contrib.auth.decorators import login_required
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
    description=(
        "乡镇人大工作平台数据接口（JSON API）。登录后的浏览器会话可直接调用；"
        "程序请在请求头中发送 `Authorization: Bearer <令牌>`，令牌在“API 令牌”页面创建。"
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
