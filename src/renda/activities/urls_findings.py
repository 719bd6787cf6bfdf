"""An activity's photos, findings and documents, and the county's activity types (no app_name: the
names are "activities:<name>")."""

from django.urls import path

from . import views_findings as views
from . import views_types

urlpatterns = [
    path("<uuid:uuid>/photos/add/", views.photo_add, name="photo_add"),
    path("photos/<uuid:uuid>/", views.photo, name="photo"),
    path("photos/<uuid:uuid>/delete/", views.photo_delete, name="photo_delete"),
    path("<uuid:uuid>/findings/add/", views.finding_add, name="finding_add"),
    path("findings/<uuid:uuid>/case/", views.finding_to_case, name="finding_to_case"),
    path("<uuid:uuid>/documents/notice/", views.notice_document, name="document_notice"),
    path("<uuid:uuid>/documents/signin-sheet/", views.signin_sheet_document, name="document_signin_sheet"),
    path("<uuid:uuid>/documents/signin-sheet.xlsx", views.signin_sheet_workbook, name="document_signin_sheet_excel"),
    path("types/", views_types.type_list, name="types"),
    path("types/<uuid:uuid>/", views_types.type_edit, name="type_edit"),
    path("types/<uuid:uuid>/move/", views_types.type_move, name="type_move"),
]
