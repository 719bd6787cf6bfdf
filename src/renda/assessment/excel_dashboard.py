"""The dashboards' tables in Excel: the same rows the pages print (``selectors_dashboard``)."""

from __future__ import annotations

from django.utils.translation import gettext as _

from renda.documents import excel

from .selectors_dashboard import Dashboard, table_headers


def _caption(result: Dashboard, what: str) -> str:
    return _("%(what)s, %(period)s") % {"what": what, "period": result.period.label}


def _figures_sheet(result: Dashboard, footer_note: str) -> excel.Sheet:
    return excel.Sheet(
        title=_("Townships"),
        headers=[_("Township"), *table_headers()],
        rows=[[row.township.name, *row.cells] for row in result.rows],
        caption=_caption(result, _("Townships at a glance")),
        footer_note=footer_note,
    )


def _trends_sheet(result: Dashboard, footer_note: str) -> excel.Sheet:
    trends = result.trends
    series = trends.series if trends else []
    return excel.Sheet(
        title=_("Trends by month"),
        headers=[_("Month of the year"), *[name for name, _counts in series]],
        rows=[[label, *counts] for label, counts in (trends.rows if trends else [])],
        caption=_caption(result, _("Trends by month")),
        footer_note=footer_note,
    )


def dashboard_workbook(result: Dashboard, *, footer_note: str) -> bytes:
    return excel.workbook(sheets=[_figures_sheet(result, footer_note), _trends_sheet(result, footer_note)])


def heat_map_workbook(result: Dashboard, *, footer_note: str) -> bytes:
    heat = result.heat_map
    columns = heat.columns if heat else []
    note = _("Each figure between the lowest and the highest township.") if heat and heat.normalised else ""
    cells = excel.Sheet(
        title=_("Heat map"),
        headers=[_("Township"), *[column.label for column in columns]],
        rows=[
            [
                township.name,
                *[f"{cell.text}（{cell.percent}%）" if cell.percent is not None else cell.text for cell in row],
            ]
            for township, row in (heat.rows if heat else [])
        ],
        caption=_caption(result, _("Heat map of the townships")),
        footer_note="\n".join(part for part in (note, footer_note) if part),
    )
    spread = excel.Sheet(
        title=_("Spread"),
        headers=[_("Indicator"), _("Lowest"), _("Highest")],
        rows=[
            [
                column.label,
                f"{column.lowest[0]}：{column.lowest[1]}" if column.lowest else "—",
                f"{column.highest[0]}：{column.highest[1]}" if column.highest else "—",
            ]
            for column in columns
        ],
        caption=_caption(result, _("Spread between the townships")),
        footer_note=footer_note,
    )
    return excel.workbook(sheets=[cells, spread])


def township_workbook(result: Dashboard, *, footer_note: str) -> bytes:
    sheets = [_figures_sheet(result, footer_note), _trends_sheet(result, footer_note)]
    score = result.rows[0].score if result.rows else None
    if score is not None:
        sheets.append(
            excel.Sheet(
                title=_("Score"),
                headers=[_("Indicator"), _("Figure"), _("Points"), _("Maximum score")],
                rows=[
                    [
                        line.indicator.name,
                        "—" if line.value is None else str(line.value),
                        str(line.points),
                        f"{line.indicator.counted_max.normalize():f}",
                    ]
                    for line in score.lines
                ],
                caption=_caption(result, _("Score so far")),
                footer_note=footer_note,
            )
        )
    return excel.workbook(sheets=sheets)
