"""The staff's casework pages (mounted at /cases/, namespace ``casework``)."""

from django.urls import path

from . import views_staff as views

urlpatterns = [
    path("", views.case_list, name="list"),
    path("new/", views.case_new, name="new"),
    path("new/duplicates/", views.case_duplicates, name="duplicates"),
    path("categories/", views.category_list, name="categories"),
    path("categories/defaults/", views.category_defaults, name="category_defaults"),
    path("categories/<uuid:uuid>/", views.category_edit, name="category_edit"),
    path("categories/<uuid:uuid>/move/", views.category_move, name="category_move"),
    path("categories/<uuid:uuid>/active/", views.category_active, name="category_active"),
    path("<uuid:uuid>/", views.case_detail, name="detail"),
    path("<uuid:uuid>/step/<slug:step>/", views.case_action, name="step"),
]
