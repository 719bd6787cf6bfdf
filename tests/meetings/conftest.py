"""Meetings belong to the world's township term (2021-12-20 – 2031-12-19, tests/factories.py), and
the tests plan them relative to today: every test here runs on a fixed day inside that term, with
the clock ticking, so that they do not start failing when the real date nears the term's end."""

from datetime import datetime
from zoneinfo import ZoneInfo

import pytest

TODAY_IN_THE_TERM = datetime(2026, 11, 2, 10, 0, tzinfo=ZoneInfo("Asia/Shanghai"))


@pytest.fixture(autouse=True)
def _inside_the_worlds_term(time_machine):
    time_machine.move_to(TODAY_IN_THE_TERM, tick=True)
