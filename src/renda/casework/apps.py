from django.apps import AppConfig
from django.utils.text import format_lazy
from django.utils.translation import gettext_lazy as _

from renda.accounts.roles import Role

# The staff's home card: township staff and the county administrator, who review and assign.
CASE_STAFF_HOME = frozenset({Role.COUNTY_ADMIN, Role.TOWNSHIP_STAFF})


def _home_cases(user) -> dict:
    from django.utils import timezone

    from .selectors import home_counts

    return {"counts": home_counts(user, today=timezone.localdate())}


def _declare_audit_words() -> None:
    from renda.accounts import events

    from .models import CaseSource, CaseState, Escalation, Satisfaction
    from .workflow import Step

    events.register_events(
        {
            "casework.case.create": _("Case entered"),
            "casework.category.create": _("Case category added"),
            "casework.category.rename": _("Case category renamed"),
            "casework.category.move": _("Case category moved"),
            "casework.category.activate": _("Case category reactivated"),
            "casework.category.deactivate": _("Case category deactivated"),
            "casework.category.defaults": _("Usual case categories set up"),
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
            "handling": events.Detail(_("Handling"), Satisfaction.choices),
            "result": events.Detail(_("Result"), Satisfaction.choices),
            "rater": events.Detail(_("Rater"), [("deputy", _("Deputy")), ("citizen", _("Citizen"))]),
            "missing": _("Not rated"),
            "automatic": _("Automatic"),
            "escalation": events.Detail(_("Escalation"), [(str(value), label) for value, label in Escalation.choices]),
            "key": _("Key supervision"),
            "repeated": _("Repeated over several years"),
            "assign_due_on": _("assign by"),
            "answer_due_on": _("answer by"),
            "rating_due_on": _("rate by"),
            # "name", "before" and "count" are the accounts app's words.
            "order": _("Position"),
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

        from . import permissions as may
        from .api import router

        _declare_audit_words()
        registry.menu.add(
            registry.MenuEntry(
                code="casework.list",
                label=_("Suggestions and opinions"),
                url_name="casework:list",
                order=400,
                visible=may.may_view_cases,
            )
        )
        registry.home_cards.add(
            registry.HomeCard(
                code="casework.staff",
                template="casework/home_staff.html",
                roles=CASE_STAFF_HOME,
                order=80,
                context=_home_cases,
            )
        )
        registry.api_routers.add(registry.ApiRouter(code="casework", prefix="/", router=router, order=300))
        workdays.on_calendar_change(_calendar_changed)
