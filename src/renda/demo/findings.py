"""Findings of the demo county's supervision: on about a third of the held inspections,
investigations and law-enforcement checks, one to three problems raised by deputies who were
present, about half of them turned into cases through ``activities.services_findings`` (so the
cases carry the link back to their activity). Deterministic for a seed. Called by ``seed_demo``
after the activities are seeded, as ``seed_findings(county, rng)``."""

from __future__ import annotations

import random

from renda.accounts.models import User
from renda.accounts.roles import Role
from renda.activities import services_findings
from renda.activities.models import Activity, ActivityCategory, ActivityState, ParticipantStatus
from renda.organisations.models import County

CATEGORIES = (ActivityCategory.INSPECTION, ActivityCategory.INVESTIGATION, ActivityCategory.ENFORCEMENT_CHECK)
# (the finding, the case's title when it becomes one)
FINDINGS = [
    ("村道部分路段路面破损、坑洼积水，雨天群众出行困难。", "关于修复村道破损路段的建议"),
    ("河道沿岸有生活垃圾堆放，保洁责任落实不到位。", "关于加强河道保洁管理的建议"),
    ("学校门口缺少减速带和警示标志，上下学时段交通安全隐患较大。", "关于完善学校周边交通设施的建议"),
    ("农贸市场排水不畅，部分摊位占道经营。", "关于整治农贸市场环境的建议"),
    ("养老服务中心助餐点覆盖不足，偏远村老人用餐不便。", "关于扩大农村助餐服务覆盖面的建议"),
    ("部分餐饮店后厨卫生不达标，食品安全台账记录不全。", "关于加强餐饮食品安全监管的建议"),
    ("农田灌溉渠道年久失修，渗漏严重。", "关于维修农田灌溉渠道的建议"),
    ("执法人员现场检查记录不规范，处罚依据告知不充分。", "关于规范行政执法程序的建议"),
]


def _organiser(activity: Activity) -> User | None:
    """Who records the findings: the township's staff, or the county administrator for a joint one."""
    users = User.objects.filter(is_active=True).order_by("id")
    if activity.township_id is None:
        return users.filter(role=Role.COUNTY_ADMIN, county_id=activity.county_id).first()
    return users.filter(role=Role.TOWNSHIP_STAFF, township_id=activity.township_id).first()


def seed_findings(county: County, rng: random.Random) -> dict[str, int]:
    counts = {"findings": 0, "cases": 0}
    activities = (
        Activity.objects.unscoped()
        .filter(county=county, state=ActivityState.HELD, category__in=CATEGORIES)
        .select_related("county", "township")
        .order_by("starts_at", "id")
    )
    for activity in activities:
        if rng.random() >= 1 / 3:
            continue
        present = [
            row.mandate
            for row in activity.participants.filter(status=ParticipantStatus.PRESENT)
            .select_related("mandate__person__township")
            .order_by("id")
        ]
        actor = _organiser(activity)
        if not present or actor is None:
            continue
        townships = services_findings.case_townships(activity)
        for text, title in rng.sample(FINDINGS, rng.randint(1, 3)):
            raised_by = rng.choice(present)
            finding = services_findings.add_finding(activity, actor, text=text, raised_by=raised_by)
            counts["findings"] += 1
            if rng.random() < 0.5:
                own = raised_by.person.township_id in {t.pk for t in townships}
                services_findings.finding_to_case(
                    finding, actor, title=title, township=None if own or not townships else townships[0]
                )
                counts["cases"] += 1
    return counts
