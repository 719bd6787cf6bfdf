"""Response headers every page gets (S23, S33). The CSP itself comes from django-csp."""

from django.conf import settings
from django.utils.cache import patch_cache_control


class SecurityHeadersMiddleware:
    """``Permissions-Policy`` on every response; ``Cache-Control: no-store`` on every page seen
    while signed in and on every API answer, so no personal information stays in a browser or
    proxy cache. Static files keep their own caching."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        response = self.get_response(request)
        response.setdefault("Permissions-Policy", settings.RENDA_PERMISSIONS_POLICY)
        if request.path.startswith("/" + settings.STATIC_URL.lstrip("/")):
            return response
        signed_in = getattr(getattr(request, "user", None), "is_authenticated", False)
        if signed_in or request.path.startswith("/api/") or "Cache-Control" not in response:
            if "Cache-Control" in response:
                del response["Cache-Control"]
            patch_cache_control(response, no_store=True, private=True, max_age=0)
        return response
