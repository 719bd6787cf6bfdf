from django.urls import path

from . import views

app_name = "deputies"

urlpatterns = [
    path("", views.roster, name="roster"),
    path("new/", views.person_create, name="person_create"),
    path("export/", views.roster_export, name="roster_export"),
    path("import/", views.import_upload, name="import_upload"),
    path("import/template/", views.import_template, name="import_template"),
    path("import/<uuid:uuid>/", views.import_detail, name="import_detail"),
    path("import/<uuid:uuid>/mapping/", views.import_mapping, name="import_mapping"),
    path("import/<uuid:uuid>/confirm/", views.import_confirm, name="import_confirm"),
    path("import/<uuid:uuid>/cancel/", views.import_cancel, name="import_cancel"),
    path("composition/", views.composition, name="composition"),
    path("composition/export/", views.composition_export, name="composition_export"),
    path("groups/<uuid:uuid>/", views.group_members, name="group_members"),
    path("stations/<uuid:uuid>/", views.station_members, name="station_members"),
    path("liaison/<uuid:uuid>/", views.liaison_list, name="liaison_list"),
    path("liaison/<uuid:uuid>/delete/", views.liaison_delete, name="liaison_delete"),
    path("points/", views.leaderboard, name="leaderboard"),
    path("points/rules/", views.rule_list, name="rule_list"),
    path("points/rules/new/", views.rule_create, name="rule_create"),
    path("points/rules/<uuid:uuid>/", views.rule_edit, name="rule_edit"),
    path("points/settings/", views.settings_edit, name="settings_edit"),
    path("points/recompute/", views.points_recompute, name="points_recompute"),
    path("points/contests/", views.contest_list, name="contest_list"),
    path("points/contests/<uuid:uuid>/", views.contest_resolve, name="contest_resolve"),
    path("points/entries/<uuid:uuid>/contest/", views.contest_create, name="contest_create"),
    path("me/", views.my_work, name="my_work"),
    path("mandates/<uuid:uuid>/edit/", views.mandate_edit, name="mandate_edit"),
    path("mandates/<uuid:uuid>/events/new/", views.mandate_event_create, name="mandate_event_create"),
    path("mandates/<uuid:uuid>/voters/new/", views.voter_contact_create, name="voter_contact_create"),
    path("mandates/<uuid:uuid>/archive/", views.mandate_archive, name="mandate_archive"),
    path("mandates/<uuid:uuid>/archive.docx", views.mandate_archive_docx, name="mandate_archive_docx"),
    path("mandates/<uuid:uuid>/points/", views.mandate_points, name="mandate_points"),
    path("voters/<uuid:uuid>/delete/", views.voter_contact_delete, name="voter_contact_delete"),
    path("<uuid:uuid>/", views.person_detail, name="person_detail"),
    path("<uuid:uuid>/edit/", views.person_edit, name="person_edit"),
    path("<uuid:uuid>/mandates/new/", views.mandate_create, name="mandate_create"),
]
