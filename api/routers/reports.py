"""Reports for directors and managers (DESIGN §3.8): one endpoint per section, each with a CSV export.

Every figure is computed within the viewer's subtree (`Actor.visible_staff_ids`): a director sees their
subtree, a manager themselves and the staff below them, ops and admin everyone; service principals none.
"""

from __future__ import annotations

import csv
import io
from typing import Annotated, Any

from fastapi import APIRouter, Query, Request
from fastapi.responses import Response
from pydantic import BaseModel

from api.auth import Actor
from api.deps import Reader, Session, current_definition
from api.errors import not_found
from api.schemas.common import MAX_INT, Offset
from db.models import utcnow
from db.repositories import reports
from db.repositories.kpis import KpiWindow
from db.repositories.staff import subtree_ids
from definitions.incentives import IncentiveDefinition
from definitions.review import PERIOD_PATTERN, period_bounds, quarter_of

router = APIRouter(prefix="/v1/reports", tags=["reports"])

Period = Annotated[str | None, Query(pattern=PERIOD_PATTERN, description="YYYYQn; default: the current quarter")]
Months = Annotated[int, Query(ge=1, le=24, description="how many months back, the current one included")]
Under = Annotated[int | None, Query(ge=1, le=MAX_INT, description="only this staff member's subtree (within yours)")]
ROWS_PER_PAGE, MAX_ROWS_PER_PAGE = 200, 1000
RowLimit = Annotated[int, Query(ge=1, le=MAX_ROWS_PER_PAGE, description="rows per page (the CSV export has every row)")]
EVERY_ROW = MAX_INT  # the CSV export's limit: one file with the whole section


class ReportOut(BaseModel):
    """A section's figures: `columns` name the keys of each row, in order (the CSV header)."""

    section: str
    period: str | None = None
    months: list[str] = []
    scope: str  # "all" or "subtree"
    staff_id: int | None = None  # narrowed to this staff member's subtree
    columns: list[str]
    rows: list[dict[str, Any]]  # one page of them: `offset` on, at most `limit`
    total: int  # rows in the whole section
    limit: int
    offset: int


def _out(
    report: reports.Report, actor: Actor, staff_id: int | None, limit: int = ROWS_PER_PAGE, offset: int = 0
) -> ReportOut:
    return ReportOut(
        section=report.section,
        period=report.period,
        months=report.months,
        scope="all" if actor.sees_all and staff_id is None else "subtree",
        staff_id=staff_id,
        columns=report.columns,
        rows=report.rows[offset : offset + limit],
        total=len(report.rows),
        limit=limit,
        offset=offset,
    )


async def _scope(session, actor: Actor, staff_id: int | None) -> frozenset[int] | None:
    """The staff a report covers: the viewer's subtree, narrowed to one member's subtree on request (404 outside)."""
    if staff_id is None:
        return actor.visible_staff_ids
    if not actor.can_see_staff(staff_id):
        raise not_found("staff member", staff_id)
    below = frozenset(await subtree_ids(session, staff_id))
    return below if actor.visible_staff_ids is None else below & actor.visible_staff_ids


def _window(request: Request, period: str | None) -> tuple[str, KpiWindow]:
    timezone = request.app.state.settings.timezone
    period = period or quarter_of(utcnow(), timezone)
    start, end = period_bounds(period, timezone)
    return period, KpiWindow.between(start, end, timezone)


@router.get("/attainment", response_model=ReportOut)
async def attainment_report(
    request: Request,
    session: Session,
    actor: Reader,
    period: Period = None,
    staff_id: Under = None,
    limit: RowLimit = ROWS_PER_PAGE,
    offset: Offset = 0,
) -> ReportOut:
    """Target, actual and attainment of each rewarded metric, per person and per team."""
    period, window = _window(request, period)
    rules = await current_definition(request, IncentiveDefinition)
    targets = {rule.metric: rule.target for rule in rules.metrics}
    scope = await _scope(session, actor, staff_id)
    return _out(
        await reports.attainment_report(session, scope, period=period, window=window, targets=targets),
        actor,
        staff_id,
        limit,
        offset,
    )


@router.get("/trends", response_model=ReportOut)
async def trends_report(
    request: Request,
    session: Session,
    actor: Reader,
    months: Months = 12,
    staff_id: Under = None,
    limit: RowLimit = ROWS_PER_PAGE,
    offset: Offset = 0,
) -> ReportOut:
    """The key metrics month by month (new customers, revenue, retention, SLA compliance, complaints closed)."""
    scope = await _scope(session, actor, staff_id)
    return _out(
        await reports.trends_report(
            session, scope, end=utcnow(), months=months, timezone=request.app.state.settings.timezone
        ),
        actor,
        staff_id,
        limit,
        offset,
    )


@router.get("/sla", response_model=ReportOut)
async def sla_report(
    request: Request,
    session: Session,
    actor: Reader,
    period: Period = None,
    staff_id: Under = None,
    limit: RowLimit = ROWS_PER_PAGE,
    offset: Offset = 0,
) -> ReportOut:
    """SLA compliance (response, resolution, both) by complaint severity and by category."""
    period, window = _window(request, period)
    return _out(
        await reports.sla_report(session, await _scope(session, actor, staff_id), period=period, window=window),
        actor,
        staff_id,
        limit,
        offset,
    )


@router.get("/satisfaction", response_model=ReportOut)
async def satisfaction_report(
    request: Request,
    session: Session,
    actor: Reader,
    months: Months = 12,
    staff_id: Under = None,
    limit: RowLimit = ROWS_PER_PAGE,
    offset: Offset = 0,
) -> ReportOut:
    """Average satisfaction month by month."""
    return _out(
        await reports.satisfaction_report(
            session,
            await _scope(session, actor, staff_id),
            end=utcnow(),
            months=months,
            timezone=request.app.state.settings.timezone,
        ),
        actor,
        staff_id,
        limit,
        offset,
    )


@router.get("/reclaimed", response_model=ReportOut)
async def reclaimed_report(
    request: Request,
    session: Session,
    actor: Reader,
    period: Period = None,
    staff_id: Under = None,
    limit: RowLimit = ROWS_PER_PAGE,
    offset: Offset = 0,
) -> ReportOut:
    """Customers reclaimed to the public pool, per person."""
    period, window = _window(request, period)
    return _out(
        await reports.reclaimed_report(session, await _scope(session, actor, staff_id), period=period, window=window),
        actor,
        staff_id,
        limit,
        offset,
    )


@router.get("/overdue", response_model=ReportOut)
async def overdue_report(
    session: Session, actor: Reader, staff_id: Under = None, limit: RowLimit = ROWS_PER_PAGE, offset: Offset = 0
) -> ReportOut:
    """Open tasks past their due date, per person holding them."""
    scope = await _scope(session, actor, staff_id)
    return _out(await reports.overdue_report(session, scope, now=utcnow()), actor, staff_id, limit, offset)


SECTION_ROUTES = {
    "attainment": attainment_report,
    "trends": trends_report,
    "sla": sla_report,
    "satisfaction": satisfaction_report,
    "reclaimed": reclaimed_report,
    "overdue": overdue_report,
}


def csv_text(report: ReportOut) -> str:
    """The rows as CSV (header: the columns), numbers as plain decimals."""
    buffer = io.StringIO()
    writer = csv.DictWriter(buffer, fieldnames=report.columns, extrasaction="ignore", lineterminator="\n")
    writer.writeheader()
    for row in report.rows:
        writer.writerow({key: "" if row.get(key) is None else row[key] for key in report.columns})
    return buffer.getvalue()


@router.get(
    "/{section}.csv",
    response_class=Response,
    responses={200: {"content": {"text/csv": {}}, "description": "the section's rows as CSV"}},
)
async def report_csv(
    section: str,
    request: Request,
    session: Session,
    actor: Reader,
    period: Period = None,
    months: Months = 12,
    staff_id: Under = None,
) -> Response:
    """Any section as CSV, with the same figures (and the same subtree) as its JSON."""
    route = SECTION_ROUTES.get(section)
    if route is None:
        raise not_found("report section", section)
    arguments: dict[str, Any] = {"session": session, "actor": actor, "staff_id": staff_id, "limit": EVERY_ROW}
    if section in ("attainment", "sla", "reclaimed"):
        arguments.update(request=request, period=period)
    elif section in ("trends", "satisfaction"):
        arguments.update(request=request, months=months)
    report = await route(**arguments)
    stamp = report.period or (report.months[-1] if report.months else utcnow().date().isoformat())
    return Response(
        csv_text(report),
        media_type="text/csv; charset=utf-8",
        headers={"Content-Disposition": f'attachment; filename="{section}-{stamp}.csv"'},
    )
