from uuid import UUID

from ninja import Router, Schema

from renda.accounts.scoping import VIEW, scoped
from renda.deputies.models import Mandate

from .models import Visit

router = Router(tags=["plugin probe"])


class VisitOut(Schema):
    uuid: UUID
    day: str


@router.get("/visits", response=list[VisitOut], url_name="plugin_probe_visits")
def list_visits(request):
    visits = Visit.objects.filter(mandate__in=scoped(Mandate, request.auth, VIEW)).order_by("day", "pk")
    return [VisitOut(uuid=visit.uuid, day=f"{visit.day:%Y-%m-%d}") for visit in visits]
