"""The registry the crawl tests walk: every URL pattern of the site, and how to fill its arguments
with an object of township A (own) or township B (foreign).

A new page fails ``test_every_url_is_registered`` until it is added here, so no page escapes the
scope, login and query-count checks.
"""

from django.urls import URLPattern, URLResolver, get_resolver

from renda.accounts.models import ApiToken, SecurityNotice
from renda.accounts.services import api_token_create

# Views reachable without logging in. Keep it short: every entry is an attack surface.
PUBLIC = {"accounts:login"}

# The JSON API authenticates itself (401, not a login redirect); tests/test_api.py crawls it.
API_NAMESPACE = "api:"


def _token(world, side: str) -> ApiToken:
    owner = world.staff_a if side == "a" else world.staff_b
    token = ApiToken.objects.filter(user=owner).first()
    return token or api_token_create(user=owner, name="crawl", actor=owner)[0]


def _notice(world, side: str) -> SecurityNotice:
    # Notices are installation-wide (only the security administrator sees them): one per side.
    notice, _created = SecurityNotice.objects.get_or_create(kind="other", subject=f"crawl-{side}")
    return notice


def _approval(world, side: str):
    from renda.accounts.exports import export_approval_request
    from renda.accounts.models import ExportApproval

    staff = world.staff_a if side == "a" else world.staff_b
    existing = ExportApproval.objects.filter(requested_by=staff).first()
    return existing or export_approval_request(actor=staff, kind="crawl", row_count=9999, reason="crawl")


def _unit(world, side, name):
    return getattr(world, f"{name}_{side}")


def _deputies_row(world, side: str, kind: str):
    """Rows of the deputies capability that the world does not build, made on first use."""
    from datetime import date

    from django.contrib.contenttypes.models import ContentType

    from renda.deputies.models import (
        DutyRecord,
        ImportJob,
        LiaisonAssignment,
        PointContest,
        PointEntry,
        PointRule,
        VoterContact,
    )

    mandate = _unit(world, side, "mandate")
    township = _unit(world, side, "township")
    if kind == "import":
        return ImportJob.objects.filter(township=township).first() or ImportJob.objects.create(
            township=township, term=mandate.term, level="township", filename="名册.xlsx", status="invalid"
        )
    if kind == "liaison":
        return LiaisonAssignment.objects.get_or_create(
            township=township, leader_name="联系领导", mandate=mandate, defaults={"since": date(2022, 1, 1)}
        )[0]
    if kind == "voter":
        return VoterContact.objects.get_or_create(
            mandate=mandate, name="选民甲", defaults={"since": date(2022, 1, 1), "village": "东村"}
        )[0]
    if kind == "duty":
        return DutyRecord.objects.get_or_create(
            mandate=mandate,
            title="参加代表履职培训",
            defaults={"kind": "training", "date": date(2022, 3, 1), "evidence": "培训通知"},
        )[0]
    if kind == "rule":
        county = world.county if side == "a" else world.other_county
        return PointRule.objects.get_or_create(county=county, kind="deputies.voter_contact", defaults={"amount": 1})[0]
    source_type = ContentType.objects.get_for_model(type(mandate))
    if kind == "entry":
        return PointEntry.objects.filter(mandate=mandate).first() or PointEntry.objects.create(
            county=township.county,
            township=township,
            mandate=mandate,
            kind="deputies.yearly_base",
            source_type=source_type,
            source_uuid=mandate.uuid,
            date=date(2024, 1, 1),
            year=2024,
            quarter=1,
            title="基础分",
            rule_points=60,
            points=60,
        )
    if kind == "contest":
        return PointContest.objects.filter(mandate=mandate).first() or PointContest.objects.create(
            mandate=mandate,
            kind="deputies.yearly_base",
            source_type=source_type,
            source_uuid=mandate.uuid,
            title="基础分",
            contested_points=60,
            reason="理由",
        )
    raise KeyError(kind)


SAMPLES = {
    "home": None,
    "accounts:login": None,
    "accounts:logout": None,
    "accounts:password_change": None,
    "accounts:password_change_done": None,
    "accounts:audit_log": None,
    "accounts:api_tokens": None,
    "accounts:api_token_revoke": lambda w, s: {"uuid": _token(w, s).uuid},
    "accounts:user_list": None,
    "accounts:user_create": None,
    "accounts:user_edit": lambda w, s: {"uuid": (w.staff_a if s == "a" else w.staff_b).uuid},
    "accounts:user_password_reset": lambda w, s: {"uuid": (w.staff_a if s == "a" else w.staff_b).uuid},
    "accounts:user_authorisation": lambda w, s: {"uuid": (w.staff_a if s == "a" else w.staff_b).uuid},
    "accounts:user_person_link": lambda w, s: {"uuid": (w.deputy_a if s == "a" else w.deputy_b).uuid},
    "accounts:two_factor_setup": None,
    "accounts:two_factor_verify": None,
    "accounts:two_factor_reset": lambda w, s: {"uuid": (w.staff_a if s == "a" else w.staff_b).uuid},
    "accounts:sessions_end": lambda w, s: {"uuid": (w.staff_a if s == "a" else w.staff_b).uuid},
    "accounts:security_overview": None,
    "accounts:lockout_reset": None,
    "accounts:security_notice_ack": lambda w, s: {"uuid": _notice(w, s).uuid},
    "accounts:audit_verify": None,
    "accounts:export_approvals": None,
    "accounts:export_approval_grant": lambda w, s: {"uuid": _approval(w, s).uuid},
    "accounts:export_approval_request": None,
    "accounts:export_approval_refuse": lambda w, s: {"uuid": _approval(w, s).uuid},
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
    "deputies:voter_contact_delete": lambda w, s: {"uuid": _deputies_row(w, s, "voter").uuid},
    "deputies:mandate_archive": lambda w, s: {"uuid": _unit(w, s, "mandate").uuid},
    "deputies:mandate_archive_docx": lambda w, s: {"uuid": _unit(w, s, "mandate").uuid},
    "deputies:mandate_points": lambda w, s: {"uuid": _unit(w, s, "mandate").uuid},
    "deputies:roster_export": None,
    "deputies:import_upload": None,
    "deputies:import_template": None,
    "deputies:import_detail": lambda w, s: {"uuid": _deputies_row(w, s, "import").uuid},
    "deputies:import_mapping": lambda w, s: {"uuid": _deputies_row(w, s, "import").uuid},
    "deputies:import_confirm": lambda w, s: {"uuid": _deputies_row(w, s, "import").uuid},
    "deputies:import_cancel": lambda w, s: {"uuid": _deputies_row(w, s, "import").uuid},
    "deputies:composition": None,
    "deputies:composition_export": None,
    "deputies:group_members": lambda w, s: {"uuid": _unit(w, s, "group").uuid},
    "deputies:station_members": lambda w, s: {"uuid": _unit(w, s, "station").uuid},
    "deputies:liaison_list": lambda w, s: {"uuid": _unit(w, s, "township").uuid},
    "deputies:liaison_delete": lambda w, s: {"uuid": _deputies_row(w, s, "liaison").uuid},
    "deputies:leaderboard": None,
    "deputies:rule_list": None,
    "deputies:rule_create": None,
    "deputies:rule_edit": lambda w, s: {"uuid": _deputies_row(w, s, "rule").uuid},
    "deputies:settings_edit": None,
    "deputies:points_recompute": None,
    "deputies:contest_list": None,
    "deputies:contest_resolve": lambda w, s: {"uuid": _deputies_row(w, s, "contest").uuid},
    "deputies:contest_create": lambda w, s: {"uuid": _deputies_row(w, s, "entry").uuid},
    "deputies:my_work": None,
    "deputies:duty_list": lambda w, s: {"uuid": _unit(w, s, "mandate").uuid},
    "deputies:duty_create": lambda w, s: {"uuid": _unit(w, s, "mandate").uuid},
    "deputies:duty_edit": lambda w, s: {"uuid": _deputies_row(w, s, "duty").uuid},
    "deputies:duty_delete": lambda w, s: {"uuid": _deputies_row(w, s, "duty").uuid},
    "deputies:township_duties": lambda w, s: {"uuid": _unit(w, s, "township").uuid},
    # The calendar is installation-wide: one year serves both sides; only its keepers may open it.
    "workcalendar:overview": None,
    "workcalendar:notice_edit": lambda w, s: {"year": 2027},
    "workcalendar:notice_remove": lambda w, s: {"year": 2027},
}


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
