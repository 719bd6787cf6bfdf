"""The demo county's notice board and reports to voters (述职).

Every township gets notices of its own (study, general) and the county two of its own, through
``notices.services.post``; about half of the recipients have confirmed reading. About 60% of each
township congress's serving deputies have a report to voters within the term: most held with the
paper ballot's counts, a few missed, a few scheduled in the coming weeks. Called by ``seed_demo`` as
``seed_notices_and_reports(county, rng)``; the caller recomputes the county's points afterwards.
Deterministic for a seed; dates are relative to the day the demo is seeded."""

from __future__ import annotations

import random
from datetime import date, timedelta

from django.utils import timezone

from renda.activities import services_voter_reports as reports
from renda.deputies.models import Mandate, MandateLevel
from renda.deputies.selectors import serving_on
from renda.notices import services as notices
from renda.notices.models import NoticeKind, Recipient
from renda.organisations.models import County, Term

TOWNSHIP_NOTICES = [
    (
        NoticeKind.STUDY,
        "关于组织代表学习新修订的代表法的通知",
        "请各位代表于本月内完成代表法学习，并在代表小组活动时交流学习体会。",
    ),
    (
        NoticeKind.GENERAL,
        "关于开展“代表进站”接待选民活动的通知",
        "请各位代表按照联络站排班，按时进站接待选民，认真记录选民意见建议。",
    ),
]
COUNTY_NOTICES = [
    (
        NoticeKind.GENERAL,
        "关于做好年度代表述职工作的通知",
        "各乡镇人大要组织代表向原选区选民述职，年内述职率不低于三分之一。",
    ),
    (
        NoticeKind.STUDY,
        "关于参加全县代表履职培训的通知",
        "县人大常委会将于下月举办代表履职培训班，请各乡镇人大做好组织工作。",
    ),
]
PLACES = ["村委会议室", "村文化礼堂", "社区服务中心", "代表联络站"]


def _read_some(notice, rng: random.Random) -> None:
    for recipient in Recipient.objects.unscoped().filter(notice=notice).select_related("user"):
        if rng.random() < 0.5:
            notices.confirm_read(notice, recipient.user)


def seed_notices_and_reports(county: County, rng: random.Random, today: date | None = None) -> dict[str, int]:
    today = today or timezone.localdate()
    counts = {"notices": 0, "held": 0, "missed": 0, "scheduled": 0}
    terms = Term.objects.unscoped().filter(county=county, township__isnull=False).select_related("township__county")
    for term in terms.filter(starts_on__lte=today, ends_on__gte=today).order_by("township__division_code"):
        township = term.township
        deputies = notices.deputies_of([township])
        for kind, title, body in TOWNSHIP_NOTICES:
            notice = notices.post(
                None,
                county=county,
                township=township,
                kind=kind,
                title=f"{township.name}{title}",
                body=body,
                recipients=deputies,
            )
            _read_some(notice, rng)
            counts["notices"] += 1
        mandates = list(
            Mandate.objects.unscoped()
            .filter(serving_on(today), term=term, level=MandateLevel.TOWNSHIP)
            .select_related("person")
            .order_by("id")
        )
        for mandate in rng.sample(mandates, round(len(mandates) * 0.6)):
            first = max(term.starts_on, mandate.starts_on or term.starts_on) + timedelta(days=30)
            place = f"{township.name}{rng.choice(PLACES)}"
            roll = rng.random()
            if roll < 0.1:
                scheduled = today + timedelta(days=rng.randint(5, 30))
                reports.schedule(None, mandate=mandate, scheduled_on=scheduled, place=place)
                counts["scheduled"] += 1
                continue
            if first >= today:
                continue
            day = first + timedelta(days=rng.randint(0, max((today - first).days - 1, 0)))
            report = reports.schedule(None, mandate=mandate, scheduled_on=day, place=place)
            if roll < 0.18:
                reports.record_missed(report, None, expected_version=report.version, note="代表外出，未能按期述职")
                counts["missed"] += 1
                continue
            present = rng.randint(20, 60)
            dissatisfied = rng.randint(0, 3)
            basically = rng.randint(0, 8)
            satisfied = present - dissatisfied - basically - rng.randint(0, 3)
            reports.record_held(
                report,
                None,
                expected_version=report.version,
                held_on=day,
                voters_present=present,
                satisfied=max(satisfied, 0),
                basically_satisfied=basically,
                dissatisfied=dissatisfied,
                summary=f"{mandate.person.full_name}代表向选民报告了履职情况，选民就道路、饮水、养老等提出意见。",
            )
            counts["held"] += 1
    everyone = notices.deputies_of(county.townships.all())
    for kind, title, body in COUNTY_NOTICES:
        notice = notices.post(
            None, county=county, township=None, kind=kind, title=title, body=body, recipients=everyone
        )
        _read_some(notice, rng)
        counts["notices"] += 1
    return counts
