"""Every change to an evaluation (代表评议): the units and the survey, the state's steps, the secret
ballot (phone and paper), rectification items and their progress. Pages and the API call these and
nothing else writes the rows.

The ballot stays secret here: a vote adds one to each chosen count (``F("count") + 1``, no time on
the row) and writes a receipt without the choice; its audit entry names the round and the number of
units, never a choice. A refused step the workflow does not allow raises ``EvaluationRefused`` (409
in the API); bad input a ValidationError keyed by field."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from datetime import date

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.db.models import F, Q, QuerySet
from django.utils import timezone
from django.utils.translation import gettext as _

from renda.accounts import audit
from renda.accounts.models import User
from renda.accounts.permissions import require as _require
from renda.deputies.models import Mandate, MandateLevel
from renda.meetings.models import Meeting
from renda.meetings.services import congress_deputies
from renda.organisations.models import Agency, Term, Township, in_office_on

from . import permissions_evaluations as may
from . import rules
from .models import (
    BallotChoice,
    BallotMethod,
    BallotReceipt,
    BallotRound,
    BallotTally,
    Evaluation,
    EvaluationState,
    EvaluationUnit,
    RectificationItem,
    RectificationReport,
    RectificationState,
    RoundKind,
    RoundState,
)

PHONE_CHOICES = (BallotChoice.SATISFIED, BallotChoice.BASICALLY_SATISFIED, BallotChoice.DISSATISFIED)
# The steps staff take by hand; opening and closing a ballot take the others.
MANUAL_STEPS: dict[str, set[str]] = {
    EvaluationState.SURVEY: {EvaluationState.MEETING},
    EvaluationState.RECTIFICATION: {EvaluationState.CLOSED},
}
# While the units and the survey may still change.
PREPARING = frozenset({EvaluationState.SURVEY, EvaluationState.MEETING})


class EvaluationRefused(Exception):
    """A step the evaluation's state or the ballot's rules do not allow; ``message`` is Chinese."""

    def __init__(self, message: str) -> None:
        super().__init__(message)
        self.message = message


def _lock(evaluation: Evaluation, expected_version: int | None = None) -> Evaluation:
    from renda.core.locking import StaleEdit

    locked = (
        Evaluation.objects.unscoped().select_for_update(of=("self",)).select_related("township").get(pk=evaluation.pk)
    )
    if expected_version is not None and locked.version != expected_version:
        raise StaleEdit(StaleEdit.message)
    return locked


def _bump(evaluation: Evaluation, *fields: str) -> None:
    evaluation.version += 1
    evaluation.save(update_fields=[*fields, "version", "updated_at"])


def unit_choices(township: Township) -> QuerySet[Agency]:
    """The units that may be evaluated: the township's agencies and the county's vertical units."""
    return (
        Agency.objects.unscoped()
        .filter(county_id=township.county_id, is_active=True)
        .filter(Q(township__isnull=True) | Q(township_id=township.pk))
        .order_by("township", "name")
    )


def township_term(township: Township, day: date) -> Term | None:
    return Term.objects.unscoped().filter(in_office_on(day), township=township).first()


def electors(evaluation: Evaluation, day: date) -> QuerySet[Mandate]:
    """The deputies of the township's congress serving on ``day``."""
    term = township_term(evaluation.township, day)
    return congress_deputies(term, day) if term is not None else Mandate.objects.none()


# ---------------------------------------------------------------- the evaluation


def create_evaluation(
    actor: User | None, *, township: Township, year: int | None, title: str, decided_at: Meeting | None = None
) -> Evaluation:
    if actor is not None:
        _require(may.may_run_township(actor, township))
    errors: dict[str, str] = {}
    if not title.strip():
        errors["title"] = _("Give the evaluation a title.")
    if year is None or not 2000 <= year <= 2100:
        errors["year"] = _("Give the year of the evaluation.")
    if decided_at is not None and decided_at.township_id != township.pk:
        errors["decided_at"] = _("The presidium meeting is not of this township.")
    if errors:
        raise ValidationError(errors)
    assert year is not None
    with transaction.atomic():
        evaluation = Evaluation.objects.create(
            township=township, year=year, title=title.strip(), decided_at=decided_at, created_by=actor
        )
        audit.record("activities.evaluation.create", actor=actor, target=evaluation, data={"title": evaluation.title})
    return evaluation


@transaction.atomic
def set_units(evaluation: Evaluation, actor: User | None, *, agencies: Sequence[Agency]) -> Evaluation:
    """Exactly these units, in this order, while the survey and the meeting are prepared."""
    if actor is not None:
        _require(may.may_run_evaluation(actor, evaluation))
    evaluation = _lock(evaluation)
    if evaluation.state not in PREPARING:
        raise EvaluationRefused(_("The ballot has opened; the units can no longer change."))
    allowed = set(unit_choices(evaluation.township).values_list("pk", flat=True))
    strangers = [a for a in agencies if a.pk not in allowed]
    if strangers:
        raise ValidationError(
            {
                "agencies": _("Not units of this township or vertical units of its county: %(names)s")
                % {"names": "、".join(a.name for a in strangers)}
            }
        )
    if not agencies:
        raise ValidationError({"agencies": _("Choose the units to evaluate.")})
    chosen = [a.pk for a in agencies]
    evaluation.units.exclude(agency_id__in=chosen).delete()
    existing = {u.agency_id: u for u in evaluation.units.all()}
    for order, agency in enumerate(agencies):
        unit = existing.get(agency.pk)
        if unit is None:
            EvaluationUnit.objects.create(evaluation=evaluation, agency=agency, order=order)
        elif unit.order != order:
            unit.order = order
            unit.save(update_fields=["order", "updated_at"])
    _bump(evaluation)
    audit.record("activities.evaluation.units", actor=actor, target=evaluation, data={"count": len(chosen)})
    return evaluation


@transaction.atomic
def update_unit(
    unit: EvaluationUnit, actor: User | None, *, survey_findings: str, demands: str, report_summary: str
) -> EvaluationUnit:
    """What the survey team found, what it demands and what the unit reported (述职)."""
    evaluation = unit.evaluation
    if actor is not None:
        _require(may.may_run_evaluation(actor, evaluation))
    evaluation = _lock(evaluation)
    if evaluation.state == EvaluationState.CLOSED:
        raise EvaluationRefused(_("The evaluation is closed."))
    unit.survey_findings = survey_findings.strip()
    unit.demands = demands.strip()
    unit.report_summary = report_summary.strip()
    unit.save(update_fields=["survey_findings", "demands", "report_summary", "updated_at"])
    audit.record("activities.evaluation.unit", actor=actor, target=unit, data={"agency": unit.agency.name})
    return unit


@transaction.atomic
def set_meeting_date(evaluation: Evaluation, actor: User | None, *, meeting_on: date | None) -> Evaluation:
    if actor is not None:
        _require(may.may_run_evaluation(actor, evaluation))
    evaluation = _lock(evaluation)
    if evaluation.state not in PREPARING:
        raise EvaluationRefused(_("The ballot has opened; the meeting date can no longer change."))
    if meeting_on is None:
        raise ValidationError({"meeting_on": _("Give the date of the evaluation meeting.")})
    evaluation.meeting_on = meeting_on
    _bump(evaluation, "meeting_on")
    audit.record("activities.evaluation.meeting", actor=actor, target=evaluation, data={"date": meeting_on.isoformat()})
    return evaluation


def _move(evaluation: Evaluation, actor: User | None, to: str) -> None:
    before = evaluation.state
    evaluation.state = to
    _bump(evaluation, "state")
    audit.record("activities.evaluation.step", actor=actor, target=evaluation, data={"before": before, "after": to})


@transaction.atomic
def move_evaluation(evaluation: Evaluation, actor: User | None, *, to: str) -> Evaluation:
    """The steps taken by hand: the survey done (to the meeting), and the evaluation closed when no
    unit has to rectify. The others follow the ballots (``open_round``, ``close_round``)."""
    if actor is not None:
        _require(may.may_run_evaluation(actor, evaluation))
    evaluation = _lock(evaluation)
    if to not in MANUAL_STEPS.get(evaluation.state, set()):
        raise EvaluationRefused(
            _("An evaluation in the state “%(state)s” cannot move to “%(to)s”.")
            % {"state": evaluation.get_state_display(), "to": dict(EvaluationState.choices).get(to, to)}
        )
    if to == EvaluationState.MEETING and not evaluation.units.exists():
        raise EvaluationRefused(_("Choose the units to evaluate first."))
    if to == EvaluationState.CLOSED and units_to_follow_up(evaluation):
        raise EvaluationRefused(_("Some units are rectifying: hold the follow-up ballot first."))
    _move(evaluation, actor, to)
    return evaluation


# ---------------------------------------------------------------- the ballot


def units_to_follow_up(evaluation: Evaluation) -> list[EvaluationUnit]:
    return list(evaluation.units.filter(rectifications__isnull=False).distinct().order_by("order", "id"))


@transaction.atomic
def open_round(evaluation: Evaluation, actor: User | None) -> BallotRound:
    """The evaluation ballot on every unit (after the meeting), or the follow-up ballot on the units
    with rectification items. The electorate is frozen at opening."""
    if actor is not None:
        _require(may.may_run_evaluation(actor, evaluation))
    evaluation = _lock(evaluation)
    if evaluation.state == EvaluationState.MEETING:
        kind, units, to = RoundKind.INITIAL, list(evaluation.units.all()), EvaluationState.BALLOT
    elif evaluation.state == EvaluationState.RECTIFICATION:
        kind, units, to = RoundKind.FOLLOW_UP, units_to_follow_up(evaluation), EvaluationState.FOLLOW_UP
    else:
        raise EvaluationRefused(
            _("A ballot opens after the evaluation meeting or, to follow up, during rectification.")
        )
    if not units:
        raise EvaluationRefused(
            _("There are no units to vote on.")
            if kind == RoundKind.INITIAL
            else _("No unit has rectification items: there is nothing to follow up.")
        )
    now = timezone.now()
    electorate = electors(evaluation, timezone.localdate(now)).count()
    if not electorate:
        raise EvaluationRefused(_("The township's congress has no serving deputies to vote."))
    number = evaluation.rounds.count() + 1
    ballot = BallotRound.objects.create(
        evaluation=evaluation, number=number, kind=kind, electorate=electorate, opened_at=now
    )
    ballot.units.set(units)
    # Every count exists from the start: a vote only ever adds to a row, it never creates one.
    BallotTally.objects.bulk_create(
        BallotTally(round=ballot, unit=unit, choice=choice) for unit in units for choice in BallotChoice.values
    )
    _move(evaluation, actor, to)
    audit.record("activities.ballot.open", actor=actor, target=ballot, data={"count": len(units), "total": electorate})
    _post_ballot_notice(evaluation, ballot, actor, units)
    return ballot


def _post_ballot_notice(evaluation: Evaluation, ballot: BallotRound, actor: User | None, units) -> None:
    """The electors learn on their board and home page that the ballot is open, with the link to vote."""
    from django.urls import reverse

    from renda.notices import services as notices
    from renda.notices.models import NoticeKind

    electors_ = electors(evaluation, timezone.localdate(ballot.opened_at)).select_related("person__user")
    # Accounts switched off are left out by notices.post.
    recipients = [m.person.user for m in electors_ if m.person.user is not None]
    notices.post(
        actor,
        county=evaluation.township.county,
        township=evaluation.township,
        kind=NoticeKind.EVALUATION,
        title=_("%(evaluation)s: %(ballot)s is open")
        % {"evaluation": evaluation.title, "ballot": ballot.get_kind_display()},
        body=_("Please rate each unit: %(units)s. The ballot is secret: only that you voted is recorded.")
        % {"units": "、".join(unit.agency.name for unit in units)},
        recipients=recipients,
        link=reverse("activities:ballot_vote", args=[ballot.uuid]),
        source=ballot,
    )


def _open_round(ballot: BallotRound) -> BallotRound:
    locked = (
        BallotRound.objects.unscoped()
        .select_for_update(of=("self",))
        .select_related("evaluation__township")
        .get(pk=ballot.pk)
    )
    if locked.state != RoundState.OPEN:
        raise EvaluationRefused(_("This ballot is closed."))
    return locked


def elector_mandate(ballot: BallotRound, user: User) -> Mandate | None:
    """The user's mandate if they are entitled to vote in the round (serving on its opening day)."""
    if not may.may_vote(user):
        return None
    day = timezone.localdate(ballot.opened_at)
    return electors(ballot.evaluation, day).filter(person__user=user).first()


def voter_mandates(user: User) -> list[Mandate]:
    """The user's township mandates with their terms, to tell in which rounds the user is an
    elector (``elector_among``) without a query per round."""
    return list(
        Mandate.objects.unscoped()
        .filter(person__user=user, level=MandateLevel.TOWNSHIP, term__township__isnull=False)
        .select_related("term")
    )


def elector_among(own: Sequence[Mandate], ballot: BallotRound) -> Mandate | None:
    """``electors`` read from the user's side: the mandate of ``own`` (``voter_mandates``) in the
    round's township congress, in a term in office on the opening day, serving that day."""
    day = timezone.localdate(ballot.opened_at)
    township = ballot.evaluation.township_id
    return next(
        (
            m
            for m in own
            if m.term is not None
            and m.term.township_id == township
            and m.term.starts_on <= day <= m.term.ends_on
            and m.serving_on(day)
        ),
        None,
    )


def ballot_standing(rounds: Sequence[BallotRound], user: User) -> dict[int, tuple[bool, bool]]:
    """{round id: (entitled to vote, has voted)} of ``user`` in the rounds of one evaluation: two
    queries however many rounds (the user's mandates and the receipts)."""
    if not may.may_vote(user):
        return {}
    own = voter_mandates(user)
    mandates = {ballot.pk: elector_among(own, ballot) for ballot in rounds}
    entitled = {mandate.pk for mandate in mandates.values() if mandate is not None}
    voted = set()
    if entitled:
        receipts = BallotReceipt.objects.unscoped().filter(round__in=list(mandates), mandate__in=entitled)
        voted = set(receipts.values_list("round_id", "mandate_id"))
    return {
        pk: (mandate is not None, mandate is not None and (pk, mandate.pk) in voted) for pk, mandate in mandates.items()
    }


def has_voted(ballot: BallotRound, mandate: Mandate | None) -> bool:
    return mandate is not None and BallotReceipt.objects.unscoped().filter(round=ballot, mandate=mandate).exists()


def _add_counts(ballot: BallotRound, unit_id: int, counts: Mapping[str, int]) -> None:
    for choice, number in counts.items():
        if number:
            BallotTally.objects.unscoped().filter(round=ballot, unit_id=unit_id, choice=choice).update(
                count=F("count") + number
            )


def _receipt(ballot: BallotRound, mandate: Mandate, method: str) -> None:
    try:
        with transaction.atomic():
            BallotReceipt.objects.create(round=ballot, mandate=mandate, method=method)
    except IntegrityError:
        raise EvaluationRefused(_("%(name)s has voted in this ballot already.") % {"name": mandate.person}) from None


def cast_ballot(ballot: BallotRound, actor: User, *, choices: Mapping[int, str]) -> BallotRound:
    """A deputy's vote from the phone on every unit of the round, in one submission."""
    with transaction.atomic():
        ballot = _open_round(ballot)
        mandate = elector_mandate(ballot, actor)
        if mandate is None:
            raise EvaluationRefused(_("You are not among the deputies voting in this ballot."))
        unit_ids = set(ballot.units.values_list("pk", flat=True))
        given = {int(k): v for k, v in choices.items()}
        missing = unit_ids - set(given)
        if missing or set(given) - unit_ids:
            raise EvaluationRefused(_("Give your opinion on every unit of the ballot, and on no other."))
        if any(v not in PHONE_CHOICES for v in given.values()):
            raise EvaluationRefused(_("Choose satisfied, basically satisfied or dissatisfied for each unit."))
        if has_voted(ballot, mandate):
            raise EvaluationRefused(_("You have voted in this ballot already."))
        _receipt(ballot, mandate, BallotMethod.PHONE)
        for unit_id, choice in given.items():
            _add_counts(ballot, unit_id, {choice: 1})
        # Never the choices: the entry says that someone voted, as the receipt does.
        audit.record("activities.ballot.cast", actor=actor, target=ballot, data={"count": len(given)})
    return ballot


def paper_electors(ballot: BallotRound) -> QuerySet[Mandate]:
    """The electors who have not voted yet, for the paper form."""
    day = timezone.localdate(ballot.opened_at)
    voted = BallotReceipt.objects.unscoped().filter(round=ballot).values("mandate_id")
    return (
        electors(ballot.evaluation, day)
        .exclude(pk__in=voted)
        .select_related("person")
        .order_by("person__name_stroke_key", "id")
    )


def record_paper_ballots(
    ballot: BallotRound,
    actor: User | None,
    *,
    mandates: Sequence[Mandate],
    counts: Mapping[int, Mapping[str, int]],
) -> BallotRound:
    """The paper ballots, counted once when the box is opened: the deputies who handed one in, and
    per unit the counted totals (satisfied, basically, dissatisfied, invalid), which must add up to
    the number of papers. Once only per round: counts entered in batches would tell the staff how
    the few deputies of a small batch voted."""
    with transaction.atomic():
        ballot = _open_round(ballot)
        if actor is not None:
            _require(may.may_run_evaluation(actor, ballot.evaluation))
        if ballot.receipts.filter(method=BallotMethod.PAPER).exists():
            raise EvaluationRefused(
                _("The paper ballots of this ballot have been counted; they are counted once, all together.")
            )
        if not mandates:
            raise ValidationError({"mandates": _("Tick the deputies who handed in a paper ballot.")})
        day = timezone.localdate(ballot.opened_at)
        allowed = set(electors(ballot.evaluation, day).values_list("pk", flat=True))
        strangers = [m for m in mandates if m.pk not in allowed]
        if strangers:
            raise ValidationError(
                {
                    "mandates": _("Not deputies voting in this ballot: %(names)s")
                    % {"names": "、".join(str(m.person) for m in strangers)}
                }
            )
        units = list(ballot.units.all())
        errors: dict[str, str] = {}
        for unit in units:
            figures = counts.get(unit.pk, {})
            if any((figures.get(c) or 0) < 0 for c in BallotChoice.values):
                errors[f"unit_{unit.pk}"] = _("Counts cannot be negative.")
            elif sum(figures.get(c) or 0 for c in BallotChoice.values) != len(mandates):
                errors[f"unit_{unit.pk}"] = _(
                    "%(unit)s: the counts must add up to the %(papers)s paper ballots of this batch."
                ) % {"unit": unit.agency.name, "papers": len(mandates)}
        if errors:
            raise ValidationError(errors)
        for mandate in mandates:
            _receipt(ballot, mandate, BallotMethod.PAPER)
        for unit in units:
            _add_counts(ballot, unit.pk, {c: counts[unit.pk].get(c) or 0 for c in BallotChoice.values})
        audit.record("activities.ballot.paper", actor=actor, target=ballot, data={"count": len(mandates)})
    return ballot


def close_round(ballot: BallotRound, actor: User | None) -> BallotRound:
    """Close the ballot: the results show; the evaluation moves on to rectification (or closes after
    the follow-up ballot)."""
    with transaction.atomic():
        ballot = _open_round(ballot)
        if actor is not None:
            _require(may.may_run_evaluation(actor, ballot.evaluation))
        evaluation = _lock(ballot.evaluation)
        voted = ballot.receipts.count()
        needed = rules.ballot_quorum(ballot.electorate)
        if voted < needed:
            # Results of a handful of ballots would tell how those few deputies voted.
            raise EvaluationRefused(
                _(
                    "%(voted)s of %(electorate)s deputies have voted; the ballot closes once more than half "
                    "have (%(needed)s)."
                )
                % {"voted": voted, "electorate": ballot.electorate, "needed": needed}
            )
        ballot.state = RoundState.CLOSED
        ballot.closed_at = timezone.now()
        ballot.save(update_fields=["state", "closed_at", "updated_at"])
        audit.record(
            "activities.ballot.close", actor=actor, target=ballot, data={"count": voted, "total": ballot.electorate}
        )
        _move(
            evaluation,
            actor,
            EvaluationState.RECTIFICATION if ballot.kind == RoundKind.INITIAL else EvaluationState.CLOSED,
        )
    return ballot


# ---------------------------------------------------------------- rectification


@transaction.atomic
def add_rectification(
    unit: EvaluationUnit, actor: User | None, *, demand: str, deadline: date | None = None
) -> RectificationItem:
    if actor is not None:
        _require(may.may_run_evaluation(actor, unit.evaluation))
    evaluation = _lock(unit.evaluation)
    if evaluation.state != EvaluationState.RECTIFICATION:
        raise EvaluationRefused(_("Rectification items are set after the ballot, before the follow-up ballot."))
    if not demand.strip():
        raise ValidationError({"demand": _("Say what must be rectified.")})
    today = timezone.localdate()
    deadline = deadline or rules.rectification_deadline(today)
    if deadline < today:
        raise ValidationError({"deadline": _("The deadline cannot be in the past.")})
    item = RectificationItem.objects.create(unit=unit, demand=demand.strip(), deadline=deadline, created_by=actor)
    audit.record(
        "activities.rectification.add",
        actor=actor,
        target=item,
        data={"agency": unit.agency.name, "deadline": deadline.isoformat()},
    )
    return item


@transaction.atomic
def report_progress(
    item: RectificationItem, actor: User | None, *, text: str, completes: bool = False
) -> RectificationReport:
    """Progress on an item by the unit's handler or staff; the report may say it is done."""
    if actor is not None:
        _require(may.may_report_progress(actor, item))
    item = (
        RectificationItem.objects.unscoped()
        .select_for_update(of=("self",))
        .select_related("unit__agency", "unit__evaluation__township")
        .get(pk=item.pk)
    )
    if item.state == RectificationState.DONE:
        raise EvaluationRefused(_("This item is rectified already."))
    if not text.strip():
        raise ValidationError({"text": _("Say what has been done.")})
    report = RectificationReport.objects.create(item=item, text=text.strip(), completes=completes, reported_by=actor)
    if completes:
        item.state = RectificationState.DONE
        item.done_on = timezone.localdate()
        item.version += 1
        item.save(update_fields=["state", "done_on", "version", "updated_at"])
    audit.record("activities.rectification.report", actor=actor, target=item, data={"done": completes})
    return report
