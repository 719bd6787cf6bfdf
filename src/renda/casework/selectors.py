"""Non-trivial reads of casework (HackSoft style: reads in selectors, writes in services)."""

from __future__ import annotations

from collections.abc import Iterable
from datetime import date, timedelta
from typing import TYPE_CHECKING

from django.conf import settings
from django.db.models import Q, QuerySet
from django.utils import timezone

from . import similarity
from .models import Case, CaseState
from .workflow import OPEN_STATES

if TYPE_CHECKING:
    from renda.organisations.models import Township


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
