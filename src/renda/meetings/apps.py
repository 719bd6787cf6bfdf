from django.apps import AppConfig
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
        from .records import register_kinds

        register_kinds()
        _declare_audit_words()
        _register_motions()
