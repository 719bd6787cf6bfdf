"""Named permission checks for meetings. Views, the API and templates call these, never
``user.role``; rows are still fetched through ``get_scoped_or_404`` (an outsider gets 404).

Who does what (domain.md §2, §6): township staff (and the county administrator, for every township)
prepare and run their congress's meetings, record attendance, votes and resolutions; deputies read
the meetings they are expected at, sign in, ask for leave and sign motions; the responsible units'
handlers report on the resolutions they carry out; leaders read."""

from __future__ import annotations

from typing import Any

from renda.accounts.roles import MANDATE_HOLDER_ROLES, Role, has_role
from renda.accounts.scoping import CHANGE, VIEW, can, role_may, scoped

from .models import Attendance, Meeting, Resolution

AGENCY_ROLES = frozenset({Role.AGENCY_HANDLER})
COMPLIANCE_ROLES = frozenset({Role.COUNTY_ADMIN, Role.TOWNSHIP_STAFF, Role.LEADER})


def may_view_meetings(user: Any) -> bool:
    return role_may(user, VIEW, Meeting)


def may_browse_meetings(user: Any) -> bool:
    """The meetings list in the menu: staff, leaders and deputies (their own meetings)."""
    return may_view_meetings(user) and not has_role(user, AGENCY_ROLES)


def may_plan_meetings(user: Any) -> bool:
    return role_may(user, CHANGE, Meeting)


def may_run_township(user: Any, township: Any) -> bool:
    """Plan meetings for this township: its staff, or the county administrator."""
    from renda.organisations.models import Township

    return may_plan_meetings(user) and scoped(Township, user, VIEW).filter(pk=township.pk).exists()


def may_run_meeting(user: Any, meeting: Meeting) -> bool:
    """Prepare, notify, open, record attendance and votes, close: the meeting's township staff."""
    return can(user, CHANGE, meeting)


def is_expected_deputy(user: Any, meeting: Meeting) -> Attendance | None:
    """The user's own attendance row at the meeting, if they hold a mandate expected there."""
    if not has_role(user, MANDATE_HOLDER_ROLES):
        return None
    return (
        Attendance.objects.unscoped()
        .filter(meeting=meeting, mandate__person__user=user)
        .select_related("mandate__person")
        .first()
    )


def may_sign_motions(user: Any) -> bool:
    return has_role(user, MANDATE_HOLDER_ROLES) or role_may(user, CHANGE, Meeting)


def may_view_resolutions(user: Any) -> bool:
    return role_may(user, VIEW, Resolution)


def may_report_on(user: Any, resolution: Resolution) -> bool:
    """Staff of the township, or a handler of one of the resolution's responsible units."""
    if can(user, CHANGE, resolution):
        return True
    agency_id = getattr(user, "agency_id", None)
    return (
        has_role(user, AGENCY_ROLES) and agency_id is not None and resolution.units.filter(agency_id=agency_id).exists()
    )


def may_view_compliance(user: Any) -> bool:
    """The compliance view: the county administrator for all townships, staff for their own, leaders."""
    return role_may(user, VIEW, Meeting) and has_role(user, COMPLIANCE_ROLES)


# ---------------------------------------------------------------- reports: minutes and documents


def _held(meeting: Meeting) -> bool:
    """A meeting that has opened has been held: it has minutes and decisions."""
    from .models import MeetingState

    return meeting.state in {MeetingState.OPEN, MeetingState.CLOSED}


def may_export_compliance(user: Any) -> bool:
    """The compliance table in Excel: figures of meetings, no one's personal information."""
    return may_view_compliance(user)


def may_read_minutes(user: Any) -> bool:
    """The minutes with their decisions, the vote tally: the office (staff, the county
    administrator, leaders — those of the compliance view) of a meeting they read through the
    scope. Deputies get the notice."""
    return may_view_compliance(user)


def may_keep_minutes(user: Any, meeting: Meeting) -> bool:
    """Write the minutes: who runs the meeting, once it has opened (``services.save_minutes``)."""
    return _held(meeting) and may_run_meeting(user, meeting)


def may_download_decisions(user: Any, meeting: Meeting) -> bool:
    """The minutes with decisions and the vote tally as files: the office, once the meeting has opened."""
    return _held(meeting) and may_read_minutes(user)


def may_download_signin_sheet(user: Any) -> bool:
    """The sign-in sheet lists each deputy's attendance: the office's people who may export
    personal information."""
    from renda.accounts.exports import may_export

    return may_read_minutes(user) and may_export(user)
# ---------------------------------------------------------------- votes and resolutions


def may_view_votes(user: Any) -> bool:
    """The tallies: staff, the county administrator and leaders. A vote row has no owner in its
    scope, so a deputy is not shown them."""
    from .models import Vote

    return role_may(user, VIEW, Vote)


def may_record_votes(user: Any, meeting: Meeting) -> bool:
    """Votes are recorded item by item while the meeting is in session, by its staff."""
    from .models import MeetingState

    return meeting.state == MeetingState.OPEN and may_run_meeting(user, meeting)


def may_correct_vote(user: Any, vote: Any) -> bool:
    return may_run_meeting(user, vote.meeting)


def may_adopt_resolutions(user: Any, meeting: Meeting) -> bool:
    """A resolution is entered once the meeting has opened (during it or after it closed)."""
    from .models import MeetingState

    return meeting.state in {MeetingState.OPEN, MeetingState.CLOSED} and may_run_meeting(user, meeting)


def may_follow_resolution(user: Any, resolution: Resolution) -> bool:
    """Report on it while it is being carried out: staff of its township or a responsible unit."""
    from .models import ResolutionState

    return resolution.state == ResolutionState.IMPLEMENTING and may_report_on(user, resolution)


def may_mark_resolution_done(user: Any, resolution: Resolution) -> bool:
    """The presidium's verdict, recorded by the township's staff."""
    from .models import ResolutionState

    return resolution.state == ResolutionState.IMPLEMENTING and may_run_meeting(user, resolution.meeting)
# ---------------------------------------------------------------- attendance pages


def may_ask_for_leave(user: Any, attendance: Attendance) -> bool:
    """The deputy for themselves, or the meeting's staff entering a request on their behalf."""
    return attendance.mandate.person.user_id == getattr(user, "pk", None) or may_run_meeting(user, attendance.meeting)


def rows_open_to_leave(user: Any, meeting: Meeting, rows: list[Attendance]) -> set[int]:
    """Of a meeting's attendance rows, those ``may_ask_for_leave`` allows, in one check for the list."""
    if may_run_meeting(user, meeting):
        return {row.pk for row in rows}
    return {row.pk for row in rows if row.mandate.person.user_id == getattr(user, "pk", None)}
# ---------------------------------------------------------------- motions, session suggestions, congress size


def own_congress_mandate(user: Any, meeting: Meeting) -> Any:
    """The user's own mandate in the congress of this session on its date, if they serve in it:
    the lead signer of what a deputy submits there."""
    if not has_role(user, MANDATE_HOLDER_ROLES) or not meeting.is_session or meeting.term is None:
        return None
    from .services import congress_deputies

    return congress_deputies(meeting.term, meeting.date).filter(person__user=user).select_related("person").first()


def may_submit_to_session(user: Any, meeting: Meeting) -> bool:
    """Motions and suggestions of a session: its staff (a paper motion, a suggestion for a deputy)
    or a deputy of its congress (their own)."""
    return meeting.is_session and (may_run_meeting(user, meeting) or own_congress_mandate(user, meeting) is not None)


def may_decide_motions(user: Any, meeting: Meeting) -> bool:
    """The presidium's decisions are recorded by the session's staff."""
    return may_run_meeting(user, meeting)


def may_view_congress_size(user: Any) -> bool:
    """Seats and vacancies: the county administrator for every township, staff for their own, leaders."""
    from renda.organisations.models import Term

    return role_may(user, VIEW, Term) and has_role(user, COMPLIANCE_ROLES)


def may_set_congress_size(user: Any, term: Any) -> bool:
    """The population and the seats the county fixed: the county office, which records the terms."""
    from renda.organisations.permissions import may_set_terms

    return may_set_terms(user) and can(user, CHANGE, term)


def terms_whose_size_may_be_set(user: Any, terms: list[Any]) -> set[int]:
    """``may_set_congress_size`` for many terms at once (one query): the primary keys allowed."""
    from renda.organisations.models import Term
    from renda.organisations.permissions import may_set_terms

    if not terms or not may_set_terms(user):
        return set()
    return set(scoped(Term, user, CHANGE).filter(pk__in=[t.pk for t in terms]).values_list("pk", flat=True))
