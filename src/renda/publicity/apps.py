from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class PublicityConfig(AppConfig):
    """Publicity (宣传): townships' work news and deputies' profiles, the county's public page, and
    the articles published in the media (用稿) that the assessment counts."""

    name = "renda.publicity"
    verbose_name = _("Publicity")
