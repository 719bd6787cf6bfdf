"""Writes for deputies: people, mandates and their dated events, liaison, voter contacts, other
duties, point rules, the points ledger and contests. Each function is atomic and writes its audit entry."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date, timedelta
from decimal import Decimal

from django.conf import settings
from django.contrib.contenttypes.models import ContentType
from django.core.cache import cache
from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext as _

from renda.accounts import audit
from renda.accounts.models import User
from renda.accounts.scoping import CHANGE, VIEW, can
from renda.core.pii import blind_index_of
from renda.core.ratelimit import Rate, hit
from renda.organisations.models import County

from . import contributions
from .models import (
    ENDING_EVENTS,
    STARTING_EVENTS,
    ContestStatus,
    DeputySettings,
    DutyRecord,
    LiaisonAssignment,
    Mandate,
    MandateEvent,
    MandateEventKind,
    MandateStatus,
    Person,
    PointContest,
    PointEntry,
    PointRule,
    VoterContact,
)
from .names import name_initials, name_pinyin, pinyin_order_key, stroke_key


class DeputyError(Exception):
    """A change that cannot be made; the message is shown to the user."""


def fill_name_columns(person: Person) -> None:
    """Set the search and order columns from the name (also used by the bulk import)."""
    person.full_name = "".join(person.full_name.split())
    person.name_pinyin = name_pinyin(person.full_name)[:120]
    person.name_initials = name_initials(person.full_name)[:50]
    person.name_stroke_key = stroke_key(person.full_name)
    person.name_pinyin_key = pinyin_order_key(person.full_name)


@transaction.atomic
def person_save(*, person: Person, actor: User | None, changed_fields: Iterable[str] = ()) -> Person:
    created = person._state.adding
    fill_name_columns(person)
    person.save()
    audit.record(
        "deputies.person.create" if created else "deputies.person.update",
        actor=actor,
        target=person,
        data={"fields": sorted(set(changed_fields) - {"id_number", "phone", "address"})},
    )
    return person


def _refresh_period(mandate: Mandate) -> None:
    """Starts on its first starting event, ends on its first ending event after the start."""
    events = list(mandate.events.order_by("date", "created_at"))
    starts = [event.date for event in events if event.kind in STARTING_EVENTS]
    # Mandates recorded before events existed (or without an election event) keep their start date.
    start = min(starts) if starts else mandate.starts_on
    ends = [event.date for event in events if event.kind in ENDING_EVENTS and (start is None or event.date >= start)]
    mandate.starts_on = start
    mandate.ends_on = min(ends) if ends else None
    mandate.status = MandateStatus.ENDED if mandate.ends_on is not None else MandateStatus.ACTIVE
    mandate.save(update_fields=["starts_on", "ends_on", "status", "updated_at"])


@transaction.atomic
def mandate_create(
    *,
    mandate: Mandate,
    starts_on: date,
    actor: User | None,
    start_kind: str = MandateEventKind.ELECTED,
    document_number: str = "",
) -> Mandate:
    """Record a new mandate with its starting event (elected or by-election)."""
    if start_kind not in STARTING_EVENTS:
        raise DeputyError(_("A mandate starts with an election or a by-election."))
    mandate.starts_on = starts_on
    mandate.save()
    MandateEvent.objects.create(
        mandate=mandate, kind=start_kind, date=starts_on, document_number=document_number, recorded_by=actor
    )
    _refresh_period(mandate)
    audit.record(
        "deputies.mandate.create",
        actor=actor,
        target=mandate,
        data={"level": mandate.level, "start": start_kind, "date": starts_on.isoformat()},
    )
    return mandate


@transaction.atomic
def mandate_update(*, mandate: Mandate, actor: User, changed_fields: Iterable[str]) -> Mandate:
    mandate.save()
    audit.record("deputies.mandate.update", actor=actor, target=mandate, data={"fields": sorted(changed_fields)})
    return mandate


@transaction.atomic
def mandate_event_record(
    *, mandate: Mandate, kind: str, date: date, actor: User | None, document_number: str = "", note: str = ""
) -> MandateEvent:
    """Record a dated status change and move the mandate's period accordingly.

    Raises DeputyError for an ending event before the mandate started or on a mandate that has
    ended already, and for a second start."""
    if kind in ENDING_EVENTS:
        if mandate.starts_on is None or date < mandate.starts_on:
            raise DeputyError(_("A mandate cannot end before it starts."))
        if mandate.ends_on is not None and mandate.ends_on <= date:
            raise DeputyError(_("This mandate has ended already."))
    elif mandate.starts_on is not None:
        raise DeputyError(_("This mandate has started already; record a new mandate for a by-election."))
    event = MandateEvent.objects.create(
        mandate=mandate, kind=kind, date=date, document_number=document_number, note=note, recorded_by=actor
    )
    _refresh_period(mandate)
    audit.record(
        "deputies.mandate_event.create",
        actor=actor,
        target=mandate,
        data={"kind": kind, "date": date.isoformat(), "document": document_number},
    )
    return event


@transaction.atomic
def liaison_assign(*, liaison: LiaisonAssignment, actor: User) -> LiaisonAssignment:
    liaison.township = liaison.mandate.person.township
    liaison.save()
    audit.record("deputies.liaison.create", actor=actor, target=liaison, data={"leader": liaison.leader_name})
    return liaison


@transaction.atomic
def liaison_remove(*, liaison: LiaisonAssignment, actor: User) -> None:
    audit.record("deputies.liaison.delete", actor=actor, target=liaison, data={"leader": liaison.leader_name})
    liaison.delete()


@transaction.atomic
def voter_contact_save(*, contact: VoterContact, actor: User, changed_fields: Iterable[str] = ()) -> VoterContact:
    created = contact._state.adding
    contact.save()
    audit.record(
        "deputies.voter_contact.create" if created else "deputies.voter_contact.update",
        actor=actor,
        target=contact,
        data={"fields": sorted(set(changed_fields) - {"phone"})},
    )
    return contact


@transaction.atomic
def voter_contact_remove(*, contact: VoterContact, actor: User) -> None:
    audit.record("deputies.voter_contact.delete", actor=actor, target=contact)
    contact.delete()


@transaction.atomic
def duty_save(*, duty: DutyRecord, actor: User, changed_fields: Iterable[str] = ()) -> DutyRecord:
    """Record or correct another duty; its points follow through the record kind's trigger."""
    created = duty._state.adding
    if created:
        duty.recorded_by = actor
    duty.save()
    audit.record(
        "deputies.duty.create" if created else "deputies.duty.update",
        actor=actor,
        target=duty,
        data={"kind": duty.kind, "date": duty.date.isoformat(), "fields": sorted(changed_fields)},
    )
    return duty


@transaction.atomic
def duty_remove(*, duty: DutyRecord, actor: User) -> None:
    audit.record(
        "deputies.duty.delete", actor=actor, target=duty, data={"kind": duty.kind, "date": duty.date.isoformat()}
    )
    duty.delete()


def settings_for(county: County) -> DeputySettings:
    """The county's settings; until it saves its own, the defaults, unsaved, so that reading the
    settings (a page, a recomputation) writes nothing. ``settings_save`` creates the row."""
    return DeputySettings.objects.for_county(county).first() or DeputySettings(county=county)


@transaction.atomic
def settings_save(*, deputy_settings: DeputySettings, actor: User, changed_fields: Iterable[str]) -> DeputySettings:
    deputy_settings.save()
    audit.record(
        "deputies.settings.update", actor=actor, target=deputy_settings, data={"fields": sorted(changed_fields)}
    )
    points_recompute(county=deputy_settings.county, actor=actor)
    return deputy_settings


@transaction.atomic
def point_rules_initialise(*, county: County, actor: User | None) -> list[PointRule]:
    """Give the county a rule for every declared kind of record that has none, at its default amount."""
    existing = set(PointRule.objects.for_county(county).values_list("kind", flat=True))
    created = PointRule.objects.bulk_create(
        PointRule(county=county, kind=kind.code, amount=kind.default_points)
        for kind in contributions.kinds()
        if kind.code not in existing
    )
    if created:
        audit.record(
            "deputies.point_rule.initialise", actor=actor, target=county, data={"kinds": [r.kind for r in created]}
        )
    return created


@transaction.atomic
def point_rule_save(*, rule: PointRule, actor: User, changed_fields: Iterable[str]) -> PointRule:
    """Save a rule and recompute the county's ledger, so totals always follow the rules in force."""
    if contributions.get(rule.kind) is None:
        raise DeputyError(_("No capability records this kind of record."))
    created = rule._state.adding
    rule.save()
    audit.record(
        "deputies.point_rule.create" if created else "deputies.point_rule.update",
        actor=actor,
        target=rule,
        data={
            "kind": rule.kind,
            "amount": str(rule.amount),
            "cap": str(rule.yearly_cap) if rule.yearly_cap is not None else None,
            "active": rule.is_active,
            "fields": sorted(changed_fields),
        },
    )
    points_recompute(county=rule.county, actor=actor)
    return rule


def _quarter(day: date) -> int:
    return (day.month - 1) // 3 + 1


def _mandate_years(mandate: Mandate, today: date) -> list[int]:
    if mandate.starts_on is None or mandate.starts_on > today:
        return []
    last = today if mandate.ends_on is None else min(today, mandate.ends_on - timedelta(days=1))
    return list(range(mandate.starts_on.year, last.year + 1)) if last >= mandate.starts_on else []


def points_ledger(*, county: County, today: date, mandates=None) -> list[PointEntry]:
    """The ledger the rules in force give for the county's records, computed from scratch.

    Deterministic: the same records, rules, settings and contests give the same entries, whatever
    was in the ledger before. ``mandates`` limits it to some mandates (a queryset of the county's)."""
    rules = {rule.kind: rule for rule in PointRule.objects.for_county(county).filter(is_active=True)}
    base = settings_for(county).yearly_base_points
    scope = Mandate.objects.for_county(county)
    if mandates is not None:
        scope = scope.filter(pk__in=mandates.values("pk"))
    scope = scope.select_related("person")
    by_id = {mandate.pk: mandate for mandate in scope}
    contests = {
        contest.key(): contest
        for contest in PointContest.objects.for_county(county)
        .filter(mandate__in=scope, status=ContestStatus.ACCEPTED)
        .order_by("resolved_at", "pk")
    }
    types: dict[type, ContentType] = {}

    def type_of(model_class) -> ContentType:
        if model_class not in types:
            types[model_class] = ContentType.objects.get_for_model(model_class)
        return types[model_class]

    entries: list[PointEntry] = []

    def add(mandate, kind, source, day, title, url, quantity, amount) -> None:
        rule_points = (amount * quantity).quantize(Decimal("0.1"))
        entry = PointEntry(
            county=county,
            township_id=mandate.person.township_id,
            group_id=mandate.group_id,
            mandate=mandate,
            kind=kind,
            source_type=type_of(type(source)),
            source_uuid=source.uuid,
            date=day,
            year=day.year,
            quarter=_quarter(day),
            title=str(title)[:200],
            url=url[:200],
            quantity=quantity,
            rule_points=rule_points,
            points=rule_points,
        )
        contest = contests.get(entry.key())
        if contest is not None:
            entry.contest = contest
            entry.points = contest.corrected_points if contest.corrected_points is not None else Decimal(0)
        entries.append(entry)

    if base:
        # One base per person, congress and year: a deputy re-elected in the year (two mandates of
        # one level) gets it once, on the earlier mandate, whichever part of the ledger is computed.
        base_holder: dict[tuple[int, str, int], int] = {}
        siblings = Mandate.objects.unscoped().filter(person__in=scope.values("person")).order_by("starts_on", "pk")
        for sibling in siblings:
            for year in _mandate_years(sibling, today):
                base_holder.setdefault((sibling.person_id, sibling.level, year), sibling.pk)
        for mandate in by_id.values():
            if mandate.starts_on is None:
                continue  # no years of service to count
            for year in _mandate_years(mandate, today):
                if base_holder.get((mandate.person_id, mandate.level, year)) != mandate.pk:
                    continue
                day = max(date(year, 1, 1), mandate.starts_on)
                add(
                    mandate,
                    contributions.BASE_KIND,
                    mandate,
                    day,
                    _("Yearly base %(year)s") % {"year": year},
                    "",
                    Decimal(1),
                    base,
                )
    for kind in contributions.kinds():
        rule = rules.get(kind.code)
        if rule is None or not rule.amount:
            continue
        for record in kind.records(scope):
            if record.mandate_id not in by_id or record.date > today:
                continue
            mandate = by_id[record.mandate_id]
            # The ledger is read by everyone who sees the mandate's points: a line with a narrower
            # audience appears there under its kind only, never with its own title or link.
            restricted = kind.audience_of(record) is not None
            add(
                mandate,
                kind.code,
                record.source,
                record.date,
                kind.label if restricted else record.title,
                "" if restricted else record.url,
                Decimal(record.quantity),
                rule.amount,
            )
        if rule.yearly_cap is not None:
            _apply_cap([e for e in entries if e.kind == kind.code], rule.yearly_cap)
    entries.sort(key=lambda e: (e.mandate_id, e.date, e.kind, str(e.source_uuid)))
    return entries


def _apply_cap(entries: list[PointEntry], cap: Decimal) -> None:
    """Clip each mandate's yearly sum of one kind to ±cap, in date order; later entries get 0."""
    groups: dict[tuple[int, int], list[PointEntry]] = defaultdict(list)
    for entry in entries:
        groups[(entry.mandate_id, entry.year)].append(entry)
    for group in groups.values():
        total = Decimal(0)
        for entry in sorted(group, key=lambda e: (e.date, str(e.source_uuid))):
            allowed = min(max(total + entry.points, -cap), cap) - total
            if allowed != entry.points:
                entry.points = allowed
                entry.capped = True
            total += entry.points


@dataclass(frozen=True)
class LedgerChange:
    """What one recomputation changed in the ledger."""

    created: int
    updated: int
    deleted: int
    entries: int  # entries in the recomputed part of the ledger afterwards

    @property
    def changed(self) -> bool:
        return bool(self.created or self.updated or self.deleted)


# The columns a recomputation derives; an entry whose values all match is left untouched.
_LEDGER_FIELDS = (
    "township_id",
    "group_id",
    "title",
    "url",
    "quarter",
    "quantity",
    "rule_points",
    "points",
    "capped",
    "contest_id",
)


def _ledger_key(entry: PointEntry) -> tuple:
    return (entry.mandate_id, entry.kind, entry.source_type_id, str(entry.source_uuid), entry.date)


@transaction.atomic
def points_recompute(
    *, county: County, actor: User | None, mandates=None, year: int | None = None, today: date | None = None
) -> LedgerChange:
    """Bring the county's ledger (or some mandates' or one year's part of it) in line with a fresh
    computation, writing only the entries that differ: running it twice changes nothing the second
    time, and an unchanged entry keeps its uuid (a contest or a link to it stays valid).

    Audited when something changed, or when a person asked for it. Locks the county's row first, so
    recomputations in one county (a saved record's task, the nightly run, a rule change) apply one
    after the other instead of both inserting the same entries or the same missing rules."""
    today = today or timezone.localdate()
    list(County.objects.unscoped().select_for_update().filter(pk=county.pk).values_list("pk", flat=True))
    # A kind declared since the last run counts at its default amount until the county changes it.
    point_rules_initialise(county=county, actor=actor)
    entries = points_ledger(county=county, today=today, mandates=mandates)
    old = PointEntry.objects.for_county(county)
    if mandates is not None:
        old = old.filter(mandate__in=mandates.values("pk"))
    if year is not None:
        entries = [entry for entry in entries if entry.year == year]
        old = old.filter(year=year)
    existing: dict[tuple, list[PointEntry]] = defaultdict(list)
    for entry in old:
        existing[_ledger_key(entry)].append(entry)
    created, updated = [], []
    for entry in entries:
        matches = existing.get(_ledger_key(entry))
        if not matches:
            created.append(entry)
            continue
        current = matches.pop()
        if any(getattr(current, name) != getattr(entry, name) for name in _LEDGER_FIELDS):
            for name in _LEDGER_FIELDS:
                setattr(current, name, getattr(entry, name))
            updated.append(current)
    stale = [entry.pk for left in existing.values() for entry in left]
    PointEntry.objects.unscoped().filter(pk__in=stale).delete()
    PointEntry.objects.bulk_update(updated, _LEDGER_FIELDS, batch_size=2000)
    PointEntry.objects.bulk_create(created, batch_size=2000)
    change = LedgerChange(created=len(created), updated=len(updated), deleted=len(stale), entries=len(entries))
    if change.changed or actor is not None:
        audit.record(
            "deputies.points.recompute",
            actor=actor,
            target=county,
            data={
                "created": change.created,
                "updated": change.updated,
                "deleted": change.deleted,
                "entries": change.entries,
                "partial": mandates is not None,
                "year": year,
            },
        )
    return change


def points_refresh(*, mandate_pks: Iterable[int], source_type_pk: int, source_uuid: str) -> LedgerChange:
    """Recompute the points of the mandates a saved or deleted record counts for (``mandate_pks``)
    and of those it earned points before (it may have moved to another mandate or be gone), county
    by county. Run by the ``points_refresh`` task after the record's change is committed."""
    earned_before = (
        PointEntry.objects.unscoped()
        .filter(source_type_id=source_type_pk, source_uuid=source_uuid)
        .values("mandate_id")
    )
    affected = Mandate.objects.unscoped().filter(Q(pk__in=list(mandate_pks)) | Q(pk__in=earned_before))
    total = LedgerChange(created=0, updated=0, deleted=0, entries=0)
    by_county: dict[int, list[int]] = defaultdict(list)
    for pk, county_id in affected.values_list("pk", "person__township__county_id"):
        by_county[county_id].append(pk)
    for county in County.objects.unscoped().filter(pk__in=by_county).order_by("pk"):
        change = points_recompute(
            county=county, actor=None, mandates=Mandate.objects.unscoped().filter(pk__in=by_county[county.pk])
        )
        total = LedgerChange(
            created=total.created + change.created,
            updated=total.updated + change.updated,
            deleted=total.deleted + change.deleted,
            entries=total.entries + change.entries,
        )
    return total


@transaction.atomic
def contest_create(*, entry: PointEntry, reason: str, actor: User) -> PointContest:
    """A deputy disputes one of their own entries. Raises DeputyError if one is open already."""
    if entry.mandate.person.user_id != actor.pk:
        raise PermissionDenied
    if entry.mandate.contests.filter(
        kind=entry.kind,
        source_type=entry.source_type,
        source_uuid=entry.source_uuid,
        status=ContestStatus.OPEN,
    ).exists():
        raise DeputyError(_("This entry is contested already; wait for the answer."))
    contest = PointContest.objects.create(
        mandate=entry.mandate,
        kind=entry.kind,
        source_type=entry.source_type,
        source_uuid=entry.source_uuid,
        title=entry.title,
        contested_points=entry.points,
        reason=reason,
        created_by=actor,
    )
    audit.record("deputies.point_contest.create", actor=actor, target=contest, data={"kind": entry.kind})
    return contest


@transaction.atomic
def contest_resolve(
    *, contest: PointContest, accept: bool, actor: User, note: str = "", corrected_points: Decimal | None = None
) -> PointContest:
    """Staff accept (the record counts ``corrected_points``, or nothing) or reject a contest."""
    if not can(actor, CHANGE, contest):
        raise PermissionDenied
    if contest.status != ContestStatus.OPEN:
        raise DeputyError(_("This contest has been answered already."))
    contest.status = ContestStatus.ACCEPTED if accept else ContestStatus.REJECTED
    contest.corrected_points = corrected_points if accept else None
    contest.resolution_note = note
    contest.resolved_by = actor
    contest.resolved_at = timezone.now()
    contest.save()
    audit.record(
        "deputies.point_contest.accept" if accept else "deputies.point_contest.reject",
        actor=actor,
        target=contest,
        data={"corrected": str(corrected_points) if accept and corrected_points is not None else None},
    )
    if accept:
        points_recompute(
            county=contest.mandate.person.township.county,
            actor=actor,
            mandates=Mandate.objects.unscoped().filter(pk=contest.mandate_id),
        )
    return contest


# --- An ID number recorded elsewhere -------------------------------------------------------------
# Township staff must learn that a person they are registering is recorded by another township
# (else the county holds the person twice), but each such answer tells them that an ID number they
# cannot see exists. So the answer names no township, is audited, and is limited per account: past
# RENDA_ID_ELSEWHERE_PER_HOUR answers in a sliding hour, ID numbers are not checked for that account
# for an hour at all (a refusal for every number, so that the refusal itself reveals nothing).

ID_ELSEWHERE_SECONDS = 3600


def _id_checks_paused_key(actor: User) -> str:
    return f"deputies:id-elsewhere-paused:{actor.pk}"


def id_checks_paused(actor: User | None) -> bool:
    return actor is not None and bool(cache.get(_id_checks_paused_key(actor)))


def id_checks_paused_message() -> str:
    return _(
        "Too many ID numbers recorded by other townships were entered from this account; ID numbers "
        "are not checked for it for an hour. Ask the county administrator."
    )


def id_recorded_elsewhere(*, person_pk: int, actor: User | None, via: str) -> str:
    """Audit one answer "recorded by another township" about a person and count it against the
    actor's limit; return the message to show (the answer, or the pause once over the limit)."""
    if id_checks_paused(actor):
        return id_checks_paused_message()
    within = actor is None or hit(
        f"deputies:id-elsewhere:{actor.pk}", Rate(settings.RENDA_ID_ELSEWHERE_PER_HOUR, ID_ELSEWHERE_SECONDS)
    )
    audit.record(
        "deputies.person.id_elsewhere",
        actor=actor,
        target=Person.objects.unscoped().select_related("township").get(pk=person_pk),
        outcome=audit.SUCCESS if within else audit.DENIED,
        data={"via": via},
    )
    if not within and actor is not None:
        cache.set(_id_checks_paused_key(actor), 1, timeout=ID_ELSEWHERE_SECONDS)
        return id_checks_paused_message()
    return _(
        "A person with this ID number is recorded by another township. To avoid registering the person "
        "twice, ask the county administrator to check the record."
    )


def id_number_conflict(*, id_number: str, actor: User, exclude_pk: int | None = None) -> str | None:
    """Why ``id_number`` cannot be given to a person entered by ``actor`` by hand (the person form),
    or None. A person the actor can see is named as recorded; elsewhere, see above."""
    if id_checks_paused(actor):
        return id_checks_paused_message()
    index = blind_index_of(Person, "id_number", id_number)
    same_number = Person.objects.unscoped().filter(id_number_index=index)
    other = (same_number if exclude_pk is None else same_number.exclude(pk=exclude_pk)).first()
    if other is None:
        return None
    if can(actor, VIEW, other):
        return _("A person with this ID number is recorded already.")
    return id_recorded_elsewhere(person_pk=other.pk, actor=actor, via="form")
