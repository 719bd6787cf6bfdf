from django.db.models import QuerySet

from renda.accounts.scoping import VIEW, scoped

from .models import Mandate, MandateStatus, Person


def own_mandates(user) -> QuerySet[Mandate]:
    """The mandates of the person behind a deputy's account."""
    return (
        Mandate.objects.filter(person__user=user)
        .select_related("term__township", "term__county", "group", "station", "person__township")
        .order_by("-status", "-starts_on")
    )


def active_mandates(user) -> QuerySet[Mandate]:
    return scoped(Mandate, user, VIEW).filter(status=MandateStatus.ACTIVE)


def roster(user, *, query: str = "", township=None) -> QuerySet[Person]:
    people = scoped(Person, user, VIEW).select_related("township")
    if township is not None:
        people = people.filter(township=township)
    if query:
        people = people.filter(full_name__contains=query)
    return people.order_by("township__division_code", "full_name")
