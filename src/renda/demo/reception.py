"""Demo reception days (接待选民日): every station of a township with a congress gets a schedule read
from its ``reception_schedule`` text, the days of the last three months held with deputies on duty,
a record and the opinions received (entered as citizens' opinions, i.e. cases), and the coming
weeks planned with deputies on duty. Called by ``seed_demo`` as ``seed_reception(county, rng)``."""

from __future__ import annotations

import datetime as dt
import random
import re

from django.utils import timezone

from renda.casework import reception
from renda.casework.models import Recurrence
from renda.demo.casework import reception_opinion_sorter
from renda.deputies.models import Mandate
from renda.organisations.models import County, Station

WEEKDAYS = "一二三四五六日"

SUMMARIES = (
    "值班代表接待来访群众，认真听取意见建议，逐条登记，并向群众说明办理流程。",
    "接待选民，围绕道路修缮、农田灌溉、垃圾清运等问题听取意见，现场解答政策咨询。",
    "代表与群众面对面交流，收集意见建议，对能当场解释的问题作了说明。",
)
OPINIONS = (
    ("村道破损", "通往村小学的道路多处坑洼，雨天积水严重，建议尽快修补。"),
    ("路灯不亮", "村口至文化礼堂一段路灯损坏多盏，夜间出行不便。"),
    ("灌溉渠堵塞", "东片农田灌溉渠淤积堵塞，影响春耕用水，希望组织清淤。"),
    ("垃圾清运不及时", "集镇垃圾收集点清运不及时，夏季异味大，建议增加清运频次。"),
    ("公交班次少", "到县城的公交班次太少，老人看病不方便，建议增加班次。"),
    ("养老服务", "村里独居老人较多，希望开设老年食堂或助餐点。"),
    ("河道保洁", "溪边常有垃圾堆放，建议加强河道保洁和巡查。"),
    ("停车难", "集镇中心停车位不足，赶集日交通拥堵，建议规划停车场。"),
)
SURNAMES = "王李张刘陈杨黄赵吴周徐孙朱胡郑"
GIVEN = ("建国", "秀英", "国华", "丽娟", "志强", "美芳", "德明", "桂兰")


def schedule_from_text(text: str) -> tuple[str, list[int]] | None:
    """“每月9日、19日” → monthly [9, 19]; “每周三上午” → weekly [3]; else None."""
    if text.startswith("每月"):
        days = [int(number) for number in re.findall(r"(\d+)日", text)]
        return (Recurrence.MONTHLY, days) if days else None
    match = re.match(r"每周([一二三四五六日天])", text)
    if match:
        return Recurrence.WEEKLY, [WEEKDAYS.index(match.group(1).replace("天", "日")) + 1]
    return None


def _phone(rng: random.Random) -> str:
    return f"1{rng.choice('3589')}{rng.randint(0, 9)}{rng.randint(10000000, 99999999)}"


def seed_reception(county: County, rng: random.Random, today: dt.date | None = None) -> dict[str, int]:
    """Schedules, held days with records and opinions, and planned days for every active station
    of the county's townships that have a congress. Returns counts."""
    today = today or timezone.localdate()
    counts = {"schedules": 0, "held": 0, "opinions": 0, "planned": 0}
    # A generator of its own, so that sorting the opinions draws nothing from the days' generator.
    sorter = reception_opinion_sorter(county, random.Random(rng.random()), today)
    stations = Station.objects.for_county(county).filter(is_active=True).select_related("township")
    for station in stations.order_by("township__division_code", "name_order"):
        if not station.township.has_congress:
            continue
        parsed = schedule_from_text(station.reception_schedule) or (Recurrence.MONTHLY, [9, 19])
        schedule = reception.schedule_save(
            station=station,
            actor=None,
            recurrence=parsed[0],
            days=parsed[1],
            place=station.address,
            active_from=today - dt.timedelta(days=120),
        )
        counts["schedules"] += 1
        mandates = list(
            Mandate.objects.unscoped()
            .filter(reception.serving_filter(today), station=station)
            .select_related("person", "person__township")
            .order_by("id")
        )
        past = reception.dates_of(schedule, today - dt.timedelta(days=90), today - dt.timedelta(days=1))
        for day_date in past[-4:]:
            on_duty = rng.sample(mandates, min(2, len(mandates)))
            day = reception.day_save(
                station=station, actor=None, date=day_date, place=station.address, deputies=on_duty
            )
            day = reception.record_day(day=day, actor=None, summary=rng.choice(SUMMARIES), visitors=rng.randint(3, 15))
            counts["held"] += 1
            rows = []
            for title, content in rng.sample(OPINIONS, rng.randint(1, 3)):
                named = rng.random() < 0.6
                rows.append(
                    reception.OpinionRow(
                        title=title,
                        content=content,
                        citizen_name=rng.choice(SURNAMES) + rng.choice(GIVEN) if named else "",
                        citizen_phone=_phone(rng) if named and rng.random() < 0.7 else "",
                    )
                )
            opinions = reception.file_opinions(day=day, actor=None, rows=rows)
            sorter.sort_opinions(opinions)
            counts["opinions"] += len(opinions)
        for day in reception.plan_days(station=station, actor=None, today=today, weeks=6):
            on_duty = rng.sample(mandates, min(2, len(mandates)))
            reception.day_save(station=station, actor=None, date=day.date, place=day.place, deputies=on_duty, day=day)
            counts["planned"] += 1
    return counts
