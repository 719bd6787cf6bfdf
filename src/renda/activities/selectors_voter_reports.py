"""Reads of reports to voters: the list, the deputies one may schedule, and 述职率 per township and
term (deputies serving in the term with a held report within it, over the deputies serving)."""

from __future__ import annotations

from dataclasses import dataclass, field
from fractions import Fraction
from typing import Any

from django.db.models import Q, QuerySet
from django.utils import timezone

from renda.accounts.scoping import VIEW, get_scoped_or_404, scoped
from renda.deputies.models import Mandate, MandateLevel
from renda.deputies.selectors import serving_on
from renda.organisations.models import Term, Township

from . import rules
from .models import VoterReport, VoterReportState


def reports(user: Any, state: str = "", township: Any = None) -> QuerySet[VoterReport]:
    rows = scoped(VoterReport, user, VIEW).select_related("township", "mandate__person")
    if state:
        rows = rows.filter(state=state)
    if township is not None:
        rows = rows.filter(township=township)
    return rows.order_by("-scheduled_on", "-id")


def report_for_page(user: Any, uuid: Any) -> VoterReport:
    return get_scoped_or_404(
        VoterReport.objects.unscoped().select_related("township", "mandate__person", "mandate__term"),
        user,
        VIEW,
        uuid=uuid,
    )


def schedulable_mandates(user: Any) -> QuerySet[Mandate]:
    """The deputies of the township congresses the user runs, serving today."""
    townships = scoped(Township, user, VIEW)
    return (
        scoped(Mandate, user, VIEW)
        .filter(serving_on(timezone.localdate()), level=MandateLevel.TOWNSHIP, term__township__in=townships)
        .select_related("person", "term__township")
        .order_by("term__township__name", "person__name_stroke_key", "id")
    )


def satisfaction(report: VoterReport) -> Fraction | None:
    """满意率 of a held report: (satisfied + basically) over the ballots counted."""
    if report.state != VoterReportState.HELD:
        return None
    return rules.UnitResult(
        satisfied=report.satisfied or 0,
        basically=report.basically_satisfied or 0,
        dissatisfied=report.dissatisfied or 0,
    ).satisfaction


def term_of(township: Township, day: Any = None) -> Term | None:
    """The township congress's term in office on ``day`` (today), else its latest."""
    day = day or timezone.localdate()
    terms = Term.objects.unscoped().filter(township=township)
    return terms.filter(starts_on__lte=day, ends_on__gte=day).first() or terms.order_by("-starts_on").first()


def _serving_in(term: Term) -> Q:
    return (
        Q(term=term)
        & (Q(starts_on__isnull=True) | Q(starts_on__lte=term.ends_on))
        & (Q(ends_on__isnull=True) | Q(ends_on__gt=term.starts_on))
    )


@dataclass
class TermRate:
    township: Township
    term: Term | None
    serving: int = 0
    reported: int = 0
    rows: list[tuple[Mandate, VoterReport | None]] = field(default_factory=list)

    @property
    def rate(self) -> Fraction | None:
        return rules.report_rate(self.reported, self.serving)

    @property
    def percent(self) -> str:
        return rules.percent(self.rate)


def _held_in(term: Term) -> QuerySet[VoterReport]:
    return VoterReport.objects.unscoped().filter(
        state=VoterReportState.HELD, held_on__gte=term.starts_on, held_on__lte=term.ends_on
    )


def term_rate(township: Township, term: Term | None) -> TermRate:
    """A township's 述职率 for the term, with each serving deputy and their latest held report."""
    result = TermRate(township=township, term=term)
    if term is None:
        return result
    mandates = list(
        Mandate.objects.unscoped()
        .filter(_serving_in(term))
        .select_related("person")
        .order_by("person__name_stroke_key", "id")
    )
    latest: dict[int, VoterReport] = {}
    for report in _held_in(term).filter(mandate__in=mandates).order_by("held_on", "id"):
        latest[report.mandate_id] = report
    result.rows = [(m, latest.get(m.pk)) for m in mandates]
    result.serving, result.reported = len(mandates), len(latest)
    return result


def county_rates(user: Any) -> list[TermRate]:
    """述职率 of every township the user may see, for each township's current term (three queries)."""
    townships = list(scoped(Township, user, VIEW).order_by("division_code", "name"))
    today = timezone.localdate()
    terms = Term.objects.unscoped().filter(township__in=townships).order_by("starts_on")
    current: dict[int, Term] = {}
    for term in terms:  # the latest started; the one in office today wins
        if term.township_id not in current or term.starts_on <= today:
            current[term.township_id] = term
    rates = {pk: TermRate(township=t, term=current.get(t.pk)) for t in townships for pk in [t.pk]}
    chosen = list(current.values())
    if chosen:
        serving_q, held_q = Q(pk__in=[]), Q(pk__in=[])
        for term in chosen:
            serving_q |= _serving_in(term)
            held_q |= Q(mandate__term=term, held_on__gte=term.starts_on, held_on__lte=term.ends_on)
        for township_pk in Mandate.objects.unscoped().filter(serving_q).values_list("term__township", flat=True):
            rates[township_pk].serving += 1
        held = (
            VoterReport.objects.unscoped()
            .filter(held_q, state=VoterReportState.HELD, mandate__in=Mandate.objects.unscoped().filter(serving_q))
            .values_list("mandate__term__township", "mandate")
            .distinct()
        )
        for township_pk, _mandate in set(held):
            rates[township_pk].reported += 1
    return [rates[t.pk] for t in townships]
