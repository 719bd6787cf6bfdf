from django.apps import AppConfig
from django.db.models.signals import post_save
from django.utils.translation import gettext_lazy as _


class ActivitiesConfig(AppConfig):
    name = "renda.activities"
    verbose_name = _("Activities and supervision")

    def ready(self) -> None:
        from renda.organisations.models import County

        from .types import on_county_saved

        post_save.connect(on_county_saved, sender=County, dispatch_uid="activities.default_types")
