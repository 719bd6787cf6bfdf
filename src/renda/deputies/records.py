"""The records the deputies app itself contributes to archives and points, and their sections.

Each reads the rows of the ``mandates`` its caller chose within a scope (an archive) or a county
(a recomputation), hence ``unscoped()``: the mandates are the scope."""

from decimal import Decimal

from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from .contributions import ArchiveSection, Contribution, RecordKind, register, register_section, shared_rows
from .models import DutyKind, DutyRecord, LiaisonAssignment, MandateEvent, MandateEventKind, VoterContact


def _mandate_events(mandates):
    events = MandateEvent.objects.unscoped().filter(mandate__in=mandates).select_related("mandate__person")
    for event in events.order_by("date", "pk"):
        yield Contribution(
            mandate_id=event.mandate_id,
            date=event.date,
            source=event,
            title=event.get_kind_display(),
            outcome=event.document_number,
            url=reverse("deputies:person_detail", args=[event.mandate.person.uuid]),
        )


def _by_elections(mandates):
    events = MandateEvent.objects.unscoped().filter(mandate__in=mandates, kind=MandateEventKind.BY_ELECTION)
    for event in events.order_by("date", "pk"):
        yield Contribution(mandate_id=event.mandate_id, date=event.date, source=event, title=_("By-election"))


def _voter_contacts(mandates):
    for contact in VoterContact.objects.unscoped().filter(mandate__in=mandates).order_by("since", "pk"):
        yield Contribution(
            mandate_id=contact.mandate_id,
            date=contact.since,
            source=contact,
            title=_("Keeps contact with a voter of %(village)s") % {"village": contact.village or "—"},
        )


def _liaisons(mandates):
    for liaison in LiaisonAssignment.objects.unscoped().filter(mandate__in=mandates).order_by("since", "pk"):
        yield Contribution(
            mandate_id=liaison.mandate_id,
            date=liaison.since,
            source=liaison,
            title=_("Liaison leader assigned: %(name)s") % {"name": liaison.leader_name},
            outcome=liaison.leader_title,
        )


def _load_duties(mandates):
    return DutyRecord.objects.unscoped().filter(mandate__in=mandates).select_related("mandate").order_by("date", "pk")


def _duties_of(kind: str):
    def records(mandates):
        for duty in shared_rows(mandates, "deputies.duties", _load_duties):
            if duty.kind != kind:
                continue
            yield Contribution(
                mandate_id=duty.mandate_id,
                date=duty.date,
                source=duty,
                title=duty.title,
                outcome=duty.evidence,
                url=reverse("deputies:duty_list", args=[duty.mandate.uuid]),
            )

    return records


MANDATE_SECTION = "deputies.mandate"
CONTACT_SECTION = "deputies.contact"
DUTY_SECTION = "deputies.duty"

# What each kind of other duty counts for until the county sets its own rule; 0 counts nothing.
DUTY_DEFAULT_POINTS = {
    DutyKind.TRAINING: Decimal(2),
    DutyKind.ARTICLE: Decimal(2),
    DutyKind.AWARD: Decimal(3),
    DutyKind.DONATION: Decimal(1),
    DutyKind.OTHER: Decimal(0),
}


def duty_kind_code(kind: str) -> str:
    """The record kind (and point rule kind) of one kind of other duty."""
    return f"deputies.duty.{kind}"


def register_own_kinds() -> None:
    register_section(ArchiveSection(code=MANDATE_SECTION, label=gettext_lazy("Mandate"), order=100))
    register_section(ArchiveSection(code=CONTACT_SECTION, label=gettext_lazy("Voters and liaison"), order=200))
    register_section(ArchiveSection(code=DUTY_SECTION, label=gettext_lazy("Other duties"), order=900))
    register(
        RecordKind(
            code="deputies.mandate_event",
            label=gettext_lazy("Change of mandate status"),
            records=_mandate_events,
            section=MANDATE_SECTION,
            models=(MandateEvent,),
        )
    )
    register(
        RecordKind(
            code="deputies.by_election",
            label=gettext_lazy("Elected in a by-election"),
            records=_by_elections,
            section=MANDATE_SECTION,
            in_archive=False,  # shown already as a change of mandate status
            models=(MandateEvent,),
        )
    )
    register(
        RecordKind(
            code="deputies.voter_contact",
            label=gettext_lazy("Voter kept in contact"),
            records=_voter_contacts,
            section=CONTACT_SECTION,
            default_points=Decimal(1),
            models=(VoterContact,),
        )
    )
    register(
        RecordKind(
            code="deputies.liaison",
            label=gettext_lazy("Liaison leader assigned"),
            records=_liaisons,
            section=CONTACT_SECTION,
            models=(LiaisonAssignment,),
        )
    )
    for kind in DutyKind:
        register(
            RecordKind(
                code=duty_kind_code(kind),
                label=kind.label,
                records=_duties_of(kind.value),
                section=DUTY_SECTION,
                default_points=DUTY_DEFAULT_POINTS[kind],
                models=(DutyRecord,),
            )
        )
