"""Casework's records in deputies' archives and points (domain.md §8): suggestions filed and
co-signed, answered, and the ratings the deputy returned; the archive section 建议办理 lists the
deputy's suggestions (one line each) with their state, agency, reply class and the deputy's rating.

Only the deputies' own cases count (suggestions and findings they signed); citizens' opinions
never do, and no line carries a citizen's name or phone.

Points refresh: a case's rows (signers, replies, ratings) are written by the services, which
record every step on the timeline. A step that changes what a deputy earned (filing, merging, an
answer, a rating) enqueues the deputies' ``points_refresh`` for the case's signers, the same task
a saved record of any other kind enqueues (``contributions``), once the step is committed.

Each ``records`` function reads the rows of the ``mandates`` its caller chose (one for an
archive, a county for points), hence ``unscoped()``: the mandates are the scope."""

from __future__ import annotations

from collections.abc import Callable, Iterable, Iterator
from contextlib import contextmanager
from contextvars import ContextVar
from decimal import Decimal
from typing import Any

from django.conf import settings
from django.db import transaction
from django.db.models import OuterRef, Subquery
from django.db.models.functions import Coalesce
from django.db.models.signals import post_save
from django.urls import NoReverseMatch, reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from renda.deputies.contributions import (
    ArchiveSection,
    Contribution,
    RecordKind,
    register,
    register_section,
    shared_rows,
)

from .models import (
    DEPUTY_SOURCES,
    Case,
    CaseAssignment,
    CaseEvent,
    CaseRating,
    CaseReply,
    CaseSigner,
    CaseSource,
    CaseState,
    Satisfaction,
)

SECTION = "casework.suggestions"
FILED = "casework.suggestion_filed"
COSIGNED = "casework.suggestion_cosigned"
ANSWERED = "casework.suggestion_answered"
RATING_RETURNED = "casework.rating_returned"

# The deputy's own work: suggestions (in and between sessions) and findings of activities they signed.
COUNTED_SOURCES = frozenset({*DEPUTY_SOURCES, CaseSource.ACTIVITY_FINDING})
# Steps after which what a signer earned may differ.
POINT_STEPS = frozenset({"submit", "merge", "answer", "rate", "rating_complete", "rating_lapsed"})


def _case_url(case: Case) -> str:
    try:
        return reverse("casework:detail", args=[case.uuid])
    except NoReverseMatch:  # the case pages are another area's; the archive works without them
        return ""


def _signatures(mandates):
    return (
        CaseSigner.objects.unscoped()
        .filter(mandate__in=mandates, case__source__in=COUNTED_SOURCES)
        .exclude(case__state=CaseState.DRAFT)
        .select_related("case", "case__merged_into")
        .order_by("case__received_on", "case_id", "mandate_id")
    )


def _outcome(signature: CaseSigner) -> str:
    """State, lead agency, reply class and the deputy's latest rating, e.g.
    "已评价 · 县交通运输局 · A类答复 · 满意/满意" (annotated by ``_with_outcome``)."""
    case = signature.case
    parts = [str(case.get_state_display())]
    if case.merged_into_id and case.merged_into is not None:
        parts.append(_("merged into %(reference)s") % {"reference": case.merged_into.reference})
    values: Any = signature
    if values.lead_agency:
        parts.append(values.lead_agency)
    if values.reply_class:
        parts.append(str(settings.RENDA_CASE_REPLY_CLASSES.get(values.reply_class, values.reply_class)))
    if values.rated_handling and values.rated_result:
        parts.append(f"{Satisfaction(values.rated_handling).label}/{Satisfaction(values.rated_result).label}")
    return " · ".join(parts)


def _with_outcome(signatures):
    """Each signature with its case's lead agency, last reply class and the signer's last
    rating, in the one query (the case answered is the one merged into, if any)."""
    answered = Coalesce(OuterRef("case__merged_into_id"), OuterRef("case_id"))
    lead = CaseAssignment.objects.unscoped().filter(case_id=answered, is_lead=True, handed_back_at__isnull=True)
    reply = CaseReply.objects.unscoped().filter(case_id=answered).order_by("-round", "-answered_at")
    rating = CaseRating.objects.unscoped().filter(case_id=OuterRef("case_id"), mandate_id=OuterRef("mandate_id"))
    rating = rating.order_by("-round", "-rated_at", "-id")
    return signatures.annotate(
        lead_agency=Subquery(lead.values("agency__name")[:1]),
        reply_class=Subquery(reply.values("reply_class")[:1]),
        rated_handling=Subquery(rating.values("handling")[:1]),
        rated_result=Subquery(rating.values("result")[:1]),
    )


def _signatures_with_outcome(mandates) -> list[CaseSigner]:
    """Every signature of these mandates with its outcome, from one query per archive (the lead
    and co-signer kinds share it)."""
    return shared_rows(mandates, "casework.signatures", lambda rows: _with_outcome(_signatures(rows)))


def _signed(lead: bool):
    def records(mandates) -> Iterator[Contribution]:
        for signature in _signatures_with_outcome(mandates):
            if signature.is_lead != lead:
                continue
            case = signature.case
            yield Contribution(
                mandate_id=signature.mandate_id,
                date=case.received_on or timezone.localtime(case.created_at).date(),
                source=case,
                title=case.title,
                outcome=_outcome(signature),
                url=_case_url(case),
            )

    return records


def _answered(mandates) -> Iterator[Contribution]:
    """Each answer (and each new answer after re-handling) to a case the deputy signed, or to
    the case theirs was merged into."""
    signatures = _signatures_with_outcome(mandates)
    main_ids = {signature.case.merged_into_id or signature.case_id for signature in signatures}
    replies: dict[int, list[CaseReply]] = {}
    for reply in CaseReply.objects.unscoped().filter(case_id__in=main_ids).order_by("round", "answered_at"):
        replies.setdefault(reply.case_id, []).append(reply)
    for signature in signatures:
        case = signature.case
        for reply in replies.get(case.merged_into_id or case.pk, []):
            yield Contribution(
                mandate_id=signature.mandate_id,
                date=timezone.localtime(reply.answered_at).date(),
                source=case,
                title=_("Answer to “%(title)s”") % {"title": case.title},
                outcome=str(reply.reply_class_label),
                url=_case_url(case),
            )


def _ratings_returned(mandates) -> Iterator[Contribution]:
    """The ratings the deputy gave (not the 未表态 recorded when the window passed)."""
    ratings = (
        CaseRating.objects.unscoped()
        .filter(mandate__in=mandates, case__source__in=COUNTED_SOURCES)
        .exclude(result=Satisfaction.NO_OPINION)
        .select_related("case")
        .order_by("rated_at", "id")
    )
    for rating in ratings:
        assert rating.mandate_id is not None  # filtered on the mandate
        yield Contribution(
            mandate_id=rating.mandate_id,
            date=timezone.localtime(rating.rated_at).date(),
            source=rating.case,
            title=_("Rated the answer to “%(title)s”") % {"title": rating.case.title},
            outcome=_("handling: %(handling)s; result: %(result)s")
            % {
                "handling": Satisfaction(rating.handling).label,
                "result": Satisfaction(rating.result).label,
            },
            url=_case_url(rating.case),
        )


def case_mandates(case: Case) -> list[int]:
    """The mandates a case's records count for: its signers and those of the cases merged into it."""
    return sorted(
        set(CaseSigner.objects.unscoped().filter(case__in=case.with_merged()).values_list("mandate_id", flat=True))
    )


def register_kinds() -> None:
    register_section(ArchiveSection(code=SECTION, label=gettext_lazy("Suggestions and their handling"), order=400))
    # The archive lists each suggestion once (filed or co-signed), its outcome naming the answer's
    # class and the deputy's rating; answers and ratings count in the points, lines of their own.
    for code, label, records, points, in_archive in (
        (FILED, gettext_lazy("Suggestion filed"), _signed(lead=True), Decimal(3), True),
        (COSIGNED, gettext_lazy("Suggestion co-signed"), _signed(lead=False), Decimal(1), True),
        (ANSWERED, gettext_lazy("Suggestion answered"), _answered, Decimal(0), False),
        (RATING_RETURNED, gettext_lazy("Rating of an answer returned"), _ratings_returned, Decimal(1), False),
    ):
        register(
            RecordKind(
                code=code,
                label=label,
                records=records,
                section=SECTION,
                default_points=points,
                in_archive=in_archive,
                # The rows are written by the services, whose steps trigger the refresh (below).
                models=(),
                mandates_of=case_mandates,
            )
        )
    post_save.connect(_step_recorded, sender=CaseEvent, dispatch_uid="casework.points_refresh")


# ---------------------------------------------------------------- points refresh

_deferred: ContextVar[bool] = ContextVar("casework_points_deferred", default=False)


@contextmanager
def points_refresh_deferred() -> Iterator[None]:
    """For bulk work (the demo seed) that recomputes the county's points itself at the end."""
    token = _deferred.set(True)
    try:
        yield
    finally:
        _deferred.reset(token)


def _step_recorded(sender, instance: CaseEvent, created: bool = False, raw: bool = False, **kwargs) -> None:
    if raw or not created or instance.transition not in POINT_STEPS or _deferred.get():
        return
    if instance.transition == "submit" and instance.case.source not in DEPUTY_SOURCES:
        # A citizen's opinion or a finding, just filed: no signers, nothing merged into it yet.
        return
    enqueue_points_refresh([instance.case])


def enqueue_points_refresh(cases: Iterable[Case]) -> None:
    from django.contrib.contenttypes.models import ContentType

    from renda.deputies.tasks import points_refresh

    for case in cases:
        mandate_pks, source_uuid = case_mandates(case), str(case.uuid)
        if not mandate_pks:
            continue  # no signer (a citizen's opinion, say): no deputy's points to refresh
        source_type_pk = ContentType.objects.get_for_model(Case).pk
        # robust: the step is committed already; the nightly ``recompute_points`` repairs a lost task.
        transaction.on_commit(_enqueue(points_refresh, mandate_pks, source_type_pk, source_uuid), robust=True)


def _enqueue(task: Any, mandate_pks: list[int], source_type_pk: int, source_uuid: str) -> Callable[[], None]:
    def run() -> None:
        task.enqueue(mandate_pks, source_type_pk, source_uuid)

    return run
