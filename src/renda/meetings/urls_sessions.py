"""Routes of the meetings area: the list, planning, the meeting's page and its forms."""

from django.urls import path

from . import views_sessions as views

urlpatterns = [
    path("", views.meeting_list, name="list"),
    path("new/", views.meeting_new, name="new"),
    path("<uuid:uuid>/", views.meeting_detail, name="detail"),
    path("<uuid:uuid>/edit/", views.meeting_edit, name="edit"),
    path("<uuid:uuid>/cancel/", views.meeting_cancel, name="cancel"),
    path("<uuid:uuid>/notice/", views.meeting_notice, name="notice"),
    path("<uuid:uuid>/agenda/", views.agenda_add, name="agenda_add"),
    path("<uuid:uuid>/participants/", views.participants, name="participants"),
    path("<uuid:uuid>/observers/", views.observer_add, name="observer_add"),
    path("agenda/<uuid:uuid>/remove/", views.agenda_remove, name="agenda_remove"),
    path("agenda/<uuid:uuid>/documents/", views.agenda_document_add, name="agenda_document_add"),
    path("documents/<uuid:uuid>/", views.agenda_document, name="agenda_document"),
]
