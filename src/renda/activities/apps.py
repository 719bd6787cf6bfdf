from django.apps import AppConfig
from django.db.models.signals import post_save
from django.utils.translation import gettext_lazy as _


def _declare_audit_words() -> None:
    """The activity lifecycle's events (services.py); each area declares its own beside it."""
    from renda.accounts import events

    from .models import ActivityCategory, SigninMethod

    events.register_events(
        {
            "activities.activity.create": _("Activity planned"),
            "activities.activity.update": _("Activity plan changed"),
            "activities.activity.cancel": _("Activity cancelled"),
            "activities.activity.notify": _("Activity notice sent"),
            "activities.activity.held": _("Activity recorded as held"),
            "activities.activity.minutes": _("Activity minutes saved"),
            "activities.participants.set": _("Activity participants chosen"),
            "activities.participant.sign_in": _("Signed in at an activity"),
            "activities.participant.undo": _("Activity sign-in withdrawn"),
            "activities.leave.request": _("Leave from an activity requested"),
            "activities.leave.decide": _("Leave from an activity decided"),
            "activities.signin_code.withdraw": _("Activity sign-in code withdrawn"),
        }
    )
    # "kind", "via", "count", "fields", "reason", "deputy", "approved", "on_time", "due_by", "present",
    # "absent", "starts" are declared already (meetings, casework); "kind" and "via" get our words.
    events.register_details(
        {
            "kind": events.Detail(_("Kind"), ActivityCategory.choices),
            "via": events.Detail(_("Through"), SigninMethod.choices),
        }
    )


def _register_plans() -> None:
    """Annual plans, the study library and the deputy groups' frequency: their audit words, menu
    entries and the staff's home card of silent groups."""
    from django.utils.text import format_lazy

    from renda.accounts import events
    from renda.accounts.roles import Role
    from renda.core import registry

    from . import permissions_plans as may
    from .models import LibraryCategory, PlanKind
    from .views_groups import home_silent_groups

    events.register_events(
        {
            "activities.plan.create": _("Annual plan created"),
            "activities.plan.update": _("Annual plan changed"),
            "activities.plan.item_add": _("Plan item added"),
            "activities.plan.item_update": _("Plan item changed"),
            "activities.plan.item_remove": _("Plan item removed"),
            "activities.plan.approve": _("Annual plan approved"),
            "activities.plan.revise": _("Approved plan returned to draft"),
            "activities.plan.link": _("Activity counted towards a plan item"),
            "activities.library.add": _("Library document added"),
            "activities.library.update": _("Library document changed"),
            "activities.library.remove": _("Library document removed"),
            "export.activities.library_file": _("Library document downloaded"),
            "export.activities.plan": format_lazy("{}：{}", _("Exported"), _("Plan versus done")),
        }
    )
    events.register_details(
        {
            "kind": events.Detail(
                _("Kind"), [*PlanKind.choices, *LibraryCategory.choices, ("activities.plan", _("Plan versus done"))]
            ),
            "plan_item": _("Plan item"),
        }
    )
    for code, label, url_name, order, visible in (
        ("activities.plans", _("Annual plans"), "activities:plans", 430, may.may_view_plans),
        ("activities.library", _("Study library"), "activities:library", 440, may.may_read_library),
        ("activities.groups", _("Deputy group activities"), "activities:groups", 450, may.may_view_groups),
    ):
        registry.menu.add(registry.MenuEntry(code=code, label=label, url_name=url_name, order=order, visible=visible))
    registry.home_cards.add(
        registry.HomeCard(
            code="activities.silent_groups",
            template="activities/groups/home_staff.html",
            roles=frozenset({Role.COUNTY_ADMIN, Role.TOWNSHIP_STAFF}),
            order=140,
            context=home_silent_groups,
        )
    )


def _register_voter_reports() -> None:
    """Reports to voters (述职): audit words, the menu entry 代表述职, the archive section and points."""
    from renda.accounts import events
    from renda.core import registry

    from . import permissions_voter_reports as may
    from .records_voter_reports import register_kinds

    events.register_events(
        {
            "activities.voter_report.schedule": _("Report to voters scheduled"),
            "activities.voter_report.update": _("Report to voters changed"),
            "activities.voter_report.held": _("Report to voters recorded as held"),
            "activities.voter_report.missed": _("Report to voters recorded as missed"),
            "activities.voter_report.cancel": _("Report to voters cancelled"),
        }
    )
    # "deputy", "date", "present", "reason" are declared already (meetings, casework, accounts).
    events.register_details({"satisfaction": _("Satisfaction")})
    registry.menu.add(
        registry.MenuEntry(
            code="activities.voter_reports",
            label=_("Reports to voters"),
            url_name="activities:voter_reports",
            order=395,
            visible=may.may_browse_reports,
        )
    )
    register_kinds()


def _register_evaluations() -> None:
    """Evaluations (代表评议): the audit words, the menu entry, the home cards (a deputy's open
    ballot, a unit's rectification items, the staff's overdue items) and the API router."""
    from django.utils.text import format_lazy

    from renda.accounts import events
    from renda.accounts.roles import Role
    from renda.core import registry

    from . import permissions_evaluations as may
    from . import selectors_evaluations as selectors
    from .api_evaluations import router
    from .models import EvaluationState

    events.register_events(
        {
            "activities.evaluation.create": _("Evaluation created"),
            "activities.evaluation.units": _("Units to evaluate chosen"),
            "activities.evaluation.unit": _("Evaluated unit's survey and report saved"),
            "activities.evaluation.meeting": _("Evaluation meeting date set"),
            "activities.evaluation.step": _("Evaluation moved on"),
            "activities.ballot.open": _("Evaluation ballot opened"),
            "activities.ballot.cast": _("Voted in an evaluation ballot"),
            "activities.ballot.paper": _("Paper ballots of an evaluation counted"),
            "activities.ballot.close": _("Evaluation ballot closed"),
            "activities.rectification.add": _("Rectification item set"),
            "activities.rectification.report": _("Rectification progress reported"),
        }
    )
    events.register_details(
        {
            "before": events.Detail(_("Before"), EvaluationState.choices),
            "after": events.Detail(_("After"), EvaluationState.choices),
            "deadline": _("Deadline"),
            "done": _("Rectification completed"),
        }
    )
    export_kinds = [
        ("activities.evaluation_results", _("Evaluation results")),
        ("activities.evaluation_report", _("Evaluation report")),
    ]
    events.register_events(
        {f"export.{code}": format_lazy("{}：{}", _("Exported"), label) for code, label in export_kinds}
    )
    events.register_details({"kind": events.Detail(_("Kind"), export_kinds)})
    registry.menu.add(
        registry.MenuEntry(
            code="activities.evaluations",
            label=_("Deputies' evaluations"),
            url_name="activities:evaluations",
            order=390,
            visible=may.may_view_evaluations,
        )
    )
    registry.menu.add(
        registry.MenuEntry(
            code="activities.rectifications",
            label=_("Rectification"),
            url_name="activities:rectifications",
            order=395,
            visible=may.is_unit_handler,
        )
    )
    for code, template, roles, context in (
        (
            "activities.evaluation_ballots",
            "activities/evaluations/home_deputy.html",
            {Role.DEPUTY},
            selectors.home_ballots,
        ),
        (
            "activities.rectifications",
            "activities/evaluations/home_rectifications.html",
            {Role.AGENCY_HANDLER, Role.COUNTY_ADMIN, Role.TOWNSHIP_STAFF},
            selectors.home_rectifications,
        ),
    ):
        registry.home_cards.add(
            registry.HomeCard(code=code, template=template, roles=frozenset(roles), order=140, context=context)
        )
    registry.api_routers.add(registry.ApiRouter(code="evaluations", prefix="/", router=router, order=460))


def _register_findings() -> None:
    """Photos, findings and documents: their parts of the activity page, their audit words, the
    county's activity types in the menu, and the activities API."""
    from django.utils.text import format_lazy

    from renda.accounts import events
    from renda.core import registry

    from . import views_findings
    from .api import router
    from .permissions import may_manage_types
    from .sections import parts

    events.register_events(
        {
            "activities.photo.add": _("Activity photo added"),
            "activities.photo.delete": _("Activity photo deleted"),
            "export.activities.photo": _("Activity photo viewed"),
            "activities.finding.add": _("Activity finding recorded"),
            "activities.finding.to_case": _("Activity finding turned into a case"),
            "activities.type.add": _("Activity type added"),
            "activities.type.rename": _("Activity type renamed"),
            "activities.type.retire": _("Activity type no longer offered"),
            "activities.type.offer": _("Activity type offered again"),
            "activities.type.move": _("Activity type moved"),
        }
    )
    export_kinds = [
        ("activities.notice", _("Activity notice")),
        ("activities.signin_sheet", _("Activity sign-in sheet")),
    ]
    events.register_events(
        {f"export.{code}": format_lazy("{}：{}", _("Exported"), label) for code, label in export_kinds}
    )
    events.register_details({"kind": events.Detail(_("Kind"), export_kinds)})
    for code, label, template, order, context in (
        ("photos", _("Photos"), "activities/photos/part.html", 500, views_findings.photos_part),
        ("findings", _("Findings"), "activities/findings/part.html", 600, views_findings.findings_part),
        ("documents", _("Documents"), "activities/findings/documents_part.html", 700, views_findings.documents_part),
    ):
        parts.add(registry.PagePart(code=code, label=label, template=template, order=order, context=context))
    registry.menu.add(
        registry.MenuEntry(
            code="activities.types",
            label=_("Activity types"),
            url_name="activities:types",
            order=995,
            visible=may_manage_types,
        )
    )
    registry.api_routers.add(registry.ApiRouter(code="activities", prefix="/", router=router, order=450))


def _home_staff(user) -> dict:
    from .selectors import home_staff

    return home_staff(user)


def _home_deputy(user) -> dict:
    from .selectors import home_deputy

    return home_deputy(user)


def _register_activities() -> None:
    """The activities' points and archive section, the list in the menu (代表活动) and the home
    cards: staff's coming activities, notices due and minutes missing; a deputy's invitations."""
    from renda.accounts.roles import Role
    from renda.core import registry

    from . import permissions as may
    from .records import register_kinds

    register_kinds()
    registry.menu.add(
        registry.MenuEntry(
            code="activities.list",
            label=_("Deputies' activities"),
            url_name="activities:list",
            order=390,
            visible=may.may_browse_activities,
        )
    )
    for code, template, roles, order, context in (
        (
            "activities.staff",
            "activities/activities/home_staff.html",
            {Role.COUNTY_ADMIN, Role.TOWNSHIP_STAFF},
            86,
            _home_staff,
        ),
        ("activities.deputy", "activities/activities/home_deputy.html", {Role.DEPUTY}, 106, _home_deputy),
    ):
        registry.home_cards.add(
            registry.HomeCard(code=code, template=template, roles=frozenset(roles), order=order, context=context)
        )


class ActivitiesConfig(AppConfig):
    name = "renda.activities"
    verbose_name = _("Activities and supervision")

    def ready(self) -> None:
        from renda.organisations.models import County

        from .types import on_county_saved

        post_save.connect(on_county_saved, sender=County, dispatch_uid="activities.default_types")
        _declare_audit_words()
        _register_plans()
        _register_voter_reports()
        _register_evaluations()
        _register_findings()
        _register_activities()
