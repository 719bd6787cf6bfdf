"""Publicity: the staff pages under /publicity/ and the county's public page under /public/ (no
account: the views are ``login_not_required``). Names "publicity:<name>"."""

from django.urls import path

from . import views, views_public

app_name = "publicity"

urlpatterns = [
    path("publicity/news/", views.news_list, name="news"),
    path("publicity/news/new/", views.news_new, name="news_new"),
    path("publicity/news/<uuid:uuid>/", views.news_item, name="news_item"),
    path("publicity/news/<uuid:uuid>/edit/", views.news_edit, name="news_edit"),
    path("publicity/news/<uuid:uuid>/submit/", views.news_submit, name="news_submit"),
    path("publicity/news/<uuid:uuid>/publish/", views.news_publish, name="news_publish"),
    path("publicity/news/<uuid:uuid>/withdraw/", views.news_withdraw, name="news_withdraw"),
    path("publicity/news/<uuid:uuid>/photo/", views.news_photo, name="news_photo"),
    path("publicity/news/<uuid:uuid>/media/", views.news_media, name="news_media"),
    path("publicity/news/<uuid:uuid>/published/", views.news_published, name="news_published"),
    path("publicity/articles/", views.article_list, name="articles"),
    path("publicity/articles/new/", views.article_new, name="article_new"),
    path("publicity/articles/export/", views.article_export, name="article_export"),
    path("publicity/articles/<uuid:uuid>/", views.article_detail, name="article"),
    path("publicity/articles/<uuid:uuid>/edit/", views.article_edit, name="article_edit"),
    path("publicity/articles/<uuid:uuid>/confirm/", views.article_confirm, name="article_confirm"),
    path("publicity/articles/<uuid:uuid>/reject/", views.article_reject, name="article_reject"),
    path("publicity/articles/<uuid:uuid>/scan/", views.article_scan, name="article_scan"),
    # The county's public page: no account needed.
    path("public/<uuid:county>/", views_public.public_page, name="public"),
    path("public/<uuid:county>/<uuid:uuid>/", views_public.public_item, name="public_item"),
    path("public/<uuid:county>/<uuid:uuid>/photo/", views_public.public_photo, name="public_photo"),
]
