from django.apps import AppConfig
from django.utils.text import format_lazy
from django.utils.translation import gettext_lazy as _


def _declare_audit_words() -> None:
    from renda.accounts import events

    from .models import ExtraBasis, MeetingKind, SigninMethod

    events.register_events(
        {
            "meetings.meeting.create": _("Meeting planned"),
            "meetings.meeting.update": _("Meeting plan changed"),
            "meetings.meeting.cancel": _("Meeting cancelled"),
            "meetings.meeting.notify": _("Meeting notice sent"),
            "meetings.meeting.open": _("Meeting opened"),
            "meetings.meeting.close": _("Meeting closed"),
            "meetings.meeting.minutes": _("Minutes saved"),
            "meetings.participants.set": _("Meeting participants chosen"),
            "meetings.observer.add": _("Observer added"),
            "meetings.agenda.add": _("Agenda item added"),
            "meetings.agenda.remove": _("Agenda item removed"),
            "meetings.agenda.document": _("Agenda document added"),
            "meetings.motion.submit": _("Motion submitted"),
            "meetings.motion.decide": _("Presidium decided on a motion"),
            "meetings.motion.to_case": _("Motion handled as a suggestion"),
            "meetings.suggestion.file": _("Suggestion made during a session entered"),
            "meetings.attendance.sign_in": _("Signed in at a meeting"),
            "meetings.attendance.undo": _("Sign-in withdrawn"),
            "meetings.leave.request": _("Leave requested"),
            "meetings.leave.decide": _("Leave request decided"),
            "meetings.vote.record": _("Vote recorded"),
            "meetings.vote.correct": _("Vote tally corrected"),
            "meetings.resolution.adopt": _("Resolution recorded"),
            "meetings.resolution.report": _("Implementation report recorded"),
            "meetings.resolution.done": _("Resolution marked carried out"),
            "export.meetings.agenda_document": _("Agenda document downloaded"),
            "meetings.signin_code.withdraw": _("Sign-in code withdrawn"),
        }
    )
    # "kind", "via", "count", "name", "reason", "fields", "signers", "case", "date", "agency",
    # "approved", "before", "after", "file" are other apps' words already; "kind" and "via" get ours.
    events.register_details(
        {
            "kind": events.Detail(_("Kind"), MeetingKind.choices),
            "via": events.Detail(_("Through"), SigninMethod.choices),
            "seq": _("Number"),
            "starts": _("Starts at"),
            "extra": events.Detail(_("Extra session"), ExtraBasis.choices),
            "on_time": _("Notice on time"),
            "due_by": _("Notice due by"),
            "item": _("Agenda item"),
            "placed": _("Placed on the agenda"),
            "deputy": _("Deputy"),
            "half_days": _("Half-days"),
            "present": _("Present"),
            "total": _("All deputies"),
            "absent": _("Absent"),
            "title": _("Title"),
            "for": _("For"),
            "against": _("Against"),
            "abstain": _("Abstentions"),
            "passed": _("Passed"),
            "units": _("Responsible units"),
            "meeting": _("Meeting"),
        }
    )
    # The reports area's downloads (export_response records "export.<kind>").
    export_kinds = [
        ("meetings.compliance", _("Compliance of township congress meetings")),
        ("meetings.notice", _("Meeting notice")),
        ("meetings.minutes", _("Minutes with decisions")),
        ("meetings.signin_sheet", _("Sign-in sheet")),
        ("meetings.vote_tally", _("Vote tally")),
    ]
    events.register_events(
        {f"export.{code}": format_lazy("{}：{}", _("Exported"), label) for code, label in export_kinds}
    )
    events.register_details({"kind": events.Detail(_("Kind"), export_kinds)})


def _register_reports() -> None:
    """The compliance view in the menu and the meeting page's part "minutes and documents"."""
    from renda.core import registry

    from . import permissions as may
    from . import sections
    from .views_reports import minutes_section

    registry.menu.add(
        registry.MenuEntry(
            code="meetings.compliance",
            label=_("Meeting compliance"),
            url_name="meetings:compliance",
            order=380,
            visible=may.may_view_compliance,
        )
    )
    sections.add(
        sections.Section(
            code="minutes",
            label=_("Minutes and documents"),
            template="meetings/minutes/section.html",
            order=600,
            context=minutes_section,
        )
    )


def _home_staff(user) -> dict:
    from .selectors_sessions import home_staff

    return home_staff(user)


def _home_deputy(user) -> dict:
    from .selectors_sessions import home_deputy

    return home_deputy(user)


def _register_sessions_menu_and_cards(registry) -> None:
    """The meetings list in the menu (staff, the county administrator, leaders, deputies) and the
    home cards: the staff's next meetings and notice warnings, a deputy's coming meetings."""
    from renda.accounts.roles import Role

    from . import permissions as may

    registry.menu.add(
        registry.MenuEntry(
            code="meetings.list",
            label=_("Meetings"),
            url_name="meetings:list",
            order=360,
            visible=may.may_browse_meetings,
        )
    )
    for code, template, roles, order, context in (
        (
            "meetings.staff",
            "meetings/sessions/home_staff.html",
            {Role.COUNTY_ADMIN, Role.TOWNSHIP_STAFF},
            85,
            _home_staff,
        ),
        ("meetings.deputy", "meetings/sessions/home_deputy.html", {Role.DEPUTY}, 105, _home_deputy),
    ):
        registry.home_cards.add(
            registry.HomeCard(code=code, template=template, roles=frozenset(roles), order=order, context=context)
        )


def _register_votes_and_resolutions() -> None:
    """The votes and resolutions parts of the meeting page, the resolutions' menu entry (决议落实)
    and the home cards that show implementation reports falling due or overdue."""
    from renda.accounts.roles import Role
    from renda.core import registry

    from . import permissions as may
    from . import sections, views_votes

    sections.add(
        sections.Section(
            code="votes",
            label=_("Votes"),
            template="meetings/votes/section.html",
            order=400,
            context=views_votes.votes_section,
        )
    )
    sections.add(
        sections.Section(
            code="resolutions",
            label=_("Resolutions and decisions"),
            template="meetings/resolutions/section.html",
            order=500,
            context=views_votes.resolutions_section,
        )
    )
    registry.menu.add(
        registry.MenuEntry(
            code="meetings.resolutions",
            label=_("Implementation of resolutions"),
            url_name="meetings:resolutions",
            order=370,
            visible=may.may_view_resolutions,
        )
    )
    for code, template, roles in (
        (
            "meetings.resolutions_staff",
            "meetings/resolutions/home_staff.html",
            {Role.COUNTY_ADMIN, Role.TOWNSHIP_STAFF},
        ),
        ("meetings.resolutions_agency", "meetings/resolutions/home_agency.html", {Role.AGENCY_HANDLER}),
    ):
        registry.home_cards.add(
            registry.HomeCard(
                code=code, template=template, roles=frozenset(roles), order=130, context=views_votes.home_follow_up
            )
        )


def _add_attendance_section() -> None:
    from . import sections
    from .views_attendance import attendance_section

    sections.add(
        sections.Section(
            code="attendance",
            label=_("Attendance"),
            template="meetings/attendance/section.html",
            order=200,
            context=attendance_section,
        )
    )


def _register_motions() -> None:
    """A session's motions and suggestions on its page; the congresses' size in the menu."""
    from renda.core import registry

    from . import permissions as may
    from . import sections
    from .views_motions import motions_section

    sections.add(
        sections.Section(
            code="motions",
            label=_("Motions and suggestions"),
            template="meetings/motions/section.html",
            order=300,
            context=motions_section,
        )
    )
    registry.menu.add(
        registry.MenuEntry(
            code="meetings.congress",
            label=_("Congress seats"),
            url_name="meetings:congress",
            order=250,
            visible=may.may_view_congress_size,
        )
    )


class MeetingsConfig(AppConfig):
    name = "renda.meetings"
    verbose_name = _("Meetings")

    def ready(self) -> None:
        from renda.core import registry

        from .api import router
        from .records import register_kinds

        register_kinds()
        _declare_audit_words()
        _register_sessions_menu_and_cards(registry)
        _register_reports()
        _register_votes_and_resolutions()
        _add_attendance_section()
        _register_motions()
        registry.api_routers.add(registry.ApiRouter(code="meetings", prefix="/", router=router, order=400))
