"""The reports area's pages (mounted at /cases/, namespace ``casework``): a case's Word documents,
the case list in Excel, the figures and the digest for the county leaders."""

from django.urls import path

from . import views_reports as views

urlpatterns = [
    path("<uuid:uuid>/documents/assignment-notice/", views.assignment_notice, name="document_assignment_notice"),
    path("<uuid:uuid>/documents/reminder-letter/", views.reminder_letter_issue, name="reminder_letter_issue"),
    path(
        "<uuid:uuid>/documents/reminder-letter/<int:year>/<int:sequence>/",
        views.reminder_letter,
        name="document_reminder_letter",
    ),
    path("<uuid:uuid>/documents/reply-letter/citizen/", views.reply_letter_citizen, name="document_reply_citizen"),
    path("<uuid:uuid>/documents/reply-letter/<uuid:mandate>/", views.reply_letter, name="document_reply_letter"),
    path("<uuid:uuid>/documents/opinion-form/", views.opinion_form, name="document_opinion_form"),
    path("documents/opinion-form/", views.blank_opinion_form, name="blank_opinion_form"),
    path("export/", views.case_export, name="export"),
    path("figures/", views.figures_page, name="figures"),
    path("figures/export/", views.figures_export, name="figures_export"),
    path("digests/", views.digest_list, name="digest_list"),
    path("digests/<uuid:uuid>/", views.digest_edit, name="digest_edit"),
    path("digests/<uuid:uuid>/candidates/", views.digest_candidates, name="digest_candidates"),
    path("digests/<uuid:uuid>/items/", views.digest_item_add, name="digest_item_add"),
    path("digests/<uuid:uuid>/issue/", views.digest_issue, name="digest_issue"),
    path("digests/<uuid:uuid>/document/", views.digest_document, name="digest_document"),
    path("digest-items/<uuid:uuid>/", views.digest_item_edit, name="digest_item_edit"),
    path("digest-items/<uuid:uuid>/remove/", views.digest_item_remove, name="digest_item_remove"),
    path("digest-items/<uuid:uuid>/feedback/", views.digest_feedback, name="digest_feedback"),
]
