from django.urls import reverse

from renda.deputies.contributions import Contribution

from .models import Visit


def visits(mandates):
    for visit in Visit.objects.filter(mandate__in=mandates).order_by("day", "pk"):
        yield Contribution(
            mandate_id=visit.mandate_id,
            date=visit.day,
            source=visit,
            title=f"接待选民{visit.visitor}",
            url=reverse("api:plugin_probe_visits"),
        )
