"""Routes of the schemes and scores (schemes/), mounted at the assessment area's root; the names
are "assessment:<name>"."""

from django.urls import include, path

from . import views_schemes, views_scores

line = "townships/<uuid:township>/indicators/<uuid:indicator>/"

scheme_patterns = [
    path("", views_schemes.schemes, name="schemes"),
    path("new/", views_schemes.scheme_new, name="scheme_new"),
    path("copy/", views_schemes.scheme_copy, name="scheme_copy"),
    path("<uuid:uuid>/", views_schemes.scheme, name="scheme"),
    path("<uuid:uuid>/edit/", views_schemes.scheme_edit, name="scheme_edit"),
    path("<uuid:uuid>/sections/new/", views_schemes.section_add, name="section_add"),
    path("sections/<uuid:uuid>/edit/", views_schemes.section_edit, name="section_edit"),
    path("sections/<uuid:uuid>/remove/", views_schemes.section_remove, name="section_remove"),
    path("sections/<uuid:uuid>/indicators/new/", views_schemes.indicator_add, name="indicator_add"),
    path("indicators/<uuid:uuid>/edit/", views_schemes.indicator_edit, name="indicator_edit"),
    path("indicators/<uuid:uuid>/remove/", views_schemes.indicator_remove, name="indicator_remove"),
    path("<uuid:uuid>/scores/", views_scores.scores, name="scores"),
    path("<uuid:uuid>/publish/", views_scores.publish, name="scores_publish"),
    path("<uuid:uuid>/townships/<uuid:township>/", views_scores.township, name="township_score"),
    path(f"<uuid:uuid>/{line}", views_scores.line, name="score_line"),
    path(f"<uuid:uuid>/{line}enter/", views_scores.enter, name="score_enter"),
    path(f"<uuid:uuid>/{line}adjust/", views_scores.adjust, name="score_adjust"),
]

urlpatterns = [path("schemes/", include(scheme_patterns))]
