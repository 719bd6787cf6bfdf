"""The records the deputies app itself contributes to archives and points.

Each reads the rows of the ``mandates`` its caller chose within a scope (an archive) or a county
(a recomputation), hence ``unscoped()``: the mandates are the scope."""

from decimal import Decimal

from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from .contributions import Contribution, RecordKind, register
from .models import LiaisonAssignment, MandateEvent, MandateEventKind, VoterContact


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


def register_own_kinds() -> None:
    register(
        RecordKind(
            code="deputies.mandate_event",
            label=gettext_lazy("Change of mandate status"),
            records=_mandate_events,
        )
    )
    register(
        RecordKind(
            code="deputies.by_election",
            label=gettext_lazy("Elected in a by-election"),
            records=_by_elections,
            in_archive=False,  # shown already as a change of mandate status
        )
    )
    register(
        RecordKind(
            code="deputies.voter_contact",
            label=gettext_lazy("Voter kept in contact"),
            records=_voter_contacts,
            default_points=Decimal(1),
        )
    )
    register(
        RecordKind(
            code="deputies.liaison",
            label=gettext_lazy("Liaison leader assigned"),
            records=_liaisons,
        )
    )
