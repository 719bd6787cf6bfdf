"""A year of meetings in the demo county, for every township with a congress: two sessions (the
first noticed on time, the second late) with attendance, leave and absences, motions placed or not
(handed to casework as suggestions), votes that pass and fail and one corrected, resolutions with
their responsible units and implementation reports (one carried out by a presidium meeting, one
overdue); a presidium meeting in most quarters (one township misses one, so the compliance view
warns); a county-level meeting attended; and a session coming up with its notice sent. The terms
get their population and the seats the county fixed, so the congress-size view has real figures.

Everything goes through ``meetings.services`` on the demo clock (``casework.Clock``), as the
casework history does, so each date is the day of its step. Deterministic for a seed; dates are
relative to the day the demo is seeded (kept inside the township terms). Called by ``seed_demo``
as ``seed_meetings(county, rng)``; the caller recomputes the county's points afterwards."""

from __future__ import annotations

import random
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta

from django.utils import timezone

from renda.accounts.models import User
from renda.accounts.roles import Role
from renda.casework import records as case_records
from renda.deputies.models import Mandate, MandateLevel
from renda.meetings import records as meeting_records
from renda.meetings import rules
from renda.meetings import services as meetings
from renda.meetings.models import Attendance, Meeting, ResolutionState
from renda.organisations.models import Agency, County, Term, Township, TownshipKind

from .casework import Clock

# Sessions and presidium meetings held earlier in the term (2022–2025) are not seeded; the year's
# are numbered after them, as a township's would be.
SESSIONS_BEFORE = 8
PRESIDIUM_BEFORE = 16
PRESIDIUM_MEMBERS = 7

AGENDA = [
    ("presidium_report", "主席团工作报告", "主席团常务主席"),
    ("government_report", "政府工作报告", "镇长"),
    ("budget_report", "财政预算执行情况和预算草案的报告", "财政办主任"),
]
# (title, content, placed on the agenda)
MOTIONS = [
    ("关于实施集镇污水管网改造的议案", "集镇部分区域雨污混流，建议实施污水管网改造工程，列入年度重点项目。", True),
    ("关于建设农村居家养老服务中心的议案", "建议在人口较多的行政村建设居家养老服务中心，解决老人助餐难题。", False),
    ("关于加快农村公路提档升级的议案", "建议将通村公路提档升级纳入本年度民生实事项目，分批实施。", True),
]
NOT_PLACED_REASON = "该事项属于日常工作范围，不作为议案列入大会议程，转为代表建议交政府办理。"
REPORTS = [
    "已制定工作方案，明确责任分工和时间节点，各项工作按计划推进。",
    "主要项目已开工建设，完成投资过半，群众反映良好。",
    "年度目标任务基本完成，正在组织验收并建立长效管理机制。",
]


@dataclass
class Congress:
    township: Township
    term: Term
    staff: User
    mandates: list[Mandate]
    agencies: list[Agency]


class MeetingSeeder:
    def __init__(self, county: County, rng: random.Random, today: date):
        self.county, self.rng, self.clock = county, rng, Clock()
        self.today = today

    # ------------------------------------------------------------ time

    def at(self, day: date, hour: int, minute: int = 0) -> datetime:
        """Move the demo clock to ``day`` at ``hour``; the moment."""
        self.clock.now = timezone.make_aware(datetime.combine(day, time(hour, minute)))
        return self.clock.now

    @staticmethod
    def weekday(day: date) -> date:
        while day.weekday() >= 5:
            day += timedelta(days=1)
        return day

    # ------------------------------------------------------------ seeding

    def seed(self) -> dict[str, int]:
        townships = [t for t in Township.objects.for_county(self.county).order_by("division_code") if t.has_congress]
        with (
            meeting_records.points_refresh_deferred(),
            case_records.points_refresh_deferred(),
            self.clock.running(),
        ):
            for index, township in enumerate(townships):
                congress = self.congress(township)
                if congress is not None:
                    # The third township skipped a quarter's presidium meeting.
                    self.seed_township(congress, skip_quarter=index == 2)
        return {"meetings": Meeting.objects.for_county(self.county).count()}

    def congress(self, township: Township) -> Congress | None:
        # The term in office on the demo's day, whose meetings these are.
        term = (
            Term.objects.unscoped().filter(township=township, starts_on__lte=self.today).order_by("-starts_on").first()
        )
        if term is None:
            return None
        elected = Mandate.objects.unscoped().filter(term=term, level=MandateLevel.TOWNSHIP, starts_on=term.starts_on)
        # Population as counted for the election, and the seats the county fixed from it (a small
        # township of under 2,000 inhabitants was allowed fewer than the 45 base seats).
        small = township.kind == TownshipKind.ETHNIC_TOWNSHIP
        term.population = self.rng.randint(1500, 1990) if small else self.rng.randint(15000, 48000)
        term.fixed_seats = elected.count()
        term.save(update_fields=["population", "fixed_seats", "updated_at"])
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
        mandates = list(
            meetings.congress_deputies(term, self.today).select_related("person").order_by("deputy_number", "pk")
        )
        agencies = list(Agency.objects.unscoped().filter(township=township, is_active=True).order_by("pk"))
        return Congress(township=township, term=term, staff=staff, mandates=mandates, agencies=agencies)

    def seed_township(self, congress: Congress, *, skip_quarter: bool) -> None:
        anchor = min(self.today, congress.term.ends_on - timedelta(days=14))
        first = self.weekday(anchor - timedelta(days=280))
        second = self.weekday(anchor - timedelta(days=110))
        done = self.session(congress, first, SESSIONS_BEFORE + 1, notice_days=10, motions=True)
        overdue = self.session(congress, second, SESSIONS_BEFORE + 2, notice_days=3, motions=False)
        # Implementation reports every few months; the second session's first resolution has none
        # and is overdue for its report.
        plans = ((done[0], first, (2, 5)), (done[1], first, (2, 5, 8)), (overdue[1], second, (1.5,)))
        for resolution, adopted, months in plans:
            for month, text in zip(months, REPORTS, strict=False):
                day = self.weekday(adopted + timedelta(days=int(30 * month) + self.rng.randint(0, 10)))
                self.at(min(day, anchor), 15)
                meetings.report_implementation(resolution, congress.staff, text=text, agency=None)
        quarters = self.quarters(anchor)
        if skip_quarter:
            quarters = quarters[:-2] + quarters[-1:]
        for number, day in enumerate(quarters, start=PRESIDIUM_BEFORE + 1):
            self.presidium(congress, day, number, carried_out=done[0] if day > first + timedelta(days=170) else None)
        self.county_meeting(congress, self.weekday(anchor - timedelta(days=60)))
        # The next session, noticed ten days ahead.
        upcoming = self.weekday(anchor + timedelta(days=10))
        self.at(anchor, 10)
        meeting = self.plan(congress, "session", upcoming, SESSIONS_BEFORE + 3, days=2)
        meetings.send_notice(meeting, congress.staff, expected_version=meeting.version, text=self.notice(meeting))

    def quarters(self, anchor: date) -> list[date]:
        """A day in each of the last four quarters (the present one included), before ``anchor``."""
        days = []
        start = date(anchor.year, 3 * ((anchor.month - 1) // 3) + 1, 1)
        for _ in range(4):
            day = self.weekday(start + timedelta(days=35 + self.rng.randint(0, 10)))
            if day >= anchor:
                day = self.weekday(start + timedelta(days=3))
            if day < anchor:
                days.append(day)
            start = date(start.year - (start.month == 1), (start.month - 4) % 12 + 1, 1)
        return sorted(days)

    # ------------------------------------------------------------ one meeting

    def plan(self, congress: Congress, kind: str, day: date, number: int | None, *, days: int = 1, title=""):
        return meetings.plan_meeting(
            congress.staff,
            township=congress.township,
            kind=kind,
            term=congress.term if kind != "county" else None,
            number=number,
            title=title,
            starts_at=timezone.make_aware(datetime.combine(day, time(8, 30))),
            ends_on=day + timedelta(days=days - 1),
            venue=f"{congress.township.name}人民政府大会议室" if kind != "county" else "县人大常委会会议室",
        )

    @staticmethod
    def notice(meeting: Meeting) -> str:
        return (
            f"定于{meeting.date.month}月{meeting.date.day}日上午8时30分召开{meeting.name}，"
            "请各位代表准时出席。因故不能出席的，请提前向人大主席团请假。"
        )

    def session(self, congress: Congress, day: date, number: int, *, notice_days: int, motions: bool) -> list:
        """A two-day session held on ``day``; the resolutions adopted on its reports."""
        staff = congress.staff
        self.at(day - timedelta(days=notice_days + 7), 9)
        meeting = self.plan(congress, "session", day, number, days=2)
        for kind, title, presenter in AGENDA:
            meetings.add_agenda_item(meeting, staff, kind=kind, title=title, presenter=presenter)
        self.at(day - timedelta(days=notice_days), 10)
        meeting = meetings.send_notice(meeting, staff, expected_version=meeting.version, text=self.notice(meeting))
        submitted = []
        if motions:
            for index, (title, content, _placed) in enumerate(MOTIONS):
                self.at(day - timedelta(days=notice_days - 1 - index), 11)
                lead, *signers = self.rng.sample(congress.mandates, 5 + self.rng.randint(0, 3))
                submitted.append(
                    meetings.submit_motion(meeting, staff, title=title, content=content, lead=lead, signers=signers)
                )
        # The presidium's preparatory meeting decides on the motions the day before.
        self.at(day - timedelta(days=1), 16)
        for motion, (_title, _content, placed) in zip(submitted, MOTIONS, strict=False):
            meetings.decide_motion(
                motion, staff, expected_version=motion.version, place=placed, reason="" if placed else NOT_PLACED_REASON
            )
            if not placed:
                motion.refresh_from_db()
                meetings.motion_to_suggestion(motion, staff)
        self.attendance(congress, meeting, day)
        meeting.refresh_from_db()
        self.at(day, 9)
        meeting = meetings.open_meeting(meeting, staff, expected_version=meeting.version)
        self.at(day + timedelta(days=1), 10)
        adopted = self.votes(congress, meeting)
        self.at(day + timedelta(days=1), 17)
        meetings.save_minutes(
            meeting,
            staff,
            expected_version=meeting.version,
            minutes=f"{meeting.name}听取和审议了各项报告，表决通过了有关决议。",
        )
        meeting.refresh_from_db()
        meetings.close_meeting(meeting, staff, expected_version=meeting.version)
        return adopted

    def attendance(self, congress: Congress, meeting: Meeting, day: date) -> None:
        """Most sign in; two or three ask for leave (approved, by half-days); one or two stay away."""
        staff = congress.staff
        rows = list(Attendance.objects.unscoped().filter(meeting=meeting).select_related("mandate").order_by("pk"))
        self.rng.shuffle(rows)
        on_leave = rows[: self.rng.randint(2, 3)]
        away = self.rng.randint(1, 2)
        self.at(day - timedelta(days=2), 14)
        for row in on_leave:
            whole = self.rng.random() < 0.5
            leave = meetings.request_leave(
                row,
                staff,
                first_day=day,
                first_half="am",
                half_days=4 if whole else self.rng.randint(1, 2),
                reason=self.rng.choice(["外出务工", "身体不适，需住院治疗", "家中有事", "参加县里培训"]),
            )
            meetings.decide_leave(leave, staff, approve=True)
        self.at(day, 8, 10)
        for row in rows[len(on_leave) + away :]:
            meetings.sign_in(meeting, staff, attendance=row)

    def votes(self, congress: Congress, meeting: Meeting) -> list:
        """The reports' resolutions pass; a decision falls short of a majority of all the deputies;
        one tally is corrected after a counting error. Returns the resolutions adopted."""
        staff = congress.staff
        count = meetings.quorum(meeting)
        items = {item.kind: item for item in meeting.agenda.all()}
        adopted = []
        for kind, title in (("government_report", "关于政府工作报告的决议"), ("budget_report", "关于财政预算的决议")):
            against = self.rng.randint(0, 2)
            vote = meetings.record_vote(
                meeting,
                staff,
                kind="resolution",
                title=title,
                method="hands",
                votes_for=count.present - against - 1,
                votes_against=against,
                abstentions=1,
                item=items.get(kind),
            )
            units = self.rng.sample(congress.agencies, min(2, len(congress.agencies)))
            adopted.append(
                meetings.adopt_resolution(
                    meeting,
                    staff,
                    kind="resolution",
                    title=title,
                    text=f"{meeting.name}批准{title[2:-3]}，要求镇人民政府认真组织实施。",
                    units=units,
                    vote=vote,
                )
            )
        # Most of those present but not a majority of all the deputies: the decision fails.
        needed = rules.votes_needed(count.deputies_total)
        short = meetings.record_vote(
            meeting,
            staff,
            kind="decision",
            title="关于调整集镇规划范围的决定（草案）",
            method="ballot",
            votes_for=needed - 1,
            votes_against=count.present - needed - 1,
            abstentions=2,
        )
        # Two ballots were counted as abstentions by mistake.
        meetings.correct_vote(
            short,
            staff,
            votes_for=short.votes_for,
            votes_against=short.votes_against + 2,
            abstentions=0,
            reason="监票人复核，两张反对票误计为弃权",
        )
        return adopted

    def presidium(self, congress: Congress, day: date, number: int, *, carried_out) -> None:
        staff = congress.staff
        self.at(day - timedelta(days=5), 9)
        meeting = self.plan(congress, "presidium", day, number)
        meetings.set_participants(meeting, staff, mandates=congress.mandates[:PRESIDIUM_MEMBERS])
        meetings.add_agenda_item(meeting, staff, kind="plan", title="审议本季度代表活动计划")
        self.at(day, 8, 50)
        for row in Attendance.objects.unscoped().filter(meeting=meeting).order_by("pk")[1:]:
            meetings.sign_in(meeting, staff, attendance=row)
        meeting.refresh_from_db()
        self.at(day, 9)
        meeting = meetings.open_meeting(meeting, staff, expected_version=meeting.version)
        if carried_out is not None:
            carried_out.refresh_from_db()
        if carried_out is not None and carried_out.state != ResolutionState.DONE:
            meetings.mark_resolution_done(
                carried_out,
                staff,
                expected_version=carried_out.version,
                presidium_meeting=meeting,
                note="经主席团会议听取汇报，该决议确定的各项任务已落实。",
            )
        self.at(day, 11)
        meetings.close_meeting(meeting, staff, expected_version=meeting.version)

    def county_meeting(self, congress: Congress, day: date) -> None:
        """The county standing committee's meeting, attended by the township's chair and deputies."""
        staff = congress.staff
        self.at(day - timedelta(days=7), 9)
        meeting = self.plan(congress, "county", day, None, title="县人大常委会代表座谈会")
        meetings.set_participants(meeting, staff, mandates=congress.mandates[:3])
        self.at(day, 9)
        for row in Attendance.objects.unscoped().filter(meeting=meeting).order_by("pk"):
            meetings.sign_in(meeting, staff, attendance=row)
        meeting.refresh_from_db()
        meeting = meetings.open_meeting(meeting, staff, expected_version=meeting.version)
        self.at(day, 11)
        meetings.close_meeting(meeting, staff, expected_version=meeting.version)


def seed_meetings(county: County, rng: random.Random, today: date | None = None) -> dict[str, int]:
    """Seed the county's meetings (see the module's docstring); returns counts."""
    return MeetingSeeder(county, rng, today or timezone.localdate()).seed()
