"""The notice board (/notices/)."""

from django.urls import path

from . import views

app_name = "notices"

urlpatterns: list = [
    path("", views.board, name="board"),
    path("new/", views.compose, name="compose"),
    path("<uuid:uuid>/", views.detail, name="detail"),
    path("<uuid:uuid>/read/", views.confirm_read, name="read"),
    path("<uuid:uuid>/withdraw/", views.withdraw, name="withdraw"),
]
