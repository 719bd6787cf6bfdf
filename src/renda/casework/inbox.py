"""Reads for the agency's and the deputy's side of casework: the agency inbox (待办件), a deputy's
own suggestions (我的建议), the counts of the home cards, and what a user may do on one case (the
buttons and forms of the detail page's partials, through ``case_actions``/``rating_state``).

Every read goes through the scope: a handler reads the cases their agency holds a live assignment
on, a deputy the cases they signed. Lists cost a fixed number of queries whatever their length.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

from django.db.models import Case as Choose
from django.db.models import CharField, Count, Exists, OuterRef, Prefetch, Q, Value, When
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from renda.accounts.scoping import VIEW, scoped

from . import deadlines
from . import permissions as may
from .deadlines import Due
from .models import Case, CaseAssignment, CaseAttachment, CaseRating, CaseReply, CaseSigner, CaseState
from .workflow import HANDLING_STATES, Step, allowed

if TYPE_CHECKING:
    from django.db.models import QuerySet

S = CaseState
# The lead agency has accepted and is at work: the answer deadline runs.
AT_WORK = (S.IN_PROGRESS, S.REHANDLING)


@dataclass(frozen=True)
class SectionInfo:
    code: str
    title: Any
    css: str  # Bootstrap colour of the section's count


# In the order the inbox shows them. A case is in exactly one section: an assigned case waits for
# its acceptance whatever its deadline (its badge still shows the colour).
SECTIONS = (
    SectionInfo("awaiting", _("Awaiting acceptance"), "primary"),
    SectionInfo("overdue", _("Overdue"), "danger"),
    SectionInfo("due_soon", _("Due soon"), "warning"),
    SectionInfo("in_progress", _("In progress"), "success"),
    SectionInfo("answered", _("Answered, awaiting rating"), "secondary"),
    SectionInfo("co", _("Co-agency: view due"), "info"),
)


def _own_assignment(user: Any, *, lead: bool) -> Exists:
    # A subquery of the user's scoped case list: the user's own agency's live assignment.
    return Exists(
        CaseAssignment.objects.unscoped().filter(
            case=OuterRef("pk"), agency_id=user.agency_id, handed_back_at__isnull=True, is_lead=lead
        )
    )


def _sectioned(user: Any, today: dt.date) -> QuerySet[Any]:
    """The user's agency's cases that ask something of it, each annotated with its ``section``."""
    at_work = Q(mine_lead=True, state__in=AT_WORK)
    section = Choose(
        When(Q(mine_lead=True, state=S.ASSIGNED), then=Value("awaiting")),
        When(at_work & deadlines.overdue_filter(today), then=Value("overdue")),
        When(at_work & deadlines.near_filter(today), then=Value("due_soon")),
        When(at_work, then=Value("in_progress")),
        When(Q(mine_lead=True, state=S.ANSWERED), then=Value("answered")),
        When(Q(mine_co=True, state__in=HANDLING_STATES), then=Value("co")),
        default=None,
        output_field=CharField(),
    )
    return (
        scoped(Case, user, VIEW)
        .annotate(mine_lead=_own_assignment(user, lead=True), mine_co=_own_assignment(user, lead=False))
        .annotate(section=section)
        .filter(section__isnull=False)
    )


@dataclass
class InboxCard:
    case: Case
    section: str
    due: Due | None
    assignment: CaseAssignment | None  # the user's agency's own
    lead_agency: Any


@dataclass
class InboxSection:
    info: SectionInfo
    cards: list[InboxCard] = field(default_factory=list)

    @property
    def code(self) -> str:
        return self.info.code


def _co_view_due(assignment: CaseAssignment | None, today: dt.date) -> Due | None:
    if assignment is None or assignment.view_sent_at or not assignment.view_due_on:
        return None
    return Due(
        on=assignment.view_due_on,
        label=str(_("view due")),
        urgency=deadlines.urgency_on(assignment.view_due_on, today),
    )


def inbox(user: Any, today: dt.date | None = None) -> list[InboxSection]:
    """The agency inbox: every section, in order, each sorted by its deadline (three queries)."""
    today = today or timezone.localdate()
    live = scoped(CaseAssignment, user, VIEW).filter(handed_back_at__isnull=True).select_related("agency")
    cases = (
        _sectioned(user, today)
        .select_related("township", "category")
        .prefetch_related(Prefetch("assignments", queryset=live, to_attr="live_assignments"))
    )
    sections = {info.code: InboxSection(info) for info in SECTIONS}
    case: Any  # annotated with ``section`` and ``live_assignments``
    for case in cases:
        mine = next((a for a in case.live_assignments if a.agency_id == user.agency_id), None)
        lead = next((a.agency for a in case.live_assignments if a.is_lead), None)
        due = _co_view_due(mine, today) if case.section == "co" else deadlines.due_of(case, today)
        sections[case.section].cards.append(
            InboxCard(case=case, section=case.section, due=due, assignment=mine, lead_agency=lead)
        )
    far = dt.date.max
    for section in sections.values():
        section.cards.sort(key=lambda card: (card.due.on if card.due else far, card.case.reference))
    return list(sections.values())


def inbox_counts(user: Any, today: dt.date | None = None) -> dict[str, int]:
    """How many cases each section holds (one query)."""
    today = today or timezone.localdate()
    counts = dict.fromkeys((info.code for info in SECTIONS), 0)
    rows = _sectioned(user, today).order_by().values("section").annotate(n=Count("pk"))
    counts.update({row["section"]: row["n"] for row in rows})
    return counts


def home_agency(user: Any) -> dict:
    """The agency handler's home card: what awaits, what is due soon, what is overdue."""
    counts = inbox_counts(user)
    return {"counts": counts, "sections": {info.code: info for info in SECTIONS}}


# ---------------------------------------------------------------- one case


@dataclass
class CaseActions:
    """What the user may do on one case now: the flags the partials show buttons by."""

    case: Case
    assignment: CaseAssignment | None = None
    lead: bool = False
    co: bool = False
    accept: bool = False
    hand_back: bool = False
    hand_back_until: dt.date | None = None
    note: bool = False
    co_view: bool = False
    extension: bool = False
    answer: bool = False
    attach: bool = False

    @property
    def any_agency_action(self) -> bool:
        return any((self.accept, self.hand_back, self.note, self.co_view, self.extension, self.answer))


def case_actions(user: Any, case: Case, today: dt.date | None = None) -> CaseActions:
    """The agency's buttons for ``case`` (``_actions_agency.html``), by the named checks and the
    state machine."""
    today = today or timezone.localdate()
    assignment = may.live_assignment(user, case)
    lead = assignment is not None and assignment.is_lead
    co = assignment is not None and not assignment.is_lead
    actions = CaseActions(case=case, assignment=assignment, lead=lead, co=co)
    if assignment is not None:
        step = Step.HAND_BACK if lead else Step.CO_HAND_BACK
        actions.hand_back_until = assignment.hand_back_until
        actions.hand_back = allowed(case, step) and today <= assignment.hand_back_until
    actions.accept = lead and allowed(case, Step.AGENCY_ACCEPT)
    actions.note = allowed(case, Step.NOTE) and (lead or may.may_note_progress(user, case))
    actions.co_view = co and allowed(case, Step.CO_VIEW)
    actions.extension = lead and allowed(case, Step.EXTENSION_REQUEST)
    actions.answer = lead and allowed(case, Step.ANSWER)
    actions.attach = may.may_add_attachment(user, case)
    return actions


def attachments_of(user: Any, case: Case) -> list[CaseAttachment]:
    return list(scoped(CaseAttachment, user, VIEW).filter(case=case).order_by("uploaded_at", "id"))


@dataclass
class Signature:
    signer: CaseSigner
    rating: CaseRating | None  # this round's, if given


@dataclass
class RatingState:
    """A signing deputy's side of one of their cases: the answer they are asked to rate (of the
    case it was merged into, if it was) and their rating per mandate signed."""

    case: Case
    main: Case
    reply: CaseReply | None
    signatures: list[Signature]

    @property
    def is_open(self) -> bool:
        return self.main.state == S.ANSWERED

    @property
    def unrated(self) -> list[CaseSigner]:
        return [s.signer for s in self.signatures if s.rating is None]

    @property
    def awaiting(self) -> bool:
        return self.is_open and bool(self.unrated)


def _latest(replies: list[CaseReply]) -> CaseReply | None:
    return max(replies, key=lambda reply: reply.round) if replies else None


def _own_cases(user: Any) -> QuerySet[Any]:
    own_signers = scoped(CaseSigner, user, VIEW).filter(mandate__person__user=user).select_related("mandate__term")
    return (
        scoped(Case, user, VIEW)
        .select_related("merged_into", "township")
        .prefetch_related(
            Prefetch("signers", queryset=own_signers, to_attr="own_signers"),
            Prefetch("ratings", queryset=scoped(CaseRating, user, VIEW), to_attr="all_ratings"),
            Prefetch("replies", queryset=scoped(CaseReply, user, VIEW), to_attr="all_replies"),
            # The answer of the case a deputy's case was merged into is their answer too
            # (services.rate): read for the cases already in the deputy's scope.
            Prefetch("merged_into__replies", queryset=CaseReply.objects.unscoped(), to_attr="all_replies"),
        )
    )


def _rating_state(case: Any) -> RatingState:
    """``case`` as ``_own_cases`` reads it, with its prefetched rows."""
    main = case.merged_into if case.merged_into is not None else case
    rated = {r.mandate_id: r for r in case.all_ratings if r.round == main.rehandle_count and r.mandate_id}
    return RatingState(
        case=case,
        main=main,
        reply=_latest(main.all_replies),
        signatures=[Signature(signer, rated.get(signer.mandate_id)) for signer in case.own_signers],
    )


def rating_state(user: Any, case: Case) -> RatingState:
    """One case of the deputy's (fetched again with what the rating needs)."""
    return _rating_state(_own_cases(user).get(pk=case.pk))


@dataclass
class OwnCase:
    case: Case
    rating: RatingState
    due: Due | None


def own_suggestions(user: Any, today: dt.date | None = None) -> list[OwnCase]:
    """我的建议: the deputy's cases, signed as lead or co-signer, newest first (five queries)."""
    today = today or timezone.localdate()
    result = []
    for case in _own_cases(user).order_by("-received_on", "-id"):
        state = _rating_state(case)
        result.append(OwnCase(case=case, rating=state, due=deadlines.due_of(state.main, today)))
    return result


def home_deputy(user: Any) -> dict:
    """The deputy's home card: answers awaiting their rating."""
    answered = Q(state=S.ANSWERED) | Q(merged_into__state=S.ANSWERED)
    waiting = [c for c in _own_cases(user).filter(answered) if _rating_state(c).awaiting]
    return {"awaiting_rating": len(waiting)}


__all__ = [
    "SECTIONS",
    "CaseActions",
    "InboxCard",
    "InboxSection",
    "OwnCase",
    "RatingState",
    "attachments_of",
    "case_actions",
    "home_agency",
    "home_deputy",
    "inbox",
    "inbox_counts",
    "own_suggestions",
    "rating_state",
]
