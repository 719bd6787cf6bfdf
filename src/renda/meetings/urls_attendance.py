"""Routes of the meetings area: attendance, the sign-in QR code and leave."""

from django.urls import path

from . import views_attendance as views

urlpatterns = [
    path("<uuid:uuid>/attendance/", views.attendance, name="attendance"),
    path("<uuid:uuid>/attendance/quorum/", views.attendance_quorum, name="attendance_quorum"),
    path("<uuid:uuid>/attendance/open/", views.attendance_open, name="attendance_open"),
    path("<uuid:uuid>/attendance/close/", views.attendance_close, name="attendance_close"),
    path("<uuid:uuid>/signin-code/", views.signin_code, name="signin_code"),
    path("<uuid:uuid>/signin-code/withdraw/", views.signin_code_withdraw, name="signin_code_withdraw"),
    path("signin/<str:token>/", views.signin, name="signin"),
    path("attendance/<uuid:uuid>/sign-in/", views.attendance_sign_in, name="attendance_sign_in"),
    path("attendance/<uuid:uuid>/undo/", views.attendance_undo, name="attendance_undo"),
    path("attendance/<uuid:uuid>/leave/", views.leave_request, name="leave_request"),
    path("leave/<uuid:uuid>/decide/", views.leave_decide, name="leave_decide"),
]
