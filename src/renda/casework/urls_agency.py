"""The agency's pages (the inbox and the steps on a case), attachments, and the deputy's own
suggestions and ratings. Agency steps live under /cases/<uuid>/agency/…, apart from staff's."""

from django.urls import path

from . import views_agency as views

urlpatterns = [
    path("inbox/", views.inbox_page, name="inbox"),
    path("mine/", views.my_cases, name="my_cases"),
    path("<uuid:uuid>/agency/", views.agency_case, name="agency_case"),
    path("<uuid:uuid>/agency/accept/", views.accept_assignment, name="agency_accept"),
    path("<uuid:uuid>/agency/hand-back/", views.hand_back, name="agency_hand_back"),
    path("<uuid:uuid>/agency/note/", views.note, name="agency_note"),
    path("<uuid:uuid>/agency/view/", views.co_view, name="agency_co_view"),
    path("<uuid:uuid>/agency/extension/", views.extension, name="agency_extension"),
    path("<uuid:uuid>/agency/answer/", views.answer, name="agency_answer"),
    path("<uuid:uuid>/attachments/", views.attachment_add, name="attachment_add"),
    path("attachments/<uuid:uuid>/", views.attachment_download, name="attachment"),
    path("<uuid:uuid>/rate/", views.rate, name="rate"),
]
