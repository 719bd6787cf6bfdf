"""The assessment's shared fixture: three townships of the world's county with a year of records
and a scheme of computed and entered indicators for it (the figures are worked out by hand in
test_scoring.py)."""

from __future__ import annotations

from datetime import date
from decimal import Decimal

import pytest

from renda.assessment import services
from renda.assessment.models import Formula, IndicatorKind
from renda.casework.models import ReceptionState
from renda.meetings.models import MeetingKind, MeetingState
from tests import factories

from .records import YEAR, answered_case, reception, session

D = Decimal


@pytest.fixture
def county(world):
    """Three townships of the world's county with a year of records (2025) and a scheme for it."""
    c = factories.TownshipFactory(county=world.county, name="丙乡")
    stations = {t: factories.StationFactory(township=t) for t in (world.township_a, world.township_b, c)}
    agency = world.agency_a
    a, b = world.township_a, world.township_b
    # A: two sessions (one more in 2024 and a cancelled one do not count); 3 of 4 answers on time;
    # three reception days.
    session(a, date(YEAR, 1, 10))
    session(a, date(YEAR, 12, 20))
    session(a, date(YEAR - 1, 12, 20))
    session(a, date(YEAR, 6, 1), state=MeetingState.CANCELLED)
    session(a, date(YEAR, 2, 1), kind=MeetingKind.PRESIDIUM)
    for on_time in (True, True, True, False):
        answered_case(a, agency, on_time=on_time)
    for month in (3, 6, 9):
        reception(stations[a], date(YEAR, month, 9))
    # B: one session; both answers on time; two reception days held, one cancelled.
    session(b, date(YEAR, 1, 12))
    b_cases = [answered_case(b, agency, on_time=True) for _ in range(2)]
    reception(stations[b], date(YEAR, 4, 9))
    reception(stations[b], date(YEAR, 5, 9))
    reception(stations[b], date(YEAR, 7, 9), state=ReceptionState.CANCELLED)
    # C: no session, no case; five reception days.
    for month in (1, 2, 3, 4, 5):
        reception(stations[c], date(YEAR, month, 19))

    admin = world.county_admin
    scheme = services.create_scheme(world.county, admin, year=YEAR, title="2025年度乡镇人大工作考核")
    duty = services.add_section(scheme, admin, name="依法履职", order=1)
    own = services.add_section(scheme, admin, name="特色工作", order=2)
    computed = {"kind": IndicatorKind.COMPUTED, "formula": Formula.LINEAR}
    ind = {
        "sessions": services.add_indicator(
            duty,
            admin,
            name="依法召开人代会",
            max_score=D(10),
            measure="meetings.sessions",
            full_at=D(2),
            zero_at=D(0),
            order=1,
            **computed,
        ),
        "on_time": services.add_indicator(
            duty,
            admin,
            name="建议按期答复",
            max_score=D(20),
            weight=D("1.5"),
            measure="casework.on_time",
            full_at=D(100),
            zero_at=D(50),
            order=2,
            **computed,
        ),
        "reception": services.add_indicator(
            duty,
            admin,
            name="接待选民日",
            max_score=D(10),
            kind=IndicatorKind.COMPUTED,
            formula=Formula.STEP,
            measure="casework.reception",
            full_at=D(3),
            order=3,
        ),
        "field": services.add_indicator(
            own, admin, name="实地检查", max_score=D(30), kind=IndicatorKind.ENTERED, order=1
        ),
        "innovation": services.add_indicator(
            own, admin, name="特色亮点", max_score=D(5), kind=IndicatorKind.ENTERED, is_bonus=True, order=2
        ),
    }
    services.enter_score(ind["field"], a, admin, points=D("24.5"), evidence="台账齐全，阵地建设规范")
    services.enter_score(ind["field"], b, admin, points=D(28), evidence="台账齐全")
    services.enter_score(ind["field"], c, admin, points=D(30), evidence="全部达标")
    services.enter_score(ind["innovation"], a, admin, points=D(3), evidence="“代表接待日+”做法被市人大推广")
    services.enter_score(ind["innovation"], c, admin, points=D(5), evidence="一镇一特色：智慧联络站")
    services.adjust(ind["field"], b, admin, points=D(-2), reason="检查发现两名代表履职档案缺失")
    services.adjust(ind["sessions"], c, admin, points=D(1), reason="因撤乡并镇延期召开，经县人大同意")
    return {"scheme": scheme, "ind": ind, "a": a, "b": b, "c": c, "b_cases": b_cases, "admin": admin}
