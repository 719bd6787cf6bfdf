from django.apps import AppConfig
from django.utils.text import format_lazy
from django.utils.translation import gettext_lazy as _


def _declare_audit_words() -> None:
    from renda.accounts import events

    from .models import CaseSource, CaseState, Escalation
    from .workflow import Step

    events.register_events(
        {
            "casework.case.create": _("Case entered"),
            **{f"casework.case.{step.value}": format_lazy("{}：{}", _("Case"), step.label) for step in Step},
        }
    )
    events.register_details(
        {
            "step": events.Detail(_("Step"), Step.choices),
            "state_before": events.Detail(_("State before"), CaseState.choices),
            "state_after": events.Detail(_("State after"), CaseState.choices),
            "source": events.Detail(_("Source"), CaseSource.choices),
            "signers": _("Signers"),
            "channel": _("Entered through"),
            "into": _("Merged into"),
            "lead": _("Lead agency"),
            "co": _("Co-agencies"),
            "agency": _("Agency"),
            "until": _("New deadline"),
            "approved": _("Approved"),
            "class": _("Reply class"),
            "round": _("Round"),
            "handling": _("Handling"),
            "result": _("Result"),
            "rater": _("Rater"),
            "missing": _("Not rated"),
            "automatic": _("Automatic"),
            "escalation": events.Detail(_("Escalation"), [(str(value), label) for value, label in Escalation.choices]),
            "key": _("Key supervision"),
            "repeated": _("Repeated over several years"),
            "assign_due_on": _("assign by"),
            "answer_due_on": _("answer by"),
            "rating_due_on": _("rate by"),
        }
    )


def _calendar_changed(first, last) -> None:
    from .tasks import deadlines_recompute

    deadlines_recompute.enqueue(first.isoformat(), last.isoformat())


class CaseworkConfig(AppConfig):
    name = "renda.casework"
    verbose_name = _("Casework")

    def ready(self) -> None:
        from renda.core import registry, workdays

        from .api import router
        from .records import register_kinds

        register_kinds()
        _declare_audit_words()
        registry.api_routers.add(registry.ApiRouter(code="casework", prefix="/", router=router, order=300))
        workdays.on_calendar_change(_calendar_changed)
