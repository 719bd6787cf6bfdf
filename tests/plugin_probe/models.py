from django.db import models

from renda.core.models import UUIDModel


class Visit(UUIDModel):
    """A voter received by a deputy: a record kind of a capability the deputies app does not know."""

    mandate = models.ForeignKey("deputies.Mandate", on_delete=models.CASCADE, related_name="+")
    day = models.DateField()
    visitor = models.CharField(max_length=50)  # a citizen's name: staff only
