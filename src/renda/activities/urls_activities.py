"""Routes of the activities' own pages: the list, planning, the activity's page and its forms,
sign-in (the QR code and staff) and leave."""

from django.urls import path

from . import views, views_attendance

urlpatterns = [
    path("", views.activity_list, name="list"),
    path("new/", views.activity_new, name="new"),
    path("joint/new/", views.joint_new, name="joint_new"),
    path("<uuid:uuid>/", views.activity_detail, name="detail"),
    path("<uuid:uuid>/edit/", views.activity_edit, name="edit"),
    path("<uuid:uuid>/cancel/", views.activity_cancel, name="cancel"),
    path("<uuid:uuid>/notice/", views.activity_notice, name="notice"),
    path("<uuid:uuid>/participants/", views.activity_participants, name="participants"),
    path("<uuid:uuid>/held/", views.activity_held, name="held"),
    path("<uuid:uuid>/minutes/", views.activity_minutes, name="minutes"),
    path("<uuid:uuid>/signin-code/", views_attendance.signin_code, name="signin_code"),
    path("<uuid:uuid>/signin-code/qr.svg", views_attendance.signin_qr, name="signin_qr"),
    path("<uuid:uuid>/signin-code/withdraw/", views_attendance.signin_code_withdraw, name="signin_code_withdraw"),
    path("signin/<str:token>/", views_attendance.signin, name="signin"),
    path("participants/<uuid:uuid>/sign-in/", views_attendance.participant_sign_in, name="participant_sign_in"),
    path("participants/<uuid:uuid>/undo/", views_attendance.participant_undo, name="participant_undo"),
    path("participants/<uuid:uuid>/leave/", views_attendance.leave_request, name="leave_request"),
    path("participants/<uuid:uuid>/leave/decide/", views_attendance.leave_decide, name="leave_decide"),
]
