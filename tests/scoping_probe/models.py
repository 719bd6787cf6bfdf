from django.db import models
from django.db.models import Q

from renda.core.models import UUIDModel
from renda.core.scopes import Scope, ScopedModel, Via


class ProbeCase(ScopedModel, UUIDModel):
    county = models.ForeignKey("organisations.County", on_delete=models.CASCADE, related_name="+")
    township = models.ForeignKey("organisations.Township", on_delete=models.CASCADE, related_name="+")
    title = models.CharField(max_length=80)
    filed_by = models.ForeignKey("deputies.Mandate", on_delete=models.CASCADE, related_name="+")
    cosigners = models.ManyToManyField("deputies.Mandate", related_name="+", blank=True)

    scope = Scope(
        county="county",
        township="township",
        # Agencies currently assigned, lead or co; an agency that handed the case back sees it no more.
        agency=Via("assignments__agency", where=Q(assignments__handed_back_on__isnull=True)),
        # The deputy who filed it and every co-signer, whichever of their mandates they signed with.
        owner=("filed_by__person__user", "cosigners__person__user"),
    )

    def __str__(self) -> str:
        return self.title


class ProbeAssignment(models.Model):
    case = models.ForeignKey(ProbeCase, on_delete=models.CASCADE, related_name="assignments")
    agency = models.ForeignKey("organisations.Agency", on_delete=models.CASCADE, related_name="+")
    is_lead = models.BooleanField(default=False)
    handed_back_on = models.DateField(null=True, blank=True)

    def __str__(self) -> str:
        return f"{self.case} → {self.agency}"
