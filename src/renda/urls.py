from django.conf import settings
from django.contrib import admin
from django.urls import include, path

from . import views
from .api import api_urls

urlpatterns = [
    path("", views.home, name="home"),
    path("accounts/", include("renda.accounts.urls")),
    path("org/", include("renda.organisations.urls")),
    path("deputies/", include("renda.deputies.urls")),
    path("calendar/", include("renda.workcalendar.urls")),
    path("cases/", include("renda.casework.urls")),
    path("meetings/", include("renda.meetings.urls")),
    path("activities/", include("renda.activities.urls")),
    path("notices/", include("renda.notices.urls")),
    path("assessment/", include("renda.assessment.urls")),
    # Citizens' pages: no account needed (a station's QR code leads here).
    path("p/", include("renda.casework.urls_public_root")),
    path("api/v1/", api_urls()),
    # Publicity: staff pages under /publicity/, the county's public page under /public/ (no account).
    path("", include("renda.publicity.urls")),
]

if settings.ADMIN_ENABLED:
    urlpatterns.append(path("django-admin/", admin.site.urls))

handler400 = "renda.core.views.bad_request"
handler403 = "renda.core.views.permission_denied"
handler404 = "renda.core.views.page_not_found"
handler500 = "renda.core.views.server_error"
