"""The casework JSON API under /api/v1/: the same scoping and the same services as the pages."""

from uuid import UUID

from django.utils.translation import gettext
from ninja import Router, Schema
from ninja.errors import HttpError

from renda.accounts.scoping import get_scoped_or_404, scoped
from renda.organisations.models import Township

from . import selectors
from .models import Case
from .permissions import may_view_cases

router = Router(tags=["casework"])


# --- Duplicate proposal (issue 10, point 7) ------------------------------------------------------

# Title and content of a case at most (models: 120 + 5000), and a little room.
DUPLICATE_TEXT_MAX = 5200


class DuplicateQueryIn(Schema):
    text: str
    township: UUID


class DuplicateOut(Schema):
    uuid: UUID
    reference: str
    title: str
    state: str
    state_label: str
    township: UUID
    township_name: str
    score: float


@router.post("/cases/duplicates", response=list[DuplicateOut])
def case_duplicates(request, payload: DuplicateQueryIn):
    """Cases likely about the same matter as the text (a new case's title and content) in the township
    given: the open cases and those received in the last year (RENDA_CASE_DUPLICATE_DAYS) of the
    county, best first, at most 3, each scoring at least RENDA_CASE_DUPLICATE_MIN_SCORE (0–1). Only
    cases the caller may see are proposed; a township outside the caller's scope is 404."""
    township = get_scoped_or_404(Township, request.user, uuid=payload.township)
    if not may_view_cases(request.user):
        raise HttpError(403, gettext("You may not view cases."))
    text = payload.text.strip()
    if len(text) > DUPLICATE_TEXT_MAX:
        raise HttpError(
            422, gettext("The text is too long to compare: at most %(max)d characters.") % {"max": DUPLICATE_TEXT_MAX}
        )
    proposals = selectors.propose_duplicates(text=text, township=township, among=scoped(Case, request.user))
    return [
        {
            "uuid": case.uuid,
            "reference": case.reference,
            "title": case.title,
            "state": case.state,
            "state_label": case.get_state_display(),
            "township": case.township.uuid,
            "township_name": case.township.name,
            "score": score,
        }
        for case, score in proposals
    ]
