"""A year of casework in the demo county: deputies' suggestions (in session and between sessions,
with co-signers), citizens' opinions at the stations (with tracking codes, some anonymous) and
findings of activities, walked through the casework services into every state.

How the history gets its dates: every case is walked through the real services
(``casework.services``) on a demo clock, ``django.utils.timezone.now`` set to the day and hour of
each step while it runs. So every date the services write — received, assigned, answered, the
deadlines in working days from the calendar, the timeline, notes, replies, ratings, reminders —
is the date of that step, computed by the same code as in use, and the timeline stays consistent.
The audit log's entries carry the same moments (the audit takes its time from the same clock).
At the end the nightly sweep runs for today: ratings whose window passed become 未表态, overdue
cases are escalated and reminded.

Deterministic for a seed, except tracking codes (random by design) and the dates, which are
relative to the day the demo is seeded so that there is always something due and overdue today.
"""

from __future__ import annotations

import random
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from datetime import date, datetime, time, timedelta
from typing import Any

from django.utils import timezone

from renda.accounts.models import User
from renda.accounts.roles import Role
from renda.casework import records
from renda.casework import services as cases
from renda.casework.models import Case, CaseCategory, CaseSource, CaseState
from renda.core import workdays
from renda.deputies.models import Mandate, MandateLevel
from renda.organisations.models import Agency, County, Station, Township

from . import data

S = CaseState

# (category, title, content, county agency best placed to answer it or "" for the township's own)
TOPICS: list[tuple[str, str, str, str]] = [
    (
        "城建环资",
        "{village}村主干道路灯损坏",
        "{village}村村口至学校约800米路段路灯多处不亮，夜间群众出行和学生放学存在安全隐患，建议尽快维修并纳入日常维护。",
        "",
    ),
    (
        "城建环资",
        "{township}集镇停车难问题",
        "集镇农贸市场周边早市时段车辆乱停乱放，堵塞消防通道，建议规划临时停车区并加强管理。",
        "县公安局",
    ),
    (
        "城建环资",
        "{village}村生活垃圾分类设施不足",
        "{village}村垃圾分类投放点数量少、分类桶破损，清运不及时，夏季异味明显，建议增设设施、提高清运频次。",
        "县住房和城乡建设局",
    ),
    (
        "城建环资",
        "{village}溪河道淤积需清理",
        "{village}溪中段河道淤积严重，汛期易漫堤，建议开展河道清淤并加固堤岸。",
        "县农业农村局",
    ),
    (
        "城建环资",
        "{township}至{village}村公路路面破损",
        "该路段坑洼较多，大车通行频繁，雨天积水，建议列入农村公路提升改造计划。",
        "县交通运输局",
    ),
    (
        "城建环资",
        "{village}村饮用水水压不足",
        "{village}村地势较高的自然村夏季用水高峰时段水压不足，部分农户无法正常用水，建议改造供水管网。",
        "县住房和城乡建设局",
    ),
    ("城建环资", "农村公厕管护不到位", "{village}村公厕保洁不及时、设施损坏无人维修，建议落实管护责任和经费。", ""),
    (
        "农业农村",
        "高标准农田灌溉渠道维修",
        "{village}村高标准农田部分灌溉渠道破损渗漏，影响春耕用水，建议安排资金维修。",
        "县农业农村局",
    ),
    (
        "农业农村",
        "扶持{village}村茶叶产业发展",
        "{village}村茶园面积大但加工能力弱、品牌弱，建议给予加工设备补助并帮助打造区域品牌。",
        "县农业农村局",
    ),
    (
        "农业农村",
        "野猪毁坏农作物问题",
        "近期野猪频繁下山毁坏玉米、番薯等作物，群众损失较大，建议组织防控并落实损失补偿。",
        "县农业农村局",
    ),
    (
        "农业农村",
        "{village}村农村电网改造",
        "{village}村用电高峰时段电压偏低，家用电器无法正常使用，建议对台区进行增容改造。",
        "国网县供电公司",
    ),
    (
        "教科文卫",
        "{township}中心小学校门口交通安全",
        "中心小学上下学时段车流人流混杂，校门口缺少减速带和交通标志，建议增设设施并安排护学岗。",
        "县教育局",
    ),
    (
        "教科文卫",
        "{township}卫生院增设夜间门诊",
        "卫生院夜间无门诊，群众夜间就医需到县城，建议增设夜间门诊或值班医生。",
        "县卫生健康局",
    ),
    (
        "教科文卫",
        "农村文化礼堂活动经费不足",
        "{village}村文化礼堂建成后活动经费和人员不足，使用率不高，建议加大扶持。",
        "",
    ),
    (
        "教科文卫",
        "{township}幼儿园学位紧张",
        "集镇新建小区入住人口增加，公办幼儿园学位紧张，建议扩建或新建幼儿园。",
        "县教育局",
    ),
    (
        "社会建设",
        "居家养老服务中心运营困难",
        "{village}村居家养老服务照料中心缺乏运营经费和专业人员，助餐服务难以持续，建议加大补助。",
        "县民政局",
    ),
    (
        "社会建设",
        "城乡居民医保缴费提醒和报销便利",
        "部分老年群众不会使用手机缴纳医保，异地就医报销手续繁琐，建议在村级设立代办点。",
        "县人力资源和社会保障局",
    ),
    ("社会建设", "困难群众临时救助审批时间长", "临时救助审批环节多、时间长，建议简化流程、提高时效。", "县民政局"),
    ("社会建设", "{village}村留守儿童关爱服务", "{village}村留守儿童较多，课后无人看管，建议开设四点半课堂。", ""),
    ("内务司法", "农村电信诈骗防范宣传", "近期多名老年群众遭遇电信诈骗，建议加强进村入户的防诈宣传。", "县公安局"),
    ("内务司法", "邻里土地纠纷调解", "{village}村两户村民因宅基地边界发生纠纷多年未解决，建议司法所介入调解。", ""),
    (
        "财政经济",
        "小微企业融资难",
        "{township}小微企业普遍反映贷款门槛高、手续多，建议搭建银企对接平台。",
        "县发展和改革局",
    ),
    ("财政经济", "村级集体经济增收项目扶持", "{village}村集体经济薄弱，建议扶持光伏、物业等增收项目。", "县财政局"),
    ("财政经济", "农贸市场食品安全监管", "集镇农贸市场存在无证摊贩销售熟食的情况，建议加强监管。", "县市场监督管理局"),
]
SESSION_DAYS = ((1, 12), (1, 13))  # a township congress's yearly session in January
REJECT_REASONS = [
    "属于个人诉求，已转相关部门作为信访件办理。",
    "所提事项已办结，不再重复立案。",
    "内容不具体，已联系代表补充后另行提出。",
]
ON_SPOT_REPLIES = ["经现场协调，村委会当场安排人员维修，已向群众说明。", "接待代表当场解答政策，群众表示理解。"]
HAND_BACK_REASONS = ["该事项属于县级部门职责，建议改交县交通运输局。", "所涉设施产权不属于本单位，建议改交。"]
NOTES = [
    "已到现场查看，制定整改方案。",
    "已与代表电话沟通办理思路。",
    "方案已报分管领导审定，正在组织实施。",
    "已落实资金，施工队进场。",
]
EXTENSION_REASONS = ["需纳入明年预算并履行招投标程序。", "涉及多个部门协调，需要更多时间。"]
LEADERS = ["县人大常委会副主任 周建国", "县人大常委会副主任 徐丽华", "县人民政府副县长 陈志明"]
COMMENTS = ["办理及时，效果明显。", "沟通到位，希望持续跟进。", "", "", "问题尚未根本解决，希望加快进度。"]


@dataclass
class Clock:
    """The demo clock: while ``running``, ``timezone.now()`` answers ``now`` (when set)."""

    now: datetime | None = None

    @contextmanager
    def running(self) -> Iterator[None]:
        original = timezone.now

        def demo_now() -> datetime:
            return self.now if self.now is not None else original()

        timezone.now = demo_now  # type: ignore[assignment]
        try:
            yield
        finally:
            timezone.now = original  # type: ignore[assignment]


@dataclass
class Place:
    township: Township
    staff: User
    stations: list[Station]
    agencies: list[Agency]
    mandates: list[Mandate]
    open_cases: list[Case] = field(default_factory=list)


# The final states and how many of each in a township (weights); every state occurs in each.
PLANS = [
    ("submitted", 2),
    ("accepted", 2),
    ("accepted_overdue", 1),
    ("merged", 1),
    ("rejected", 2),
    ("on_spot", 2),
    ("assigned", 2),
    ("returned", 1),
    ("reassigned", 1),
    ("in_progress", 3),
    ("in_progress_near", 2),
    ("in_progress_overdue", 2),
    ("extension_approved", 1),
    ("extension_refused", 1),
    ("answered", 2),
    ("rated", 1),
    ("closed", 5),
    ("rehandled", 2),
    ("rehandling", 1),
    ("lapsed", 2),
]


class CaseSeeder:
    def __init__(self, county: County, rng: random.Random, today: date):
        self.county, self.rng, self.today = county, rng, today
        self.clock = Clock()
        self.categories = {c.name: c for c in cases.ensure_default_categories(county)}
        self.county_agencies = {a.name: a for a in Agency.objects.for_county(county).filter(township__isnull=True)}
        self.handlers: dict[int, User] = {
            user.agency_id: user
            for user in User.objects.filter(role=Role.AGENCY_HANDLER, agency__county=county).order_by("pk")
        }
        self.numbers: dict[int, int] = {}
        self.deputy_a = User.objects.filter(username="deputy_a").select_related("person").first()
        self.handler_x = User.objects.filter(username="handler_x").select_related("agency").first()

    # ------------------------------------------------------------ actors and places

    def _account(self, username: str, full_name: str, role: str, **place: Any) -> User:
        """An account that acts in the history only: nobody signs in with it."""
        user = User(username=username, full_name=full_name, role=role, county=self.county, **place)
        user.set_unusable_password()
        user.save()
        return user

    def handler(self, agency: Agency) -> User:
        if agency.pk not in self.handlers:
            self.handlers[agency.pk] = self._account(
                f"demo_handler_{agency.pk}", f"{agency.name} 经办人", Role.AGENCY_HANDLER, agency=agency
            )
        return self.handlers[agency.pk]

    def staff_of(self, township: Township) -> User:
        staff = User.objects.filter(role=Role.TOWNSHIP_STAFF, township=township).order_by("pk").first()
        if staff is None:
            staff = self._account(
                f"demo_staff_{township.division_code}",
                f"{township.name}人大 专干",
                Role.TOWNSHIP_STAFF,
                township=township,
            )
        return staff

    def at(self, day: date, hour: int | None = None) -> date:
        """Move the demo clock to ``day`` during office hours, never back within a case's walk;
        the day the clock shows."""
        hour = hour if hour is not None else self.rng.randint(8, 16)
        moment = timezone.make_aware(
            datetime.combine(day, time(hour, self.rng.randint(0, 59), self.rng.randint(0, 59)))
        )
        if self.clock.now is not None and moment <= self.clock.now:
            moment = self.clock.now + timedelta(minutes=self.rng.randint(5, 60))
        self.clock.now = moment
        return timezone.localtime(moment).date()

    def later(self, day: date, low: int, high: int) -> date:
        """A working day ``low``–``high`` working days after ``day``, never after today."""
        return min(workdays.add_working_days(day, self.rng.randint(low, high)), self.today)

    def village(self) -> str:
        return self.rng.choice("龙溪石塘桥湖山乌白塔詹横") + self.rng.choice(data.VILLAGE_SUFFIXES)

    def person_name(self) -> str:
        given = data.GIVEN_FEMALE if self.rng.random() < 0.5 else data.GIVEN_MALE
        return self.rng.choice(data.SURNAMES) + "".join(self.rng.choice(given) for _ in range(self.rng.choice([1, 2])))

    def phone(self) -> str:
        return self.rng.choice(["138", "139", "158", "187"]) + "".join(str(self.rng.randint(0, 9)) for _ in range(8))

    # ------------------------------------------------------------ seeding

    def seed(self) -> int:
        townships = list(Township.objects.for_county(self.county).order_by("division_code"))
        filed = 0
        with records.points_refresh_deferred():
            with self.clock.running():
                for township in townships:
                    place = self.place(township)
                    if place is not None:
                        filed += self.seed_township(place)
            # The nightly run, today: lapsed ratings, escalation and reminders of what is overdue.
            cases.sweep(self.today)
        return filed

    def place(self, township: Township) -> Place | None:
        mandates = list(
            Mandate.objects.unscoped()
            .filter(person__township=township, ends_on__isnull=True)
            .select_related("person")
            .order_by("level", "pk")
        )
        if not mandates:
            return None
        agencies = list(Agency.objects.unscoped().filter(township=township, is_active=True).order_by("pk"))
        return Place(
            township=township,
            staff=self.staff_of(township),
            stations=list(Station.objects.unscoped().filter(township=township).order_by("pk")),
            agencies=agencies,
            mandates=mandates,
        )

    def seed_township(self, place: Place) -> int:
        plans = [name for name, weight in PLANS for _ in range(weight)]
        plans += self.rng.choices(
            [name for name, _w in PLANS], weights=[w for _n, w in PLANS], k=self.rng.randint(0, 6)
        )
        # Older histories first, so that a case can be merged into one received before it.
        plans.sort(key=lambda name: -_AGE[name][1])
        for name in plans:
            self.walk(place, name)
        return len(plans)

    def topic(self, place: Place) -> tuple[str, str, CaseCategory, Agency]:
        category, title, content, agency_name = self.rng.choice(TOPICS)
        words = {"village": self.village(), "township": place.township.name}
        lead = self.county_agencies.get(agency_name) if agency_name else None
        demo_handler = self.handler_x
        if (
            demo_handler is not None
            and demo_handler.agency.township_id == place.township.pk
            and self.rng.random() < 0.5
        ):
            lead = demo_handler.agency  # the demo handler's inbox is never empty
        if lead is None:
            lead = (
                self.rng.choice(place.agencies)
                if place.agencies
                else self.rng.choice(list(self.county_agencies.values()))
            )
        return title.format(**words), content.format(**words), self.categories[category], lead

    def signers(self, place: Place) -> list[Mandate]:
        township_mandates = [m for m in place.mandates if m.level == MandateLevel.TOWNSHIP] or place.mandates
        chosen = self.rng.sample(township_mandates, min(len(township_mandates), self.rng.choice([1, 1, 1, 2, 3, 4])))
        if self.deputy_a is not None and self.rng.random() < 0.3:
            own = [m for m in township_mandates if m.person_id == self.deputy_a.person.pk]
            if own:
                chosen = [own[0], *[m for m in chosen if m.pk != own[0].pk]]
        return chosen

    def file(self, place: Place, name: str, received: date) -> tuple[Agency, Case]:
        title, content, category, lead = self.topic(place)
        roll = self.rng.random()
        if name in RATED_PLANS and 0.35 <= roll < 0.5:
            roll = 0.9  # someone must rate these: a deputy's suggestion rather than a finding
        kwargs: dict[str, Any] = {}
        if name == "on_spot" or roll < 0.35:
            source = CaseSource.CITIZEN_OPINION
            anonymous = self.rng.random() < 0.3
            kwargs = {
                "station": self.rng.choice(place.stations) if place.stations else None,
                "citizen_name": "" if anonymous else self.person_name(),
                "citizen_phone": "" if anonymous and self.rng.random() < 0.5 else self.phone(),
            }
        elif roll < 0.5:
            source = CaseSource.ACTIVITY_FINDING
        else:
            signers = self.signers(place)
            session_day = date(received.year, *self.rng.choice(SESSION_DAYS))
            if roll < 0.62 and session_day <= self.today:
                source, received = CaseSource.SESSION_SUGGESTION, session_day
            else:
                source = CaseSource.RECESS_SUGGESTION
            kwargs = {"lead": signers[0], "signers": signers[1:]}
        self.at(received)
        return lead, cases.file_case(
            place.staff,
            township=place.township,
            source=source,
            title=title,
            content=content,
            category=category,
            received_on=received,
            **kwargs,
        )

    def walk(self, place: Place, name: str) -> None:
        low, high = _AGE[name]
        received = workdays.next_working_day(self.today - timedelta(days=self.rng.randint(low, high)))
        if received > self.today:
            received = self.today
        staff = place.staff
        self.clock.now = None
        lead, case = self.file(place, name, received)
        if name == "submitted":
            return
        day = self.at(self.later(received, 0, 2))
        if name == "rejected":
            cases.reject(case, staff, reason=self.rng.choice(REJECT_REASONS))
            return
        if name == "on_spot":
            cases.handle_on_spot(case, staff, reply_text=self.rng.choice(ON_SPOT_REPLIES))
            return
        if name == "merged":
            mains = [c for c in place.open_cases if (c.received_on or received) <= received]
            if mains:
                cases.merge(case, staff, into=self.rng.choice(mains), reason="与已立案事项相同，并案办理。")
                return
        case = cases.accept(case, staff)
        if self.rng.random() < 0.12:
            cases.tag(
                case, staff, is_key=True, key_leader=self.rng.choice(LEADERS), is_repeated=self.rng.random() < 0.5
            )
        elif self.rng.random() < 0.08:
            cases.tag(case, staff, is_key=False, is_repeated=True)
        if name in {"accepted", "accepted_overdue"}:
            place.open_cases.append(case)
            return
        # Session suggestions wait for the batch assignment after the session.
        if case.source == CaseSource.SESSION_SUGGESTION:
            day = self.at(self.later(day, 1, 6))
        else:
            day = self.at(self.later(day, 0, 3))
        co = []
        if self.rng.random() < 0.2 and place.agencies:
            co = [a for a in self.rng.sample(place.agencies, 1) if a.pk != lead.pk]
        case = cases.assign(case, staff, lead=lead, co=co, reason="")
        if name == "assigned":
            place.open_cases.append(case)
            return
        if name in {"returned", "reassigned"}:
            day = self.at(self.later(day, 1, 4))
            case = cases.hand_back(case, self.handler(lead), reason=self.rng.choice(HAND_BACK_REASONS))
            if name == "returned":
                place.open_cases.append(case)
                return
            day = self.at(self.later(day, 1, 2))
            others = [a for a in (*place.agencies, *self.county_agencies.values()) if a.pk != lead.pk]
            lead = self.rng.choice(others)
            case = cases.assign(case, staff, lead=lead, reason="原承办单位申请改交，重新交办。")
            co = []
        handler = self.handler(lead)
        day = self.at(self.later(day, 1, 4))
        case = cases.agency_accept(case, handler)
        for co_agency in co:
            day = self.at(self.later(day, 3, 12))
            cases.co_agency_view(case, self.handler(co_agency), text="同意主办单位意见，配合做好相关工作。")
        for _n in range(self.rng.randint(1, 2)):
            day = self.at(self.later(day, 5, 15))
            if case.state not in (S.ASSIGNED, S.IN_PROGRESS):
                break
            cases.add_note(case, handler, text=self.rng.choice(NOTES))
        if name in {"in_progress", "in_progress_near", "in_progress_overdue", "reassigned"}:
            if name == "in_progress_overdue" and self.rng.random() < 0.5:
                assert case.answer_due_on is not None  # an agency is at work on it
                self.at(self.later(case.answer_due_on - timedelta(days=10), 0, 0))
                cases.remind(case, staff)
            place.open_cases.append(case)
            return
        if name in {"extension_approved", "extension_refused"}:
            assert case.assigned_on is not None and case.answer_due_on is not None
            day = self.at(min(case.answer_due_on - timedelta(days=20), self.today))
            until = min(case.answer_due_on + timedelta(days=60), cases.deadlines.answer_cap(case.assigned_on))
            extension = cases.request_extension(case, handler, until=until, reason=self.rng.choice(EXTENSION_REASONS))
            day = self.at(self.later(day, 1, 3))
            if name == "extension_approved":
                cases.decide_extension(extension, staff, approve=True)
                place.open_cases.append(case)
                return
            cases.decide_extension(extension, staff, approve=False, reason="未超出办理期限，请按期答复。")
        day = self.at(self.later(day, 3, 10))
        self.answer(case, handler, lead, day)
        case.refresh_from_db()
        if name == "answered":
            return
        if name == "lapsed":
            assert case.rating_due_on is not None
            lapse_day = workdays.add_working_days(case.rating_due_on, 1)
            if lapse_day > self.today:
                return  # still within its window: left awaiting the rating
            day = self.at(lapse_day, hour=2)
            cases.lapse_ratings(day)
            case.refresh_from_db()
        else:
            unsatisfied = name in {"rehandled", "rehandling"}
            day = self.at(self.later(day, 2, 12))
            self.rate_all(case, staff, unsatisfied=unsatisfied)
            case.refresh_from_db()
            if name == "rehandling":
                return
            if name == "rehandled":
                day = self.at(self.later(day, 5, 15))
                cases.add_note(case, handler, text="重新研究办理方案，已与代表当面沟通。")
                day = self.at(self.later(day, 2, 5))
                self.answer(case, handler, lead, day, again=True)
                day = self.at(self.later(day, 2, 8))
                case.refresh_from_db()
                self.rate_all(case, staff, unsatisfied=False)
                case.refresh_from_db()
        if case.state == S.RATED and name != "rated":
            self.at(self.later(day, 1, 5))
            cases.close(case, staff)

    def sort_opinions(self, opinions: list[Case]) -> None:
        """After a reception day the staff sort its opinions (domain.md §5): many are answered on the
        spot, the others accepted and assigned within days; those of the last ten days still wait."""
        with self.clock.running():
            for case in opinions:
                received = case.received_on
                if received is None or (self.today - received).days < 10:
                    continue
                staff = self.staff_of(case.township)
                self.clock.now = None
                day = self.at(self.later(received, 0, 1))
                if self.rng.random() < 0.4:
                    cases.handle_on_spot(case, staff, reply_text=self.rng.choice(ON_SPOT_REPLIES))
                    continue
                case = cases.accept(case, staff)
                agencies = list(
                    Agency.objects.for_county(self.county)
                    .filter(township=case.township, is_active=True)
                    .order_by("pk")
                ) or list(self.county_agencies.values())
                day = self.at(self.later(day, 0, 3))
                lead = self.rng.choice(agencies)
                case = cases.assign(case, staff, lead=lead)
                accepted = self.later(day, 1, 3)
                if accepted < self.today:
                    self.at(accepted)
                    cases.agency_accept(case, self.handler(lead))

    def answer(self, case: Case, handler: User, agency: Agency, day: date, *, again: bool = False) -> None:
        number = self.numbers[agency.pk] = self.numbers.get(agency.pk, 0) + 1
        short = agency.name.removeprefix("县").removeprefix(case.township.name)[:2]
        reply_class = "A" if again else self.rng.choices("ABCD", weights=[55, 30, 10, 5])[0]
        planned = reply_class in {"B", "C"}
        cases.answer(
            case,
            handler,
            reply_class=reply_class,
            done_items="已组织人员现场核查，完成维修整改，并建立日常巡查机制。" if reply_class in {"A", "B"} else "",
            planned_items="已列入明年工作计划，分步实施。" if planned else "",
            planned_by=date(day.year + 1, 6, 30) if planned else None,
            not_adopted_reasons="受现有财力和规划限制，暂不具备实施条件，留作参考。" if reply_class == "D" else "",
            consultation=self.rng.choices(["meeting", "visit", "phone", "none"], weights=[40, 30, 25, 5])[0],
            public_text="您反映的问题已办理，详见答复内容。感谢您的关心和支持。",
            signer=f"{agency.name}负责人 {self.person_name()}",
            contact_name=self.person_name(),
            contact_phone=agency.contact_phone or "0570-7012345",
            document_number=f"{short}复〔{day.year}〕{number}号",
        )

    def rate_all(self, case: Case, staff: User, *, unsatisfied: bool) -> None:
        """Everyone asked rates (staff record the ratings given on paper or by phone; deputy_a
        rates in person); ``unsatisfied``: the first rater is not satisfied with the result."""
        members = cases.cases_answered_by(case)
        first = True
        for member in members:
            raters: list[Any] = list(member.signers.select_related("mandate__person__user"))
            if member.source == CaseSource.CITIZEN_OPINION:
                raters.append(None)
            for signer in raters:
                case.refresh_from_db()
                if case.state != S.ANSWERED:
                    return
                result = (
                    "unsatisfied"
                    if unsatisfied and first
                    else self.rng.choices(["satisfied", "basic"], weights=[75, 25])[0]
                )
                first = False
                comment = "问题没有解决，希望重新办理。" if result == "unsatisfied" else self.rng.choice(COMMENTS)
                handling = "satisfied" if result != "unsatisfied" else "basic"
                if signer is None:
                    cases.rate(
                        member, staff, citizen=True, by_staff=True, comment=comment, handling=handling, result=result
                    )
                elif signer.mandate.person.user_id:
                    deputy = signer.mandate.person.user
                    cases.rate(
                        member, deputy, mandate=signer.mandate, comment=comment, handling=handling, result=result
                    )
                else:
                    cases.rate(
                        member,
                        staff,
                        mandate=signer.mandate,
                        by_staff=True,
                        comment=comment,
                        handling=handling,
                        result=result,
                    )


RATED_PLANS = frozenset({"answered", "rated", "rehandled", "rehandling", "lapsed"})
# Received how many calendar days before today (low, high), by the state the case ends in.
_AGE = {
    "submitted": (0, 3),
    "accepted": (1, 4),
    "accepted_overdue": (10, 16),
    "merged": (5, 60),
    "rejected": (10, 340),
    "on_spot": (5, 340),
    "assigned": (4, 8),
    "returned": (8, 12),
    "reassigned": (20, 60),
    "in_progress": (25, 60),
    "in_progress_near": (82, 88),
    "in_progress_overdue": (100, 130),
    "extension_approved": (85, 95),
    "extension_refused": (150, 300),
    "answered": (40, 75),
    "rated": (60, 200),
    "closed": (120, 360),
    "rehandled": (150, 330),
    "rehandling": (95, 105),
    "lapsed": (130, 330),
}


def reception_opinion_sorter(county: County, rng: random.Random, today: date | None = None) -> CaseSeeder:
    """What sorts the opinions of the demo's reception days (``CaseSeeder.sort_opinions``)."""
    return CaseSeeder(county, rng, today or timezone.localdate())


def seed_cases(county: County, rng: random.Random, today: date | None = None) -> int:
    """Seed the county's casework (see the module's docstring); returns the number of cases."""
    return CaseSeeder(county, rng, today or timezone.localdate()).seed()
