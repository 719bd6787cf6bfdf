"""A year of deputies' activities in the demo county: for every township with a congress (and a
few subdistricts), inspections, investigations, law-enforcement checks and work reports heard
about monthly, a study session each quarter, each deputy group's activity each quarter (one or two
groups silent in the latest quarter, for the group figures), a county joint activity across three
townships, a few activities planned ahead (one noticed, one not), one cancelled; the invited
deputies present, on leave or absent, and minutes on most activities held.

Everything goes through ``activities.services`` on the demo clock (``casework.Clock``), so each
date is the day of its step; actors are the township's staff (made as the meetings' demo makes
them) and the county administrator for the joint activity. Deterministic for a seed. Called by
``seed_demo`` as ``seed_activities(county, rng)``; the caller recomputes the county's points
afterwards, so no refresh is enqueued meanwhile (``contributions.points_refresh_deferred``)."""

from __future__ import annotations

import random
from datetime import date, datetime, time, timedelta

from django.utils import timezone

from renda.accounts.models import User
from renda.accounts.roles import Role
from renda.activities import services
from renda.activities.models import Activity, ActivityCategory, ActivityType, ParticipantStatus
from renda.deputies import contributions
from renda.organisations.models import County, DeputyGroup, Township

from .casework import Clock

SUPERVISION = [
    (ActivityCategory.INSPECTION, "视察{}农村饮水安全工程"),
    (ActivityCategory.INSPECTION, "视察{}人居环境整治"),
    (ActivityCategory.INVESTIGATION, "调研{}养老服务体系建设"),
    (ActivityCategory.INVESTIGATION, "调研{}乡村产业发展"),
    (ActivityCategory.ENFORCEMENT_CHECK, "{}《食品安全法》执法检查"),
    (ActivityCategory.ENFORCEMENT_CHECK, "{}《道路交通安全法》执法检查"),
    (ActivityCategory.WORK_REPORT, "听取{}政府关于民生实事推进情况的报告"),
]
MINUTES = "活动按计划进行。代表们实地察看了现场，听取了情况介绍，提出意见建议{}条，已交有关部门研究办理。"


def activity_place(township: Township, category: str) -> str:
    return f"{township.name}人民政府" if category == ActivityCategory.STUDY else f"{township.name}辖区"


def activity_organiser(township: Township) -> str:
    return f"{township.name}人大" if township.has_congress else f"{township.name}人大工委"


class ActivitySeeder:
    def __init__(self, county: County, rng: random.Random, today: date):
        self.county, self.rng, self.today, self.clock = county, rng, today, Clock()
        self.types = {t.category: t for t in ActivityType.objects.for_county(county).order_by("order", "id")}

    def at(self, day: date, hour: int, minute: int = 0) -> datetime:
        self.clock.now = timezone.make_aware(datetime.combine(day, time(hour, minute)))
        return self.clock.now

    @staticmethod
    def weekday(day: date) -> date:
        while day.weekday() >= 5:
            day += timedelta(days=1)
        return day

    def seed(self) -> dict[str, int]:
        townships = list(Township.objects.for_county(self.county).order_by("division_code"))
        congress = [t for t in townships if t.has_congress]
        others = [t for t in townships if not t.has_congress][:2]
        with contributions.points_refresh_deferred(), self.clock.running():
            for index, township in enumerate(congress + others):
                self.seed_township(township, full=township in congress, first=index == 0)
            self.joint(congress[:3])
        return {"activities": Activity.objects.for_county(self.county).count()}

    def staff(self, township: Township) -> User:
        staff = User.objects.filter(role=Role.TOWNSHIP_STAFF, township=township).order_by("pk").first()
        if staff is None:
            staff = User(
                username=f"demo_staff_{township.division_code}",
                full_name=f"{township.name}人大 专干",
                role=Role.TOWNSHIP_STAFF,
                county=self.county,
                township=township,
            )
            staff.set_unusable_password()
            staff.save()
        return staff

    # ------------------------------------------------------------ a township's year

    def seed_township(self, township: Township, *, full: bool, first: bool) -> None:
        staff = self.staff(township)
        start = self.today - timedelta(days=360)
        months = range(12) if full else range(0, 12, 3)
        for month in months:
            if full and self.rng.random() < 0.15:
                continue
            day = self.weekday(start + timedelta(days=30 * month + self.rng.randint(0, 20)))
            category, title = self.rng.choice(SUPERVISION)
            self.held(staff, township, category, title.format(township.name), day)
        if not full:
            return
        for quarter in range(4):
            day = self.weekday(start + timedelta(days=90 * quarter + 40 + self.rng.randint(0, 20)))
            self.held(staff, township, ActivityCategory.STUDY, f"{township.name}代表学习培训（第{quarter + 1}期）", day)
        groups = list(DeputyGroup.objects.unscoped().filter(township=township).order_by("pk"))
        silent = set(self.rng.sample(groups, min(len(groups), self.rng.randint(1, 2)))) if groups else set()
        quarter_start = date(self.today.year, 3 * ((self.today.month - 1) // 3) + 1, 1)
        for group in groups:
            for back in range(4, -1, -1):
                first_day = quarter_start - timedelta(days=91 * back)
                if back == 0 and group in silent:
                    continue
                day = self.weekday(first_day + timedelta(days=self.rng.randint(5, 50)))
                if day >= self.today or day < start:
                    continue
                self.held(staff, township, ActivityCategory.GROUP, f"{group.name}集中活动", day, group=group)
        # Planned ahead: one noticed on time, one not yet.
        for days, notify in ((12, True), (20, False)):
            self.at(self.today, 9)
            activity = self.plan(
                staff,
                township,
                ActivityCategory.INSPECTION,
                f"视察{township.name}冬季安全生产",
                self.weekday(self.today + timedelta(days=days)),
            )
            if notify:
                services.send_notice(
                    activity, staff, expected_version=activity.version, text=services.default_notice_text(activity)
                )
        if first:
            self.at(self.today - timedelta(days=40), 9)
            activity = self.plan(
                staff,
                township,
                ActivityCategory.INVESTIGATION,
                f"调研{township.name}集镇规划",
                self.weekday(self.today - timedelta(days=30)),
            )
            services.cancel_activity(
                activity, staff, expected_version=activity.version, reason="与县人大常委会会议时间冲突，改期举行"
            )

    def plan(self, staff, township, category, title, day, *, group=None, count=None) -> Activity:
        starts = timezone.make_aware(datetime.combine(day, time(9, 0)))
        activity = services.plan_activity(
            staff,
            county=self.county,
            township=township,
            type=self.types[category],
            title=title,
            starts_at=starts,
            ends_at=starts + timedelta(hours=3),
            place=activity_place(township, category),
            organiser=activity_organiser(township),
            group=group,
            invite=None if group is not None else [],
        )
        if group is None:
            eligible = list(services.eligible_deputies(activity))
            chosen = self.rng.sample(eligible, min(len(eligible), count or self.rng.randint(5, 10)))
            if chosen:
                services.set_participants(activity, staff, mandates=chosen)
        return activity

    def held(self, staff, township, category, title, day, *, group=None) -> None:
        notice_days = self.rng.choice((7, 5, 4, 1))
        self.at(day - timedelta(days=notice_days + 3), 10)
        activity = self.plan(staff, township, category, title, day, group=group)
        self.run(activity, staff, day, notice_days)

    def run(self, activity: Activity, actor: User, day: date, notice_days: int) -> None:
        if activity.participants.exists():
            self.at(day - timedelta(days=notice_days), 10)
            activity.refresh_from_db()
            services.send_notice(
                activity, actor, expected_version=activity.version, text=services.default_notice_text(activity)
            )
        rows = list(activity.participants.order_by("pk"))
        self.at(day - timedelta(days=1), 16)
        for row in rows:
            chance = self.rng.random()
            if chance < 0.1:
                services.request_leave(row, actor, reason=self.rng.choice(("外出学习", "身体不适", "单位工作冲突")))
                services.decide_leave(row, actor, approve=True)
        self.at(day, 9, 5)
        for row in rows:
            row.refresh_from_db()
            if row.status == ParticipantStatus.INVITED and self.rng.random() < 0.88:
                services.sign_in(activity, actor, participant=row)
        self.at(day, 12, 30)
        activity.refresh_from_db()
        activity = services.record_held(activity, actor, expected_version=activity.version)
        if self.rng.random() < 0.85:
            services.save_minutes(
                activity, actor, expected_version=activity.version, minutes=MINUTES.format(self.rng.randint(2, 6))
            )

    # ------------------------------------------------------------ the county's joint activity

    def joint(self, townships: list[Township]) -> None:
        admin = User.objects.filter(role=Role.COUNTY_ADMIN, county=self.county).order_by("pk").first()
        if len(townships) < 2 or admin is None:
            return
        day = self.weekday(self.today - timedelta(days=75))
        self.at(day - timedelta(days=10), 10)
        starts = timezone.make_aware(datetime.combine(day, time(9, 0)))
        activity = services.plan_activity(
            admin,
            county=self.county,
            township=None,
            townships=townships,
            type=self.types[ActivityCategory.JOINT],
            title="县镇联动视察全县河长制落实情况",
            starts_at=starts,
            ends_at=starts + timedelta(hours=6),
            place="沿河各乡镇",
            organiser="县人大常委会",
            invite=[],
        )
        eligible = list(services.eligible_deputies(activity))
        services.set_participants(activity, admin, mandates=self.rng.sample(eligible, min(len(eligible), 15)))
        self.run(activity, admin, day, 7)


def seed_activities(county: County, rng: random.Random, today: date | None = None) -> dict[str, int]:
    """Seed the county's activities (see the module's docstring); returns counts."""
    return ActivitySeeder(county, rng, today or timezone.localdate()).seed()
