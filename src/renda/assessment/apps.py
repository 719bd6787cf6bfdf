from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class AssessmentConfig(AppConfig):
    """The county's annual assessment of townships (domain.md §9): schemes of computed and entered
    indicators, scores traceable to records, dashboards and the year-end reports."""

    name = "renda.assessment"
    verbose_name = _("Assessment")
