from django.urls import path

from . import views

app_name = "deputies"

urlpatterns = [
    path("", views.roster, name="roster"),
    path("<uuid:uuid>/", views.person_detail, name="person_detail"),
]
