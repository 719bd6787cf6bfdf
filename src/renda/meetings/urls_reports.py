"""Routes of the meetings area: reports — the compliance view, the minutes and the meeting's documents."""

from django.urls import path

from . import views_reports as views

urlpatterns = [
    path("compliance/", views.compliance_page, name="compliance"),
    path("compliance/export/", views.compliance_export, name="compliance_export"),
    path("<uuid:uuid>/minutes/", views.minutes, name="minutes"),
    path("<uuid:uuid>/documents/notice/", views.notice_document, name="document_notice"),
    path("<uuid:uuid>/documents/minutes/", views.minutes_document, name="document_minutes"),
    path("<uuid:uuid>/documents/signin-sheet/", views.signin_sheet_document, name="document_signin_sheet"),
    path("<uuid:uuid>/documents/signin-sheet/excel/", views.signin_sheet_workbook, name="document_signin_sheet_excel"),
    path("<uuid:uuid>/documents/vote-tally/", views.vote_tally_document, name="document_vote_tally"),
    path("<uuid:uuid>/documents/vote-tally/excel/", views.vote_tally_workbook, name="document_vote_tally_excel"),
]
