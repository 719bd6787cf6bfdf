"""The casework JSON API under /api/v1/: the same scoping and the same services as the pages.

Reads go through ``scoped()``/``get_scoped_or_404()``: a case outside the caller's scope is 404,
as on the pages. Every write calls the service of its step (``services``), which checks who may
take it, locks the case, records the step on the timeline and in the audit log. The services'
refusals are answered as: ``IllegalTransition`` 409 and ``StaleEdit`` 409 with the Chinese
message, ``ValidationError`` 422 with the messages per field, ``PermissionDenied`` 403 (the
caller sees the case but may not take this step)."""

from typing import Any
from uuid import UUID

from django.core.exceptions import PermissionDenied, ValidationError
from django.db.models import Prefetch, Q, QuerySet
from django.http import JsonResponse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from ninja import Router, Status
from ninja.errors import HttpError
from ninja.pagination import paginate

from renda.accounts.scoping import VIEW, get_scoped_or_404, scoped
from renda.core import api_refusals as refusals
from renda.core.api_refusals import REFUSALS, error_response
from renda.deputies.models import Mandate
from renda.deputies.selectors import own_mandates
from renda.organisations.models import Agency, Station, Township

from . import deadlines, selectors, services
from . import permissions as may
from .api_schemas import (
    DUPLICATE_TEXT_MAX,
    TRANSITION_STEPS,
    CaseIn,
    CaseListOut,
    CaseOut,
    DecisionIn,
    DuplicateOut,
    DuplicateQueryIn,
    EventOut,
    ExtensionIn,
    ExtensionOut,
    NoteIn,
    NoteOut,
    RatingIn,
    RatingOut,
    ReplyIn,
    ReplyOut,
    TransitionIn,
)
from .models import (
    DEPUTY_SOURCES,
    Case,
    CaseAssignment,
    CaseCategory,
    CaseSource,
    CaseState,
)
from .workflow import IllegalTransition

router = Router(tags=["casework"])

# A refused step: 403/409/422 with the services' Chinese messages (core/api_refusals).
answers_refusals = refusals.answers_refusals(
    gettext_lazy("You may not take this step on this case."), conflicts=(IllegalTransition,)
)


def _invalid(field: str, message: str) -> ValidationError:
    return ValidationError({field: message})


# ---------------------------------------------------------------- reading


def _cases(user) -> QuerySet[Case]:
    live = CaseAssignment.objects.unscoped().filter(handed_back_at__isnull=True).select_related("agency")
    return (
        scoped(Case, user, VIEW)
        .select_related("township", "category")
        .prefetch_related(Prefetch("assignments", queryset=live, to_attr="live_assignments"))
    )


def _case(request, uuid: UUID) -> Case:
    return get_scoped_or_404(Case, request.auth, VIEW, uuid=uuid)


def _detail(request, case: Case) -> Any:
    """The case with everything its detail shows, in a bounded number of queries; after a step
    that took the case out of the caller's scope (an agency handed it back), only that news."""
    full = (
        _cases(request.auth)
        .select_related("station", "merged_into", "activity_finding__activity")
        .prefetch_related(
            "signers__mandate__person",
            "assignments__agency",
            "replies__agency",
            "ratings__mandate__person",
            "ratings__case",
            "notes__agency",
            "extensions__agency",
            "events__actor",
        )
        .filter(pk=case.pk)
        .first()
    )
    if full is None:
        return JsonResponse(
            {"uuid": str(case.uuid), "detail": str(_("The case has left your hands: you no longer see it."))},
            json_dumps_params={"ensure_ascii": False},
        )
    full.shows_citizen = may.may_reveal_citizen_phone(request.auth, full) or (  # type: ignore[attr-defined]
        full.is_citizen_opinion and may.is_case_staff(request.auth, full)
    )
    return full


@router.get("/cases", response=list[CaseListOut])
@paginate
def list_cases(
    request,
    state: str = "",
    source: str = "",
    township: UUID | None = None,
    agency: UUID | None = None,
    overdue: bool = False,
    near: bool = False,
    q: str = "",
):
    """The cases the caller may see, newest first. ``overdue``: past the deadline running now
    (超期); ``near``: due within the warning window (临期); ``agency``: assigned to it now."""
    today = timezone.localdate()
    cases = _cases(request.auth)
    if state:
        cases = cases.filter(state__in=[s for s in state.split(",") if s in CaseState.values])
    if source:
        cases = cases.filter(source__in=[s for s in source.split(",") if s in CaseSource.values])
    if township is not None:
        cases = cases.filter(township__uuid=township)
    if agency is not None:
        cases = cases.filter(
            pk__in=CaseAssignment.objects.unscoped()
            .filter(agency__uuid=agency, handed_back_at__isnull=True)
            .values("case_id")
        )
    if overdue:
        cases = cases.filter(deadlines.overdue_filter(today))
    if near:
        cases = cases.filter(deadlines.near_filter(today))
    text = q.strip()[:50]
    if text:
        cases = cases.filter(Q(title__icontains=text) | Q(content__icontains=text) | Q(reference__icontains=text))
    return cases.order_by("-received_on", "-id")


# Declared before /cases/{uuid}: its URL pattern takes any text, so "duplicates" would reach it
# (and be refused 405) if that route came first.
@router.post("/cases/duplicates", response=list[DuplicateOut])
def case_duplicates(request, payload: DuplicateQueryIn):
    """Cases likely about the same matter as the text (a new case's title and content) in the township
    given: the open cases and those received in the last year (RENDA_CASE_DUPLICATE_DAYS) of the
    county, best first, at most 3, each scoring at least RENDA_CASE_DUPLICATE_MIN_SCORE (0–1). Only
    cases the caller may see are proposed; a township outside the caller's scope is 404."""
    township = get_scoped_or_404(Township, request.auth, uuid=payload.township)
    if not may.may_view_cases(request.auth):
        raise HttpError(403, _("You may not view cases."))
    text = payload.text.strip()
    if len(text) > DUPLICATE_TEXT_MAX:
        raise HttpError(
            422, _("The text is too long to compare: at most %(max)d characters.") % {"max": DUPLICATE_TEXT_MAX}
        )
    proposals = selectors.propose_duplicates(text=text, township=township, among=scoped(Case, request.auth))
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


@router.get("/cases/{uuid}", response=CaseOut)
def get_case(request, uuid: UUID):
    """One case with its signers, agencies, replies, ratings, notes, extensions and timeline."""
    return _detail(request, _case(request, uuid))


@router.get("/cases/{uuid}/timeline", response=list[EventOut])
def case_timeline(request, uuid: UUID):
    return _case(request, uuid).events.select_related("actor").order_by("at", "id")


# ---------------------------------------------------------------- filing


def _category(township: Township, value: str) -> CaseCategory | None:
    value = (value or "").strip()
    if not value:
        return None
    categories = CaseCategory.objects.unscoped().filter(county_id=township.county_id, is_active=True)
    try:
        found = categories.filter(uuid=UUID(value)).first()
    except ValueError:
        found = categories.filter(name=value).first()
    if found is None:
        raise _invalid("category", _("Choose a category of this county."))
    return found


def _filing_as_deputy(user, payload: CaseIn) -> dict[str, Any]:
    """A deputy files their own suggestion: one of their mandates leads; co-signers are deputies
    of the same township."""
    mandates = list(own_mandates(user))
    if payload.lead is not None:
        lead = next((mandate for mandate in mandates if mandate.uuid == payload.lead), None)
    else:
        lead = next((mandate for mandate in mandates if mandate.ends_on is None), mandates[0] if mandates else None)
    if lead is None:
        raise _invalid("lead", _("Sign with one of your own mandates."))
    if payload.source not in {*DEPUTY_SOURCES, CaseSource.ACTIVITY_FINDING}:
        raise _invalid("source", _("Deputies file suggestions and findings of activities."))
    township = lead.person.township
    # The co-signers named by UUID, within the lead's township: a check made here, hence unscoped.
    co = list(
        Mandate.objects.unscoped()
        .filter(uuid__in=payload.signers, person__township=township)
        .exclude(pk=lead.pk)
        .order_by("pk")
    )
    if len(co) != len(set(payload.signers) - {lead.uuid}):
        raise _invalid("signers", _("Co-signers must be deputies of the same township."))
    return {"township": township, "lead": lead, "signers": co, "station": None, "citizen_name": "", "citizen_phone": ""}


def _filing_as_staff(user, payload: CaseIn) -> dict[str, Any]:
    township = scoped(Township, user, VIEW).filter(uuid=payload.township).first() if payload.township else None
    if township is None:
        raise _invalid("township", _("Choose a township of yours."))
    station = None
    if payload.station is not None:
        station = scoped(Station, user, VIEW).filter(uuid=payload.station, township=township).first()
        if station is None:
            raise _invalid("station", _("The station is not in this township."))
    wanted = list(dict.fromkeys([*([payload.lead] if payload.lead else []), *payload.signers]))
    found = {m.uuid: m for m in scoped(Mandate, user, VIEW).filter(uuid__in=wanted).select_related("person")}
    if len(found) != len(wanted):
        raise _invalid("signers", _("Choose deputies of this township."))
    signers = [found[uuid] for uuid in wanted]
    return {
        "township": township,
        "lead": signers[0] if signers else None,
        "signers": signers[1:],
        "station": station,
        "citizen_name": payload.citizen_name,
        "citizen_phone": payload.citizen_phone,
    }


@router.post("/cases", response={201: CaseOut, **REFUSALS})
@answers_refusals
def file_case(request, payload: CaseIn):
    """File a case. Township staff file any kind of case of their township, with its signers;
    a deputy (a phone app) files their own suggestion, signed with their own mandate."""
    user = request.auth
    if not may.may_file_case(user):
        return error_response(403, _("You may not file cases."))
    parts = _filing_as_deputy(user, payload) if may.files_as_deputy(user) else _filing_as_staff(user, payload)
    case = services.file_case(
        user,
        township=parts["township"],
        source=payload.source,
        title=payload.title,
        content=payload.content,
        category=_category(parts["township"], payload.category),
        signers=parts["signers"],
        lead=parts["lead"],
        station=parts["station"],
        citizen_name=parts["citizen_name"],
        citizen_phone=parts["citizen_phone"],
        submit=payload.submit,
        received_on=payload.received_on,
        created_via="api",
    )
    return Status(201, _detail(request, case))


# ---------------------------------------------------------------- steps


@router.get("/cases/{uuid}/transitions", response=list[str])
def case_transitions(request, uuid: UUID):
    """The steps the case's present state allows (POST one of them to take it)."""
    case = _case(request, uuid)
    return CaseOut.resolve_allowed_steps(case)


def _agency(user, uuid: UUID | None, field: str) -> Agency:
    agency = scoped(Agency, user, VIEW).filter(uuid=uuid).first() if uuid else None
    if agency is None:
        raise _invalid(field, _("Choose active agencies of this county."))
    return agency


def _take_step(request, case: Case, payload: TransitionIn) -> Case:
    user, step, version = request.auth, payload.step, payload.version
    if step == "submit":
        return services.submit(case, user, version=version)
    if step == "accept":
        return services.accept(case, user, version=version, reason=payload.reason)
    if step == "reject":
        return services.reject(case, user, version=version, reason=payload.reason)
    if step == "merge":
        into = scoped(Case, user, VIEW).filter(uuid=payload.into).first() if payload.into else None
        if into is None:
            raise _invalid("into", _("Choose another case of this county."))
        return services.merge(case, user, version=version, into=into, reason=payload.reason)
    if step == "handle_on_spot":
        return services.handle_on_spot(case, user, version=version, reply_text=payload.reply_text)
    if step == "assign":
        lead = _agency(user, payload.lead, "lead")
        co = [_agency(user, uuid, "co") for uuid in payload.co]
        return services.assign(case, user, version=version, lead=lead, co=co, reason=payload.reason)
    if step == "agency_accept":
        return services.agency_accept(case, user, version=version)
    if step == "hand_back":
        return services.hand_back(case, user, version=version, reason=payload.reason)
    if step == "rehandle":
        return services.rehandle(case, user, version=version, reason=payload.reason)
    if step == "close":
        return services.close(case, user, version=version, reason=payload.reason)
    raise _invalid("step", _("Choose one of these steps: %(steps)s.") % {"steps": "、".join(TRANSITION_STEPS)})


@router.post("/cases/{uuid}/transitions", response={200: CaseOut, **REFUSALS})
@answers_refusals
def case_transition(request, uuid: UUID, payload: TransitionIn):
    """Take one step of the workflow: ``step`` and the case's ``version``, with the step's fields
    (``reason``; ``into`` for merge; ``reply_text`` for handle_on_spot; ``lead`` and ``co`` for assign)."""
    case = _case(request, uuid)
    _take_step(request, case, payload)
    return _detail(request, case)


@router.get("/cases/{uuid}/notes", response=list[NoteOut])
def case_notes(request, uuid: UUID):
    return _case(request, uuid).notes.select_related("agency").order_by("at", "id")


@router.post("/cases/{uuid}/notes", response={201: NoteOut, **REFUSALS})
@answers_refusals
def add_note(request, uuid: UUID, payload: NoteIn):
    """Progress of the handling (办理进展), by the lead agency or staff."""
    return Status(201, services.add_note(_case(request, uuid), request.auth, text=payload.text))


@router.get("/cases/{uuid}/extensions", response=list[ExtensionOut])
def case_extensions(request, uuid: UUID):
    return _case(request, uuid).extensions.select_related("agency").order_by("requested_at", "id")


@router.post("/cases/{uuid}/extensions", response={201: ExtensionOut, **REFUSALS})
@answers_refusals
def request_extension(request, uuid: UUID, payload: ExtensionIn):
    """The lead agency asks for more time (never past the longest extension allowed)."""
    extension = services.request_extension(
        _case(request, uuid), request.auth, until=payload.until, reason=payload.reason
    )
    return Status(201, extension)


@router.post("/cases/{uuid}/extensions/{extension_id}/decision", response={200: ExtensionOut, **REFUSALS})
@answers_refusals
def decide_extension(request, uuid: UUID, extension_id: int, payload: DecisionIn):
    """Staff approve or refuse an extension request (a refusal needs a reason)."""
    case = _case(request, uuid)
    extension = case.extensions.filter(pk=extension_id).select_related("case", "agency").first()
    if extension is None:
        return error_response(404, _("No such extension request on this case."))
    return services.decide_extension(
        extension, request.auth, approve=payload.approve, reason=payload.reason, version=payload.version
    )


@router.get("/cases/{uuid}/replies", response=list[ReplyOut])
def case_replies(request, uuid: UUID):
    return _case(request, uuid).replies.select_related("agency").order_by("round")


@router.post("/cases/{uuid}/replies", response={201: ReplyOut, **REFUSALS})
@answers_refusals
def answer(request, uuid: UUID, payload: ReplyIn):
    """The lead agency's answer (答复), e.g. posted by the agency's own system with its token."""
    fields = payload.dict(exclude={"version"})
    reply = services.answer(_case(request, uuid), request.auth, version=payload.version, **fields)
    return Status(201, reply)


@router.get("/cases/{uuid}/ratings", response=list[RatingOut])
def case_ratings(request, uuid: UUID):
    return _case(request, uuid).ratings.select_related("mandate__person", "case").order_by("round", "rated_at")


@router.post("/cases/{uuid}/ratings", response={201: RatingOut, **REFUSALS})
@answers_refusals
def rate(request, uuid: UUID, payload: RatingIn):
    """满意度测评: a signing deputy rates the answer to their case; staff record a rating given on
    paper or by phone (``by_staff``) for a signer (``mandate``) or the citizen (``citizen``)."""
    user = request.auth
    case = _case(request, uuid)
    signers = {signer.mandate.uuid: signer.mandate for signer in case.signers.select_related("mandate__person")}
    mandate = None
    if payload.mandate is not None:
        mandate = signers.get(payload.mandate)
        if mandate is None:
            raise _invalid("mandate", _("This rater was not asked to rate this case."))
    elif not payload.citizen and not payload.by_staff:
        mine = may.signer_mandates(user, case)
        mandate = next((signer for signer in signers.values() if signer.pk in mine), None)
        if mandate is None:
            raise PermissionDenied
    rating = services.rate(
        case,
        user,
        handling=payload.handling,
        result=payload.result,
        comment=payload.comment,
        mandate=mandate,
        citizen=payload.citizen,
        by_staff=payload.by_staff,
    )
    return Status(201, rating)
