"""The demo year's annual plans and the study library, for every township with a congress: the
work plan and the deputies' activity plan with items by category (approved at the township's first
presidium meeting of the year held, if there is one), the held activities of a matching category
already seeded counted towards them; the four laws as county documents and the township's work
rules (学习、会议、视察、联系选民… 制度), each a short text.

Everything goes through the services, acting as the county administrator. Deterministic for a seed.
Called by ``seed_demo`` as ``seed_plans(county, rng)`` after the meetings (and the activities, when
they are seeded)."""

from __future__ import annotations

import random
from datetime import date

from django.utils import timezone

from renda.accounts.models import User
from renda.accounts.roles import Role
from renda.activities import services_library as library
from renda.activities import services_plans as plans
from renda.activities.models import Activity, ActivityState, LibraryDocument, PlanKind, PlanState, WorkPlan
from renda.organisations.models import CONGRESS_KINDS, County, Township

# (title, issuer, date of the latest revision, summary)
LAWS = [
    (
        "中华人民共和国宪法",
        "全国人民代表大会",
        date(2018, 3, 11),
        "国家的根本法。规定国家的根本制度和根本任务，人民代表大会制度是国家的根本政治制度；"
        "乡、民族乡、镇设立人民代表大会，代表由选民直接选举。",
    ),
    (
        "中华人民共和国各级人民代表大会常务委员会监督法",
        "全国人民代表大会常务委员会",
        date(2024, 11, 8),
        "规定人大常委会听取和审议专项工作报告、计划和预算执行、执法检查、规范性文件备案审查、询问和质询、"
        "特定问题调查、撤职案审议等监督形式；乡镇人大参照开展监督工作。",
    ),
    (
        "中华人民共和国全国人民代表大会和地方各级人民代表大会代表法",
        "全国人民代表大会",
        date(2025, 3, 11),
        "规定代表的权利和义务、代表在本级人民代表大会会议期间和闭会期间的工作、代表执行职务的保障，"
        "以及对代表的监督：代表应当与原选区选民保持密切联系，向选民报告履职情况。",
    ),
    (
        "中华人民共和国地方各级人民代表大会和地方各级人民政府组织法",
        "全国人民代表大会",
        date(2022, 3, 11),
        "规定地方各级人民代表大会的职权、会议制度、主席团的组成和职责；乡镇人民代表大会每年至少举行两次会议，"
        "主席团在闭会期间负责联系代表、组织代表开展活动。",
    ),
]

# The township's work rules: (name, what it says in short).
WORK_RULES = [
    ("学习制度", "代表每季度至少参加一次集中学习，学习法律法规和履职知识，学习情况记入履职档案。"),
    ("会议制度", "人民代表大会每年至少召开两次，主席团会议每季度至少召开一次，会议通知提前送达代表。"),
    ("视察制度", "主席团每年组织代表围绕中心工作开展视察，视察前明确主题，视察后形成意见建议交有关单位办理。"),
    ("联系选民制度", "每位代表联系若干选民户，定期走访，收集选民意见，按时反馈办理情况。"),
    ("代表接待选民制度", "代表在联络站定期接待选民，接待情况登记在册，选民意见限期转办。"),
    ("建议办理制度", "代表建议由主席团交有关单位办理，承办单位在规定期限内答复，代表对答复进行满意度评价。"),
    ("代表述职制度", "代表在任期内至少向原选区选民述职一次，接受选民评议，述职情况记入履职档案。"),
    ("代表小组活动制度", "代表小组每季度至少开展一次活动，活动有计划、有记录，年终进行总结。"),
    ("代表履职档案制度", "为每位代表建立履职档案，记录出席会议、参加活动、提出建议和联系选民情况。"),
    ("代表调研制度", "围绕群众关心的热点难点问题组织代表开展专题调研，形成调研报告提交主席团。"),
    ("执法检查制度", "对法律法规在本行政区域内的实施情况组织代表开展执法检查，提出改进意见。"),
    ("听取专项工作报告制度", "主席团每年安排听取政府专项工作报告，组织代表审议并提出意见。"),
    ("工作评议制度", "组织代表对政府部门和站所开展工作评议，满意度测评结果向社会公开，不满意的限期整改。"),
    ("代表活动请假制度", "代表因故不能参加会议或活动的，应当事先请假，无故缺席的记入履职档案。"),
    ("代表培训制度", "新任代表任职初期参加履职培训，每届任期内代表至少参加一次系统培训。"),
    ("代表联络站管理制度", "联络站有场所、有制度、有活动、有档案，接待日安排在站内公示。"),
    ("代表履职激励制度", "对履职积极、成效明显的代表予以通报表扬，履职情况作为推荐连任的重要参考。"),
]

# (kind, title, [(planned work, category, times, by month)])
PLANS = [
    (
        PlanKind.WORK,
        "{year}年{township}人大工作要点",
        [
            ("听取政府专项工作报告", "work_report", 2, 10),
            ("开展农村人居环境执法检查", "enforcement_check", 1, 9),
            ("组织代表集中学习培训", "study", 2, 12),
            ("开展民生实事项目调研", "investigation", 1, 8),
        ],
    ),
    (
        PlanKind.ACTIVITY,
        "{year}年{township}人大代表活动计划",
        [
            ("专题视察重点项目建设", "inspection", 2, 6),
            ("代表小组集中活动", "group", 4, 12),
            ("代表进站接待选民", "reception", 6, 12),
            ("代表向原选区选民述职", "voter_report", 1, 11),
            ("代表集中学习", "study", 4, 12),
        ],
    ),
]


def seed_plans(county: County, rng: random.Random, today: date | None = None) -> dict[str, int]:
    """Seed the county's library and the year's plans (see the module's docstring); returns counts."""
    today = today or timezone.localdate()
    admin = User.objects.filter(role=Role.COUNTY_ADMIN, county=county, is_active=True).order_by("pk").first()
    counts = {"documents": 0, "plans": 0, "linked": 0}
    if admin is None:
        return counts
    for title, issuer, issued_on, summary in LAWS:
        library.add_document(admin, category="law", title=title, issuer=issuer, issued_on=issued_on, summary=summary)
        counts["documents"] += 1
    townships = Township.objects.for_county(county).filter(kind__in=CONGRESS_KINDS, is_active=True).order_by("pk")
    for township in townships:
        counts["documents"] += _work_rules(admin, township, rng)
        for kind, title, items in PLANS:
            plan, linked = _plan(admin, township, today.year, kind, title, items, rng)
            counts["plans"] += 1
            counts["linked"] += linked
    return counts


def _work_rules(admin: User, township: Township, rng: random.Random) -> int:
    for name, text in WORK_RULES:
        issued = date(2022, 1, 1).replace(month=rng.randint(1, 12), day=rng.randint(1, 28))
        library.add_document(
            admin,
            township=township,
            category="work_rule",
            title=f"{township.name}人大代表{name}",
            issuer=f"{township.name}人大主席团",
            issued_on=issued,
            summary=text,
        )
    return LibraryDocument.objects.for_township(township).filter(township=township).count()


def _plan(admin: User, township: Township, year: int, kind, title: str, items, rng) -> tuple[WorkPlan, int]:
    plan = plans.create_plan(
        township,
        admin,
        year=year,
        kind=kind,
        title=title.format(year=year, township=township.name),
        text=f"为做好{year}年人大工作，充分发挥代表作用，结合本镇实际，制定本计划。",
    )
    made = [
        plans.add_item(plan, admin, title=work, category=category, target_count=times, due_month=month)
        for work, category, times, month in items
    ]
    meeting = plans.approval_meetings(township).filter(starts_at__year=year).order_by("starts_at").first()
    if meeting is not None:
        plan.refresh_from_db()
        plan = plans.approve_plan(plan, admin, expected_version=plan.version, meeting=meeting)
    linked = 0
    for item in made:
        held = (
            Activity.objects.for_township(township)
            .filter(
                township=township,
                category=item.category,
                state=ActivityState.HELD,
                starts_at__year=year,
                plan_item__isnull=True,
            )
            .order_by("starts_at")[: item.target_count - rng.randint(0, 1)]
        )
        for activity in held:
            plans.link_activity(activity, item, admin)
            linked += 1
    assert plan.state in {PlanState.DRAFT, PlanState.APPROVED}
    return plan, linked
