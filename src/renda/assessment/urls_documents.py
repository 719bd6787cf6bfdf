"""Routes of the year documents (assessment:documents, assessment:document…)."""

from django.urls import path

from . import views_documents as views

urlpatterns = [
    path("", views.documents, name="documents"),
    path("new/", views.document_new, name="document_new"),
    path("<uuid:uuid>/", views.document, name="document"),
    path("<uuid:uuid>/remove/", views.document_remove, name="document_remove"),
    path("<uuid:uuid>/file/", views.document_file, name="document_file"),
]
