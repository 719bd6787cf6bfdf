"""Named permission checks for casework. Views, the API and templates call these, never
``user.role``; rows are still fetched through ``get_scoped_or_404`` (an outsider gets 404), and a
check says whether a page, a form or a button is for this user.

Who does what (domain.md §1, §5): township staff and the county administrator review, assign,
chase and close the cases of their townships; the lead agency's handlers accept, report progress,
ask for more time and answer; co-agencies send their view; the signing deputies (and the citizen,
by tracking code) rate the answer; leaders read.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from renda.accounts.exports import may_export
from renda.accounts.roles import MANDATE_HOLDER_ROLES, Role, has_role
from renda.accounts.scoping import CHANGE, VIEW, can, role_may

from .models import Case, CaseAssignment, CaseCategory, ReceptionDay
from .workflow import HANDLING_STATES, OPEN_STATES

AGENCY_ROLES = frozenset({Role.AGENCY_HANDLER})
# Who may see a citizen's phone for the call-back, while the case is open (besides the agencies).
CITIZEN_PHONE_ROLES = frozenset({Role.TOWNSHIP_STAFF})


def may_view_cases(user: Any) -> bool:
    return role_may(user, VIEW, Case)


def may_browse_case_list(user: Any) -> bool:
    """The case list in the menu: staff and leaders. Agency handlers work from their inbox and
    deputies from their own suggestions (both may still open the list, scoped to their cases)."""
    return may_view_cases(user) and not has_role(user, AGENCY_ROLES | MANDATE_HOLDER_ROLES)


def may_file_case(user: Any) -> bool:
    """Staff enter opinions and suggestions; deputies file their own (on a phone, too)."""
    return role_may(user, CHANGE, Case) or has_role(user, MANDATE_HOLDER_ROLES)


def files_as_deputy(user: Any) -> bool:
    """Files with one of their own mandates as the lead signer, rather than choosing signers."""
    return has_role(user, MANDATE_HOLDER_ROLES) and not role_may(user, CHANGE, Case)


def _remembered(case: Case, user: Any, check: str, compute: Callable[[], Any]) -> Any:
    """A check's answer kept on the case row in hand, so that the page and its partials ask the
    database once. Only for answers no step changes (who the staff are, who signed)."""
    memo = case.__dict__.setdefault("_permission_memo", {})
    key = (check, getattr(user, "pk", None))
    if key not in memo:
        memo[key] = compute()
    return memo[key]


def is_case_staff(user: Any, case: Case) -> bool:
    """Township staff of the case's township or the county administrator: review, assign, chase, close."""
    return _remembered(case, user, "staff", lambda: can(user, CHANGE, case))


def is_agency_handler(user: Any) -> bool:
    return has_role(user, AGENCY_ROLES) and bool(getattr(user, "agency_id", None))


def live_assignment(user: Any, case: Case, *, lead: bool | None = None) -> CaseAssignment | None:
    """The user's agency's current assignment on the case (lead or co), if any."""
    if not is_agency_handler(user):
        return None
    assignments = CaseAssignment.objects.unscoped().filter(
        case=case, agency_id=user.agency_id, handed_back_at__isnull=True
    )
    if lead is not None:
        assignments = assignments.filter(is_lead=lead)
    return assignments.first()


def may_act_as_lead(user: Any, case: Case) -> bool:
    """Accept, hand back, note progress, ask for more time and answer: the lead agency's handlers."""
    return live_assignment(user, case, lead=True) is not None


def may_act_as_co(user: Any, case: Case) -> bool:
    return live_assignment(user, case, lead=False) is not None


def may_note_progress(user: Any, case: Case) -> bool:
    return is_case_staff(user, case) or may_act_as_lead(user, case)


def may_add_attachment(user: Any, case: Case, *, is_staff: bool | None = None) -> bool:
    """``is_staff``: ``is_case_staff`` already known (the detail page asks it once)."""
    return case.state in OPEN_STATES and (
        (is_case_staff(user, case) if is_staff is None else is_staff)
        or live_assignment(user, case) is not None
        or signer_mandates(user, case) != []
    )


def signer_mandates(user: Any, case: Case) -> list[int]:
    """The user's mandates that signed this case (a deputy rates once per mandate signed)."""
    if not has_role(user, MANDATE_HOLDER_ROLES):
        return []
    return _remembered(
        case,
        user,
        "signer",
        lambda: list(case.signers.filter(mandate__person__user=user).values_list("mandate_id", flat=True)),
    )


def may_rate(user: Any, case: Case) -> bool:
    return bool(signer_mandates(user, case))


def may_record_rating(user: Any, case: Case) -> bool:
    """Staff record a rating given on paper or by phone, on the rater's behalf."""
    return is_case_staff(user, case)


def may_reveal_citizen_phone(user: Any, case: Case) -> bool:
    """The call-back phone: township staff and the agencies handling the case, while it is open."""
    if case.state not in OPEN_STATES or not case.citizen_phone:
        return False
    if has_role(user, CITIZEN_PHONE_ROLES) and can(user, CHANGE, case):
        return True
    return live_assignment(user, case) is not None


def may_manage_categories(user: Any) -> bool:
    return role_may(user, CHANGE, CaseCategory)


def may_export_cases(user: Any) -> bool:
    return may_view_cases(user) and may_export(user)


def may_use_inbox(user: Any) -> bool:
    """The agency inbox (待办件): the handlers of an agency."""
    return is_agency_handler(user)


def may_view_own_suggestions(user: Any) -> bool:
    """我的建议: a deputy's own suggestions, their answers and the deputy's ratings."""
    return has_role(user, MANDATE_HOLDER_ROLES)


# ---------------------------------------------------------------- documents, figures, digest (reports)


@dataclass(frozen=True)
class DocumentRights:
    """Which of a case's documents the user may have, worked out together (two queries at most)
    for the case's page; the single checks below read the same rules."""

    assignment_notice: bool  # 交办单: the office that assigned it and the agencies it went to
    issue_reminder: bool  # 督办函: the case's staff, while an agency is at work on it
    reminder_letters: bool  # the office and the lead agency it was sent to
    reply_letters: bool  # 答复函 with its 回执: the lead agency that wrote it and the office
    opinion_form: bool  # the filled 意见表 names the citizen: the office's staff who may export


def document_rights(user: Any, case: Case) -> DocumentRights:
    staff = is_case_staff(user, case)
    assignment = live_assignment(user, case)
    lead = assignment is not None and assignment.is_lead
    return DocumentRights(
        assignment_notice=case.assigned_on is not None and (staff or assignment is not None),
        issue_reminder=case.state in HANDLING_STATES and staff,
        reminder_letters=staff or lead,
        reply_letters=staff or lead,
        opinion_form=case.is_citizen_opinion and staff and may_export(user),
    )


def may_download_assignment_notice(user: Any, case: Case) -> bool:
    return document_rights(user, case).assignment_notice


def may_issue_reminder_letter(user: Any, case: Case) -> bool:
    """The service also checks that the case is near or past its deadline."""
    return document_rights(user, case).issue_reminder


def may_download_reminder_letter(user: Any, case: Case) -> bool:
    return document_rights(user, case).reminder_letters


def may_download_reply_letter(user: Any, case: Case) -> bool:
    return document_rights(user, case).reply_letters


def may_download_opinion_form(user: Any, case: Case) -> bool:
    return document_rights(user, case).opinion_form


def may_download_blank_opinion_form(user: Any) -> bool:
    return role_may(user, CHANGE, Case)


def may_view_figures(user: Any) -> bool:
    """办理情况统计: staff and leaders, each for their own township or the whole county. Agency
    handlers see their own work in their inbox, not the county's comparison of agencies."""
    return may_browse_case_list(user)


def may_view_digests(user: Any) -> bool:
    from .models import Digest

    return role_may(user, VIEW, Digest)


def may_edit_digests(user: Any) -> bool:
    from .models import Digest

    return role_may(user, CHANGE, Digest)


def may_edit_digest(user: Any, digest: Any) -> bool:
    return can(user, CHANGE, digest)


def may_view_case_digest_items(user: Any, case: Case) -> bool:
    from .models import DigestItem

    return role_may(user, VIEW, DigestItem)


# The steps staff take on the detail page (township staff of the case's township, the county
# administrator); the draft's submission is also its signing deputy's.
STAFF_STEPS = (
    "submit",
    "accept",
    "merge",
    "reject",
    "handle_on_spot",
    "assign",
    "extension_decision",
    "remind",
    "tag",
    "rehandle",
    "rate",
    "close",
)


def staff_steps(user: Any, case: Case, *, is_staff: bool | None = None) -> frozenset[str]:
    """The staff steps ``user`` may take on ``case`` now: the ones its state allows, for staff of
    the case; a draft's signer may submit it. ``is_staff``: ``is_case_staff`` already known."""
    from .workflow import Step, allowed

    possible = {step for step in STAFF_STEPS if allowed(case, Step(step))}
    if not possible:
        return frozenset()
    if is_case_staff(user, case) if is_staff is None else is_staff:
        return frozenset(possible)
    if "submit" in possible and signer_mandates(user, case):
        return frozenset({"submit"})
    return frozenset()


def may_take_staff_step(user: Any, case: Case, step: str) -> bool:
    """Whether the user is someone who takes this step on this case (whatever its state now:
    a step the state does not allow is refused by the workflow, with its message)."""
    if step not in STAFF_STEPS:
        return False
    if is_case_staff(user, case):
        return True
    return step == "submit" and bool(signer_mandates(user, case))


# ---------------------------------------------------------------- reception days and public pages


def may_view_reception(user: Any) -> bool:
    """Reception days: staff plan and record them, leaders read, deputies see their own duty days."""
    return role_may(user, VIEW, ReceptionDay)


def may_plan_reception_at(user: Any, station: Any) -> bool:
    """Schedules, planned days, deputies on duty, records: the staff of the station's township."""
    return can(user, CHANGE, station)


def may_print_poster(user: Any, obj: Any) -> bool:
    """The QR poster of a station or of a deputy's page: the staff of its township."""
    return can(user, CHANGE, obj)
