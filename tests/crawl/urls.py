"""The registry the crawl tests walk: every URL pattern of the site and every operation of the JSON
API, and how to fill its arguments with a row of side a (own: township A, agency A, deputy A, the
county) or side b (foreign: township B, agency B, deputy B, the neighbouring county), taken from
``world.rows`` (tests/conftest.py).

A new page fails ``test_every_url_is_registered`` until it is added here, a new API operation
``test_every_api_operation_is_registered``, so no page escapes the scope, login and query-count checks.
"""

from django.urls import URLPattern, URLResolver, get_resolver

# Views reachable without logging in. Keep it short: every entry is an attack surface.
PUBLIC = {
    "accounts:login",
    "public:station",
    "public:deputy",
    "public:lookup",
    "public:status",
    "publicity:public",
    "publicity:public_item",
    "publicity:public_photo",
}

# The JSON API authenticates itself (401, not a login redirect); API_SAMPLES registers its operations.
API_NAMESPACE = "api:"


def row(world, label: str, side: str):
    """The sample row of a scoped model (``app_label.modelname``) on one side."""
    return world.rows[label][side][0]


def _by(label: str):
    return lambda w, s: {"uuid": row(w, label, s).uuid}


def _unit(world, side, name):
    return getattr(world, f"{name}_{side}")


def _reminder_letter(world, side):
    """The sample reminder of the side's case, which tests/conftest.py gives a letter number."""
    from renda.casework.documents import reminder_number_parts

    reminder = row(world, "casework.casereminder", side)
    year, sequence = reminder_number_parts(reminder) or (2026, 1)
    return {"uuid": reminder.case.uuid, "year": year, "sequence": sequence}


SAMPLES = {
    "home": None,
    "accounts:login": None,
    "accounts:logout": None,
    "accounts:password_change": None,
    "accounts:password_change_done": None,
    "accounts:audit_log": None,
    "accounts:api_tokens": None,
    "accounts:api_token_revoke": _by("accounts.apitoken"),
    "accounts:user_list": None,
    "accounts:user_create": None,
    "accounts:user_edit": _by("accounts.user"),
    "accounts:user_password_reset": _by("accounts.user"),
    "accounts:user_authorisation": _by("accounts.user"),
    "accounts:user_person_link": lambda w, s: {"uuid": (w.deputy_a if s == "a" else w.deputy_b).uuid},
    "accounts:two_factor_setup": None,
    "accounts:two_factor_verify": None,
    "accounts:two_factor_reset": _by("accounts.user"),
    "accounts:sessions_end": _by("accounts.user"),
    "accounts:security_overview": None,
    "accounts:lockout_reset": None,
    "accounts:security_notice_ack": _by("accounts.securitynotice"),
    "accounts:audit_verify": None,
    "accounts:export_approvals": None,
    "accounts:export_approval_grant": _by("accounts.exportapproval"),
    "accounts:export_approval_request": None,
    "accounts:export_approval_refuse": _by("accounts.exportapproval"),
    "accounts:pii_reveal": lambda w, s: {
        "model_label": "deputies.person",
        "uuid": _unit(w, s, "person").uuid,
        "field": "phone",
    },
    "organisations:index": None,
    "organisations:county_list": None,
    "organisations:county_create": None,
    "organisations:township_create": None,
    "organisations:township_detail": lambda w, s: {"uuid": _unit(w, s, "township").uuid},
    "organisations:township_edit": lambda w, s: {"uuid": _unit(w, s, "township").uuid},
    "organisations:station_create": lambda w, s: {"uuid": _unit(w, s, "township").uuid},
    "organisations:group_create": lambda w, s: {"uuid": _unit(w, s, "township").uuid},
    "organisations:term_create": lambda w, s: {"uuid": _unit(w, s, "township").uuid},
    "organisations:township_import": lambda w, s: {"uuid": (w.county if s == "a" else w.other_county).uuid},
    "organisations:county_terms": lambda w, s: {"uuid": (w.county if s == "a" else w.other_county).uuid},
    "organisations:station_edit": lambda w, s: {"uuid": _unit(w, s, "station").uuid},
    "organisations:group_edit": lambda w, s: {"uuid": _unit(w, s, "group").uuid},
    "organisations:agency_list": None,
    "organisations:agency_create": None,
    "organisations:agency_edit": lambda w, s: {"uuid": _unit(w, s, "agency").uuid},
    "organisations:unit_set_active": lambda w, s: {"kind": "stations", "uuid": _unit(w, s, "station").uuid},
    "deputies:roster": None,
    "deputies:person_detail": lambda w, s: {"uuid": _unit(w, s, "person").uuid},
    "deputies:person_create": None,
    "deputies:person_edit": lambda w, s: {"uuid": _unit(w, s, "person").uuid},
    "deputies:mandate_create": lambda w, s: {"uuid": _unit(w, s, "person").uuid},
    "deputies:mandate_edit": lambda w, s: {"uuid": _unit(w, s, "mandate").uuid},
    "deputies:mandate_event_create": lambda w, s: {"uuid": _unit(w, s, "mandate").uuid},
    "deputies:voter_contact_create": lambda w, s: {"uuid": _unit(w, s, "mandate").uuid},
    "deputies:voter_contact_delete": _by("deputies.votercontact"),
    "deputies:mandate_archive": lambda w, s: {"uuid": _unit(w, s, "mandate").uuid},
    "deputies:mandate_archive_docx": lambda w, s: {"uuid": _unit(w, s, "mandate").uuid},
    "deputies:mandate_points": lambda w, s: {"uuid": _unit(w, s, "mandate").uuid},
    "deputies:roster_export": None,
    "deputies:import_upload": None,
    "deputies:import_template": None,
    "deputies:import_detail": _by("deputies.importjob"),
    "deputies:import_mapping": _by("deputies.importjob"),
    "deputies:import_confirm": _by("deputies.importjob"),
    "deputies:import_cancel": _by("deputies.importjob"),
    "deputies:composition": None,
    "deputies:composition_export": None,
    "deputies:group_members": lambda w, s: {"uuid": _unit(w, s, "group").uuid},
    "deputies:station_members": lambda w, s: {"uuid": _unit(w, s, "station").uuid},
    "deputies:liaison_list": lambda w, s: {"uuid": _unit(w, s, "township").uuid},
    "deputies:liaison_delete": _by("deputies.liaisonassignment"),
    "deputies:leaderboard": None,
    "deputies:rule_list": None,
    "deputies:rule_create": None,
    "deputies:rule_edit": _by("deputies.pointrule"),
    "deputies:settings_edit": None,
    "deputies:points_recompute": None,
    "deputies:contest_list": None,
    "deputies:contest_resolve": _by("deputies.pointcontest"),
    "deputies:contest_create": _by("deputies.pointentry"),
    "deputies:my_work": None,
    "deputies:duty_list": lambda w, s: {"uuid": _unit(w, s, "mandate").uuid},
    "deputies:duty_create": lambda w, s: {"uuid": _unit(w, s, "mandate").uuid},
    "deputies:duty_edit": _by("deputies.dutyrecord"),
    "deputies:duty_delete": _by("deputies.dutyrecord"),
    "deputies:township_duties": lambda w, s: {"uuid": _unit(w, s, "township").uuid},
    # Casework, reports area: a case's documents, the list in Excel, the figures, the digest.
    "casework:document_assignment_notice": _by("casework.case"),
    "casework:reminder_letter_issue": _by("casework.case"),
    "casework:document_reminder_letter": lambda w, s: _reminder_letter(w, s),
    "casework:document_reply_letter": lambda w, s: {
        "uuid": row(w, "casework.case", s).uuid,
        "mandate": _unit(w, s, "mandate").uuid,
    },
    "casework:document_reply_citizen": _by("casework.case"),
    "casework:document_opinion_form": _by("casework.case"),
    "casework:blank_opinion_form": None,
    "casework:export": None,
    "casework:figures": None,
    "casework:figures_export": None,
    "casework:digest_list": None,
    "casework:digest_edit": _by("casework.digest"),
    "casework:digest_candidates": _by("casework.digest"),
    "casework:digest_item_add": _by("casework.digest"),
    "casework:digest_issue": _by("casework.digest"),
    "casework:digest_document": _by("casework.digest"),
    "casework:digest_item_edit": _by("casework.digestitem"),
    "casework:digest_item_remove": _by("casework.digestitem"),
    "casework:digest_feedback": _by("casework.digestitem"),
    # The calendar is installation-wide: one year serves both sides; only its keepers may open it.
    "workcalendar:overview": None,
    "workcalendar:notice_edit": lambda w, s: {"year": 2027},
    "workcalendar:notice_remove": lambda w, s: {"year": 2027},
    # Casework: the agency's inbox and steps, attachments, a deputy's suggestions and ratings.
    "casework:inbox": None,
    "casework:my_cases": None,
    "casework:agency_case": _by("casework.case"),
    "casework:agency_accept": _by("casework.case"),
    "casework:agency_hand_back": _by("casework.case"),
    "casework:agency_note": _by("casework.case"),
    "casework:agency_co_view": _by("casework.case"),
    "casework:agency_extension": _by("casework.case"),
    "casework:agency_answer": _by("casework.case"),
    "casework:attachment_add": _by("casework.case"),
    "casework:attachment": _by("casework.caseattachment"),
    "casework:rate": _by("casework.case"),
    "casework:list": None,
    "casework:new": None,
    "casework:duplicates": None,
    "casework:detail": _by("casework.case"),
    # One of the staff steps (the tags: allowed in every open state, the sample case is rated).
    "casework:step": lambda w, s: {"uuid": row(w, "casework.case", s).uuid, "step": "tag"},
    "casework:categories": None,
    "casework:category_defaults": None,
    "casework:category_edit": _by("casework.casecategory"),
    "casework:category_move": _by("casework.casecategory"),
    "casework:category_active": _by("casework.casecategory"),
    # Citizens' pages (no account; in PUBLIC): a station's and a deputy's form, the status by code.
    "public:station": lambda w, s: {"uuid": _unit(w, s, "station").uuid},
    "public:deputy": lambda w, s: {"uuid": _unit(w, s, "mandate").uuid},
    "public:lookup": None,
    "public:status": lambda w, s: {"code": _citizen_case(w, s).tracking_code},
    # Reception days and the QR posters.
    "casework:reception": None,
    "casework:reception_station": lambda w, s: {"uuid": _unit(w, s, "station").uuid},
    "casework:reception_schedule_create": lambda w, s: {"uuid": _unit(w, s, "station").uuid},
    "casework:reception_schedule_edit": _by("casework.receptionschedule"),
    "casework:reception_plan": lambda w, s: {"uuid": _unit(w, s, "station").uuid},
    "casework:reception_announce": lambda w, s: {"uuid": _unit(w, s, "station").uuid},
    "casework:reception_notice": lambda w, s: {"uuid": _unit(w, s, "station").uuid},
    "casework:reception_notice_docx": lambda w, s: {"uuid": _unit(w, s, "station").uuid},
    "casework:reception_day_create": lambda w, s: {"uuid": _unit(w, s, "station").uuid},
    "casework:reception_day": _by("casework.receptionday"),
    "casework:reception_day_edit": _by("casework.receptionday"),
    "casework:reception_day_record": _by("casework.receptionday"),
    "casework:reception_day_cancel": _by("casework.receptionday"),
    "casework:reception_day_opinions": _by("casework.receptionday"),
    "casework:station_poster": lambda w, s: {"uuid": _unit(w, s, "station").uuid},
    "casework:station_qr": lambda w, s: {"uuid": _unit(w, s, "station").uuid, "fmt": "svg"},
    "casework:deputy_poster": lambda w, s: {"uuid": _unit(w, s, "mandate").uuid},
    "casework:deputy_qr": lambda w, s: {"uuid": _unit(w, s, "mandate").uuid, "fmt": "png"},
    # Meetings: the list, planning, the meeting's page and its forms, the agenda's documents.
    "meetings:list": None,
    "meetings:new": None,
    "meetings:detail": _by("meetings.meeting"),
    "meetings:edit": _by("meetings.meeting"),
    "meetings:cancel": _by("meetings.meeting"),
    "meetings:notice": _by("meetings.meeting"),
    "meetings:agenda_add": _by("meetings.meeting"),
    "meetings:participants": _by("meetings.meeting"),
    "meetings:observer_add": _by("meetings.meeting"),
    "meetings:agenda_remove": _by("meetings.agendaitem"),
    "meetings:agenda_document_add": _by("meetings.agendaitem"),
    "meetings:agenda_document": _by("meetings.agendadocument"),
    # Meetings, reports area: the compliance view and its Excel, the minutes, a meeting's documents.
    "meetings:compliance": None,
    "meetings:compliance_export": None,
    "meetings:minutes": _by("meetings.meeting"),
    "meetings:document_notice": _by("meetings.meeting"),
    "meetings:document_minutes": _by("meetings.meeting"),
    "meetings:document_signin_sheet": _by("meetings.meeting"),
    "meetings:document_signin_sheet_excel": _by("meetings.meeting"),
    "meetings:document_vote_tally": _by("meetings.meeting"),
    "meetings:document_vote_tally_excel": _by("meetings.meeting"),
    # Meetings: votes and resolutions.
    "meetings:votes": _by("meetings.meeting"),
    "meetings:vote_correct": _by("meetings.vote"),
    "meetings:resolution_adopt": _by("meetings.meeting"),
    "meetings:resolutions": None,
    "meetings:resolution": _by("meetings.resolution"),
    "meetings:resolution_report": _by("meetings.resolution"),
    "meetings:resolution_done": _by("meetings.resolution"),
    # Meetings, attendance: the page and its live panel, the sign-in code and the deputy's sign-in
    # by it (the sample session is open), staff sign-in and undo, leave and its decision.
    "meetings:attendance": _by("meetings.meeting"),
    "meetings:attendance_quorum": _by("meetings.meeting"),
    "meetings:attendance_open": _by("meetings.meeting"),
    "meetings:attendance_close": _by("meetings.meeting"),
    "meetings:signin_code": _by("meetings.meeting"),
    "meetings:signin_code_withdraw": _by("meetings.meeting"),
    "meetings:signin": lambda w, s: {"token": row(w, "meetings.meeting", s).signin_token},
    "meetings:attendance_sign_in": _by("meetings.attendance"),
    "meetings:attendance_undo": _by("meetings.attendance"),
    "meetings:leave_request": _by("meetings.attendance"),
    "meetings:leave_decide": _by("meetings.leaverequest"),
    # Meetings: a session's motions and suggestions, the congresses' size (the side's term).
    "meetings:motions": _by("meetings.meeting"),
    "meetings:motion_new": _by("meetings.meeting"),
    "meetings:suggestion_new": _by("meetings.meeting"),
    "meetings:motion_detail": _by("meetings.motion"),
    "meetings:motion_decide": _by("meetings.motion"),
    "meetings:motion_to_suggestion": _by("meetings.motion"),
    "meetings:congress": None,
    "meetings:congress_size": lambda w, s: {"uuid": _unit(w, s, "mandate").term.uuid},
    # Activities: annual plans (plan versus done, items, approval), the study library (its documents,
    # the township's study attendance) and the deputy groups' frequency (the side's township).
    "activities:plans": None,
    "activities:plan_new": None,
    "activities:plans_county": None,
    "activities:plan_detail": _by("activities.workplan"),
    "activities:plan_edit": _by("activities.workplan"),
    "activities:plan_approve": _by("activities.workplan"),
    "activities:plan_revise": _by("activities.workplan"),
    "activities:plan_item_add": _by("activities.workplan"),
    "activities:plan_export": _by("activities.workplan"),
    "activities:plan_item": _by("activities.planitem"),
    "activities:plan_item_edit": _by("activities.planitem"),
    "activities:plan_item_remove": _by("activities.planitem"),
    "activities:library": None,
    "activities:library_new": None,
    "activities:library_detail": _by("activities.librarydocument"),
    "activities:library_edit": _by("activities.librarydocument"),
    "activities:library_remove": _by("activities.librarydocument"),
    "activities:library_file": _by("activities.librarydocument"),
    "activities:study_attendance": lambda w, s: {"uuid": _unit(w, s, "township").uuid},
    "activities:groups": None,
    "activities:groups_township": lambda w, s: {"uuid": _unit(w, s, "township").uuid},
    # The notice board.
    "notices:board": None,
    "notices:compose": None,
    "notices:detail": _by("notices.notice"),
    "notices:read": _by("notices.notice"),
    "notices:withdraw": _by("notices.notice"),
    # Reports to voters.
    "activities:voter_reports": None,
    "activities:voter_report_new": None,
    "activities:voter_report_rates": None,
    "activities:voter_report_township": lambda w, s: {"uuid": _unit(w, s, "township").uuid},
    "activities:voter_report_detail": _by("activities.voterreport"),
    "activities:voter_report_edit": _by("activities.voterreport"),
    "activities:voter_report_held": _by("activities.voterreport"),
    "activities:voter_report_missed": _by("activities.voterreport"),
    "activities:voter_report_cancel": _by("activities.voterreport"),
    # Evaluations (代表评议): the side's evaluation, its unit, its closed ballot and rectification item.
    "activities:evaluations": None,
    "activities:evaluation_create": None,
    "activities:evaluation": _by("activities.evaluation"),
    "activities:evaluation_units": _by("activities.evaluation"),
    "activities:evaluation_step": _by("activities.evaluation"),
    "activities:evaluation_results_excel": _by("activities.evaluation"),
    "activities:evaluation_report_word": _by("activities.evaluation"),
    "activities:evaluation_unit": _by("activities.evaluationunit"),
    "activities:ballot_round": _by("activities.ballotround"),
    "activities:ballot_vote": _by("activities.ballotround"),
    "activities:ballot_paper": _by("activities.ballotround"),
    "activities:ballot_close": _by("activities.ballotround"),
    "activities:rectifications": None,
    "activities:rectification_item": _by("activities.rectificationitem"),
    # Activities: photos, findings, documents, the county's activity types.
    "activities:photo_add": _by("activities.activity"),
    "activities:photo": _by("activities.activityphoto"),
    "activities:photo_delete": _by("activities.activityphoto"),
    "activities:finding_add": _by("activities.activity"),
    "activities:finding_to_case": _by("activities.finding"),
    "activities:document_notice": _by("activities.activity"),
    "activities:document_signin_sheet": _by("activities.activity"),
    "activities:document_signin_sheet_excel": _by("activities.activity"),
    "activities:types": None,
    "activities:type_edit": _by("activities.activitytype"),
    "activities:type_move": _by("activities.activitytype"),
    # Activities: the list, planning, the activity's page and its forms, the sign-in code (its page,
    # the SVG, withdrawing it), the deputy's sign-in by it, staff sign-in and undo, leave.
    "activities:list": None,
    "activities:new": None,
    "activities:joint_new": None,
    "activities:detail": _by("activities.activity"),
    "activities:edit": _by("activities.activity"),
    "activities:cancel": _by("activities.activity"),
    "activities:notice": _by("activities.activity"),
    "activities:participants": _by("activities.activity"),
    "activities:held": _by("activities.activity"),
    "activities:minutes": _by("activities.activity"),
    "activities:signin_code": _by("activities.activity"),
    "activities:signin_qr": _by("activities.activity"),
    "activities:signin_code_withdraw": _by("activities.activity"),
    "activities:signin": lambda w, s: {"token": row(w, "activities.activity", s).signin_token},
    "activities:participant_sign_in": _by("activities.participant"),
    "activities:participant_undo": _by("activities.participant"),
    "activities:leave_request": _by("activities.participant"),
    "activities:leave_decide": _by("activities.participant"),
    # Assessment: the side's county's scheme, its sections and indicators; the scores of the
    # county's scheme for the side's township (township B's before publication is closed to
    # township A's people), one line of it and the forms to enter and adjust.
    "assessment:schemes": None,
    "assessment:scheme_new": None,
    "assessment:scheme_copy": None,
    "assessment:scheme": _by("assessment.scheme"),
    "assessment:scheme_edit": _by("assessment.scheme"),
    "assessment:section_add": _by("assessment.scheme"),
    "assessment:section_edit": _by("assessment.section"),
    "assessment:section_remove": _by("assessment.section"),
    "assessment:indicator_add": _by("assessment.section"),
    "assessment:indicator_edit": _by("assessment.indicator"),
    "assessment:indicator_remove": _by("assessment.indicator"),
    "assessment:scores": _by("assessment.scheme"),
    "assessment:scores_publish": _by("assessment.scheme"),
    "assessment:township_score": lambda w, s: _score_line(w, s, indicator=False),
    "assessment:score_line": lambda w, s: _score_line(w, s),
    "assessment:score_enter": lambda w, s: _score_line(w, s),
    "assessment:score_adjust": lambda w, s: _score_line(w, s),
    # Assessment: the year documents (the side's township summary).
    "assessment:documents": None,
    "assessment:document_new": None,
    "assessment:document": _by("assessment.yeardocument"),
    "assessment:document_remove": _by("assessment.yeardocument"),
    "assessment:document_file": _by("assessment.yeardocument"),
    # Publicity: news items and articles (用稿); the county's public page (no account; in PUBLIC).
    "publicity:news": None,
    "publicity:news_new": None,
    "publicity:news_item": _by("publicity.newsitem"),
    "publicity:news_edit": _by("publicity.newsitem"),
    "publicity:news_submit": _by("publicity.newsitem"),
    "publicity:news_publish": _by("publicity.newsitem"),
    "publicity:news_withdraw": _by("publicity.newsitem"),
    "publicity:news_photo": _by("publicity.newsitem"),
    "publicity:news_media": _by("publicity.newsitem"),
    "publicity:news_published": _by("publicity.newsitem"),
    "publicity:articles": None,
    "publicity:article_new": None,
    "publicity:article_export": None,
    "publicity:article": _by("publicity.article"),
    "publicity:article_edit": _by("publicity.article"),
    "publicity:article_confirm": _by("publicity.article"),
    "publicity:article_reject": _by("publicity.article"),
    "publicity:article_scan": _by("publicity.article"),
    "publicity:public": lambda w, s: {"county": row(w, "publicity.newsitem", s).county.uuid},
    "publicity:public_item": lambda w, s: {
        "county": row(w, "publicity.newsitem", s).county.uuid,
        "uuid": row(w, "publicity.newsitem", s).uuid,
    },
    "publicity:public_photo": lambda w, s: {
        "county": row(w, "publicity.newsitem", s).county.uuid,
        "uuid": row(w, "publicity.newsitem", s).uuid,
    },
    # Assessment: the year-end documents (linked from the scheme pages; the list has no menu entry).
    "assessment:reports": None,
    "assessment:scheme_excel": _by("assessment.scheme"),
    "assessment:scheme_word": _by("assessment.scheme"),
    # Assessment dashboards: the county's (and its heat map), a township's; each in Excel.
    "assessment:dashboard": None,
    "assessment:dashboard_export": None,
    "assessment:dashboard_heat_map": None,
    "assessment:dashboard_heat_map_export": None,
    "assessment:township_dashboard": lambda w, s: {"uuid": _unit(w, s, "township").uuid},
    "assessment:township_dashboard_export": lambda w, s: {"uuid": _unit(w, s, "township").uuid},
}


def _score_line(world, side: str, indicator: bool = True) -> dict:
    """The county's scheme (side a's) with the side's township and, for a line, side a's indicator."""
    arguments = {"uuid": row(world, "assessment.scheme", "a").uuid, "township": _unit(world, side, "township").uuid}
    if indicator:
        arguments["indicator"] = row(world, "assessment.indicator", "a").uuid
    return arguments


def _citizen_case(world, side: str):
    """The citizen's opinion entered from side ``side``'s reception day (tests/conftest.py)."""
    from renda.casework.models import Case, CaseSource

    row(world, "casework.receptionday", side)  # the rows are made on first use
    township = _unit(world, side, "township")
    return Case.objects.unscoped().get(township=township, source=CaseSource.CITIZEN_OPINION)


# Every operation of the JSON API, by its path in the OpenAPI document: None for a list, or the
# scoped model whose sample rows fill {uuid}.
API_SAMPLES = {
    "/api/v1/counties": None,
    "/api/v1/townships": None,
    "/api/v1/townships/{uuid}": "organisations.township",
    "/api/v1/stations": None,
    "/api/v1/groups": None,
    "/api/v1/agencies": None,
    "/api/v1/deputies": None,
    "/api/v1/deputies/{uuid}": "deputies.person",
    "/api/v1/mandates": None,
    "/api/v1/groups/{uuid}/members": "organisations.deputygroup",
    "/api/v1/stations/{uuid}/members": "organisations.station",
    "/api/v1/points": None,
    "/api/v1/mandates/{uuid}/points": "deputies.mandate",
    "/api/v1/mandates/{uuid}/archive": "deputies.mandate",
    "/api/v1/deputies/counts": None,
    # POST only (a GET answers 405): the crawl checks it is registered and that a GET neither fails nor leaks.
    "/api/v1/cases/duplicates": None,
    # The registries' test-only app (tests/plugin_probe).
    "/api/v1/probe/visits": None,
    # Casework: reads (GET) and writes (POST, walked by test_outsider_cannot_write_through_the_api).
    "/api/v1/cases": None,
    "/api/v1/cases/{uuid}": "casework.case",
    "/api/v1/cases/{uuid}/timeline": "casework.case",
    "/api/v1/cases/{uuid}/transitions": "casework.case",
    "/api/v1/cases/{uuid}/notes": "casework.case",
    "/api/v1/cases/{uuid}/extensions": "casework.case",
    "/api/v1/cases/{uuid}/extensions/{extension_id}/decision": "casework.case",
    "/api/v1/cases/{uuid}/replies": "casework.case",
    "/api/v1/cases/{uuid}/ratings": "casework.case",
    # Meetings: reads of a meeting and its parts, and the writes (sign-in, leave, votes, motions).
    "/api/v1/meetings": None,
    "/api/v1/meetings/{uuid}": "meetings.meeting",
    "/api/v1/meetings/{uuid}/agenda": "meetings.meeting",
    "/api/v1/meetings/{uuid}/attendance": "meetings.meeting",
    "/api/v1/meetings/{uuid}/votes": "meetings.meeting",
    "/api/v1/meetings/{uuid}/motions": "meetings.meeting",
    "/api/v1/meetings/{uuid}/sign-in": "meetings.meeting",
    "/api/v1/meetings/{uuid}/leave": "meetings.meeting",
    "/api/v1/leave-requests/{uuid}/decision": "meetings.leaverequest",
    "/api/v1/votes/{uuid}/corrections": "meetings.vote",
    "/api/v1/motions/{uuid}/decision": "meetings.motion",

    # The public API (no account): a POST, and a lookup by tracking code (unknown here: 404).
    "/api/v1/public/opinions": None,
    "/api/v1/public/status/{code}": None,
    # The notice board.
    "/api/v1/notices": None,
    "/api/v1/notices/{uuid}/read": "notices.notice",
    "/api/v1/notices/{uuid}/recipients": "notices.notice",
    # Evaluations.
    "/api/v1/evaluations": None,
    "/api/v1/evaluations/{uuid}": "activities.evaluation",
    "/api/v1/ballots/{uuid}/vote": "activities.ballotround",
    "/api/v1/rectifications": None,
    "/api/v1/rectifications/{uuid}/progress": "activities.rectificationitem",
    # Activities: reads and writes of an activity, its participants, findings and photos.
    "/api/v1/activities": None,
    "/api/v1/activities/{uuid}": "activities.activity",
    "/api/v1/activities/{uuid}/findings": "activities.activity",
    "/api/v1/activities/{uuid}/photos": "activities.activity",
    "/api/v1/activities/{uuid}/cancel": "activities.activity",
    "/api/v1/activities/{uuid}/participants": "activities.activity",
    "/api/v1/activities/{uuid}/notice": "activities.activity",
    "/api/v1/activities/{uuid}/held": "activities.activity",
    "/api/v1/activities/{uuid}/sign-in": "activities.activity",
    "/api/v1/activities/{uuid}/leave": "activities.activity",
    "/api/v1/activity-participants/{uuid}/leave-decision": "activities.participant",
    "/api/v1/activity-findings/{uuid}/case": "activities.finding",
    # Publicity: articles (用稿) and news items.
    "/api/v1/articles": None,
    "/api/v1/articles/{uuid}/confirm": "publicity.article",
    "/api/v1/articles/{uuid}/reject": "publicity.article",
    "/api/v1/news": None,
    "/api/v1/news/{uuid}/submit": "publicity.newsitem",
    "/api/v1/news/{uuid}/publish": "publicity.newsitem",
    # Assessment: schemes, scores, the evidence of a figure; the county's points and adjustments.
    "/api/v1/assessment/schemes": None,
    "/api/v1/assessment/schemes/{uuid}": "assessment.scheme",
    "/api/v1/assessment/schemes/{uuid}/scores": "assessment.scheme",
    "/api/v1/assessment/indicators/{uuid}/evidence": "assessment.indicator",
    "/api/v1/assessment/indicators/{uuid}/score": "assessment.indicator",
    "/api/v1/assessment/indicators/{uuid}/adjustments": "assessment.indicator",
    # Assessment dashboards.
    "/api/v1/dashboard": None,
}
# Path arguments besides {uuid}: filled with the primary key of that model's sample row of the side.
API_PATH_ARGUMENTS = {"{extension_id}": "casework.caseextension"}


def api_url_for(world, path: str, side: str) -> str:
    label = API_SAMPLES[path]
    url = path if label is None else path.replace("{uuid}", str(row(world, label, side).uuid))
    for argument, model in API_PATH_ARGUMENTS.items():
        url = url.replace(argument, str(row(world, model, side).pk))
    return url


def all_url_names() -> list[str]:
    names: list[str] = []

    def walk(patterns, prefix: str) -> None:
        for pattern in patterns:
            if isinstance(pattern, URLResolver):
                walk(pattern.url_patterns, f"{prefix}{pattern.namespace}:" if pattern.namespace else prefix)
            elif isinstance(pattern, URLPattern):
                names.append(f"{prefix}{pattern.name}")

    walk(get_resolver().url_patterns, "")
    return names


def page_url_names() -> list[str]:
    return [name for name in all_url_names() if not name.startswith(API_NAMESPACE)]
