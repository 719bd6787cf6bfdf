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


def _home_duty(user) -> dict:
    from django.utils import timezone

    from .reception import duty_days

    return {"days": list(duty_days(user, timezone.localdate(), limit=5))}


def _declare_audit_words() -> None:
    from renda.accounts import events

    from .models import CaseSource, CaseState, Escalation, Satisfaction
    from .workflow import Step

    events.register_events(
        {
            "casework.case.create": _("Case entered"),
            "casework.reception.schedule_create": _("Reception schedule added"),
            "casework.reception.schedule_update": _("Reception schedule changed"),
            "casework.reception.plan": _("Reception days planned"),
            "casework.reception.day_create": _("Reception day added"),
            "casework.reception.day_update": _("Reception day changed"),
            "casework.reception.announce": _("Reception days announced"),
            "casework.reception.record": _("Reception day recorded"),
            "casework.reception.cancel": _("Reception day cancelled"),
            "casework.reception.opinions": _("Opinions of a reception day entered"),
            "export.casework.attachment": _("Case attachment downloaded"),

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
            "schedule": _("Schedule"),
            "days": _("Days"),
            "date": _("Date"),
            "deputies": _("Deputies on duty"),
            "visitors": _("Number of visitors"),
            "cases": _("Cases"),
            "assign_due_on": _("assign by"),
            "answer_due_on": _("answer by"),
            "rating_due_on": _("rate by"),
            "file": _("File"),
            "attachment": _("Attachment"),

            # "name", "before" and "count" are the accounts app's words.
            "order": _("Position"),
        }
    )
    _declare_report_words(events)


def _declare_report_words(events) -> None:
    """The reports area: documents, exports, the digest."""
    export_kinds = [
        ("casework.assignment_notice", _("Assignment notice")),
        ("casework.reminder_letter", _("Reminder letter")),
        ("casework.reply_letter", _("Reply letter")),
        ("casework.opinion_form", _("Opinion form")),
        ("casework.opinion_form_blank", _("Blank opinion form")),
        ("casework.cases", _("Case list")),
        ("casework.figures", _("Figures on suggestions and opinions")),
        ("casework.digest", _("Digest for the county leaders")),
    ]
    events.register_events(
        {
            "casework.reminder_letter.issue": _("Reminder letter issued"),
            "casework.digest.create": _("Digest created"),
            "casework.digest.update": _("Digest changed"),
            "casework.digest.item_add": _("Item added to the digest"),
            "casework.digest.item_remove": _("Item removed from the digest"),
            "casework.digest.item_edit": _("Digest item changed"),
            "casework.digest.correct": _("Issued digest corrected"),
            "casework.digest.issue": _("Digest issued"),
            "casework.digest.feedback": _("Leader's instruction recorded"),
            **{f"export.{code}": format_lazy("{}：{}", _("Exported"), label) for code, label in export_kinds},
        }
    )
    events.register_details(
        {
            "kind": events.Detail(_("Kind"), export_kinds),
            "document": _("Document number"),
            "number": _("Issue"),
            "items": _("Items"),
            "case": _("Case"),
            "leader": _("Leader"),
        }
    )


def _register_menu_and_home_cards(registry) -> None:
    """The casework menu entries and home cards: the staff's list and figures, the agency inbox
    (待办件), a deputy's own suggestions (我的建议) and reception duty."""
    from renda.accounts.roles import MANDATE_HOLDER_ROLES

    from . import inbox
    from . import permissions as may

    for code, label, url_name, order, visible in (
        ("casework.inbox", _("Cases to handle"), "casework:inbox", 150, may.may_use_inbox),
        ("casework.list", _("Suggestions and opinions"), "casework:list", 330, may.may_browse_case_list),
        ("casework.figures", _("Figures"), "casework:figures", 340, may.may_view_figures),
        ("casework.digests", _("Voice of the deputies"), "casework:digest_list", 350, may.may_view_digests),
        ("casework.my_cases", _("My suggestions"), "casework:my_cases", 420, may.may_view_own_suggestions),
        ("casework.reception", _("Reception days"), "casework:reception", 420, may.may_view_reception),
    ):
        registry.menu.add(registry.MenuEntry(code=code, label=label, url_name=url_name, order=order, visible=visible))
    for code, template, roles, order, context in (
        ("casework.staff", "casework/home_staff.html", CASE_STAFF_HOME, 80, _home_cases),
        ("casework.agency_inbox", "casework/home_agency.html", may.AGENCY_ROLES, 110, inbox.home_agency),
        ("casework.deputy_ratings", "casework/home_deputy.html", MANDATE_HOLDER_ROLES, 110, inbox.home_deputy),
        ("casework.reception_duty", "casework/reception/home_duty.html", {Role.DEPUTY}, 150, _home_duty),
    ):
        registry.home_cards.add(
            registry.HomeCard(code=code, template=template, roles=frozenset(roles), order=order, context=context)
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
        from .api_public import router as public_router
        from .records import register_kinds

        register_kinds()
        _declare_audit_words()
        _register_menu_and_home_cards(registry)
        registry.api_routers.add(registry.ApiRouter(code="casework", prefix="/", router=router, order=300))
        registry.api_routers.add(
            registry.ApiRouter(code="casework_public", prefix="/public/", router=public_router, order=310)
        )
        workdays.on_calendar_change(_calendar_changed)
