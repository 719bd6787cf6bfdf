"""Every change to a case, as one function per step. Each checks who may take the step, locks the
case (``workflow.lock``: the version the user's form started from must still be current), applies
the step through ``workflow.move`` (the one state machine, the timeline, the audit log) and keeps
the deadlines in step. Errors carry Chinese messages for the page or the API:
``workflow.IllegalTransition``, ``core.locking.StaleEdit``, ``ValidationError`` and
``PermissionDenied``."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Sequence
from pathlib import PurePath
from typing import TYPE_CHECKING, Any

from django.conf import settings
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, connection, transaction
from django.db.models import Max
from django.utils import timezone
from django.utils.translation import gettext as _

from renda.accounts import audit
from renda.core import workdays
from renda.core.tracking import new_tracking_code
from renda.core.uploads import CONTENT_TYPES, check_upload

from . import deadlines, workflow
from . import permissions as may
from .models import (
    DEPUTY_SOURCES,
    RATING_CHOICES,
    Case,
    CaseAssignment,
    CaseAttachment,
    CaseCategory,
    CaseExtension,
    CaseNote,
    CaseRating,
    CaseReminder,
    CaseReply,
    CaseSigner,
    CaseSource,
    CaseState,
    Consultation,
    Escalation,
    Satisfaction,
)
from .workflow import OPEN_STATES, Step, allowed, check, lock, move, signed_in_user

if TYPE_CHECKING:
    from renda.accounts.models import User
    from renda.deputies.models import Mandate
    from renda.organisations.models import Agency, County, Station, Township

S = CaseState
SYSTEM = "系统"

DEFAULT_CATEGORIES = ("财政经济", "农业农村", "城建环资", "教科文卫", "内务司法", "社会建设")


def _require(allowed: bool) -> None:
    if not allowed:
        raise PermissionDenied


def _own_assignment(actor: User, case: Case, *, lead: bool | None) -> CaseAssignment:
    """The actor's agency's live assignment on the case, or 403."""
    assignment = may.live_assignment(actor, case, lead=lead)
    if assignment is None:
        raise PermissionDenied
    return assignment


def _today() -> dt.date:
    return timezone.localdate()


def ensure_default_categories(county: County) -> list[CaseCategory]:
    """The usual six categories, for a county that has none yet."""
    existing = list(CaseCategory.objects.unscoped().filter(county=county))
    if existing:
        return existing
    return CaseCategory.objects.bulk_create(
        CaseCategory(county=county, name=name, order=index) for index, name in enumerate(DEFAULT_CATEGORIES, 1)
    )


# ---------------------------------------------------------------- filing


# Any constant will do: with a county's id it names the PostgreSQL advisory lock on its case numbers.
CASE_NUMBER_LOCK = 4_242_100


def _lock_case_numbers(county_id: int) -> None:
    """One filing at a time takes a county's next number, until its transaction (the caller's, if
    any) ends. Without it, n filings at once collide up to n times over one number. SQLite runs
    one writing transaction at a time anyway."""
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute("SELECT pg_advisory_xact_lock(%s, %s)", [CASE_NUMBER_LOCK, county_id])


def _next_reference(county_id: int, year: int) -> str:
    prefix = f"{year}-"
    last = (
        Case.objects.unscoped()
        .filter(county_id=county_id, reference__startswith=prefix)
        .aggregate(last=Max("reference"))["last"]
    )
    number = int(last.removeprefix(prefix)) + 1 if last else 1
    return f"{prefix}{number:05d}"


def _text_errors(title: str, content: str) -> dict[str, str]:
    errors = {}
    if not (title or "").strip():
        errors["title"] = _("Give the case a title.")
    if not (content or "").strip():
        errors["content"] = _("Describe the matter.")
    return errors


def file_case(
    actor: User | None,
    *,
    township: Township,
    source: str,
    title: str,
    content: str,
    category: CaseCategory | None = None,
    signers: Sequence[Mandate] = (),
    lead: Mandate | None = None,
    station: Station | None = None,
    citizen_name: str = "",
    citizen_phone: str = "",
    submit: bool = True,
    received_on: dt.date | None = None,
    created_via: str = "",
) -> Case:
    """Enter a case. ``actor`` None is a citizen without an account (the public form); the caller
    decides who may file (``permissions.may_file_case``) and rate-limits the public form.

    Deputies' suggestions need signers (the lead first); citizens' opinions get a tracking code.
    ``submit`` False keeps a deputy's draft for later."""
    # Every mistake at once, so that a form shows them all.
    errors = _text_errors(title, content)
    if source not in CaseSource.values:
        errors["source"] = _("Choose where the case comes from.")
    all_signers = list(dict.fromkeys([*([lead] if lead else []), *signers]))
    if source in DEPUTY_SOURCES and not all_signers:
        errors["signers"] = _("A deputy's suggestion needs the deputy who makes it.")
    if category is not None and category.county_id != township.county_id:
        errors["category"] = _("Choose a category of this county.")
    if station is not None and station.township_id != township.pk:
        errors["station"] = _("The station is not in this township.")
    received = received_on or _today()
    if received > _today():
        errors["received_on"] = _("The date received cannot be in the future.")
    if errors:
        raise ValidationError(errors)
    for attempt in range(5):
        try:
            with transaction.atomic():
                _lock_case_numbers(township.county_id)
                case = Case(
                    county_id=township.county_id,
                    township=township,
                    reference=_next_reference(township.county_id, received.year),
                    source=source,
                    title=title.strip(),
                    content=content.strip(),
                    category=category,
                    station=station,
                    citizen_name=(citizen_name or "").strip(),
                    citizen_phone=citizen_phone or "",
                    tracking_code=new_tracking_code() if source == CaseSource.CITIZEN_OPINION else None,
                    state=S.DRAFT,
                    received_on=received,
                    created_by=signed_in_user(actor),
                )
                # Filed and submitted at once: inserted as submitted (one INSERT, no UPDATE), the
                # submission on the timeline all the same.
                before = workflow.apply(case, Step.SUBMIT, _submit_fields(case))[0] if submit else ""
                case.save(force_insert=True)
                CaseSigner.objects.bulk_create(
                    CaseSigner(case=case, mandate=mandate, is_lead=index == 0)
                    for index, mandate in enumerate(all_signers)
                )
                audit.record(
                    "casework.case.create",
                    actor=actor,
                    target=case,
                    data={"source": source, "signers": len(all_signers), "channel": created_via},
                )
                if submit:
                    workflow.record(case, Step.SUBMIT, before=before, actor=actor, actor_label=_citizen_label(actor))
            return case
        except IntegrityError:
            # The number was taken meanwhile (a case entered around the lock, or a tracking code
            # drawn twice): the savepoint is rolled back and the next number tried.
            if attempt == 4:
                raise
    raise AssertionError("unreachable")


def _submit_fields(case: Case) -> dict[str, Any]:
    fields: dict[str, Any] = {"received_on": case.received_on or _today()}
    if deadlines.needs_assignment_deadline(case):
        fields["assign_due_on"] = deadlines.assign_due(fields["received_on"])
    return fields


def _citizen_label(actor: User | None) -> str:
    """Who the timeline names for a step taken without an account: the citizen (the public form,
    a rating through the tracking code)."""
    return "" if actor else _("Citizen")


@transaction.atomic
def submit(case: Case, actor: User, *, version: int | None = None) -> Case:
    _require(may.is_case_staff(actor, case) or bool(may.signer_mandates(actor, case)))
    case = lock(case, version=version, step=Step.SUBMIT)
    case.received_on = _today()
    move(case, Step.SUBMIT, actor=actor, fields=_submit_fields(case), actor_label=_citizen_label(actor))
    return case


# ---------------------------------------------------------------- review


@transaction.atomic
def accept(case: Case, actor: User, *, version: int | None = None, reason: str = "") -> Case:
    _require(may.is_case_staff(actor, case))
    case = lock(case, version=version, step=Step.ACCEPT)
    move(case, Step.ACCEPT, actor=actor, reason=reason)
    return case


def _reason_required(reason: str) -> str:
    if not (reason or "").strip():
        raise ValidationError({"reason": _("Give the reason.")})
    return reason.strip()


@transaction.atomic
def reject(case: Case, actor: User, *, version: int | None = None, reason: str) -> Case:
    _require(may.is_case_staff(actor, case))
    reason = _reason_required(reason)
    case = lock(case, version=version, step=Step.REJECT)
    move(case, Step.REJECT, actor=actor, reason=reason, fields={"closed_on": _today()})
    return case


@transaction.atomic
def handle_on_spot(case: Case, actor: User, *, version: int | None = None, reply_text: str) -> Case:
    """Answered at once (当场答复): the reply is what the citizen or deputy was told."""
    _require(may.is_case_staff(actor, case))
    reply_text = _reason_required(reply_text)
    case = lock(case, version=version, step=Step.HANDLE_ON_SPOT)
    move(case, Step.HANDLE_ON_SPOT, actor=actor, reason=reply_text, fields={"closed_on": _today()})
    return case


@transaction.atomic
def merge(case: Case, actor: User, *, version: int | None = None, into: Case, reason: str = "") -> Case:
    """并案: handled as part of ``into``; its signers and citizen still get that case's answer
    and rate it."""
    _require(may.is_case_staff(actor, case) and may.is_case_staff(actor, into))
    if into.pk == case.pk or into.county_id != case.county_id:
        raise ValidationError({"into": _("Choose another case of this county.")})
    # Both rows locked in one order (by id): two merges crossing each other cannot deadlock.
    list(Case.objects.unscoped().select_for_update().filter(pk__in=[case.pk, into.pk]).order_by("pk").values("pk"))
    main = Case.objects.unscoped().get(pk=into.pk)
    if main.state not in OPEN_STATES or main.merged_into_id:
        raise ValidationError({"into": _("Cases can only be merged into an open case.")})
    case = lock(case, version=version, step=Step.MERGE)
    # Keep one level: the cases merged into this one move to the new main case with it.
    Case.objects.unscoped().filter(merged_into=case).update(merged_into=main)
    move(
        case,
        Step.MERGE,
        actor=actor,
        reason=reason,
        fields={"merged_into": main},
        data={"into": main.reference},
    )
    return case


# ---------------------------------------------------------------- assignment


def _check_agencies(case: Case, lead: Agency, co: Iterable[Agency]) -> list[Agency]:
    co_agencies = [agency for agency in dict.fromkeys(co) if agency.pk != lead.pk]
    for agency in (lead, *co_agencies):
        if agency.county_id != case.county_id or not agency.is_active:
            raise ValidationError({"lead": _("Choose active agencies of this county.")})
        if agency.township_id not in (None, case.township_id):
            raise ValidationError({"lead": _("%(agency)s belongs to another township.") % {"agency": agency}})
    return co_agencies


@transaction.atomic
def assign(
    case: Case,
    actor: User,
    *,
    version: int | None = None,
    lead: Agency,
    co: Iterable[Agency] = (),
    reason: str = "",
) -> Case:
    """交办 to one lead agency and optional co-agencies; the answer's clock starts today."""
    _require(may.is_case_staff(actor, case))
    co_agencies = _check_agencies(case, lead, co)
    case = lock(case, version=version, step=Step.ASSIGN)
    now, today = timezone.now(), _today()
    # A re-assignment replaces the agencies that had it.
    case.assignments.filter(handed_back_at__isnull=True).update(handed_back_at=now)
    window = deadlines.hand_back_until(today)
    CaseAssignment.objects.bulk_create(
        [
            CaseAssignment(
                case=case, agency=lead, is_lead=True, assigned_at=now, assigned_on=today, hand_back_until=window
            )
        ]
        + [
            CaseAssignment(
                case=case,
                agency=agency,
                is_lead=False,
                assigned_at=now,
                assigned_on=today,
                hand_back_until=window,
                view_due_on=deadlines.co_view_due(today),
            )
            for agency in co_agencies
        ]
    )
    move(
        case,
        Step.ASSIGN,
        actor=actor,
        reason=reason,
        fields={
            "assigned_on": today,
            "extended_to": None,
            "rehandle_started_on": None,
            "answer_due_on": deadlines.answer_due(today),
            "escalation": Escalation.NONE,
        },
        data={"lead": str(lead), "co": [str(agency) for agency in co_agencies]},
    )
    return case


@transaction.atomic
def agency_accept(case: Case, actor: User, *, version: int | None = None) -> Case:
    assignment = _own_assignment(actor, case, lead=True)
    case = lock(case, version=version, step=Step.AGENCY_ACCEPT)
    move(case, Step.AGENCY_ACCEPT, actor=actor, data={"agency": str(assignment.agency)})
    CaseAssignment.objects.filter(pk=assignment.pk).update(accepted_at=timezone.now())
    return case


@transaction.atomic
def hand_back(case: Case, actor: User, *, version: int | None = None, reason: str) -> Case:
    """An agency that thinks the case is not its own asks for re-assignment, within its window;
    after that the assignment stands. The lead sends the case back to staff; a co-agency drops out."""
    assignment = _own_assignment(actor, case, lead=None)
    reason = _reason_required(reason)
    if _today() > assignment.hand_back_until:
        raise ValidationError(
            {
                "reason": _("The assignment stands: re-assignment could be asked for until %(day)s.")
                % {"day": assignment.hand_back_until.isoformat()}
            }
        )
    case = lock(case, version=version, step=Step.HAND_BACK if assignment.is_lead else Step.CO_HAND_BACK)
    now = timezone.now()
    if assignment.is_lead:
        today = _today()
        move(
            case,
            Step.HAND_BACK,
            actor=actor,
            reason=reason,
            fields={"returned_on": today, "assign_due_on": deadlines.assign_due(today)},
            data={"agency": str(assignment.agency)},
        )
        case.assignments.filter(handed_back_at__isnull=True).update(handed_back_at=now)
        CaseAssignment.objects.filter(pk=assignment.pk).update(hand_back_reason=reason)
    else:
        move(case, Step.CO_HAND_BACK, actor=actor, reason=reason, data={"agency": str(assignment.agency)})
        CaseAssignment.objects.filter(pk=assignment.pk).update(handed_back_at=now, hand_back_reason=reason)
    return case


# ---------------------------------------------------------------- handling


@transaction.atomic
def add_note(case: Case, actor: User, *, text: str) -> CaseNote:
    _require(may.may_note_progress(actor, case))
    if not (text or "").strip():
        raise ValidationError({"text": _("Write what has been done.")})
    case = lock(case, step=Step.NOTE)
    assignment = may.live_assignment(actor, case, lead=True)
    note = CaseNote.objects.create(
        case=case, agency=assignment.agency if assignment else None, author=actor, text=text.strip(), at=timezone.now()
    )
    move(case, Step.NOTE, actor=actor, reason=note.text[:200])
    return note


@transaction.atomic
def co_agency_view(case: Case, actor: User, *, text: str) -> CaseAssignment:
    """A co-agency's view (协办意见) to the lead agency."""
    assignment = _own_assignment(actor, case, lead=False)
    if not (text or "").strip():
        raise ValidationError({"text": _("Write the co-agency's view.")})
    case = lock(case, step=Step.CO_VIEW)
    assignment.view_text, assignment.view_sent_at = text.strip(), timezone.now()
    assignment.save(update_fields=["view_text", "view_sent_at"])
    move(case, Step.CO_VIEW, actor=actor, data={"agency": str(assignment.agency)})
    return assignment


@transaction.atomic
def request_extension(case: Case, actor: User, *, until: dt.date, reason: str) -> CaseExtension:
    assignment = _own_assignment(actor, case, lead=True)
    reason = _reason_required(reason)
    case = lock(case, step=Step.EXTENSION_REQUEST)
    if case.extensions.filter(approved__isnull=True).exists():
        raise ValidationError({"until": _("An extension request is already waiting for a decision.")})
    assert case.assigned_on is not None  # ASSIGNED and IN_PROGRESS cases have been assigned
    cap = deadlines.answer_cap(case.assigned_on)
    if case.answer_due_on and until <= case.answer_due_on:
        raise ValidationError({"until": _("Ask for a day after the present deadline.")})
    if until > cap:
        raise ValidationError({"until": _("An extension may reach %(cap)s at the latest.") % {"cap": cap.isoformat()}})
    extension = CaseExtension.objects.create(
        case=case, agency=assignment.agency, requested_by=actor, requested_at=timezone.now(), until=until, reason=reason
    )
    move(case, Step.EXTENSION_REQUEST, actor=actor, reason=reason, data={"until": until.isoformat()})
    return extension


@transaction.atomic
def decide_extension(
    extension: CaseExtension, actor: User, *, approve: bool, reason: str = "", version: int | None = None
) -> CaseExtension:
    case = extension.case
    _require(may.is_case_staff(actor, case))
    if not approve:
        reason = _reason_required(reason)
    case = lock(case, version=version, step=Step.EXTENSION_DECISION)
    extension = CaseExtension.objects.unscoped().select_for_update().get(pk=extension.pk)
    if extension.approved is not None:
        raise ValidationError({"approve": _("This request has already been decided.")})
    fields: dict[str, Any] = {}
    if approve:
        assert case.assigned_on is not None
        if extension.until > deadlines.answer_cap(case.assigned_on):
            raise ValidationError({"approve": _("The date asked for is past the longest extension allowed.")})
        fields = {"extended_to": extension.until, "answer_due_on": extension.until}
    extension.approved, extension.decided_by = approve, actor
    extension.decided_at, extension.decision_reason = timezone.now(), reason.strip()
    extension.save(update_fields=["approved", "decided_by", "decided_at", "decision_reason"])
    move(
        case,
        Step.EXTENSION_DECISION,
        actor=actor,
        reason=reason,
        fields=fields,
        data={"approved": approve, "until": extension.until.isoformat()},
    )
    return extension


REPLY_FIELDS = (
    "reply_class",
    "done_items",
    "planned_items",
    "planned_by",
    "not_adopted_reasons",
    "consultation",
    "public_text",
    "signer",
    "contact_name",
    "contact_phone",
    "document_number",
)


def _check_reply(values: dict[str, Any]) -> None:
    errors = {}
    if values.get("reply_class") not in settings.RENDA_CASE_REPLY_CLASSES:
        errors["reply_class"] = _("Choose the reply class.")
    if values.get("consultation") not in Consultation.values:
        errors["consultation"] = _("Say how the deputy or citizen was consulted.")
    if not (values.get("signer") or "").strip():
        errors["signer"] = _("Give the name of the person who signs the reply.")
    if not any((values.get(name) or "").strip() for name in ("done_items", "planned_items", "not_adopted_reasons")):
        errors["done_items"] = _("Say what was done, what is planned or why it is not adopted.")
    if (values.get("planned_items") or "").strip() and not values.get("planned_by"):
        errors["planned_by"] = _("Give the date by which the planned items will be done.")
    if errors:
        raise ValidationError(errors)


@transaction.atomic
def answer(case: Case, actor: User, *, version: int | None = None, **reply: Any) -> CaseReply:
    """答复: the lead agency's reply; each signer (and the citizen) is asked to rate it."""
    assignment = _own_assignment(actor, case, lead=True)
    unknown = set(reply) - set(REPLY_FIELDS)
    if unknown:
        raise TypeError(f"unknown reply fields: {sorted(unknown)}")
    _check_reply(reply)
    case = lock(case, version=version, step=Step.ANSWER)
    today = _today()
    created = CaseReply.objects.create(
        case=case,
        round=case.rehandle_count,
        agency=assignment.agency,
        answered_by=actor,
        answered_at=timezone.now(),
        due_on=case.answer_due_on,
        **{name: (value.strip() if isinstance(value, str) else value) for name, value in reply.items()},
    )
    # A request still waiting is moot once the answer is given.
    case.extensions.filter(approved__isnull=True).update(
        approved=False, decided_at=timezone.now(), decision_reason=_("Answered before a decision.")
    )
    if assignment.accepted_at is None:
        CaseAssignment.objects.filter(pk=assignment.pk).update(accepted_at=timezone.now())
    move(
        case,
        Step.ANSWER,
        actor=actor,
        fields={"answered_on": today, "rating_due_on": deadlines.rating_due(today)},
        data={"class": created.reply_class, "round": created.round},
    )
    if not expected_raters(case):
        # An activity's finding has no one to rate it: the answer completes the round.
        move(case, Step.RATING_COMPLETE, actor=None, actor_label=SYSTEM)
    return created


# ---------------------------------------------------------------- rating


def cases_answered_by(case: Case) -> list[Case]:
    """The case and those merged into it: all their signers and citizens get its answer."""
    return [case, *Case.objects.unscoped().filter(merged_into=case).order_by("id")]


def expected_raters(case: Case) -> set[tuple[int, int | None]]:
    """(case id, mandate id or None for the citizen) of everyone asked to rate ``case``'s answer."""
    raters: set[tuple[int, int | None]] = set()
    for member in cases_answered_by(case):
        raters.update((member.pk, mandate_id) for mandate_id in member.signers.values_list("mandate_id", flat=True))
        if member.source == CaseSource.CITIZEN_OPINION:
            raters.add((member.pk, None))
    return raters


def _rated(case: Case) -> set[tuple[int, int | None]]:
    members = [member.pk for member in cases_answered_by(case)]
    return set(
        CaseRating.objects.unscoped()
        .filter(case_id__in=members, round=case.rehandle_count)
        .values_list("case_id", "mandate_id")
    )


def _check_rating(handling: str, result: str) -> None:
    errors = {}
    valid = {value for value, _label in RATING_CHOICES}
    if handling not in valid:
        errors["handling"] = _("Rate the handling.")
    if result not in valid:
        errors["result"] = _("Rate the result.")
    if errors:
        raise ValidationError(errors)


def main_case(case: Case) -> Case:
    return case.merged_into if case.merged_into is not None else case


@transaction.atomic
def rate(
    case: Case,
    actor: User | None,
    *,
    handling: str,
    result: str,
    comment: str = "",
    mandate: Mandate | None = None,
    citizen: bool = False,
    by_staff: bool = False,
    version: int | None = None,
) -> CaseRating:
    """满意度测评 of the answer by a signing deputy (``mandate``), or by the citizen (``citizen``,
    through the tracking code, or recorded by staff from a call). ``case`` is the rater's own case,
    which may have been merged into the one answered. Not satisfied sends the case back for
    handling again (up to ``RENDA_CASE_MAX_REHANDLINGS`` times; after that staff close it)."""
    if by_staff:
        _require(actor is not None and may.may_record_rating(actor, case))
    elif mandate is not None:
        _require(actor is not None and mandate.pk in may.signer_mandates(actor, case))
    else:
        # The citizen's own rating comes through the tracking code, without an account; a signed-in
        # user rates only with their own mandate or as staff recording it (``by_staff``).
        _require(signed_in_user(actor) is None)
    if (mandate is None) != citizen:
        raise ValidationError({"mandate": _("Say whose rating this is: a signing deputy's or the citizen's.")})
    _check_rating(handling, result)
    # Where the rater's case lives now, as the database says: the object passed in may predate a merge.
    merged_into_id = Case.objects.unscoped().filter(pk=case.pk).values_list("merged_into_id", flat=True).get()
    answered = lock(Case(pk=merged_into_id) if merged_into_id else case, version=version, step=Step.RATE)
    if (case.pk, mandate.pk if mandate else None) not in expected_raters(answered):
        raise ValidationError({"mandate": _("This rater was not asked to rate this case.")})
    if (case.pk, mandate.pk if mandate else None) in _rated(answered):
        raise ValidationError({"handling": _("This answer has already been rated.")})
    # The check of the state (the rating window is open) comes from the table: RATE needs ANSWERED.
    move(
        answered,
        Step.RATE,
        actor=actor,
        actor_label=_citizen_label(actor),
        data={"handling": handling, "result": result, "rater": "deputy" if mandate else "citizen"},
    )
    rating = CaseRating.objects.create(
        case=case,
        round=answered.rehandle_count,
        mandate=mandate,
        handling=handling,
        result=result,
        comment=(comment or "").strip(),
        rated_by=signed_in_user(actor),
        recorded_by_staff=by_staff,
        rated_at=timezone.now(),
    )
    unsatisfied = Satisfaction.UNSATISFIED in (handling, result)
    if unsatisfied and answered.rehandle_count < settings.RENDA_CASE_MAX_REHANDLINGS:
        _rehandle(answered, actor=None, reason=_("Rated not satisfied."))
    elif expected_raters(answered) <= _rated(answered):
        move(answered, Step.RATING_COMPLETE, actor=None, actor_label=SYSTEM)
    return rating


def _rehandle(case: Case, *, actor: User | None, reason: str) -> None:
    today = _today()
    move(
        case,
        Step.REHANDLE,
        actor=actor,
        actor_label="" if actor else SYSTEM,
        reason=reason,
        fields={
            "rehandle_count": case.rehandle_count + 1,
            "rehandle_started_on": today,
            "answer_due_on": deadlines.rehandle_due(today),
            "answered_on": None,
            "rating_due_on": None,
            "escalation": Escalation.NONE,
        },
    )


@transaction.atomic
def rehandle(case: Case, actor: User, *, version: int | None = None, reason: str) -> Case:
    """Staff send an answered case back for handling again (e.g. the answer does not answer)."""
    _require(may.is_case_staff(actor, case))
    reason = _reason_required(reason)
    case = lock(case, version=version, step=Step.REHANDLE)
    _rehandle(case, actor=actor, reason=reason)
    return case


def lapse_ratings(today: dt.date | None = None) -> int:
    """Nightly: answers whose rating window has passed are recorded 未表态 for whoever did not rate."""
    today = today or _today()
    lapsed = 0
    for case_id in (
        Case.objects.unscoped().filter(state=S.ANSWERED, rating_due_on__lt=today).values_list("pk", flat=True)
    ):
        with transaction.atomic():
            case = lock(Case(pk=case_id))
            if case.state != S.ANSWERED:
                continue
            missing = expected_raters(case) - _rated(case)
            CaseRating.objects.bulk_create(
                CaseRating(
                    case_id=member_id,
                    round=case.rehandle_count,
                    mandate_id=mandate_id,
                    handling=Satisfaction.NO_OPINION,
                    result=Satisfaction.NO_OPINION,
                    rated_at=timezone.now(),
                )
                for member_id, mandate_id in missing
            )
            move(case, Step.RATING_LAPSED, actor=None, actor_label=SYSTEM, data={"missing": len(missing)})
            lapsed += 1
    return lapsed


@transaction.atomic
def close(case: Case, actor: User, *, version: int | None = None, reason: str = "") -> Case:
    """办结. A case still rated not satisfied after the last re-handling is closed with a reason."""
    _require(may.is_case_staff(actor, case))
    case = lock(case, version=version, step=Step.CLOSE)
    still_unsatisfied = (
        CaseRating.objects.unscoped()
        .filter(case__in=cases_answered_by(case), round=case.rehandle_count, result=Satisfaction.UNSATISFIED)
        .exists()
    )
    if still_unsatisfied:
        reason = _reason_required(reason)
    move(case, Step.CLOSE, actor=actor, reason=reason, fields={"closed_on": _today()})
    return case


# ---------------------------------------------------------------- chasing


def reminder_allowed_after(case: Case) -> dt.datetime | None:
    if case.last_reminded_at is None:
        return None
    return case.last_reminded_at + dt.timedelta(days=settings.RENDA_CASE_REMINDER_DAYS)


@transaction.atomic
def remind(case: Case, actor: User | None, *, automatic: bool = False, version: int | None = None) -> CaseReminder:
    """催办 to the lead agency while it handles the case, at most every
    ``RENDA_CASE_REMINDER_DAYS`` days."""
    if not automatic:
        _require(actor is not None and may.is_case_staff(actor, case))
    case = lock(case, version=version, step=Step.REMIND)
    allowed_after = reminder_allowed_after(case)
    if allowed_after is not None and timezone.now() < allowed_after:
        raise ValidationError(
            _("A reminder was sent on %(day)s; the next one may be sent from %(next)s.")
            % {
                "day": timezone.localtime(case.last_reminded_at).date().isoformat(),
                "next": timezone.localtime(allowed_after).date().isoformat(),
            }
        )
    lead = case.assignments.filter(is_lead=True, handed_back_at__isnull=True).select_related("agency").first()
    if lead is None:
        raise ValidationError(_("The case has no agency to remind yet."))
    now = timezone.now()
    reminder = CaseReminder.objects.create(
        case=case, agency=lead.agency, sent_by=actor, sent_at=now, automatic=automatic
    )
    move(
        case,
        Step.REMIND,
        actor=actor,
        actor_label="" if actor else SYSTEM,
        fields={"last_reminded_at": now},
        data={"agency": str(lead.agency), "automatic": automatic},
    )
    return reminder


def escalation_due(case: Case, today: dt.date) -> int:
    """How far an overdue case should have gone: township after a short delay, county after a long one."""
    due = deadlines.current_due(case)
    if due is None or today <= due[0]:
        return Escalation.NONE
    late = workdays.working_days_between(due[0], today)
    if late >= settings.RENDA_CASE_ESCALATE_COUNTY_WORKING_DAYS:
        return Escalation.COUNTY
    if late >= settings.RENDA_CASE_ESCALATE_TOWNSHIP_WORKING_DAYS:
        return Escalation.TOWNSHIP
    return Escalation.NONE


def sweep(today: dt.date | None = None) -> dict[str, int]:
    """Nightly: lapse ratings, escalate overdue cases, remind agencies of cases due soon or overdue."""
    today = today or _today()
    counts = {"lapsed": lapse_ratings(today), "escalated": 0, "reminded": 0}
    overdue_or_near = Case.objects.unscoped().filter(deadlines.overdue_filter(today) | deadlines.near_filter(today))
    # The ids first: the loop writes to the rows the query selects (SQLite would see the writes).
    for case_id in list(overdue_or_near.values_list("pk", flat=True)):
        with transaction.atomic():
            case = lock(Case(pk=case_id))
            level = escalation_due(case, today)
            # Re-read under the lock: a case answered or escalated since the list was read is left be.
            if level > case.escalation and allowed(case, Step.ESCALATE):
                move(
                    case,
                    Step.ESCALATE,
                    actor=None,
                    actor_label=SYSTEM,
                    fields={"escalation": level},
                    data={"escalation": str(int(level))},
                )
                counts["escalated"] += 1
            if allowed(case, Step.REMIND):
                allowed_after = reminder_allowed_after(case)
                if allowed_after is None or timezone.now() >= allowed_after:
                    remind(case, None, automatic=True)
                    counts["reminded"] += 1
    return counts


@transaction.atomic
def tag(
    case: Case,
    actor: User,
    *,
    version: int | None = None,
    is_key: bool,
    key_leader: str = "",
    is_repeated: bool,
) -> Case:
    """重点督办 (with the leader who follows it) and 多年重复. ``version``: the form's, so that two
    staff changing the tags at once do not overwrite each other silently."""
    _require(may.is_case_staff(actor, case))
    if is_key and not (key_leader or "").strip():
        raise ValidationError({"key_leader": _("Name the leader who follows this case.")})
    case = lock(case, version=version, step=Step.TAG)
    move(
        case,
        Step.TAG,
        actor=actor,
        fields={
            "is_key": is_key,
            "key_leader": (key_leader or "").strip() if is_key else "",
            "is_repeated": is_repeated,
        },
        data={"key": is_key, "leader": key_leader, "repeated": is_repeated},
    )
    return case


def refresh_deadlines(case: Case) -> int:
    """Derive the case's deadlines again (after a calendar change); 1 if any moved."""
    with transaction.atomic():
        locked = lock(case)
        if locked.state not in OPEN_STATES:
            return 0
        wanted = deadlines.derived(locked)
        changed = {name: day for name, day in wanted.items() if getattr(locked, name) != day}
        for assignment in locked.assignments.filter(handed_back_at__isnull=True):
            windows = (assignment.hand_back_until, assignment.view_due_on)
            assignment.hand_back_until = deadlines.hand_back_until(assignment.assigned_on)
            if not assignment.is_lead:
                assignment.view_due_on = deadlines.co_view_due(assignment.assigned_on)
            if (assignment.hand_back_until, assignment.view_due_on) != windows:
                assignment.save(update_fields=["hand_back_until", "view_due_on"])
        if not changed:
            return 0
        moves = {name: f"{getattr(locked, name)} → {day}" for name, day in changed.items()}
        move(locked, Step.DEADLINES_MOVED, actor=None, actor_label=SYSTEM, fields=changed, data=moves)
        return 1


# ---------------------------------------------------------------- attachments

@transaction.atomic
def add_attachment(case: Case, actor: User, *, upload: Any) -> CaseAttachment:
    check(case, Step.ATTACH)  # a finished case is refused as such, not as a missing permission
    _require(may.may_add_attachment(actor, case))
    extension = check_upload(upload)
    case = lock(case, step=Step.ATTACH)
    attachment = CaseAttachment(
        case=case,
        name=PurePath(upload.name).name[:120],
        content_type=CONTENT_TYPES[extension],
        size=upload.size,
        uploaded_by=actor,
        uploaded_at=timezone.now(),
    )
    attachment.file.save(attachment.name, upload, save=False)
    attachment.save()
    move(case, Step.ATTACH, actor=actor, data={"file": attachment.name})
    return attachment
