"""Routes of the annual plans (plans/), the study library (library/) and the deputy groups'
frequency (groups/), mounted at the activities area's root."""

from django.urls import include, path

from . import views_groups, views_library, views_plans

plan_patterns = [
    path("", views_plans.plan_list, name="plans"),
    path("new/", views_plans.plan_new, name="plan_new"),
    path("county/", views_plans.plans_county, name="plans_county"),
    path("<uuid:uuid>/", views_plans.plan_detail, name="plan_detail"),
    path("<uuid:uuid>/edit/", views_plans.plan_edit, name="plan_edit"),
    path("<uuid:uuid>/approve/", views_plans.plan_approve, name="plan_approve"),
    path("<uuid:uuid>/revise/", views_plans.plan_revise, name="plan_revise"),
    path("<uuid:uuid>/items/new/", views_plans.plan_item_add, name="plan_item_add"),
    path("<uuid:uuid>/export/", views_plans.plan_export, name="plan_export"),
    path("items/<uuid:uuid>/", views_plans.plan_item, name="plan_item"),
    path("items/<uuid:uuid>/edit/", views_plans.plan_item_edit, name="plan_item_edit"),
    path("items/<uuid:uuid>/remove/", views_plans.plan_item_remove, name="plan_item_remove"),
]

library_patterns = [
    path("", views_library.library, name="library"),
    path("new/", views_library.library_new, name="library_new"),
    path("<uuid:uuid>/", views_library.library_detail, name="library_detail"),
    path("<uuid:uuid>/edit/", views_library.library_edit, name="library_edit"),
    path("<uuid:uuid>/remove/", views_library.library_remove, name="library_remove"),
    path("<uuid:uuid>/file/", views_library.library_file, name="library_file"),
    path("study/<uuid:uuid>/", views_library.study_attendance, name="study_attendance"),
]

group_patterns = [
    path("", views_groups.groups, name="groups"),
    path("<uuid:uuid>/", views_groups.groups_township, name="groups_township"),
]

urlpatterns = [
    path("plans/", include(plan_patterns)),
    path("library/", include(library_patterns)),
    path("groups/", include(group_patterns)),
]
