"""The demo county's 人大代表之声: a monthly issue for each of the last few months with cases, compiled
from the demo cases by the county administrator through the digest services, issued a few days
after the month and followed by county leaders' instructions (some making the case one of key
supervision); the current month's issue stays a draft. Run after the cases are seeded."""

from __future__ import annotations

import random
from datetime import date, timedelta

from django.utils import timezone

from renda.accounts.models import User
from renda.accounts.roles import Role
from renda.casework import digest as digests
from renda.casework.models import Case
from renda.casework.workflow import OPEN_STATES
from renda.organisations.models import County

from . import data

COUNTY_LEADERS = ["县委书记", "县长", "县人大常委会主任", "常务副县长", "分管副县长"]
INSTRUCTIONS = [
    "请{agency}认真研究，提出解决方案，按期答复代表。",
    "此事关系群众切身利益，请相关部门高度重视，抓紧落实。",
    "请县政府办牵头，会同有关部门现场调研后专题研究。",
    "同意代表意见，请纳入明年工作计划统筹推进。",
    "请跟踪督办，办理结果报县人大常委会。",
]
MONTHS = 4
ITEMS = (3, 6)


def seed_digests(county: County, rng: random.Random, today: date | None = None) -> int:
    """A few issued digests with leaders' instructions, and a draft for this month; returns how
    many digests were made (none when the county has no administrator or no cases)."""
    today = today or timezone.localdate()
    admin = User.objects.filter(role=Role.COUNTY_ADMIN, county=county, is_active=True).order_by("pk").first()
    if admin is None:
        return 0
    periods = []
    anchor = today
    for _ in range(MONTHS):
        start, end = digests.month_before(anchor)
        periods.append((start, end))
        anchor = start
    periods.reverse()
    made = 0
    for start, end in periods:
        chosen = _cases(county, rng, start, end)
        if not chosen:
            continue
        digest = digests.create_digest(county, admin, period_start=start, period_end=end)
        items = [digests.add_item(digest, admin, case=case) for case in chosen]
        issued_on = min(end + timedelta(days=rng.randint(3, 8)), today)
        digests.issue(digest, admin, issued_on=issued_on)
        for item in items:
            if rng.random() < 0.6:
                _instruction(item, admin, rng, issued_on, today)
        made += 1
    this_month = (today.replace(day=1), today)
    chosen = _cases(county, rng, *this_month)
    if chosen:
        digest = digests.create_digest(county, admin, period_start=this_month[0], period_end=this_month[1])
        for case in chosen[:2]:
            digests.add_item(digest, admin, case=case)
        made += 1
    return made


def _cases(county: County, rng: random.Random, start: date, end: date) -> list[Case]:
    candidates = list(
        Case.objects.for_county(county)
        .filter(source__in=digests.DIGEST_SOURCES, received_on__gte=start, received_on__lte=end)
        .exclude(state__in=digests.NOT_FOR_DIGEST)
        .order_by("received_on", "pk")
    )
    if not candidates:
        return []
    return rng.sample(candidates, min(len(candidates), rng.randint(*ITEMS)))


def _instruction(item, admin: User, rng: random.Random, issued_on: date, today: date) -> None:
    leader = rng.choice(data.LEADER_SURNAMES) + rng.choice(COUNTY_LEADERS)
    lead = item.case.assignments.filter(is_lead=True).select_related("agency").first()
    text = rng.choice(INSTRUCTIONS).format(agency=lead.agency.name if lead else "有关部门")
    given_on = min(issued_on + timedelta(days=rng.randint(1, 10)), today)
    mark_key = item.case.state in OPEN_STATES and not item.case.is_key and rng.random() < 0.3
    digests.record_feedback(item, admin, leader_name=leader, given_on=given_on, text=text, mark_key=mark_key)
