"""办理情况统计: the figures officials report on suggestions and opinions, per township, per lead
agency and per category, for the cases received in a period (a year, or a date range).

Each dimension takes three aggregate queries however many cases there are (cases, ratings,
replies), all grouped in the database, over rows the user may read (``scoped``): township staff and
township leaders get their township's row, county administrators and county leaders every
township of the county. Definitions (shown as footnotes on the page and in the export):

- received: cases entered and submitted (drafts are not received) with a receipt date in the period;
- accepted (立案): taken up for handling — not merged into another case, not refused, not waiting
  for review; a case handled on the spot counts;
- answered, answered on time: a first answer (round 0) given, and given by its deadline
  (``CaseReply.due_on``, kept when the answer was given; no deadline counts as on time);
- closed (办结率 = closed / accepted): closed, or handled on the spot;
- re-handled: sent back at least once after "not satisfied";
- satisfaction (满意率, handling and result apart): (满意 + 基本满意) / ratings with an opinion, over
  each rater's rating of the latest answer; 未表态 (no rating within the window) is left out of the
  rate and counted apart;
- face-to-face (面复率): first answers whose consultation was a meeting or a visit / answered;
- reply class shares: the latest answer of each case, by class (``RENDA_CASE_REPLY_CLASSES``).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from django.conf import settings
from django.db.models import Count, Exists, F, OuterRef, Q, QuerySet, Subquery
from django.db.models.functions import Coalesce, TruncDate
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from renda.accounts.scoping import scoped
from renda.core.periods import Period

from .models import FACE_TO_FACE, Case, CaseAssignment, CaseRating, CaseReply, CaseState, Satisfaction

S = CaseState
NOT_ACCEPTED = (S.DRAFT, S.SUBMITTED, S.REJECTED, S.MERGED)
CLOSED_STATES = (S.CLOSED, S.HANDLED_ON_SPOT)
GOOD = (Satisfaction.SATISFIED, Satisfaction.BASIC)

DIMENSIONS = {
    "township": gettext_lazy("By township"),
    "agency": gettext_lazy("By lead agency"),
    "category": gettext_lazy("By category"),
}

FOOTNOTES = (
    gettext_lazy("Received: cases submitted in the period, by the date received; drafts are not counted."),
    gettext_lazy(
        "Accepted: cases taken up for handling (including those handled on the spot); cases merged into "
        "another, refused or still awaiting review are not counted."
    ),
    gettext_lazy(
        "Answered on time: first answers given by the deadline in force when they were given "
        "(an approved extension counts)."
    ),
    gettext_lazy("Closure rate: closed or handled on the spot, out of the accepted cases."),
    gettext_lazy(
        "Satisfaction rate: (satisfied + basically satisfied) out of the ratings that give an opinion, for the "
        "handling and for the result apart, over each rater's rating of the latest answer. “No opinion given” "
        "(no rating within the window) is left out of the rate and shown in its own column."
    ),
    gettext_lazy(
        "Face-to-face rate: first answers discussed with the deputy in a meeting or a visit, out of the answered."
    ),
    gettext_lazy("Reply classes: the latest answer of each case."),
)


def _rate(part: int, whole: int) -> float | None:
    return round(100 * part / whole, 1) if whole else None


@dataclass
class FigureRow:
    name: str
    received: int = 0
    accepted: int = 0
    answered: int = 0
    on_time: int = 0
    closed: int = 0
    rehandled: int = 0
    face_to_face: int = 0
    ratings: int = 0
    handling_rated: int = 0
    handling_good: int = 0
    result_rated: int = 0
    result_good: int = 0
    no_opinion: int = 0
    replies: int = 0
    classes: dict[str, int] = field(default_factory=dict)

    @property
    def on_time_rate(self) -> float | None:
        return _rate(self.on_time, self.answered)

    @property
    def closed_rate(self) -> float | None:
        return _rate(self.closed, self.accepted)

    @property
    def handling_rate(self) -> float | None:
        return _rate(self.handling_good, self.handling_rated)

    @property
    def result_rate(self) -> float | None:
        return _rate(self.result_good, self.result_rated)

    @property
    def face_to_face_rate(self) -> float | None:
        return _rate(self.face_to_face, self.answered)

    @property
    def cells(self) -> list[object]:
        """The row's figures in the order of ``headers()`` before the reply classes: the page and
        the export print these."""
        return [
            self.received,
            self.accepted,
            self.answered,
            self.on_time,
            _percent(self.on_time_rate),
            self.closed,
            _percent(self.closed_rate),
            self.rehandled,
            _percent(self.handling_rate),
            _percent(self.result_rate),
            self.no_opinion,
            _percent(self.face_to_face_rate),
        ]

    @property
    def class_shares(self) -> list[tuple[str, int, float | None]]:
        return [(code, self.classes.get(code, 0), _rate(self.classes.get(code, 0), self.replies)) for code in codes()]

    def add(self, other: FigureRow) -> None:
        for name in (
            "received",
            "accepted",
            "answered",
            "on_time",
            "closed",
            "rehandled",
            "face_to_face",
            "ratings",
            "handling_rated",
            "handling_good",
            "result_rated",
            "result_good",
            "no_opinion",
            "replies",
        ):
            setattr(self, name, getattr(self, name) + getattr(other, name))
        for code, count in other.classes.items():
            self.classes[code] = self.classes.get(code, 0) + count


@dataclass
class Table:
    dimension: str
    label: str
    rows: list[FigureRow]
    total: FigureRow


@dataclass
class Figures:
    period: Period
    tables: list[Table]


def codes() -> list[str]:
    return list(settings.RENDA_CASE_REPLY_CLASSES)


def _latest_lead_agency(field: str) -> Subquery:
    return Subquery(
        CaseAssignment.objects.filter(case=OuterRef("pk"), is_lead=True)
        .order_by("-assigned_at", "-id")
        .values(field)[:1]
    )


def _answering_agency(field: str) -> Subquery:
    # The agency that answered the case the rating is about (the main case of a merged one).
    return Subquery(CaseReply.objects.filter(case_id=OuterRef("main_id")).order_by("-round").values(field)[:1])


# Each table groups by the row's id (two agencies may share a name) and reads its name alongside.
def _case_key(dimension: str) -> dict[str, Any]:
    if dimension == "township":
        return {"key": F("township_id"), "key_name": F("township__name")}
    if dimension == "category":
        return {"key": F("category_id"), "key_name": F("category__name")}
    return {"key": _latest_lead_agency("agency_id"), "key_name": _latest_lead_agency("agency__name")}


def _rating_key(dimension: str) -> dict[str, Any]:
    if dimension == "township":
        return {"key": F("case__township_id"), "key_name": F("case__township__name")}
    if dimension == "category":
        return {"key": F("case__category_id"), "key_name": F("case__category__name")}
    return {"key": _answering_agency("agency_id"), "key_name": _answering_agency("agency__name")}


def _reply_key(dimension: str) -> dict[str, Any]:
    if dimension == "township":
        return {"key": F("case__township_id"), "key_name": F("case__township__name")}
    if dimension == "category":
        return {"key": F("case__category_id"), "key_name": F("case__category__name")}
    return {"key": F("agency_id"), "key_name": F("agency__name")}


def received_cases(user: Any, period: Period) -> QuerySet:
    return scoped(Case, user).exclude(state=S.DRAFT).filter(received_on__gte=period.start, received_on__lte=period.end)


def _case_counts(cases: QuerySet, dimension: str) -> list[dict[str, Any]]:
    first = CaseReply.objects.filter(case=OuterRef("pk"), round=0)
    on_time = first.annotate(day=TruncDate("answered_at")).filter(Q(due_on__isnull=True) | Q(day__lte=F("due_on")))
    face = first.filter(consultation__in=FACE_TO_FACE)
    return list(
        cases.annotate(**_case_key(dimension))
        .values("key", "key_name")
        .annotate(
            received=Count("pk"),
            accepted=Count("pk", filter=~Q(state__in=NOT_ACCEPTED)),
            answered=Count("pk", filter=Q(Exists(first))),
            on_time=Count("pk", filter=Q(Exists(on_time))),
            closed=Count("pk", filter=Q(state__in=CLOSED_STATES)),
            rehandled=Count("pk", filter=Q(rehandle_count__gt=0)),
            face_to_face=Count("pk", filter=Q(Exists(face))),
        )
        .order_by("key")
    )


def _rating_counts(user: Any, period: Period, dimension: str) -> list[dict[str, Any]]:
    ratings = (
        scoped(CaseRating, user)
        .exclude(case__state=S.DRAFT)
        .filter(case__received_on__gte=period.start, case__received_on__lte=period.end)
        .annotate(
            current=Coalesce(F("case__merged_into__rehandle_count"), F("case__rehandle_count")),
            main_id=Coalesce(F("case__merged_into_id"), F("case_id")),
        )
        .filter(round=F("current"))
    )
    no_opinion = Satisfaction.NO_OPINION
    return list(
        ratings.annotate(**_rating_key(dimension))
        .values("key", "key_name")
        .annotate(
            ratings=Count("pk"),
            handling_rated=Count("pk", filter=~Q(handling=no_opinion)),
            handling_good=Count("pk", filter=Q(handling__in=GOOD)),
            result_rated=Count("pk", filter=~Q(result=no_opinion)),
            result_good=Count("pk", filter=Q(result__in=GOOD)),
            no_opinion=Count("pk", filter=Q(handling=no_opinion, result=no_opinion)),
        )
        .order_by("key")
    )


def _reply_counts(user: Any, period: Period, dimension: str) -> list[dict[str, Any]]:
    later = CaseReply.objects.filter(case=OuterRef("case"), round__gt=OuterRef("round"))
    replies = (
        scoped(CaseReply, user)
        .exclude(case__state=S.DRAFT)
        .filter(case__received_on__gte=period.start, case__received_on__lte=period.end)
        .filter(~Exists(later))
    )
    per_class = {f"class_{index}": Count("pk", filter=Q(reply_class=code)) for index, code in enumerate(codes())}
    return list(
        replies.annotate(**_reply_key(dimension))
        .values("key", "key_name")
        .annotate(replies=Count("pk"), **per_class)
        .order_by("key")
    )


def _unnamed(dimension: str) -> str:
    return {"township": "—", "agency": _("Not assigned"), "category": _("No category")}[dimension]


def dimension_table(user: Any, period: Period, dimension: str) -> Table:
    rows: dict[Any, FigureRow] = {}

    def row_for(counts: dict[str, Any]) -> FigureRow:
        key, name = counts.pop("key"), counts.pop("key_name")
        return rows.setdefault(key, FigureRow(name=name or _unnamed(dimension)))

    for counts in _case_counts(received_cases(user, period), dimension):
        target = row_for(counts)
        for name, value in counts.items():
            setattr(target, name, value)
    for counts in _rating_counts(user, period, dimension):
        target = row_for(counts)
        for name, value in counts.items():
            setattr(target, name, value)
    for counts in _reply_counts(user, period, dimension):
        target = row_for(counts)
        target.replies = counts.pop("replies")
        target.classes = {code: counts[f"class_{index}"] for index, code in enumerate(codes())}
    ordered = sorted(rows.values(), key=lambda row: (-row.received, row.name))
    total = FigureRow(name=_("All"))
    for row in ordered:
        total.add(row)
    return Table(dimension=dimension, label=str(DIMENSIONS[dimension]), rows=ordered, total=total)


def figures(user: Any, period: Period, dimensions: tuple[str, ...] = tuple(DIMENSIONS)) -> Figures:
    """The tables the user may read: three aggregate queries per dimension."""
    return Figures(period=period, tables=[dimension_table(user, period, dimension) for dimension in dimensions])


def _percent(value: float | None) -> str:
    return "—" if value is None else f"{value}%"


def headers() -> list[str]:
    return [
        str(_("Received")),
        str(_("Accepted")),
        str(_("Answered")),
        str(_("Answered on time")),
        str(_("On-time rate")),
        str(_("Closed")),
        str(_("Closure rate")),
        str(_("Re-handled")),
        str(_("Satisfaction with handling")),
        str(_("Satisfaction with result")),
        str(_("No opinion given")),
        str(_("Face-to-face rate")),
        *[str(label) for label in settings.RENDA_CASE_REPLY_CLASSES.values()],
    ]


def row_values(row: FigureRow) -> list[object]:
    return [*row.cells, *[f"{count}（{_percent(share)}）" for _code, count, share in row.class_shares]]


def figures_workbook(result: Figures, *, caption: str, footer_note: str) -> bytes:
    from renda.documents import excel

    notes = "；".join(str(note) for note in FOOTNOTES)
    sheets = [
        excel.Sheet(
            title=table.label,
            headers=[table.label, *headers()],
            rows=[[row.name, *row_values(row)] for row in [*table.rows, table.total]],
            caption=caption,
            footer_note=f"{notes}\n{footer_note}",
        )
        for table in result.tables
    ]
    return excel.workbook(sheets=sheets)


def chart_data(table: Table) -> dict[str, Any]:
    return {
        "labels": [row.name for row in table.rows],
        "series": [
            {"name": str(_("Closure rate")), "data": [row.closed_rate or 0 for row in table.rows]},
            {"name": str(_("On-time rate")), "data": [row.on_time_rate or 0 for row in table.rows]},
            {"name": str(_("Satisfaction with result")), "data": [row.result_rate or 0 for row in table.rows]},
        ],
    }
