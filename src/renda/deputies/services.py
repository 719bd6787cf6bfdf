"""Writes for deputies: people, mandates and their dated events, liaison, voter contacts, point
rules, the points ledger and contests. Each function is atomic and writes its audit entry."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable
from datetime import date, timedelta
from decimal import Decimal

from django.contrib.contenttypes.models import ContentType
from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from renda.accounts import audit
from renda.accounts.models import User
from renda.accounts.scoping import CHANGE, can
from renda.organisations.models import County

from . import contributions
from .models import (
    ENDING_EVENTS,
    STARTING_EVENTS,
    ContestStatus,
    DeputySettings,
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
from .names import name_initials, name_pinyin, stroke_key


class DeputyError(Exception):
    """A change that cannot be made; the message is shown to the user."""


def fill_name_columns(person: Person) -> None:
    """Set the search and order columns from the name (also used by the bulk import)."""
    person.full_name = "".join(person.full_name.split())
    person.name_pinyin = name_pinyin(person.full_name)[:120]
    person.name_initials = name_initials(person.full_name)[:50]
    person.name_stroke_key = stroke_key(person.full_name)


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


def settings_for(county: County) -> DeputySettings:
    """The county's settings, created with the defaults the first time they are needed."""
    return DeputySettings.objects.for_county(county).get_or_create(county=county)[0]


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
        for mandate in by_id.values():
            for year in _mandate_years(mandate, today):
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
            mandate = by_id.get(record.mandate_id)
            if mandate is None or record.date > today:
                continue
            add(
                mandate,
                kind.code,
                record.source,
                record.date,
                record.title,
                record.url,
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


@transaction.atomic
def points_recompute(*, county: County, actor: User | None, mandates=None, today: date | None = None) -> int:
    """Replace the county's ledger (or some mandates' part of it) by a fresh computation. Audited."""
    today = today or timezone.localdate()
    # A kind declared since the last run counts at its default amount until the county changes it.
    point_rules_initialise(county=county, actor=actor)
    entries = points_ledger(county=county, today=today, mandates=mandates)
    old = PointEntry.objects.for_county(county)
    if mandates is not None:
        old = old.filter(mandate__in=mandates.values("pk"))
    old.delete()
    PointEntry.objects.bulk_create(entries, batch_size=2000)
    audit.record(
        "deputies.points.recompute",
        actor=actor,
        target=county,
        data={"entries": len(entries), "partial": mandates is not None},
    )
    return len(entries)


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
            mandates=Mandate.objects.filter(pk=contest.mandate_id),
        )
    return contest


def roster_export_authorise(*, actor: User, rows: int, unmasked: bool):
    """Authorise and audit an export of the roster through the one export control (accounts.exports,
    S31): permission, row cap with approval, masked unless asked and allowed. Returns the grant,
    whose footer goes into the file. Raises PermissionDenied or ExportNeedsApproval (a subclass)."""
    from renda.accounts.exports import export_authorise

    return export_authorise(actor=actor, kind="deputies.roster", row_count=rows, masked=not unmasked)


def report_export_audit(*, actor: User, kind: str, rows: int, target=None) -> None:
    """Audit a download that holds no personal information beyond what the page shows the user
    (the composition figures, a deputy's own archive): no cap or approval applies."""
    with transaction.atomic():
        audit.record_export(actor=actor, kind=kind, row_count=rows, masked=True, target=target)
