from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.shortcuts import render

from renda.accounts.scoping import VIEW, get_scoped_or_404, role_may

from . import selectors
from .models import Person


def roster(request):
    if not role_may(request.user, VIEW, Person):
        raise PermissionDenied
    query = request.GET.get("q", "").strip()[:50]
    people = selectors.roster(request.user, query=query).prefetch_related("mandates__group", "mandates__station")
    page = Paginator(people, 50).get_page(request.GET.get("page"))
    return render(request, "deputies/roster.html", {"page": page, "query": query})


def person_detail(request, uuid):
    person = get_scoped_or_404(Person.objects.select_related("township"), request.user, VIEW, uuid=uuid)
    mandates = person.mandates.select_related("term__township", "term__county", "group", "station")
    return render(request, "deputies/person_detail.html", {"person": person, "mandates": mandates})
