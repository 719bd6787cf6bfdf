"""Non-trivial reads of casework (HackSoft style: reads in selectors, writes in services): the
duplicate proposal, and for the staff's pages — always through the user's scope — the case list
and its filters, the detail page's rows, the choices of the staff's forms and the home card's counts."""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass
from datetime import date, timedelta
from typing import Any

from django.conf import settings
from django.db.models import Case as CaseWhen
from django.db.models import Count, Exists, IntegerField, OuterRef, Prefetch, Q, QuerySet, Value, When
from django.db.models.functions import ExtractYear
from django.utils import timezone

from renda.accounts.scoping import CHANGE, VIEW, get_scoped_or_404, scoped
from renda.deputies.models import Mandate
from renda.deputies.selectors import serving_on
from renda.organisations.models import Agency, Township

from . import deadlines, services, similarity
from .models import (
    Case,
    CaseAssignment,
    CaseCategory,
    CaseEvent,
    CaseExtension,
    CaseRating,
    CaseReply,
    CaseSigner,
    CaseState,
)
from .workflow import FINISHED_STATES, HANDLING_STATES, OPEN_STATES

# --- Duplicate proposal (issue 10, point 7) ------------------------------------------------------

# A case of another township of the county can be the same matter (a road between two townships),
# but less likely than one of the same township: its score counts this much.
OTHER_TOWNSHIP_FACTOR = 0.8
# The newest cases compared, at most: keeps a request bounded in a county with many years of cases.
DUPLICATE_MAX_CANDIDATES = 1000


def propose_duplicates(
    *,
    text: str,
    township: Township,
    exclude: Case | Iterable[Case | int] | None = None,
    limit: int = 3,
    among: QuerySet[Case] | None = None,
    today: date | None = None,
) -> list[tuple[Case, float]]:
    """Cases that are likely the same matter as ``text`` (a new case's title and content), best first.

    Candidates: the cases of the township's county that are open (``workflow.OPEN_STATES``, drafts
    left out) or were received in the last ``RENDA_CASE_DUPLICATE_DAYS`` days; merged cases are left
    out (their main case stands for them), and so is ``exclude`` (the case being entered or
    reviewed: a case or pks). Scores come from ``similarity.rank`` (in [0, 1]); a case of another
    township of the county counts ``OTHER_TOWNSHIP_FACTOR`` of its score. Returns at most ``limit``
    (case, score) pairs scoring at least ``RENDA_CASE_DUPLICATE_MIN_SCORE``.

    Reads the county's cases unscoped (``for_county``) unless ``among`` is given: a caller in a
    request passes ``scoped(Case, user)`` so that the proposal holds only cases the user may see.
    One query; the cases carry only the fields a proposal shows (``township`` joined).
    """
    if not (text or "").strip():
        return []
    since = (today or timezone.localdate()) - timedelta(days=settings.RENDA_CASE_DUPLICATE_DAYS)
    cases = among if among is not None else Case.objects.for_county(township.county_id)
    cases = (
        cases.filter(county_id=township.county_id)
        .filter(Q(state__in=OPEN_STATES) | Q(received_on__gte=since))
        .exclude(state__in=(CaseState.DRAFT, CaseState.MERGED))
        .filter(merged_into__isnull=True)
    )
    if exclude is not None:
        excluded: list[Case | int] = [exclude] if isinstance(exclude, Case) else list(exclude)
        cases = cases.exclude(pk__in=[item.pk if isinstance(item, Case) else item for item in excluded])
    rows = list(
        cases.select_related("township")
        .only("uuid", "reference", "title", "content", "state", "received_on", "township__name", "township__uuid")
        .order_by("-received_on", "-id")[:DUPLICATE_MAX_CANDIDATES]
    )
    ranked = similarity.rank(text, [(case, f"{case.title}\n{case.content}") for case in rows], limit=None)
    threshold = settings.RENDA_CASE_DUPLICATE_MIN_SCORE
    weighted = [
        (case, round(score if case.township_id == township.pk else score * OTHER_TOWNSHIP_FACTOR, 4))
        for case, score in ranked
    ]
    weighted.sort(key=lambda pair: -pair[1])  # stable: equal scores keep the ranking's order
    return [(case, score) for case, score in weighted if score >= threshold][:limit]


S = CaseState

# The state groups of the list's first filter: what a member of staff looks for.
STATE_GROUPS: dict[str, Callable[[date], Q]] = {
    "open": lambda today: Q(state__in=OPEN_STATES),
    "to_review": lambda today: Q(state=S.SUBMITTED),
    "to_assign": lambda today: Q(state__in=[S.ACCEPTED, S.RETURNED]),
    "handling": lambda today: Q(state__in=HANDLING_STATES),
    "awaiting_rating": lambda today: Q(state=S.ANSWERED),
    "near": deadlines.near_filter,
    "overdue": deadlines.overdue_filter,
    "drafts": lambda today: Q(state=S.DRAFT),
    "finished": lambda today: Q(state__in=FINISHED_STATES),
}


@dataclass(frozen=True)
class CaseFilters:
    state: str = ""
    source: str = ""
    category: CaseCategory | None = None
    township: Township | None = None
    agency: Agency | None = None
    key: bool = False
    repeated: bool = False
    year: int | None = None
    query: str = ""


def case_list(user, filters: CaseFilters | None = None, *, today: date) -> QuerySet[Case]:
    """The cases within the user's scope matching ``filters``, newest first, with what a list row
    shows (township, category, the lead agency) read in a fixed number of queries."""
    filters = filters or CaseFilters()
    cases = scoped(Case, user, VIEW).select_related("township", "category")
    if filters.state in STATE_GROUPS:
        cases = cases.filter(STATE_GROUPS[filters.state](today))
    if filters.source:
        cases = cases.filter(source=filters.source)
    if filters.category is not None:
        cases = cases.filter(category=filters.category)
    if filters.township is not None:
        cases = cases.filter(township=filters.township)
    if filters.agency is not None:
        live = CaseAssignment.objects.unscoped().filter(
            case=OuterRef("pk"), agency=filters.agency, handed_back_at__isnull=True
        )
        cases = cases.filter(Exists(live))
    if filters.key:
        cases = cases.filter(is_key=True)
    if filters.repeated:
        cases = cases.filter(is_repeated=True)
    if filters.year:
        cases = cases.filter(received_on__year=filters.year)
    query = (filters.query or "").strip()
    if query:
        cases = cases.filter(Q(reference__icontains=query) | Q(title__icontains=query))
    lead = CaseAssignment.objects.unscoped().filter(is_lead=True, handed_back_at__isnull=True).select_related("agency")
    return cases.prefetch_related(Prefetch("assignments", queryset=lead, to_attr="lead_assignments")).order_by(
        "-received_on", "-id"
    )


def with_due(cases: Iterable[Case], today: date) -> list[Case]:
    """Each case with ``due``: the deadline running now and its colour (三色督办), or None."""
    rows = list(cases)
    for case in rows:
        case.due = deadlines.due_of(case, today)  # type: ignore[attr-defined]
    return rows


def case_years(user) -> list[int]:
    """The years cases in scope were received in, newest first (the list's year filter)."""
    years = (
        scoped(Case, user, VIEW)
        .exclude(received_on__isnull=True)
        .annotate(year=ExtractYear("received_on"))
        .order_by("-year")
        .values_list("year", flat=True)
        .distinct()
    )
    return list(years)


def home_counts(user, *, today: date) -> dict[str, int]:
    """The staff's home card: cases to review, to assign, near their deadline and overdue."""
    return scoped(Case, user, VIEW).aggregate(
        to_review=Count("pk", filter=STATE_GROUPS["to_review"](today)),
        to_assign=Count("pk", filter=STATE_GROUPS["to_assign"](today)),
        near=Count("pk", filter=deadlines.near_filter(today)),
        overdue=Count("pk", filter=deadlines.overdue_filter(today)),
    )


# ---------------------------------------------------------------- the detail page


def case_for_detail(user, uuid) -> Case:
    """One case within the user's scope (404 outside it), with the rows its page shows."""
    # get_scoped_or_404 applies the scope itself, and audits a refused look at a row outside it.
    # The activity a finding turned into this case came from (the page links back to it).
    queryset = Case.objects.select_related(
        "county", "township", "category", "station", "merged_into", "created_by", "activity_finding__activity"
    )
    return get_scoped_or_404(queryset, user, VIEW, uuid=uuid)


@dataclass
class CaseParts:
    signers: list[CaseSigner]
    assignments: list[CaseAssignment]
    events: list[CaseEvent]
    notes: list[Any]
    extensions: list[CaseExtension]
    replies: list[CaseReply]
    ratings: list[CaseRating]
    merged: list[Case]
    reminders: list[Any]

    @property
    def live_assignments(self) -> list[CaseAssignment]:
        return [a for a in self.assignments if a.handed_back_at is None]

    @property
    def pending_extension(self) -> CaseExtension | None:
        return next((e for e in self.extensions if e.approved is None), None)


def case_parts(case: Case) -> CaseParts:
    """The case's own rows, each list in one query (they follow from a case already in scope)."""
    return CaseParts(
        signers=list(case.signers.select_related("mandate__person", "mandate__person__township")),
        assignments=list(case.assignments.select_related("agency").order_by("-handed_back_at", "-is_lead", "id")),
        events=list(case.events.select_related("actor")),
        notes=list(case.notes.select_related("agency", "author")),
        extensions=list(case.extensions.select_related("agency", "decided_by")),
        replies=list(case.replies.select_related("agency")),
        ratings=list(
            CaseRating.objects.unscoped()
            .filter(case__in=case.with_merged())
            .select_related("case", "mandate__person", "rated_by")
            .order_by("round", "rated_at")
        ),
        merged=list(case.merged.all().order_by("reference")),
        reminders=list(case.reminders.select_related("agency", "sent_by")),
    )


@dataclass(frozen=True)
class Rater:
    """Someone asked to rate the case's present answer who has not yet (staff record it for them)."""

    key: str
    case: Case
    mandate: Mandate | None

    @property
    def label(self) -> str:
        who = str(self.mandate.person) if self.mandate else self.case.citizen_label
        return who if not self.case.merged_into_id else f"{who}（{self.case.reference}）"


def raters_waiting(case: Case) -> list[Rater]:
    """The signers and citizens (of the case and those merged into it) still to rate this round."""
    expected = services.expected_raters(case)
    done = {
        (row.case_id, row.mandate_id)
        for row in CaseRating.objects.unscoped().filter(
            case_id__in={case_id for case_id, _ in expected}, round=case.rehandle_count
        )
    }
    waiting = sorted(expected - done, key=lambda pair: (pair[0] != case.pk, pair[0], pair[1] or 0))
    cases = {c.pk: c for c in Case.objects.unscoped().filter(pk__in={case_id for case_id, _ in waiting})}
    mandates = Mandate.objects.unscoped().select_related("person").in_bulk({m for _, m in waiting if m})
    return [
        Rater(key=f"{case_id}:{mandate_id or 0}", case=cases[case_id], mandate=mandates.get(mandate_id or 0))
        for case_id, mandate_id in waiting
    ]


# ---------------------------------------------------------------- form choices


def merge_targets(user, case: Case, proposed: Iterable[int] = ()) -> QuerySet[Case]:
    """Open cases of the case's county the user may change, the proposed duplicates first."""
    proposed = list(proposed)
    targets = (
        scoped(Case, user, CHANGE)
        .filter(county_id=case.county_id, state__in=OPEN_STATES, merged_into__isnull=True)
        .exclude(pk=case.pk)
        .exclude(state=S.DRAFT)
    )
    if proposed:
        targets = targets.annotate(
            proposed=CaseWhen(When(pk__in=proposed, then=Value(0)), default=Value(1), output_field=IntegerField())
        ).order_by("proposed", "-received_on", "-id")
    else:
        targets = targets.order_by("-received_on", "-id")
    return targets


def assignable_agencies(user, case: Case) -> QuerySet[Agency]:
    """Active agencies of the county at county level or of the case's township."""
    return (
        scoped(Agency, user, VIEW)
        .filter(county_id=case.county_id, is_active=True)
        .filter(Q(township__isnull=True) | Q(township_id=case.township_id))
        .order_by("township", "name")
    )


def filing_townships(user) -> QuerySet[Township]:
    """The townships staff enter cases for: their own, or the county's for its administrator
    (``permissions.may_file_case`` says who enters cases at all)."""
    return scoped(Township, user, VIEW).filter(is_active=True).order_by("division_code", "name")


def signer_choices(user, *, today: date, township: Township | None = None) -> QuerySet[Mandate]:
    """Serving mandates staff may name as signers (the township's deputies within their scope)."""
    mandates = scoped(Mandate, user, VIEW).filter(serving_on(today)).select_related("person__township")
    if township is not None:
        mandates = mandates.filter(person__township=township)
    return mandates.order_by("person__township__name", "person__name_stroke_key", "person__full_name", "pk")


def own_serving_mandates(user, *, today: date) -> QuerySet[Mandate]:
    """A deputy's own serving mandates: the lead signer of what they file."""
    return (
        scoped(Mandate, user, VIEW)
        .filter(person__user=user)
        .filter(serving_on(today))
        .select_related("person__township")
        .order_by("level", "pk")
    )


def cosigner_choices(user, *, today: date) -> QuerySet[Mandate]:
    """For a deputy filing: the serving deputies of the townships of their own mandates. A deputy's
    scope holds only their own record, so this is a read after that check: the names of fellow
    deputies of the same township, which the deputy may co-sign with."""
    townships = list(own_serving_mandates(user, today=today).values_list("person__township_id", flat=True))
    return (
        Mandate.objects.unscoped()
        .filter(person__township_id__in=townships)
        .filter(serving_on(today))
        .exclude(person__user=user)
        .select_related("person__township")
        .order_by("person__name_stroke_key", "person__full_name", "pk")
    )


def category_choices(county_ids: QuerySet) -> QuerySet[CaseCategory]:
    """The active categories of the counties ``county_ids`` (a subquery of the townships or
    mandates the user files for): a county's list is what anyone entering its cases picks from."""
    return CaseCategory.objects.unscoped().filter(county_id__in=county_ids, is_active=True)


def categories_of(user) -> QuerySet[CaseCategory]:
    return scoped(CaseCategory, user, VIEW).order_by("county", "order", "name")


# ---------------------------------------------------------------- duplicates on the pages


def duplicate_proposals(user, *, text: str, township: Township | None, exclude: Case | None = None) -> list[Case]:
    """Likely duplicates of ``text`` among the cases the user may see, best first, each with its
    ``score``. Empty without a township or for a text too short to compare."""
    if township is None or len((text or "").strip()) < 4:
        return []
    proposals = propose_duplicates(text=text, township=township, exclude=exclude, among=scoped(Case, user, VIEW))
    found = []
    for case, score in proposals:
        case.score = score  # type: ignore[attr-defined]
        found.append(case)
    return found
