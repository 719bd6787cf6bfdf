"""Routes of the evaluations area (/activities/evaluations/); names are "activities:<name>"."""

from django.urls import path

from . import views_evaluations as views

urlpatterns = [
    path("", views.evaluation_list, name="evaluations"),
    path("new/", views.evaluation_create, name="evaluation_create"),
    path("<uuid:uuid>/", views.evaluation_detail, name="evaluation"),
    path("<uuid:uuid>/units/", views.evaluation_units, name="evaluation_units"),
    path("<uuid:uuid>/step/", views.evaluation_step, name="evaluation_step"),
    path("<uuid:uuid>/results.xlsx", views.results_excel, name="evaluation_results_excel"),
    path("<uuid:uuid>/report.docx", views.report_word, name="evaluation_report_word"),
    path("units/<uuid:uuid>/", views.evaluation_unit, name="evaluation_unit"),
    path("ballots/<uuid:uuid>/", views.ballot_round, name="ballot_round"),
    path("ballots/<uuid:uuid>/vote/", views.ballot_vote, name="ballot_vote"),
    path("ballots/<uuid:uuid>/paper/", views.ballot_paper, name="ballot_paper"),
    path("ballots/<uuid:uuid>/close/", views.ballot_close, name="ballot_close"),
    path("rectifications/", views.rectification_list, name="rectifications"),
    path("rectifications/<uuid:uuid>/", views.rectification_item, name="rectification_item"),
]
