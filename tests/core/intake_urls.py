"""A stand-in public form for the intake-safety tests: the real one arrives with casework."""

from django.contrib.auth.decorators import login_not_required
from django.http import JsonResponse
from django.middleware.csrf import get_token
from django.urls import path

from renda import urls as site_urls
from renda.core.ratelimit import rate_limited
from renda.core.submission import InvalidSubmissionToken, claim_submission, issue_submission_token
from renda.core.tracking import new_tracking_code


@login_not_required
def form(request):
    # A real form embeds both in the page; CSRF protection applies to public forms too (S14).
    return JsonResponse({"submission": issue_submission_token(), "csrf": get_token(request)})


@login_not_required
@rate_limited("30/m", scope="test-intake")
def submit(request):
    try:
        code, created = claim_submission(request.POST.get("token", ""), new_tracking_code)
    except InvalidSubmissionToken:
        return JsonResponse({"error": "invalid token"}, status=400)
    return JsonResponse({"code": code, "created": created})


urlpatterns = [path("form/", form), path("submit/", submit), *site_urls.urlpatterns]
