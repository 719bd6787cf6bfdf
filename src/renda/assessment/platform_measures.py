"""The measures the platform's own records give (domain.md §9): meetings, casework, activities and the
roster. Publicity declares its own (``renda.publicity.measures``).

``values`` reads the rows of the townships it is given with ``unscoped()``: the caller chose the
townships through the scope (a scheme of the user's county, a township the user may see), so the
townships are the scope. ``evidence`` reads through the viewer's scope, as any list page does.
Each figure's definition is shown beside it on the score page, in the scheme editor and in the
year-end report."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Sequence
from datetime import date
from decimal import Decimal
from typing import Any

from django.conf import settings
from django.db.models import Count, Exists, F, OuterRef, Q, QuerySet, Value
from django.db.models.functions import TruncDate
from django.urls import reverse
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from renda.accounts.scoping import scoped
from renda.activities.models import (
    Activity,
    ActivityCategory,
    ActivityState,
    Evaluation,
    EvaluationState,
    Participant,
    ParticipantStatus,
    PlanItem,
    PlanState,
    VoterReport,
    VoterReportState,
)
from renda.casework.models import Case, CaseRating, CaseReply, CaseState, ReceptionDay, ReceptionState, Satisfaction
from renda.core.periods import Period
from renda.deputies.models import Mandate, MandateLevel
from renda.deputies.selectors import serving_on
from renda.meetings.models import Meeting, MeetingKind, MeetingState
from renda.organisations.models import DeputyGroup

from .measures import Evidence, EvidenceRow, Figures, Measure, percent, ratio, register, sourced

PERCENT = gettext_lazy("%")
TIMES = gettext_lazy("times")
GOOD = (Satisfaction.SATISFIED, Satisfaction.BASIC)
HELD_MEETING = (MeetingState.OPEN, MeetingState.CLOSED)
NOT_ACCEPTED = (CaseState.DRAFT, CaseState.SUBMITTED, CaseState.REJECTED, CaseState.MERGED)
EVALUATED = (EvaluationState.RECTIFICATION, EvaluationState.FOLLOW_UP, EvaluationState.CLOSED)
SESSIONS = "meetings.sessions"
PRESIDIUM = "meetings.presidium"
ON_TIME = "casework.on_time"
SATISFACTION = "casework.satisfaction"
OVERDUE = "casework.overdue"
RECEPTION = "casework.reception"
PER_DEPUTY = "activities.per_deputy"
VOTER_REPORTS = "activities.voter_reports"
EVALUATIONS = "activities.evaluations"
ROSTER = "deputies.roster"


def _ids(townships: Sequence[Any]) -> list[int]:
    return [township.pk for township in townships]


def _counts(rows: QuerySet, key: str = "township") -> dict[int, int]:
    return {row[key]: row["n"] for row in rows.values(key).annotate(n=Count("pk")).order_by()}


def _counted(townships: Sequence[Any], **counts: tuple[QuerySet, str]) -> dict[int, dict[str, int]]:
    """One query: for each ``name=(rows, path)``, the number of ``rows`` whose ``path`` leads to each
    township (0 when none). A source's measures read several tables this way at once: one grouped
    count per table, filtered to the townships, joined with UNION ALL. (Counting in a subquery per
    township instead reads every county's rows once per township.)"""
    ids = _ids(townships)
    parts = [
        rows.filter(**{f"{path}__in": ids})
        .order_by()
        .values(k=F(path))
        .annotate(n=Count("pk"), label=Value(index))
        .values_list("label", "k", "n")
        for index, (rows, path) in enumerate(counts.values())
    ]
    names = list(counts)
    found = {pk: dict.fromkeys(names, 0) for pk in ids}
    for label, township, n in parts[0].union(*parts[1:], all=True):
        found[township][names[label]] = n
    return found


def _day(value: Any) -> str:
    if value is None:
        return "—"
    if hasattr(value, "tzinfo"):
        value = timezone.localtime(value).date()
    return date_format(value, "Y-m-d")


def in_period(field: str, period: Period) -> Q:
    return Q(**{f"{field}__gte": period.start, f"{field}__lte": period.end})


def _serving_deputies(township_ids: list[int] | None, day: date) -> QuerySet[Mandate]:
    """The township deputies serving on ``day`` (of ``township_ids``, or correlated by the caller)."""
    mandates = Mandate.objects.unscoped().filter(serving_on(day), level=MandateLevel.TOWNSHIP)
    return mandates if township_ids is None else mandates.filter(person__township__in=township_ids)


# --- meetings -------------------------------------------------------------------------------------


def _held_meetings(kind: str, period: Period) -> Q:
    return Q(kind=kind, state__in=HELD_MEETING) & in_period("starts_at__date", period)


def _meeting_evidence(user: Any, township: Any, period: Period, kind: str, explanation: str) -> Evidence:
    meetings = scoped(Meeting, user).filter(_held_meetings(kind, period), township=township).order_by("starts_at")
    return Evidence(
        headers=(_("Meeting"), _("Held on"), _("State")),
        rows=[
            EvidenceRow((m.title, _day(m.starts_at), m.get_state_display()), reverse("meetings:detail", args=[m.uuid]))
            for m in meetings
        ],
        explanation=explanation,
    )


def meeting_figures(townships: Sequence[Any], period: Period) -> dict[str, Figures]:
    """Sessions held and presidium meetings per quarter: one query."""
    meetings = Meeting.objects.unscoped()
    counts = _counted(
        townships,
        sessions=(meetings.filter(_held_meetings(MeetingKind.SESSION, period)), "township"),
        presidium=(meetings.filter(_held_meetings(MeetingKind.PRESIDIUM, period)), "township"),
    )
    quarters = len(period.quarters())
    return {
        SESSIONS: {pk: Decimal(c["sessions"]) for pk, c in counts.items()},
        PRESIDIUM: {pk: ratio(c["presidium"], quarters) for pk, c in counts.items()},
    }


def sessions_evidence(user: Any, township: Any, period: Period) -> Evidence:
    return _meeting_evidence(
        user, township, period, MeetingKind.SESSION, _("Sessions of the township congress opened in the period.")
    )


def presidium_evidence(user: Any, township: Any, period: Period) -> Evidence:
    quarters = len(period.quarters())
    return _meeting_evidence(
        user,
        township,
        period,
        MeetingKind.PRESIDIUM,
        _("Presidium meetings held, divided by the %(n)s quarters the period touches.") % {"n": quarters},
    )


# --- casework -------------------------------------------------------------------------------------


def _received(period: Period) -> Q:
    return ~Q(state=CaseState.DRAFT) & in_period("received_on", period)


def _first_reply_on_time() -> tuple[Exists, Exists]:
    first = CaseReply.objects.unscoped().filter(case=OuterRef("pk"), round=0)
    on_time = first.annotate(day=TruncDate("answered_at")).filter(Q(due_on__isnull=True) | Q(day__lte=F("due_on")))
    return Exists(first), Exists(on_time)


def on_time_evidence(user: Any, township: Any, period: Period) -> Evidence:
    answered, on_time = _first_reply_on_time()
    cases = (
        scoped(Case, user)
        .filter(_received(period), township=township)
        .annotate(answered=answered, on_time=on_time)
        .filter(answered=True)
        .order_by("received_on", "pk")
    )
    return Evidence(
        headers=(_("Case number"), _("Title"), _("Received on"), _("Answer by"), _("Answered on time")),
        rows=[
            EvidenceRow(
                (c.reference, c.title, _day(c.received_on), _day(c.answer_due_on), _("Yes") if c.on_time else _("No")),
                reverse("casework:detail", args=[c.uuid]),
            )
            for c in cases
        ],
        explanation=_(
            "Cases received in the period and answered: first answers given by the deadline in force, out of the "
            "first answers."
        ),
    )


def _current_ratings(period: Period) -> Q:
    return ~Q(case__state=CaseState.DRAFT) & in_period("case__received_on", period) & ~Q(result=Satisfaction.NO_OPINION)


def _rounds_current(ratings: QuerySet) -> QuerySet:
    return ratings.filter(round=F("case__rehandle_count"))


def satisfaction_evidence(user: Any, township: Any, period: Period) -> Evidence:
    ratings = (
        _rounds_current(scoped(CaseRating, user).filter(_current_ratings(period), case__township=township))
        .select_related("case")
        .order_by("case__received_on", "pk")
    )
    return Evidence(
        headers=(_("Case number"), _("Title"), _("Satisfaction with result")),
        rows=[
            EvidenceRow(
                (r.case.reference, r.case.title, r.get_result_display()), reverse("casework:detail", args=[r.case.uuid])
            )
            for r in ratings
        ],
        explanation=_(
            "Ratings of the latest answer to cases received in the period: (satisfied + basically satisfied) out of "
            "the ratings that give an opinion."
        ),
    )


def _overdue(period: Period) -> Q:
    """Taken up, its answer due before the period's end (or today, while it runs) and not answered
    by then: a case answered in January still counts against the year it was overdue in."""
    due = min(period.end, timezone.localdate())
    return (
        _received(period)
        & ~Q(state__in=(*NOT_ACCEPTED, CaseState.HANDLED_ON_SPOT))
        & Q(answer_due_on__lt=due)
        & (Q(answered_on__isnull=True) | Q(answered_on__gt=due))
    )


def overdue_evidence(user: Any, township: Any, period: Period) -> Evidence:
    cases = scoped(Case, user).filter(_overdue(period), township=township).order_by("answer_due_on", "pk")
    return Evidence(
        headers=(_("Case number"), _("Title"), _("Received on"), _("Answer by")),
        rows=[
            EvidenceRow(
                (c.reference, c.title, _day(c.received_on), _day(c.answer_due_on)),
                reverse("casework:detail", args=[c.uuid]),
            )
            for c in cases
        ],
        explanation=_("Cases received in the period and not answered by their deadline, as they stood at its end."),
    )


def _reception_held(period: Period) -> Q:
    return Q(state=ReceptionState.HELD) & in_period("date", period)


def casework_figures(townships: Sequence[Any], period: Period) -> dict[str, Figures]:
    """Answers on time, satisfaction, overdue cases and reception days: one query."""
    answered, on_time = _first_reply_on_time()
    received = Case.objects.unscoped().filter(_received(period))
    ratings = _rounds_current(CaseRating.objects.unscoped().filter(_current_ratings(period)))
    counts = _counted(
        townships,
        answered=(received.filter(answered), "township"),
        on_time=(received.filter(on_time), "township"),
        rated=(ratings, "case__township"),
        good=(ratings.filter(result__in=GOOD), "case__township"),
        overdue=(Case.objects.unscoped().filter(_overdue(period)), "township"),
        reception=(ReceptionDay.objects.unscoped().filter(_reception_held(period)), "station__township"),
    )
    return {
        ON_TIME: {pk: percent(c["on_time"], c["answered"]) for pk, c in counts.items()},
        SATISFACTION: {pk: percent(c["good"], c["rated"]) for pk, c in counts.items()},
        OVERDUE: {pk: Decimal(c["overdue"]) for pk, c in counts.items()},
        RECEPTION: {pk: Decimal(c["reception"]) for pk, c in counts.items()},
    }


def reception_evidence(user: Any, township: Any, period: Period) -> Evidence:
    days = (
        scoped(ReceptionDay, user)
        .filter(_reception_held(period), station__township=township)
        .select_related("station")
        .order_by("date", "pk")
    )
    return Evidence(
        headers=(_("Station"), _("Date"), _("Number of visitors")),
        rows=[
            EvidenceRow(
                (d.station.name, _day(d.date), d.visitors if d.visitors is not None else "—"),
                reverse("casework:reception_day", args=[d.uuid]),
            )
            for d in days
        ],
        explanation=_("Reception days held at the township's stations in the period."),
    )


# --- activities -----------------------------------------------------------------------------------


def _present(period: Period) -> Q:
    # The township deputies' attendances: the same people as the denominator (a county deputy's
    # attendance under the county mandate is not the township's).
    held = Q(status=ParticipantStatus.PRESENT, activity__state=ActivityState.HELD)
    return held & Q(mandate__level=MandateLevel.TOWNSHIP) & in_period("activity__starts_at__date", period)


def per_deputy_evidence(user: Any, township: Any, period: Period) -> Evidence:
    activities = (
        scoped(Activity, user)
        .filter(state=ActivityState.HELD)
        .filter(in_period("starts_at__date", period))
        .annotate(
            present=Count(
                "participants",
                filter=Q(
                    participants__status=ParticipantStatus.PRESENT,
                    participants__mandate__person__township=township,
                ),
            )
        )
        .filter(present__gt=0)
        .order_by("starts_at", "pk")
    )
    serving = _serving_deputies([township.pk], period.end).count()
    return Evidence(
        headers=(_("Activity"), _("Held on"), _("Kind"), _("Deputies present")),
        rows=[
            EvidenceRow(
                (a.title, _day(a.starts_at), a.get_category_display(), a.present),
                reverse("activities:detail", args=[a.uuid]),
            )
            for a in activities
        ],
        explanation=_(
            "Attendances of the township's deputies at activities held in the period, divided by the %(n)s "
            "deputies serving at its end."
        )
        % {"n": serving},
    )


def _reports_held(period: Period) -> Q:
    return Q(state=VoterReportState.HELD) & in_period("held_on", period)


def voter_report_evidence(user: Any, township: Any, period: Period) -> Evidence:
    reports = (
        scoped(VoterReport, user)
        .filter(_reports_held(period), township=township)
        .select_related("mandate__person")
        .order_by("held_on", "pk")
    )
    serving = _serving_deputies([township.pk], period.end).count()
    return Evidence(
        headers=(_("Deputy"), _("Held on"), _("Voters present")),
        rows=[
            EvidenceRow(
                (r.mandate.person.full_name, _day(r.held_on), r.voters_present or "—"),
                reverse("activities:voter_report_detail", args=[r.uuid]),
            )
            for r in reports
        ],
        explanation=_(
            "Deputies serving at the end of the period who reported to their voters in it, out of the %(n)s serving."
        )
        % {"n": serving},
    )


def _group_activities(period: Period) -> Q:
    return Q(category=ActivityCategory.GROUP, state=ActivityState.HELD, group__isnull=False) & in_period(
        "starts_at__date", period
    )


def group_values(townships: Sequence[Any], period: Period) -> dict[int, Decimal | None]:
    """One query: each active group with the group activities it held in each quarter begun."""
    today = timezone.localdate()
    begun = [(start, end) for start, end in period.quarters() if start <= today]
    held = Q(activities__category=ActivityCategory.GROUP, activities__state=ActivityState.HELD)
    quarters = {
        f"q{n}": Count("activities", filter=held & in_period("activities__starts_at__date", Period(start, end)))
        for n, (start, end) in enumerate(begun)
    }
    rows = (
        DeputyGroup.objects.unscoped()
        .filter(township__in=_ids(townships), is_active=True)
        .annotate(**quarters)
        .values_list("township", *quarters)
    )
    needed = settings.RENDA_GROUP_ACTIVITIES_PER_QUARTER
    whole: dict[int, int] = defaultdict(int)
    part: dict[int, int] = defaultdict(int)
    for township, *held_in in rows:
        whole[township] += len(held_in)
        part[township] += sum(n >= needed for n in held_in)
    return {t.pk: percent(part[t.pk], whole[t.pk]) for t in townships}


def group_evidence(user: Any, township: Any, period: Period) -> Evidence:
    activities = (
        scoped(Activity, user)
        .filter(_group_activities(period), group__township=township)
        .select_related("group")
        .order_by("group__name", "starts_at")
    )
    return Evidence(
        headers=(_("Deputy group"), _("Activity"), _("Held on")),
        rows=[
            EvidenceRow((a.group.name, a.title, _day(a.starts_at)), reverse("activities:detail", args=[a.uuid]))
            for a in activities
        ],
        explanation=_(
            "Active deputy groups × quarters begun in the period: the share in which the group held at least "
            "%(n)s group activity."
        )
        % {"n": settings.RENDA_GROUP_ACTIVITIES_PER_QUARTER},
    )


def _plan_items(period: Period) -> Q:
    return Q(plan__state=PlanState.APPROVED, plan__year=period.start.year)


def _held_by(period: Period) -> Q:
    return Q(activities__state=ActivityState.HELD, activities__starts_at__date__lte=period.end)


def plan_values(townships: Sequence[Any], period: Period) -> dict[int, Decimal | None]:
    items = (
        PlanItem.objects.unscoped()
        .filter(_plan_items(period), plan__township__in=_ids(townships))
        .annotate(held=Count("activities", filter=_held_by(period)))
        .values_list("plan__township", "target_count", "held")
    )
    planned: dict[int, int] = defaultdict(int)
    done: dict[int, int] = defaultdict(int)
    for township, target, held in items:
        planned[township] += target
        done[township] += min(target, held)
    return {t.pk: percent(done[t.pk], planned[t.pk]) for t in townships}


def plan_evidence(user: Any, township: Any, period: Period) -> Evidence:
    items = (
        scoped(PlanItem, user)
        .filter(_plan_items(period), plan__township=township)
        .annotate(held=Count("activities", filter=_held_by(period)))
        .select_related("plan")
        .order_by("plan__kind", "order", "pk")
    )
    return Evidence(
        headers=(_("Plan"), _("Planned work"), _("Times planned"), _("Held")),
        rows=[
            EvidenceRow(
                (i.plan.title, i.title, i.target_count, i.held), reverse("activities:plan_detail", args=[i.plan.uuid])
            )
            for i in items
        ],
        explanation=_(
            "Items of the township's approved plans for the year: times held (up to the times planned) out of the "
            "times planned."
        ),
    )


def _evaluated(period: Period) -> Q:
    return Q(state__in=EVALUATED, year=period.start.year)


def evaluation_evidence(user: Any, township: Any, period: Period) -> Evidence:
    evaluations = scoped(Evaluation, user).filter(_evaluated(period), township=township).order_by("pk")
    return Evidence(
        headers=(_("Evaluation"), _("State")),
        rows=[
            EvidenceRow((e.title, e.get_state_display()), reverse("activities:evaluation", args=[e.uuid]))
            for e in evaluations
        ],
        explanation=_("Evaluations of the year whose ballot has been counted."),
    )


# --- roster ---------------------------------------------------------------------------------------


# A deputy's roster entry is kept when their deputy group and station are recorded.
KEPT = Q(group__isnull=False, station__isnull=False)


def deputy_figures(townships: Sequence[Any], period: Period) -> dict[str, Figures]:
    """What the township deputies serving at the period's end did and how their roster is kept:
    attendances per deputy, reports to voters, evaluations counted and the roster's completeness —
    one query."""
    serving = _serving_deputies(None, period.end)
    reported = Exists(VoterReport.objects.unscoped().filter(_reports_held(period), mandate=OuterRef("pk")))
    counts = _counted(
        townships,
        serving=(serving, "person__township"),
        present=(Participant.objects.unscoped().filter(_present(period)), "mandate__person__township"),
        reported=(serving.filter(reported), "person__township"),
        kept=(serving.filter(KEPT), "person__township"),
        evaluations=(Evaluation.objects.unscoped().filter(_evaluated(period)), "township"),
    )
    return {
        PER_DEPUTY: {pk: ratio(c["present"], c["serving"]) for pk, c in counts.items()},
        VOTER_REPORTS: {pk: percent(c["reported"], c["serving"]) for pk, c in counts.items()},
        EVALUATIONS: {pk: Decimal(c["evaluations"]) for pk, c in counts.items()},
        ROSTER: {pk: percent(c["kept"], c["serving"]) for pk, c in counts.items()},
    }


def roster_evidence(user: Any, township: Any, period: Period) -> Evidence:
    mandates = (
        scoped(Mandate, user)
        .filter(serving_on(period.end), level=MandateLevel.TOWNSHIP, person__township=township)
        .select_related("person", "group", "station")
        .order_by("person__name_stroke_key", "pk")
    )
    return Evidence(
        headers=(_("Deputy"), _("Deputy group"), _("Station")),
        rows=[
            EvidenceRow(
                (m.person.full_name, m.group.name if m.group else "—", m.station.name if m.station else "—"),
                reverse("deputies:person_detail", args=[m.person.uuid]),
            )
            for m in mandates
        ],
        explanation=_("Deputies serving at the end of the period with their deputy group and station recorded."),
    )


def register_platform_measures() -> None:
    register(
        Measure(
            SESSIONS,
            gettext_lazy("Congress sessions held"),
            TIMES,
            gettext_lazy("Sessions of the township congress opened in the period."),
            sourced(meeting_figures, SESSIONS),
            sessions_evidence,
            order=10,
            full_at=Decimal(2),
            zero_at=Decimal(0),
            source=meeting_figures,
        ),
        Measure(
            PRESIDIUM,
            gettext_lazy("Presidium meetings per quarter"),
            TIMES,
            gettext_lazy("Presidium meetings held, per quarter of the period."),
            sourced(meeting_figures, PRESIDIUM),
            presidium_evidence,
            order=20,
            full_at=Decimal(1),
            zero_at=Decimal(0),
            source=meeting_figures,
        ),
        Measure(
            ON_TIME,
            gettext_lazy("Cases answered on time"),
            PERCENT,
            gettext_lazy("First answers given by the deadline, out of the cases answered."),
            sourced(casework_figures, ON_TIME),
            on_time_evidence,
            order=30,
            full_at=Decimal(95),
            zero_at=Decimal(60),
            source=casework_figures,
        ),
        Measure(
            SATISFACTION,
            gettext_lazy("Satisfaction with the results"),
            PERCENT,
            gettext_lazy("Satisfied and basically satisfied, out of the ratings with an opinion."),
            sourced(casework_figures, SATISFACTION),
            satisfaction_evidence,
            order=40,
            full_at=Decimal(90),
            zero_at=Decimal(60),
            source=casework_figures,
        ),
        Measure(
            OVERDUE,
            gettext_lazy("Cases unanswered past their deadline"),
            gettext_lazy("cases"),
            gettext_lazy("Cases still unanswered after their deadline; fewer is better."),
            sourced(casework_figures, OVERDUE),
            overdue_evidence,
            order=50,
            full_at=Decimal(0),
            zero_at=Decimal(10),
            source=casework_figures,
        ),
        Measure(
            RECEPTION,
            gettext_lazy("Reception days held"),
            TIMES,
            gettext_lazy("Reception days held at the township's stations."),
            sourced(casework_figures, RECEPTION),
            reception_evidence,
            order=60,
            full_at=Decimal(12),
            zero_at=Decimal(0),
            source=casework_figures,
        ),
        Measure(
            PER_DEPUTY,
            gettext_lazy("Activities attended per deputy"),
            gettext_lazy("per deputy"),
            gettext_lazy("Attendances at held activities, per deputy serving."),
            sourced(deputy_figures, PER_DEPUTY),
            per_deputy_evidence,
            order=70,
            full_at=Decimal(4),
            zero_at=Decimal(0),
            source=deputy_figures,
        ),
        Measure(
            VOTER_REPORTS,
            gettext_lazy("Deputies who reported to their voters"),
            PERCENT,
            gettext_lazy("Serving deputies with a report to voters held in the period."),
            sourced(deputy_figures, VOTER_REPORTS),
            voter_report_evidence,
            order=80,
            full_at=Decimal(33),
            zero_at=Decimal(0),
            source=deputy_figures,
        ),
        Measure(
            "activities.groups",
            gettext_lazy("Deputy groups meeting every quarter"),
            PERCENT,
            gettext_lazy("Group-quarters with the required group activities held."),
            group_values,
            group_evidence,
            order=90,
            full_at=Decimal(100),
            zero_at=Decimal(50),
        ),
        Measure(
            "activities.plans",
            gettext_lazy("Annual plans carried out"),
            PERCENT,
            gettext_lazy("Times held out of the times planned in the approved plans."),
            plan_values,
            plan_evidence,
            order=100,
            full_at=Decimal(100),
            zero_at=Decimal(0),
        ),
        Measure(
            EVALUATIONS,
            gettext_lazy("Evaluations carried out"),
            TIMES,
            gettext_lazy("Evaluations of the year whose ballot has been counted."),
            sourced(deputy_figures, EVALUATIONS),
            evaluation_evidence,
            order=110,
            full_at=Decimal(1),
            zero_at=Decimal(0),
            source=deputy_figures,
        ),
        Measure(
            ROSTER,
            gettext_lazy("Roster kept complete"),
            PERCENT,
            gettext_lazy("Serving deputies with their deputy group and station recorded."),
            sourced(deputy_figures, ROSTER),
            roster_evidence,
            order=120,
            full_at=Decimal(100),
            zero_at=Decimal(80),
            source=deputy_figures,
        ),
    )
