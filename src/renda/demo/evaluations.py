"""A year's deputies' evaluation (代表评议) in the demo county, one per township with a congress: 3–6
units (the township's agencies and some of the county's vertical units), the survey's findings and
the units' reports, a secret ballot by the serving deputies (those with an account from the phone,
the rest on paper counted by staff), some units under 60% with rectification items — some done,
some open, one overdue — and a follow-up ballot on them (still open in the first township, so its
deputy has a ballot waiting).

Everything goes through ``activities.services_evaluations`` on the demo clock, as the meetings do;
deterministic for a seed; dates relative to the day the demo is seeded (inside the terms). Called by
``seed_demo`` as ``seed_evaluations(county, rng)`` after ``seed_meetings``."""

from __future__ import annotations

import random
from datetime import date, datetime, time, timedelta

from django.utils import timezone

from renda.accounts.models import User
from renda.accounts.roles import Role
from renda.activities import services_evaluations as evaluations
from renda.activities.models import BallotChoice, BallotRound, Evaluation, EvaluationUnit
from renda.organisations.models import Agency, County, Township

from .casework import Clock

FINDINGS = [
    ("群众反映办事需多次往返，窗口服务时间与群众需求不匹配。", "推行一次性告知和延时服务，压缩办理时限。"),
    ("部分惠民资金发放不及时，政策宣传不到位。", "建立资金发放台账，按月公开发放情况。"),
    ("农村道路养护不到位，部分路段破损未及时修复。", "制定养护计划，明确修复时限和责任人。"),
    ("执法程序不够规范，个别案件办理超期。", "规范执法流程，建立案件办理时限预警。"),
    ("服务网点覆盖不足，偏远村组群众办事不便。", "增设便民服务点，开展上门服务。"),
    ("对代表建议的答复不够具体，落实跟踪不足。", "逐件建立办理台账，答复前与代表沟通。"),
]
REPORT = "本单位围绕职责开展工作，对调查组指出的问题进行了认真梳理，并提出了整改措施。"
ITEMS = ["制定整改方案并明确责任人", "建立群众满意度回访制度", "完成问题路段和网点的整改"]
PROGRESS = ["已制定整改方案，明确了时间表和责任人。", "整改措施已全部落实，群众反映良好。"]


class EvaluationSeeder:
    def __init__(self, county: County, rng: random.Random, today: date):
        self.county, self.rng, self.clock, self.today = county, rng, Clock(), today

    def at(self, day: date, hour: int) -> None:
        self.clock.now = timezone.make_aware(datetime.combine(day, time(hour)))

    @staticmethod
    def weekday(day: date) -> date:
        while day.weekday() >= 5:
            day -= timedelta(days=1)
        return day

    def seed(self) -> dict[str, int]:
        townships = [t for t in Township.objects.for_county(self.county).order_by("division_code") if t.has_congress]
        verticals = list(
            Agency.objects.unscoped().filter(county=self.county, township=None, is_active=True).order_by("pk")
        )
        with self.clock.running():
            for index, township in enumerate(townships):
                self.township(township, verticals, leave_open=index == 0, overdue=index == 0 or index == 1)
        return {"evaluations": Evaluation.objects.unscoped().filter(township__county=self.county).count()}

    def staff(self, township: Township) -> User | None:
        return User.objects.filter(role=Role.TOWNSHIP_STAFF, township=township).order_by("pk").first()

    def township(self, township: Township, verticals: list[Agency], *, leave_open: bool, overdue: bool) -> None:
        staff = self.staff(township)
        term = evaluations.township_term(township, self.today)
        if staff is None or term is None:
            return
        anchor = min(self.today, term.ends_on - timedelta(days=14))
        own = list(Agency.objects.unscoped().filter(township=township, is_active=True).order_by("pk"))
        wanted = self.rng.randint(3, 6)
        agencies = (own + self.rng.sample(verticals, min(len(verticals), max(0, wanted - len(own)))))[:wanted]
        if len(agencies) < 3:
            return
        self.at(self.weekday(anchor - timedelta(days=160)), 9)
        evaluation = evaluations.create_evaluation(
            staff, township=township, year=anchor.year, title=f"{township.name}{anchor.year}年代表评议"
        )
        evaluations.set_units(evaluation, staff, agencies=agencies)
        units = list(evaluation.units.select_related("agency").order_by("order"))
        for unit, (finding, demand) in zip(units, self.rng.sample(FINDINGS, len(units)), strict=True):
            evaluations.update_unit(unit, staff, survey_findings=finding, demands=demand, report_summary=REPORT)
        meeting_day = self.weekday(anchor - timedelta(days=130))
        self.at(meeting_day - timedelta(days=10), 9)
        evaluations.move_evaluation(evaluation, staff, to="meeting")
        evaluations.set_meeting_date(evaluation, staff, meeting_on=meeting_day)
        # The first unit, and sometimes a second, do badly.
        weak = {units[0].pk} | ({units[-1].pk} if self.rng.random() < 0.5 else set())
        self.at(meeting_day, 10)
        ballot = evaluations.open_round(evaluation, staff)
        self.vote(ballot, staff, units, {u.pk: (0.45 if u.pk in weak else 0.92) for u in units}, share=0.9)
        self.at(meeting_day, 11)
        evaluations.close_round(ballot, staff)
        self.rectify(units, weak, staff, meeting_day, anchor, overdue=overdue)
        self.at(self.weekday(anchor - timedelta(days=3)), 10)
        follow = evaluations.open_round(evaluation, staff)
        follow_units = list(follow.units.select_related("agency"))
        share = 0.5 if leave_open else 0.88
        self.vote(follow, staff, follow_units, {u.pk: 0.8 for u in follow_units}, share=share, phone=not leave_open)
        if not leave_open:
            self.at(self.weekday(anchor - timedelta(days=3)), 16)
            evaluations.close_round(follow, staff)

    def rectify(self, units, weak, staff, meeting_day: date, anchor: date, *, overdue: bool) -> None:
        start = meeting_day + timedelta(days=7)
        self.at(start, 9)
        for n, unit in enumerate(u for u in units if u.pk in weak):
            for k, demand in enumerate(ITEMS[: 2 + (n == 0)]):
                late = overdue and n == 0 and k == 2
                deadline = anchor - timedelta(days=20) if late else None
                self.at(start, 9)
                item = evaluations.add_rectification(unit, staff, demand=demand, deadline=deadline)
                if late or (k == 1 and n == 0):
                    # The overdue one, and one still being worked on (one report, not done).
                    self.at(start + timedelta(days=30), 15)
                    evaluations.report_progress(item, staff, text=PROGRESS[0])
                    continue
                self.at(start + timedelta(days=30), 15)
                evaluations.report_progress(item, staff, text=PROGRESS[0])
                self.at(start + timedelta(days=60), 15)
                evaluations.report_progress(item, staff, text=PROGRESS[1], completes=True)

    @staticmethod
    def choice(i: int, good: int) -> str:
        """The i-th of the ballots where ``good`` are satisfied or basically satisfied."""
        if i < good * 2 // 3:
            return BallotChoice.SATISFIED
        return BallotChoice.BASICALLY_SATISFIED if i < good else BallotChoice.DISSATISFIED

    def vote(
        self,
        ballot: BallotRound,
        staff: User,
        units: list[EvaluationUnit],
        rates: dict[int, float],
        *,
        share: float,
        phone: bool = True,
    ) -> None:
        """``share`` of the electorate votes; per unit ``rates`` of them satisfied or basically so.
        Deputies with an account vote from the phone, the rest on paper in one batch."""
        voters = list(evaluations.paper_electors(ballot))
        voters = voters[: max(1, round(len(voters) * share))]
        online = [m for m in voters if phone and m.person.user_id is not None]
        paper = [m for m in voters if m not in online]
        ballots: dict[int, list[str]] = {}
        for unit in units:
            good = round(len(voters) * rates[unit.pk])
            choices = [self.choice(i, good) for i in range(len(voters))]
            self.rng.shuffle(choices)
            ballots[unit.pk] = choices
        for i, mandate in enumerate(online):
            user = User.objects.get(pk=mandate.person.user_id)
            evaluations.cast_ballot(ballot, user, choices={u.pk: ballots[u.pk][i] for u in units})
        if paper:
            counts = {}
            for unit in units:
                taken = ballots[unit.pk][len(online) :]
                figures = {c: taken.count(c) for c in BallotChoice.values}
                if figures[BallotChoice.DISSATISFIED] > 1:  # a blank paper or two
                    figures[BallotChoice.DISSATISFIED] -= 1
                    figures[BallotChoice.INVALID] += 1
                counts[unit.pk] = figures
            evaluations.record_paper_ballots(ballot, staff, mandates=paper, counts=counts)


def seed_evaluations(county: County, rng: random.Random, today: date | None = None) -> dict[str, int]:
    """Seed the county's evaluations (see the module's docstring); returns counts."""
    return EvaluationSeeder(county, rng, today or timezone.localdate()).seed()
