"""Targets: mine with their progress, my team's, one target's negotiation and change — through the targets API."""

from __future__ import annotations

from typing import Any

from fastapi import APIRouter, Request
from sqlalchemy import select

from api.deps import current_definition, get_temporal
from api.errors import ApiError
from api.routers import targets as target_routes
from api.schemas.targets import AcceptBody, ChangeBody, DecideBody, TargetOpen, ValuesBody
from db.models import Staff, utcnow
from definitions.review import quarter_of
from definitions.targets import TargetsDefinition, next_period
from web.core import DB, CurrentViewer, Form, WebRoute, call, int_or_none, redirect, render

router = APIRouter(route_class=WebRoute, include_in_schema=False)


def _number(i18n, raw: str | None, name: str) -> float:
    try:
        return float((raw or "").strip())
    except ValueError:
        raise ApiError(422, i18n.gettext("{name}: enter a number.", name=name)) from None


def _values(i18n, form: dict[str, str], metrics: list[str]) -> dict[str, float]:
    return {key: _number(i18n, form.get(f"v_{key}"), key) for key in metrics}


def progress_charts(i18n, detail) -> list[dict[str, Any]]:
    """One line chart per metric: the actual by day against what was due by then, and the target."""
    by_metric: dict[str, list] = {}
    for point in detail.progress:
        by_metric.setdefault(point.metric, []).append(point)
    charts = []
    for key, points in by_metric.items():
        charts.append(
            {
                "metric": key,
                "config": {
                    "type": "line",
                    "data": {
                        "labels": [p.day.isoformat() for p in points],
                        "datasets": [
                            {
                                "label": i18n.gettext("Actual"),
                                "data": [p.actual for p in points],
                                "borderColor": "#2563eb",
                                "backgroundColor": "#2563eb",
                                "tension": 0.2,
                            },
                            {
                                "label": i18n.gettext("Due by then"),
                                "data": [p.expected for p in points],
                                "borderColor": "#9ca3af",
                                "backgroundColor": "#9ca3af",
                                "borderDash": [6, 4],
                                "pointRadius": 0,
                            },
                            {
                                "label": i18n.gettext("Target"),
                                "data": [p.target for p in points],
                                "borderColor": "#16a34a",
                                "backgroundColor": "#16a34a",
                                "pointRadius": 0,
                            },
                        ],
                    },
                    "options": {"plugins": {"legend": {"position": "bottom"}}, "scales": {"y": {"beginAtZero": True}}},
                },
                "last": points[-1],
            }
        )
    return charts


async def _timezone(request: Request) -> tuple[TargetsDefinition, str]:
    definition = await current_definition(request, TargetsDefinition)
    return definition, definition.schedule.timezone or request.app.state.settings.timezone


@router.get("/targets")
async def targets(request: Request, session: DB, viewer: CurrentViewer):
    """My targets (the current one with its progress lines), my team's, and opening a target setting."""
    actor = viewer.actor
    mine, team = [], []
    if actor.staff_id is not None:
        mine = (
            await call(
                target_routes.list_targets,
                actor,
                session=session,
                scope="mine",
                period=None,
                status_filter=None,
                limit=100,
            )
        ).items
        team = (
            await call(
                target_routes.list_targets,
                actor,
                session=session,
                scope="team",
                period=None,
                status_filter=None,
                limit=300,
            )
        ).items
    elif actor.sees_all:
        team = (
            await call(
                target_routes.list_targets,
                actor,
                session=session,
                scope="all",
                period=None,
                status_filter=None,
                limit=300,
            )
        ).items
    current = next((t for t in mine if t.status in ("agreed", "closed")), None) or (mine[0] if mine else None)
    detail = await call(target_routes.get_target, actor, target_id=current.id, session=session) if current else None
    _, timezone = await _timezone(request)
    members = []
    if actor.role.value in ("admin", "director", "manager") and (
        actor.visible_staff_ids is None or len(actor.visible_staff_ids) > 1
    ):
        query = select(Staff.id, Staff.name).where(
            Staff.active.is_(True), Staff.role.in_(("account_manager_l1", "account_manager_l2"))
        )
        if actor.visible_staff_ids is not None:
            query = query.where(Staff.id.in_(actor.visible_staff_ids), Staff.id != actor.staff_id)
        members = (await session.execute(query.order_by(Staff.name))).all()
    return render(
        request,
        "targets.html",
        mine=mine,
        team=team,
        detail=detail,
        charts=progress_charts(viewer.i18n, detail) if detail else [],
        members=members,
        next_period=next_period(utcnow(), timezone),
        this_period=quarter_of(utcnow(), timezone),
    )


@router.post("/targets/open")
async def open_setting(request: Request, session: DB, viewer: CurrentViewer, form: Form):
    temporal = await get_temporal(request)
    staff_id = int_or_none(form.get("staff_id"))
    if staff_id is None:
        raise ApiError(422, viewer.i18n.gettext("Choose an account manager."))
    body = TargetOpen(period=(form.get("period") or "").strip(), staff_id=staff_id)
    response = await call(
        target_routes.open_target, viewer.actor, body=body, request=request, session=session, temporal=temporal
    )
    started = response.status_code == 202
    message = (
        viewer.i18n.gettext("Target setting opened.")
        if started
        else viewer.i18n.gettext("That target setting was already open.")
    )
    return redirect(request, "/targets", message=message)


@router.get("/targets/team")
async def team_targets(request: Request, session: DB, viewer: CurrentViewer, period: str | None = None):
    """The team's targets beside their actuals, per member and rolled up (supervisors, directors, ops, admin)."""
    _, timezone = await _timezone(request)
    period = period or quarter_of(utcnow(), timezone)
    rolled = await call(
        target_routes.get_team_targets, viewer.actor, request=request, session=session, period=period, root=None
    )
    return render(request, "targets_team.html", rolled=rolled, period=period)


@router.get("/targets/{target_id}")
async def target(request: Request, target_id: int, session: DB, viewer: CurrentViewer):
    detail = await call(target_routes.get_target, viewer.actor, target_id=target_id, session=session)
    ids = {detail.staff_id, detail.supervisor_id, detail.director_id} | {v.author_id for v in detail.versions}
    names = dict(
        (
            await session.execute(
                select(Staff.id, Staff.name).where(Staff.id.in_({i for i in ids if i is not None} or {0}))
            )
        ).all()
    )
    open_tasks = [t for t in detail.tasks if t.status == "open"]
    return render(
        request,
        "target.html",
        t=detail,
        names=names,
        open_tasks=open_tasks,
        charts=progress_charts(viewer.i18n, detail),
    )


@router.post("/targets/{target_id}/{action}")
async def act(request: Request, target_id: int, action: str, session: DB, viewer: CurrentViewer, form: Form):
    """One negotiation step, the director's decision or a change request, through the API's route."""
    i18n = viewer.i18n
    temporal = await get_temporal(request)
    common: dict[str, Any] = dict(target_id=target_id, session=session, temporal=temporal)
    reason = (form.get("reason") or "").strip() or None
    if action in ("propose", "counter", "decide"):
        detail = await call(target_routes.get_target, viewer.actor, target_id=target_id, session=session)
        values = _values(i18n, form, detail.metrics)
        if action == "decide":
            await call(target_routes.decide, viewer.actor, body=DecideBody(values=values, comment=reason), **common)
            message = i18n.gettext("Targets decided and pinned.")
        else:
            route = target_routes.propose if action == "propose" else target_routes.counter
            await call(route, viewer.actor, body=ValuesBody(values=values, reason=reason), **common)
            message = i18n.gettext("Proposal sent.") if action == "propose" else i18n.gettext("Counter-proposal sent.")
    elif action == "accept":
        await call(target_routes.accept, viewer.actor, body=AcceptBody(reason=reason), **common)
        message = i18n.gettext("Targets agreed and pinned.")
    elif action == "change":
        if not reason:
            raise ApiError(422, i18n.gettext("Give a reason for the change."))
        body = ChangeBody(
            metric=(form.get("metric") or "").strip(), value=_number(i18n, form.get("value"), "value"), reason=reason
        )
        await call(target_routes.request_change, viewer.actor, body=body, request=request, **common)
        message = i18n.gettext("Change requested: it waits for approval.")
    else:
        raise ApiError(404, "not found")
    return redirect(request, f"/targets/{target_id}", message=message)
