from uuid import UUID

from django.db.models import QuerySet
from ninja import Field, Router, Schema
from ninja.pagination import paginate

from renda.accounts.scoping import VIEW, get_scoped_or_404, scoped

from .models import Agency, County, DeputyGroup, Station, Township

router = Router(tags=["organisations"])


class CountyOut(Schema):
    uuid: UUID
    name: str
    division_code: str
    is_active: bool


class TownshipOut(Schema):
    uuid: UUID
    county: UUID = Field(..., alias="county.uuid")
    name: str
    kind: str
    division_code: str
    has_congress: bool
    is_active: bool


class StationOut(Schema):
    uuid: UUID
    township: UUID = Field(..., alias="township.uuid")
    name: str
    kind: str
    address: str
    reception_schedule: str
    is_active: bool


class DeputyGroupOut(Schema):
    uuid: UUID
    township: UUID = Field(..., alias="township.uuid")
    name: str
    station: UUID | None = Field(None, alias="station.uuid")
    is_active: bool


class AgencyOut(Schema):
    uuid: UUID
    county: UUID = Field(..., alias="county.uuid")
    township: UUID | None = Field(None, alias="township.uuid")
    name: str
    kind: str
    is_active: bool


def _by_township(queryset: QuerySet, township: UUID | None) -> QuerySet:
    return queryset.filter(township__uuid=township) if township else queryset


@router.get("/counties", response=list[CountyOut])
@paginate
def list_counties(request):
    return scoped(County, request.auth, VIEW)


@router.get("/townships", response=list[TownshipOut])
@paginate
def list_townships(request, county: UUID | None = None):
    townships = scoped(Township.objects.select_related("county"), request.auth, VIEW)
    return townships.filter(county__uuid=county) if county else townships


@router.get("/townships/{uuid}", response=TownshipOut)
def get_township(request, uuid: UUID):
    return get_scoped_or_404(Township.objects.select_related("county"), request.auth, VIEW, uuid=uuid)


@router.get("/stations", response=list[StationOut])
@paginate
def list_stations(request, township: UUID | None = None):
    stations = scoped(Station.objects.select_related("township"), request.auth, VIEW)
    return _by_township(stations, township)


@router.get("/groups", response=list[DeputyGroupOut])
@paginate
def list_groups(request, township: UUID | None = None):
    groups = scoped(DeputyGroup.objects.select_related("township", "station"), request.auth, VIEW)
    return _by_township(groups, township)


@router.get("/agencies", response=list[AgencyOut])
@paginate
def list_agencies(request, township: UUID | None = None):
    agencies = scoped(Agency.objects.select_related("county", "township"), request.auth, VIEW)
    return _by_township(agencies, township)
