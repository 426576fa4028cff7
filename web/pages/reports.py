"""Reports: one page per section with its charts, table and CSV export, through the API's own report routes."""

from __future__ import annotations

import re
from datetime import datetime
from typing import Any
from urllib.parse import urlencode

from fastapi import APIRouter, Request
from fastapi.responses import RedirectResponse, Response

from api.errors import ApiError
from api.routers import reports as report_routes
from web import labels
from web.core import DB, CurrentViewer, WebRoute, call, int_or_none, render
from definitions.review import PERIOD_PATTERN
from web.i18n import N_, I18n

router = APIRouter(route_class=WebRoute, include_in_schema=False)

SECTIONS = {
    "attainment": N_("Attainment"),
    "trends": N_("Trends"),
    "sla": N_("SLA compliance"),
    "satisfaction": N_("Satisfaction"),
    "reclaimed": N_("Customers reclaimed"),
    "overdue": N_("Overdue tasks"),
}
COLUMNS = {
    "level": N_("Level"),
    "staff_id": N_("Staff"),
    "name": N_("Name"),
    "team_id": N_("Team"),
    "team": N_("Team of"),
    "metric": N_("Metric"),
    "unit": N_("Unit"),
    "target": N_("Target"),
    "actual": N_("Actual"),
    "attainment": N_("Attainment"),
    "month": N_("Month"),
    "value": N_("Value"),
    "dimension": N_("By"),
    "complaints": N_("Complaints"),
    "sla_response": N_("SLA response"),
    "sla_resolution": N_("SLA resolution"),
    "sla_compliance": N_("SLA compliance"),
    "avg_satisfaction": N_("Average satisfaction"),
    "scores": N_("Scores"),
    "customers_reclaimed": N_("Customers reclaimed"),
    "customers_held": N_("Customers held"),
    "overdue_tasks": N_("Overdue tasks"),
    "escalated": N_("Escalated"),
    "oldest_due_at": N_("Oldest due"),
}
HIDDEN = ("staff_id", "team_id", "unit")  # ids and units: in the CSV, not on the page
PERCENT_KEYS = ("attainment", "sla_response", "sla_resolution", "sla_compliance")
LEVELS = {"person": N_("Person"), "team": N_("Team")}
DIMENSIONS = {"severity": N_("Severity"), "category": N_("Category")}
PALETTE = ["#2563eb", "#16a34a", "#f59e0b", "#dc2626", "#7c3aed", "#0891b2"]
RATE_UNITS = ("ratio",)


def _params(section: str, period: str | None, months: str | None) -> dict[str, Any]:
    """The query parameters a section's route takes (the rest of the query string is ignored)."""
    if section in ("attainment", "sla", "reclaimed"):
        return {"period": period or None}
    if section in ("trends", "satisfaction"):
        value = int_or_none(months)
        if value is not None and not 1 <= value <= 24:
            raise ApiError(422, "months: from 1 to 24")
        return {"months": value or 12}
    return {}


async def _report(
    request: Request,
    section: str,
    session,
    viewer,
    period: str | None,
    months: str | None,
    staff_id: str | None = None,
    *,
    offset: str | None = None,
    limit: int = report_routes.ROWS_PER_PAGE,
):
    route = report_routes.SECTION_ROUTES.get(section)
    if route is None:
        raise ApiError(404, viewer.i18n.gettext("No such report."))
    arguments = {
        **_params(section, period, months),
        "staff_id": int_or_none(staff_id),
        "limit": limit,
        "offset": max(int_or_none(offset) or 0, 0),
    }
    if section != "overdue":
        arguments["request"] = request
    if arguments.get("period") is not None:
        # The same check the API's query parameter makes (a page receives the raw string).
        if not re.match(PERIOD_PATTERN, arguments["period"]):
            raise ApiError(422, viewer.i18n.gettext("The period is written like 2026Q3."))
    return await call(route, viewer.actor, session=session, **arguments)


def _percent(value: float | None) -> float | None:
    return None if value is None else round(value * 100, 1)


def _bar(
    labels_: list[str], datasets: list[dict[str, Any]], *, percent: bool = False, horizontal: bool = False
) -> dict[str, Any]:
    options: dict[str, Any] = {"plugins": {"legend": {"position": "bottom"}}}
    axis = "x" if horizontal else "y"
    if percent:
        options["scales"] = {axis: {"beginAtZero": True, "title": {"display": True, "text": "%"}}}
    else:
        options["scales"] = {axis: {"beginAtZero": True}}
    if horizontal:
        options["indexAxis"] = "y"
    return {"type": "bar", "data": {"labels": labels_, "datasets": datasets}, "options": options}


def _line(labels_: list[str], datasets: list[dict[str, Any]], *, y_title: str = "") -> dict[str, Any]:
    scale: dict[str, Any] = {"beginAtZero": True}
    if y_title:
        scale["title"] = {"display": True, "text": y_title}
    return {
        "type": "line",
        "data": {"labels": labels_, "datasets": datasets},
        "options": {"plugins": {"legend": {"position": "bottom"}}, "scales": {"y": scale}, "spanGaps": True},
    }


def _dataset(label: str, values: list, index: int, **extra: Any) -> dict[str, Any]:
    colour = PALETTE[index % len(PALETTE)]
    return {"label": label, "data": values, "backgroundColor": colour, "borderColor": colour, **extra}


def charts_for(report, i18n: I18n) -> list[dict[str, Any]]:
    """The section's charts: [{"id", "title", "config"}], every figure taken from the report's rows."""
    _ = i18n.gettext
    rows = report.rows
    if report.section == "attainment":
        people = [r for r in rows if r["level"] == "person"]
        names = list(dict.fromkeys(r["name"] for r in people))
        # A page of rows may cut a person's or a team's metrics short: what is not on it is drawn as a gap.
        metrics = list(dict.fromkeys(r["metric"] for r in rows))
        by = {(r["name"], r["metric"]): r["attainment"] for r in people}
        datasets = [
            _dataset(_(labels.METRICS.get(m, m)), [_percent(by.get((n, m))) for n in names], i)
            for i, m in enumerate(metrics)
        ]
        teams = [r for r in rows if r["level"] == "team"]
        team_names = list(dict.fromkeys(r["team"] for r in teams))
        team_by = {(r["team"], r["metric"]): r["attainment"] for r in teams}
        team_sets = [
            _dataset(_(labels.METRICS.get(m, m)), [_percent(team_by.get((t, m))) for t in team_names], i)
            for i, m in enumerate(metrics)
        ]
        return [
            {
                "id": "chart-attainment-people",
                "title": _("Attainment by person (%)"),
                "config": _bar(names, datasets, percent=True),
            },
            {
                "id": "chart-attainment-teams",
                "title": _("Attainment by team (%)"),
                "config": _bar(team_names, team_sets, percent=True),
            },
        ]
    if report.section == "trends":
        charts = []
        for i, metric in enumerate(dict.fromkeys(r["metric"] for r in rows)):
            points = [r for r in rows if r["metric"] == metric]
            rate = points[0]["unit"] in RATE_UNITS
            values = [_percent(r["value"]) if rate else r["value"] for r in points]
            charts.append(
                {
                    "id": f"chart-trend-{metric}",
                    "title": _(labels.METRICS.get(metric, metric)),
                    "config": _line(
                        report.months,
                        [_dataset(_(labels.METRICS.get(metric, metric)), values, i, tension=0.2)],
                        y_title="%" if rate else "",
                    ),
                }
            )
        return charts
    if report.section == "sla":
        charts = []
        for dimension, title in (
            ("severity", _("SLA compliance by severity (%)")),
            ("category", _("SLA compliance by category (%)")),
        ):
            part = [r for r in rows if r["dimension"] == dimension]
            names = [
                _(labels.SEVERITIES.get(r["value"], r["value"])) if dimension == "severity" else r["value"]
                for r in part
            ]
            datasets = [
                _dataset(_(labels.METRICS[key]), [_percent(r[key]) for r in part], i)
                for i, key in enumerate(("sla_compliance", "sla_response", "sla_resolution"))
            ]
            charts.append(
                {"id": f"chart-sla-{dimension}", "title": title, "config": _bar(names, datasets, percent=True)}
            )
        return charts
    if report.section == "satisfaction":
        return [
            {
                "id": "chart-satisfaction",
                "title": _("Average satisfaction by month"),
                "config": _line(
                    report.months,
                    [_dataset(_("Average satisfaction"), [r["avg_satisfaction"] for r in rows], 0, tension=0.2)],
                    y_title="1–5",
                ),
            },
            {
                "id": "chart-satisfaction-scores",
                "title": _("Scores received by month"),
                "config": _bar(report.months, [_dataset(_("Scores"), [r["scores"] for r in rows], 1)]),
            },
        ]
    if report.section == "reclaimed":
        return [
            {
                "id": "chart-reclaimed",
                "title": _("Customers reclaimed to the pool, by person"),
                "config": _bar(
                    [r["name"] for r in rows],
                    [_dataset(_("Customers reclaimed"), [r["customers_reclaimed"] for r in rows], 3)],
                    horizontal=True,
                ),
            }
        ]
    return [
        {
            "id": "chart-overdue",
            "title": _("Overdue tasks by person"),
            "config": _bar(
                [r["name"] for r in rows],
                [
                    _dataset(_("Overdue tasks"), [r["overdue_tasks"] for r in rows], 3),
                    _dataset(_("Escalated"), [r["escalated"] for r in rows], 2),
                ],
                horizontal=True,
            ),
        }
    ]


def _cell(i18n: I18n, row: dict[str, Any], key: str) -> str:
    value = row.get(key)
    if value is None:
        return "—"
    if key == "metric":
        return i18n.gettext(labels.METRICS.get(value, value))
    if key == "level":
        return i18n.gettext(LEVELS.get(value, value))
    if key == "dimension":
        return i18n.gettext(DIMENSIONS.get(value, value))
    if key == "value" and row.get("dimension") == "severity":
        return labels.label(i18n, labels.SEVERITIES, value)
    if key == "oldest_due_at":
        return i18n.datetime(datetime.fromisoformat(value))
    if key in PERCENT_KEYS or (key in ("value", "actual", "target") and row.get("unit") in RATE_UNITS):
        return f"{i18n.number(round(value * 100, 1))} %"
    if isinstance(value, int | float) and not isinstance(value, bool):
        return i18n.number(value)
    return str(value)


def table_for(report, i18n: I18n) -> tuple[list[str], list[list[str]]]:
    """The report's table as the page shows it: translated headers, formatted cells."""
    keys = [key for key in report.columns if key not in HIDDEN]
    return (
        [i18n.gettext(COLUMNS.get(key, key)) for key in keys],
        [[_cell(i18n, row, key) for key in keys] for row in report.rows],
    )


@router.get("/reports")
async def reports_home(viewer: CurrentViewer) -> RedirectResponse:
    """The first section."""
    return RedirectResponse("/reports/attainment", status_code=303)


@router.get("/reports/{section}.csv")
async def report_csv(
    request: Request,
    section: str,
    session: DB,
    viewer: CurrentViewer,
    period: str | None = None,
    months: str | None = None,
    staff_id: str | None = None,
) -> Response:
    """The section as CSV: the same rows as the page (and as the API's export)."""
    report = await _report(request, section, session, viewer, period, months, staff_id, limit=report_routes.EVERY_ROW)
    stamp = report.period or (report.months[-1] if report.months else "now")
    return Response(
        report_routes.csv_text(report),
        media_type="text/csv; charset=utf-8",
        headers={"Content-Disposition": f'attachment; filename="{section}-{stamp}.csv"'},
    )


@router.get("/reports/{section}")
async def report_page(
    request: Request,
    section: str,
    session: DB,
    viewer: CurrentViewer,
    period: str | None = None,
    months: str | None = None,
    staff_id: str | None = None,
    offset: str | None = None,
    limit: str | None = None,
):
    """One section: filters, charts, the table (a page of rows) and the CSV link (`staff_id`: one subtree only)."""
    rows = min(max(int_or_none(limit) or report_routes.ROWS_PER_PAGE, 1), report_routes.MAX_ROWS_PER_PAGE)
    report = await _report(request, section, session, viewer, period, months, staff_id, offset=offset, limit=rows)
    query = urlencode([(k, v) for k, v in request.query_params.multi_items() if k not in ("offset", "limit")])
    headers, cells = table_for(report, viewer.i18n)
    return render(
        request,
        "reports.html",
        report=report,
        section=section,
        sections=SECTIONS,
        headers=headers,
        cells=cells,
        charts=charts_for(report, viewer.i18n),
        csv_url=f"/reports/{section}.csv" + (f"?{query}" if query else ""),
        period=report.period or "",
        months=len(report.months) or 12,
    )
