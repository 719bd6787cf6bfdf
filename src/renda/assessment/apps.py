from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


def _declare_audit_words() -> None:
    """The assessment's events (services.py)."""
    from renda.accounts import events

    from .models import DocumentKind

    events.register_events(
        {
            "assessment.scheme.create": _("Assessment scheme created"),
            "assessment.scheme.copy": _("Assessment scheme copied from an earlier year"),
            "assessment.scheme.update": _("Assessment scheme changed"),
            "assessment.scheme.publish": _("Assessment results published"),
            "assessment.section.add": _("Assessment section added"),
            "assessment.section.update": _("Assessment section changed"),
            "assessment.section.remove": _("Assessment section removed"),
            "assessment.indicator.add": _("Indicator added"),
            "assessment.indicator.update": _("Indicator changed"),
            "assessment.indicator.remove": _("Indicator removed"),
            "assessment.score.enter": _("Assessment points entered"),
            "assessment.score.adjust": _("Assessment points adjusted"),
            "assessment.document.add": _("Year document added"),
            "assessment.document.remove": _("Year document removed"),
        }
    )
    # "year", "kind", "count", "name", "fields", "reason", "township" may be declared already; the
    # same key gets the same label, and "kind" our words.
    events.register_details(
        {
            "indicator": _("Indicator"),
            "points": _("Points"),
            "copied_from": _("Copied from"),
            "end": _("Counted up to"),
            "kind": events.Detail(_("Kind"), DocumentKind.choices),
        }
    )


def _register_schemes() -> None:
    """The schemes and scores (views_schemes, views_scores): the menu entry 考核."""
    from renda.core import registry

    from .permissions import may_view_assessment

    registry.menu.add(
        registry.MenuEntry(
            code="assessment.schemes",
            label=_("Assessment of townships"),
            url_name="assessment:schemes",
            order=460,
            visible=may_view_assessment,
        )
    )


def _register_documents() -> None:
    """The year documents' pages: the menu entry 年度文件 and the download's audit word."""
    from renda.accounts import events
    from renda.core import registry

    from . import permissions as may

    events.register_events({"export.assessment.document_file": _("Year document downloaded")})
    registry.menu.add(
        registry.MenuEntry(
            code="assessment.documents",
            label=_("Year documents"),
            url_name="assessment:documents",
            order=465,
            visible=may.may_view_documents,
        )
    )


def _register_reports() -> None:
    """The year-end documents' export words (views_reports.py) and the assessment API (api.py)."""
    from django.utils.text import format_lazy

    from renda.accounts import events
    from renda.core import registry

    from .api import router

    export_kinds = [
        ("assessment.scheme_table", _("Assessment table")),
        ("assessment.scheme_report", _("Assessment summary report")),
    ]
    events.register_events(
        {f"export.{code}": format_lazy("{}：{}", _("Exported"), label) for code, label in export_kinds}
    )
    events.register_details({"kind": events.Detail(_("Kind"), export_kinds)})
    registry.api_routers.add(registry.ApiRouter(code="assessment", prefix="/assessment/", router=router, order=470))


def _register_dashboard() -> None:
    """The dashboards (工作看板): the menu entry, the Excel exports' audit words and the API router."""
    from django.utils.text import format_lazy

    from renda.accounts import events
    from renda.core import registry

    from . import permissions as may
    from .api_dashboard import router

    export_kinds = [
        ("assessment.dashboard", _("Assessment dashboard")),
        ("assessment.heat_map", _("Assessment heat map")),
        ("assessment.township_dashboard", _("Township's assessment dashboard")),
    ]
    events.register_events(
        {f"export.{code}": format_lazy("{}：{}", _("Exported"), label) for code, label in export_kinds}
    )
    registry.menu.add(
        registry.MenuEntry(
            code="assessment.dashboard",
            label=_("Work dashboard"),
            url_name="assessment:dashboard",
            order=455,
            visible=may.may_view_dashboard,
        )
    )
    registry.api_routers.add(registry.ApiRouter(code="assessment.dashboard", prefix="/", router=router, order=470))


class AssessmentConfig(AppConfig):
    """The county's annual assessment of townships (domain.md §9): schemes of computed and entered
    indicators, scores traceable to records, dashboards and the year-end reports."""

    name = "renda.assessment"
    verbose_name = _("Assessment")

    def ready(self) -> None:
        _declare_audit_words()
        from .platform_measures import register_platform_measures

        register_platform_measures()
        _register_schemes()
        _register_documents()
        _register_reports()
        _register_dashboard()
