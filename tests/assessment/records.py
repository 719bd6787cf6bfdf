"""Records of a year for the assessment's tests: sessions, answered cases and reception days of a
township, made directly (the tests score them; the pages that make them are tested elsewhere)."""

from __future__ import annotations

from datetime import date, datetime, time, timedelta

from django.utils import timezone

from renda.casework.models import Case, CaseReply, CaseSource, CaseState, ReceptionDay, ReceptionState
from renda.meetings.models import Meeting, MeetingKind, MeetingState
from tests import factories

YEAR = 2025


def _at(day: date) -> datetime:
    return timezone.make_aware(datetime.combine(day, time(9)))


_numbers = iter(range(1, 10_000))


def session(township, day: date, state=MeetingState.CLOSED, kind=MeetingKind.SESSION) -> Meeting:
    term = factories.TermFactory(township=township)
    return Meeting.objects.create(
        county=township.county,
        township=township,
        term=term,
        number=next(_numbers),
        kind=kind,
        title="会议",
        starts_at=_at(day),
        ends_on=day,
        state=state,
        signin_token=f"{township.pk}-{day}-{kind}-{state}",
    )


_references = iter(range(1, 10_000))


def answered_case(township, agency, *, on_time: bool, received: date = date(YEAR, 3, 1)) -> Case:
    case = Case.objects.create(
        county=township.county,
        township=township,
        reference=f"T{next(_references)}",
        source=CaseSource.RECESS_SUGGESTION,
        title="道路维修",
        content="村道破损",
        state=CaseState.ANSWERED,
        received_on=received,
        answer_due_on=received + timedelta(days=60),
    )
    due = received + timedelta(days=60)
    CaseReply.objects.create(
        case=case,
        round=0,
        agency=agency,
        reply_class="A",
        consultation="meeting",
        signer="张三",
        answered_at=_at(due - timedelta(days=5) if on_time else due + timedelta(days=5)),
        due_on=due,
    )
    return case


def reception(station, day: date, state=ReceptionState.HELD) -> ReceptionDay:
    return ReceptionDay.objects.create(station=station, date=day, notice_on=day - timedelta(days=3), state=state)
