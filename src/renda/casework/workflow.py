"""The case state machine, in one place: which step may move a case from which state to which.

Services call ``move()``; nothing else writes ``Case.state``. A step not in the table is refused
with ``IllegalTransition`` (a Chinese message naming the step and the state). Steps that do not
change the state (a progress note, a reminder, a co-agency's view) are in the table too, with the
states they are allowed in, so that "may this happen now?" has one answer.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from django.db import models
from django.utils import timezone
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from renda.accounts import audit
from renda.core.locking import StaleEdit

from .models import Case, CaseEvent, CaseState

if TYPE_CHECKING:
    from renda.accounts.models import User

S = CaseState

# Cases someone still has to act on; the others are finished (merged ones live on in their main case).
OPEN_STATES = frozenset(
    {S.DRAFT, S.SUBMITTED, S.ACCEPTED, S.ASSIGNED, S.RETURNED, S.IN_PROGRESS, S.ANSWERED, S.REHANDLING, S.RATED}
)
FINISHED_STATES = frozenset(set(S) - OPEN_STATES)
# States in which an agency is at work on the case and its answer deadline runs.
HANDLING_STATES = frozenset({S.ASSIGNED, S.IN_PROGRESS, S.REHANDLING})


class Step(models.TextChoices):
    SUBMIT = "submit", _("Submitted")
    ACCEPT = "accept", _("Accepted (立案)")
    MERGE = "merge", _("Merged into another case")
    REJECT = "reject", _("Not accepted")
    HANDLE_ON_SPOT = "handle_on_spot", _("Handled on the spot")
    ASSIGN = "assign", _("Assigned")
    AGENCY_ACCEPT = "agency_accept", _("Accepted by the agency")
    HAND_BACK = "hand_back", _("Handed back for re-assignment")
    CO_HAND_BACK = "co_hand_back", _("Co-agency handed back")
    NOTE = "note", _("Progress noted")
    CO_VIEW = "co_view", _("Co-agency's view sent")
    EXTENSION_REQUEST = "extension_request", _("Extension requested")
    EXTENSION_DECISION = "extension_decision", _("Extension decided")
    ANSWER = "answer", _("Answered")
    RATE = "rate", _("Rated")
    RATING_COMPLETE = "rating_complete", _("Rating complete")
    RATING_LAPSED = "rating_lapsed", _("Rating window passed")
    REHANDLE = "rehandle", _("Sent back for handling again")
    CLOSE = "close", _("Closed")
    REMIND = "remind", _("Reminder sent")
    ESCALATE = "escalate", _("Escalated")
    TAG = "tag", _("Tags changed")
    ATTACH = "attach", _("Attachment added")
    DEADLINES_MOVED = "deadlines_moved", _("Deadlines moved by the calendar")


@dataclass(frozen=True)
class Transition:
    step: Step
    sources: frozenset[str]
    # None: the step leaves the state as it is.
    target: str | None = None


def _t(step: Step, sources, target=None) -> Transition:
    return Transition(step, frozenset(sources), target)


_WORKING = (S.ASSIGNED, S.IN_PROGRESS, S.REHANDLING)
TRANSITIONS: dict[Step, Transition] = {
    t.step: t
    for t in (
        _t(Step.SUBMIT, {S.DRAFT}, S.SUBMITTED),
        _t(Step.ACCEPT, {S.SUBMITTED}, S.ACCEPTED),
        _t(Step.MERGE, {S.SUBMITTED, S.ACCEPTED, S.RETURNED}, S.MERGED),
        _t(Step.REJECT, {S.SUBMITTED}, S.REJECTED),
        _t(Step.HANDLE_ON_SPOT, {S.SUBMITTED}, S.HANDLED_ON_SPOT),
        _t(Step.ASSIGN, {S.ACCEPTED, S.RETURNED}, S.ASSIGNED),
        _t(Step.AGENCY_ACCEPT, {S.ASSIGNED}, S.IN_PROGRESS),
        _t(Step.HAND_BACK, {S.ASSIGNED, S.IN_PROGRESS}, S.RETURNED),
        _t(Step.CO_HAND_BACK, _WORKING),
        _t(Step.NOTE, _WORKING),
        _t(Step.CO_VIEW, _WORKING),
        # Extensions are for the first answer (3 months, at most 6); re-handling has its own month.
        _t(Step.EXTENSION_REQUEST, {S.ASSIGNED, S.IN_PROGRESS}),
        _t(Step.EXTENSION_DECISION, {S.ASSIGNED, S.IN_PROGRESS}),
        _t(Step.ANSWER, _WORKING, S.ANSWERED),
        _t(Step.RATE, {S.ANSWERED}),
        _t(Step.RATING_COMPLETE, {S.ANSWERED}, S.RATED),
        _t(Step.RATING_LAPSED, {S.ANSWERED}, S.RATED),
        _t(Step.REHANDLE, {S.ANSWERED, S.RATED}, S.REHANDLING),
        _t(Step.CLOSE, {S.RATED}, S.CLOSED),
        # A reminder goes to the lead agency: there is none before assignment.
        _t(Step.REMIND, _WORKING),
        # Every state with a running deadline but the rating window (which lapses instead): an
        # opinion not reviewed within the assignment deadline is escalated like any other.
        _t(Step.ESCALATE, {S.SUBMITTED, S.ACCEPTED, S.RETURNED, *_WORKING}),
        _t(Step.TAG, OPEN_STATES),
        _t(Step.ATTACH, OPEN_STATES),
        _t(Step.DEADLINES_MOVED, OPEN_STATES),
    )
}


class IllegalTransition(Exception):
    """The step is not allowed in the case's present state; ``message`` is shown to the user."""

    def __init__(self, step: Step, state: str):
        self.step, self.state = step, state
        self.message = gettext("“%(step)s” is not possible while the case is “%(state)s”.") % {
            "step": Step(step).label,
            "state": CaseState(state).label,
        }
        super().__init__(self.message)


def allowed(case: Case, step: Step) -> bool:
    return case.state in TRANSITIONS[step].sources


def allowed_steps(state: str) -> list[Step]:
    return [step for step, transition in TRANSITIONS.items() if state in transition.sources]


def check(case: Case, step: Step) -> None:
    """Refuse ``step`` with ``IllegalTransition`` unless the table allows it in the case's state."""
    if case.state not in TRANSITIONS[step].sources:
        raise IllegalTransition(step, case.state)


def lock(case: Case, *, version: int | None = None, step: Step | None = None) -> Case:
    """Re-read the case inside the transaction, locked where the database can (PostgreSQL), and
    refuse if someone saved it since the user's form was shown (``version``). With ``step``, also
    refuse at once when the step is not allowed in the state read, before the service checks its
    input against a state it cannot be in (a deadline that does not exist, an open request…)."""
    fresh = Case.objects.unscoped().select_for_update().get(pk=case.pk)
    if version is not None and fresh.version != version:
        raise StaleEdit(StaleEdit.message)
    if step is not None:
        check(fresh, step)
    return fresh


def apply(case: Case, step: Step, fields: dict[str, Any] | None = None) -> tuple[str, list[str]]:
    """Check the table and set the step's target state and ``fields`` on ``case`` in memory; the
    state before and the names of the fields set. ``move`` saves and records; a case filed and
    submitted at once is inserted in its new state and recorded with ``record``."""
    transition = TRANSITIONS[step]
    check(case, step)
    before = case.state
    updates = dict(fields or {})
    if transition.target is not None:
        updates["state"] = transition.target
    for name, value in updates.items():
        setattr(case, name, value)
    return before, sorted(updates)


def signed_in_user(actor: User | None) -> User | None:
    """The account to store as the one who acted: None for the system or a citizen without one."""
    return actor if getattr(actor, "is_authenticated", False) else None


def record(
    case: Case,
    step: Step,
    *,
    before: str,
    actor: User | None,
    reason: str = "",
    data: dict[str, Any] | None = None,
    actor_label: str = "",
) -> CaseEvent:
    """Put a step applied to ``case`` on its timeline and in the audit log."""
    event = CaseEvent.objects.create(
        case=case,
        transition=step.value,
        from_state=before,
        to_state=case.state,
        actor=signed_in_user(actor),
        actor_label=actor_label or (str(actor) if actor is not None else ""),
        at=timezone.now(),
        reason=reason,
        data=data or {},
    )
    audit_data = {"step": step.value, "state_before": before, "state_after": case.state, **(data or {})}
    if reason:
        audit_data["reason"] = reason[:200]
    audit.record(f"casework.case.{step.value}", actor=actor, target=case, data=audit_data)
    return event


def move(
    case: Case,
    step: Step,
    *,
    actor: User | None,
    reason: str = "",
    data: dict[str, Any] | None = None,
    fields: dict[str, Any] | None = None,
    actor_label: str = "",
) -> CaseEvent:
    """Apply ``step`` to a case already locked with ``lock()``: check the table, set the target
    state and ``fields``, bump the version (so concurrent forms go stale), and record the step on
    the timeline and in the audit log. Runs inside the caller's transaction."""
    before, updated = apply(case, step, fields)
    case.save_versioned(expected_version=case.version, update_fields=updated)
    return record(case, step, before=before, actor=actor, reason=reason, data=data, actor_label=actor_label)
