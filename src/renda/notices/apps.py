from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


def _declare_audit_words() -> None:
    from renda.accounts import events

    events.register_events(
        {
            "notices.notice.post": _("Notice posted"),
            "notices.notice.read": _("Notice read"),
            "notices.notice.withdraw": _("Notice withdrawn"),
        }
    )


class NoticesConfig(AppConfig):
    name = "renda.notices"
    verbose_name = _("Notices")

    def ready(self) -> None:
        _declare_audit_words()
