"""人大代表之声: compiling, issuing and following up the county's digest for its leaders.

States: draft → issued. A draft is edited freely by the county's administrators (items added and
removed, summaries written); issuing fixes it and gives the Word document its date. After that a
change is a recorded correction (``correct_item``: before, after, reason, who), and the leaders'
instructions (批示) are recorded per item (``record_feedback``); one may make the case a case of key
supervision (重点督办, ``services.tag``). Every change is audited in its transaction.
"""

from __future__ import annotations

import datetime as dt
from typing import TYPE_CHECKING, Any

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.db.models import Max, QuerySet
from django.utils import timezone
from django.utils.translation import gettext as _

from renda.accounts import audit
from renda.accounts.permissions import require
from renda.accounts.scoping import scoped
from renda.core.locking import StaleEdit
from renda.documents.word import Section, official_document

from . import permissions as may
from . import services as case_services
from .models import Case, CaseSource, CaseState, Digest, DigestCorrection, DigestFeedback, DigestItem, DigestState
from .models.digest import DEFAULT_DIGEST_TITLE
from .workflow import OPEN_STATES

if TYPE_CHECKING:
    from renda.accounts.models import User
    from renda.organisations.models import County

# Opinions and suggestions a digest draws on: taken up (not drafts, refused or merged away).
DIGEST_SOURCES = (CaseSource.SESSION_SUGGESTION, CaseSource.RECESS_SUGGESTION, CaseSource.CITIZEN_OPINION)
NOT_FOR_DIGEST = (CaseState.DRAFT, CaseState.REJECTED, CaseState.MERGED)
SUMMARY_LENGTH = 300


def _lock(digest: Digest, *, version: int | None = None) -> Digest:
    fresh = Digest.objects.unscoped().select_for_update().get(pk=digest.pk)
    if version is not None and fresh.version != version:
        raise StaleEdit(StaleEdit.message)
    return fresh


def _draft(digest: Digest) -> None:
    if digest.is_issued:
        raise ValidationError(_("This digest has been issued: change it by a recorded correction."))


def _check_period(start: dt.date | None, end: dt.date | None) -> None:
    if start is None or end is None:
        raise ValidationError({"period_start": _("Give the period the digest covers.")})
    if end < start:
        raise ValidationError({"period_end": _("The period ends before it starts.")})


def month_before(day: dt.date) -> tuple[dt.date, dt.date]:
    """The first and last days of the month before ``day``'s: the period a monthly digest covers."""
    end = day.replace(day=1) - dt.timedelta(days=1)
    return end.replace(day=1), end


def next_number(county: County, year: int) -> int:
    last = Digest.objects.unscoped().filter(county=county, year=year).aggregate(last=Max("number"))["last"]
    return (last or 0) + 1


@transaction.atomic
def create_digest(
    county: County,
    actor: User,
    *,
    period_start: dt.date,
    period_end: dt.date,
    title: str = "",
    foreword: str = "",
) -> Digest:
    """A new draft, numbered after the county's last issue of the period's year."""
    require(may.may_edit_digests(actor) and actor.county_id == county.pk)
    _check_period(period_start, period_end)
    year = period_end.year
    try:
        with transaction.atomic():
            digest = Digest.objects.create(
                county=county,
                year=year,
                number=next_number(county, year),
                period_start=period_start,
                period_end=period_end,
                title=(title or "").strip() or DEFAULT_DIGEST_TITLE,
                foreword=(foreword or "").strip(),
                created_by=actor,
            )
    except IntegrityError as exc:
        raise ValidationError(_("Another digest took this number at the same moment; try again.")) from exc
    audit.record("casework.digest.create", actor=actor, target=digest, data={"number": digest.issue_label})
    return digest


@transaction.atomic
def update_digest(
    digest: Digest,
    actor: User,
    *,
    version: int | None = None,
    period_start: dt.date,
    period_end: dt.date,
    title: str,
    foreword: str = "",
) -> Digest:
    require(may.may_edit_digest(actor, digest))
    _check_period(period_start, period_end)
    digest = _lock(digest, version=version)
    _draft(digest)
    digest.period_start, digest.period_end = period_start, period_end
    digest.title = (title or "").strip() or digest.title
    digest.foreword = (foreword or "").strip()
    digest.save_versioned(
        expected_version=digest.version, update_fields=["period_start", "period_end", "title", "foreword"]
    )
    audit.record("casework.digest.update", actor=actor, target=digest)
    return digest


def default_summary(case: Case) -> str:
    text = " ".join(case.content.split())
    return text if len(text) <= SUMMARY_LENGTH else text[: SUMMARY_LENGTH - 1] + "…"


@transaction.atomic
def add_item(digest: Digest, actor: User, *, case: Case, summary: str = "", heading: str = "") -> DigestItem:
    """Put a case of the county into a draft, with a summary (by default the start of its content)."""
    require(may.may_edit_digest(actor, digest) and may.is_case_staff(actor, case))
    digest = _lock(digest)
    _draft(digest)
    if case.county_id != digest.county_id or case.source not in DIGEST_SOURCES or case.state in NOT_FOR_DIGEST:
        raise ValidationError({"case": _("Choose a deputy's suggestion or a citizen's opinion of this county.")})
    if digest.items.filter(case=case).exists():
        raise ValidationError({"case": _("This case is in the digest already.")})
    last = digest.items.aggregate(last=Max("order"))["last"]
    item = DigestItem.objects.create(
        digest=digest,
        case=case,
        order=(last or 0) + 1,
        heading=(heading or "").strip()[:120] or case.title,
        summary=(summary or "").strip() or default_summary(case),
    )
    digest.save_versioned(expected_version=digest.version, update_fields=[])
    audit.record("casework.digest.item_add", actor=actor, target=digest, data={"case": case.reference})
    return item


@transaction.atomic
def remove_item(item: DigestItem, actor: User) -> None:
    digest = item.digest
    require(may.may_edit_digest(actor, digest))
    digest = _lock(digest)
    _draft(digest)
    reference = item.case.reference
    item.delete()
    digest.save_versioned(expected_version=digest.version, update_fields=[])
    audit.record("casework.digest.item_remove", actor=actor, target=digest, data={"case": reference})


def _check_summary(summary: str, heading: str) -> tuple[str, str]:
    summary, heading = (summary or "").strip(), (heading or "").strip()
    errors = {}
    if not summary:
        errors["summary"] = _("Write the summary.")
    if not heading:
        errors["heading"] = _("Give the item a heading.")
    if errors:
        raise ValidationError(errors)
    return summary, heading[:120]


@transaction.atomic
def edit_item(item: DigestItem, actor: User, *, summary: str, heading: str) -> DigestItem:
    """A draft's item: its heading and summary."""
    require(may.may_edit_digest(actor, item.digest))
    summary, heading = _check_summary(summary, heading)
    digest = _lock(item.digest)
    _draft(digest)
    item.summary, item.heading = summary, heading
    item.save(update_fields=["summary", "heading"])
    digest.save_versioned(expected_version=digest.version, update_fields=[])
    audit.record("casework.digest.item_edit", actor=actor, target=digest, data={"case": item.case.reference})
    return item


@transaction.atomic
def correct_item(item: DigestItem, actor: User, *, summary: str, heading: str, reason: str) -> DigestCorrection:
    """An issued digest's item changed, with the reason: the correction is kept beside the digest."""
    require(may.may_edit_digest(actor, item.digest))
    summary, heading = _check_summary(summary, heading)
    if not (reason or "").strip():
        raise ValidationError({"reason": _("Give the reason for the correction.")})
    digest = _lock(item.digest)
    if not digest.is_issued:
        raise ValidationError(_("A draft is edited directly; corrections are for issued digests."))
    before = f"{item.heading}\n{item.summary}"
    item.summary, item.heading = summary, heading
    item.save(update_fields=["summary", "heading"])
    correction = DigestCorrection.objects.create(
        digest=digest,
        item=item,
        field="summary",
        before=before,
        after=f"{heading}\n{summary}",
        reason=reason.strip(),
        corrected_by=actor,
        corrected_at=timezone.now(),
    )
    digest.save_versioned(expected_version=digest.version, update_fields=[])
    audit.record(
        "casework.digest.correct",
        actor=actor,
        target=digest,
        data={"case": item.case.reference, "reason": reason.strip()[:200]},
    )
    return correction


@transaction.atomic
def issue(digest: Digest, actor: User, *, version: int | None = None, issued_on: dt.date | None = None) -> Digest:
    """draft → issued: fixed from now on; the Word document carries the date of issue."""
    require(may.may_edit_digest(actor, digest))
    digest = _lock(digest, version=version)
    _draft(digest)
    if not digest.items.exists():
        raise ValidationError(_("Add at least one item before issuing the digest."))
    digest.state = DigestState.ISSUED
    digest.issued_on = issued_on or timezone.localdate()
    digest.issued_by = actor
    digest.save_versioned(expected_version=digest.version, update_fields=["state", "issued_on", "issued_by"])
    audit.record(
        "casework.digest.issue",
        actor=actor,
        target=digest,
        data={"number": digest.issue_label, "items": digest.items.count()},
    )
    return digest


@transaction.atomic
def record_feedback(
    item: DigestItem,
    actor: User,
    *,
    leader_name: str,
    given_on: dt.date | None,
    text: str,
    mark_key: bool = False,
) -> DigestFeedback:
    """A leader's instruction on an issued item. ``mark_key`` also makes the case one of key
    supervision followed by this leader (``services.tag``), which needs the case still open."""
    require(may.may_edit_digest(actor, item.digest))
    digest = _lock(item.digest)
    errors = {}
    if not digest.is_issued:
        errors["text"] = _("Instructions are recorded on an issued digest.")
    if not (leader_name or "").strip():
        errors["leader_name"] = _("Name the leader.")
    if given_on is None:
        errors["given_on"] = _("Give the date of the instruction.")
    elif given_on > timezone.localdate() or (digest.issued_on and given_on < digest.issued_on):
        errors["given_on"] = _("The date must be between the date of issue and today.")
    if not (text or "").strip():
        errors["text"] = _("Write the instruction.")
    case = item.case
    if mark_key and case.state not in OPEN_STATES:
        errors["mark_key"] = _("The case is finished: it can no longer be made a case of key supervision.")
    if errors:
        raise ValidationError(errors)
    assert given_on is not None
    feedback = DigestFeedback.objects.create(
        item=item,
        leader_name=leader_name.strip(),
        given_on=given_on,
        text=text.strip(),
        marked_key=mark_key,
        recorded_by=actor,
        recorded_at=timezone.now(),
    )
    audit.record(
        "casework.digest.feedback",
        actor=actor,
        target=case,
        data={"leader": feedback.leader_name, "key": mark_key, "number": digest.issue_label},
    )
    if mark_key:
        case_services.tag(case, actor, is_key=True, key_leader=feedback.leader_name, is_repeated=case.is_repeated)
    return feedback


# ---------------------------------------------------------------- reads


def digest_list(user: Any) -> QuerySet:
    from django.db.models import Count

    return scoped(Digest, user).annotate(item_count=Count("items", distinct=True)).order_by("-year", "-number")


def items_of(digest: Digest, user: Any) -> QuerySet:
    return (
        scoped(DigestItem, user)
        .filter(digest=digest)
        .select_related("case__township", "case__category")
        .prefetch_related("feedback")
        .order_by("order", "id")
    )


def candidates(digest: Digest, user: Any, q: str = "", limit: int = 20) -> list[Case]:
    """Cases a draft may take: the county's opinions and suggestions received in its period, not in it yet."""
    cases = (
        scoped(Case, user)
        .filter(county_id=digest.county_id, source__in=DIGEST_SOURCES)
        .exclude(state__in=NOT_FOR_DIGEST)
        .exclude(digest_items__digest=digest)
        .filter(received_on__gte=digest.period_start, received_on__lte=digest.period_end)
        .select_related("township")
        .order_by("-received_on", "-id")
    )
    q = (q or "").strip()[:100]
    if q:
        from django.db.models import Q

        cases = cases.filter(Q(title__icontains=q) | Q(reference__icontains=q) | Q(content__icontains=q))
    return list(cases[:limit])


def case_feedback(case: Case, user: Any) -> list[DigestItem]:
    """The digests a case went into and the leaders' instructions on it, as the user may read them."""
    if not may.may_view_case_digest_items(user, case):
        return []
    return list(
        scoped(DigestItem, user)
        .filter(case=case)
        .select_related("digest")
        .prefetch_related("feedback")
        .order_by("digest__year", "digest__number")
    )


# ---------------------------------------------------------------- the Word document


def digest_document(digest: Digest, items: list[DigestItem], *, footer_note: str) -> bytes:
    from .documents import county_office

    office = county_office(digest.county)
    sections = []
    if digest.foreword:
        sections.append(Section(paragraphs=[digest.foreword]))
    for item in items:
        case = item.case
        origin = f"（{case.township.name}，第{case.reference}号" + (
            f"，{case.category.name}）" if case.category else "）"
        )
        sections.append(Section(heading=item.heading, paragraphs=[item.summary, origin]))
    if not items:
        sections.append(Section(paragraphs=["本期无内容。"]))
    issued_on = digest.issued_on
    return official_document(
        title=digest.title,
        subtitle=f"{digest.issue_label}（{digest.period_start:%Y.%m.%d}—{digest.period_end:%Y.%m.%d}）",
        issuing_authority=office,
        main_recipients=["县委、县人大常委会、县政府、县政协领导"],
        sections=sections,
        issuer=office,
        issued_on=issued_on,
        printed_by=office,
        printed_on=issued_on,
        footer_note=footer_note if digest.is_issued else f"（草稿）{footer_note}",
    )
