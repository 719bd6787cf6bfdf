"""JSON API for deputies: people (masked), mandates, group and station members, points, archives. Same scope as
the pages."""

from datetime import date
from decimal import Decimal
from uuid import UUID

from django.utils import timezone
from ninja import Field, Router, Schema
from ninja.pagination import paginate

from renda.accounts.scoping import VIEW, get_scoped_or_404, scoped
from renda.core.pii import mask_id_number, mask_phone
from renda.organisations.models import DeputyGroup, Station, Township

from . import archive, selectors
from .models import Mandate, MandateLevel, Person, PointEntry

router = Router(tags=["deputies"])


class PersonOut(Schema):
    uuid: UUID
    township: UUID = Field(..., alias="township.uuid")
    full_name: str
    name_pinyin: str
    gender: str
    ethnicity: str
    birth: str = Field(..., alias="birth_display")
    party: str
    education: str
    occupation: str
    workplace: str
    phone: str
    id_number: str

    @staticmethod
    def resolve_phone(obj) -> str:
        return mask_phone(obj.phone)

    @staticmethod
    def resolve_id_number(obj) -> str:
        return mask_id_number(obj.id_number)


class MandateOut(Schema):
    uuid: UUID
    person: UUID = Field(..., alias="person.uuid")
    person_name: str = Field(..., alias="person.full_name")
    level: str
    term: UUID | None = Field(None, alias="term.uuid")
    deputy_number: str
    constituency: str
    group: UUID | None = Field(None, alias="group.uuid")
    station: UUID | None = Field(None, alias="station.uuid")
    status: str
    starts_on: date | None
    ends_on: date | None
    is_worker_farmer: bool
    is_technical: bool
    is_leading_cadre: bool
    is_reelected: bool
    is_returned_overseas: bool


class PointEntryOut(Schema):
    uuid: UUID
    mandate: UUID = Field(..., alias="mandate.uuid")
    kind: str
    date: date
    title: str
    points: Decimal
    source_type: str = Field(..., alias="source_type.model")
    source_uuid: UUID


class ArchiveLineOut(Schema):
    date: date
    section: str
    kind: str
    kind_label: str
    title: str
    outcome: str
    points: Decimal | None


class StandingOut(Schema):
    person: UUID = Field(..., alias="uuid")
    mandate: UUID = Field(..., alias="mandate_uuid")
    person_name: str = Field(..., alias="full_name")
    township: str = Field(..., alias="township.name")
    total: Decimal


class ServingCountOut(Schema):
    township: UUID | None
    township_name: str
    people: int
    township_congress: int
    county_congress: int


class ServingCountsOut(Schema):
    as_of: date
    townships: list[ServingCountOut]
    total: ServingCountOut


@router.get("/deputies/counts", response=ServingCountsOut)
def serving_counts(request, as_of: date | None = None):
    """Serving deputies per township and in all, by the one count the home page, the roster and the
    composition use: people, of them the township congress's deputies and the county's."""
    day = as_of or timezone.localdate()
    counts = selectors.serving_counts(request.auth, day)
    townships = scoped(Township, request.auth, VIEW).filter(pk__in=counts).order_by("division_code", "name")

    def row(township, count) -> dict:
        return {
            "township": township.uuid if township else None,
            "township_name": township.name if township else "",
            "people": count["people"],
            "township_congress": count["township"],
            "county_congress": count["county"],
        }

    total = selectors.serving_totals(counts)
    return {
        "as_of": day,
        "townships": [row(township, counts[township.pk]) for township in townships],
        "total": row(None, total),
    }


@router.get("/deputies", response=list[PersonOut])
@paginate
def list_people(request, q: str = "", as_of: date | None = None):
    filters = selectors.RosterFilters(query=q[:50], as_of=as_of, status="all" if as_of is None else "serving")
    return selectors.roster(request.auth, filters, today=timezone.localdate())


@router.get("/deputies/{uuid}", response=PersonOut)
def get_person(request, uuid: UUID):
    return get_scoped_or_404(Person.objects.select_related("township"), request.auth, VIEW, uuid=uuid)


@router.get("/mandates", response=list[MandateOut])
@paginate
def list_mandates(request, as_of: date | None = None):
    mandates = scoped(Mandate.objects.select_related("person", "term", "group", "station"), request.auth, VIEW)
    if as_of is not None:
        mandates = mandates.filter(selectors.serving_on(as_of))
    return mandates.order_by("person__name_stroke_key", "pk")


@router.get("/groups/{uuid}/members", response=list[MandateOut])
@paginate
def group_members(request, uuid: UUID):
    group = get_scoped_or_404(DeputyGroup, request.auth, VIEW, uuid=uuid)
    return (
        selectors.roster_as_of(request.auth, timezone.localdate())
        .filter(group=group)
        .select_related("person", "term", "group", "station")
        .order_by("person__name_stroke_key", "pk")
    )


@router.get("/stations/{uuid}/members", response=list[MandateOut])
@paginate
def station_members(request, uuid: UUID):
    station = get_scoped_or_404(Station, request.auth, VIEW, uuid=uuid)
    return (
        selectors.roster_as_of(request.auth, timezone.localdate())
        .filter(station=station)
        .select_related("person", "term", "group", "station")
        .order_by("person__name_stroke_key", "pk")
    )


@router.get("/points", response=list[StandingOut])
@paginate
def points_leaderboard(request, year: int | None = None, quarter: int | None = None, level: str = "township"):
    """One congress's board (``level``: township or county), each person once, best first."""
    year = year if year and 2000 <= year <= 2100 else timezone.localdate().year
    quarter = quarter if quarter in {1, 2, 3, 4} else None
    level = level if level in {MandateLevel.TOWNSHIP, MandateLevel.COUNTY} else MandateLevel.TOWNSHIP
    return selectors.leaderboard(request.auth, year=year, quarter=quarter, level=level)


@router.get("/mandates/{uuid}/points", response=list[PointEntryOut])
@paginate
def mandate_points(request, uuid: UUID):
    mandate = get_scoped_or_404(Mandate, request.auth, VIEW, uuid=uuid)
    return (
        scoped(PointEntry, request.auth, VIEW)
        .filter(mandate=mandate)
        .select_related("mandate", "source_type")
        .order_by("-date", "kind", "pk")
    )


@router.get("/mandates/{uuid}/archive", response=list[ArchiveLineOut])
def mandate_archive(request, uuid: UUID):
    """The lines of the mandate's archive the caller may see, in date order."""
    mandate = get_scoped_or_404(Mandate, request.auth, VIEW, uuid=uuid)
    return archive.timeline(mandate, viewer=request.auth)
