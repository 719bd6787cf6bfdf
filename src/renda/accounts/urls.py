from django.contrib.auth import views as auth_views
from django.urls import path

from . import views

app_name = "accounts"

urlpatterns = [
    path("login/", views.LoginView.as_view(), name="login"),
    path("logout/", auth_views.LogoutView.as_view(), name="logout"),
    path("password/", views.PasswordChangeView.as_view(), name="password_change"),
    path(
        "password/done/",
        auth_views.PasswordChangeDoneView.as_view(template_name="accounts/password_change_done.html"),
        name="password_change_done",
    ),
    path("audit/", views.audit_log, name="audit_log"),
    path("api-tokens/", views.api_tokens, name="api_tokens"),
    path("api-tokens/<uuid:uuid>/revoke/", views.api_token_revoke, name="api_token_revoke"),
    path("users/", views.user_list, name="user_list"),
    path("users/new/", views.user_create, name="user_create"),
    path("users/<uuid:uuid>/edit/", views.user_edit, name="user_edit"),
    path("users/<uuid:uuid>/password-reset/", views.user_password_reset, name="user_password_reset"),
    path("users/<uuid:uuid>/role/", views.user_authorisation, name="user_authorisation"),
    path("users/<uuid:uuid>/person/", views.user_person_link, name="user_person_link"),
    path("pii/<str:model_label>/<uuid:uuid>/<slug:field>/", views.pii_reveal, name="pii_reveal"),
    path("two-factor/setup/", views.two_factor_setup, name="two_factor_setup"),
    path("two-factor/verify/", views.two_factor_verify, name="two_factor_verify"),
    path("users/<uuid:uuid>/two-factor/reset/", views.two_factor_reset, name="two_factor_reset"),
    path("security/", views.security_overview, name="security_overview"),
    path("users/<uuid:uuid>/sessions/end/", views.sessions_end, name="sessions_end"),
    path("security/lockouts/reset/", views.lockout_reset, name="lockout_reset"),
    path("security/notices/<uuid:uuid>/acknowledge/", views.security_notice_acknowledge, name="security_notice_ack"),
    path("audit/verify/", views.audit_verify, name="audit_verify"),
    path("exports/approvals/", views.export_approvals, name="export_approvals"),
    path("exports/approvals/<uuid:uuid>/approve/", views.export_approval_grant, name="export_approval_grant"),
    path("exports/approvals/request/", views.export_approval_request, name="export_approval_request"),
    path("exports/approvals/<uuid:uuid>/refuse/", views.export_approval_refuse, name="export_approval_refuse"),
]
