"""Ops: process search and a process's page, schedules, definitions, the staff directory (admin edits)."""

from __future__ import annotations

import re
from datetime import datetime, time
from typing import Any, get_args

from fastapi import APIRouter, Request
from sqlalchemy import select

from api.deps import get_temporal
from api.errors import ApiError, forbidden
from api.routers import definitions as definition_routes
from api.routers import processes as process_routes
from api.routers import schedules as schedule_routes
from api.routers import staff as staff_routes
from api.schemas.staff import StaffUpdate
from crmflow.inspection import STAGE_PATTERN, ProcessStatus
from db.models import Staff, StaffRole, Task
from db.repositories.staff import supervisor_chain
from web.core import DB, CurrentViewer, Form, WebRoute, call, int_or_none, redirect, render
from web.i18n import zone

router = APIRouter(route_class=WebRoute, include_in_schema=False)

PAGE_SIZE = 25
PROCESS_TYPES = get_args(process_routes.ProcessType)
PROCESS_STATUSES = get_args(ProcessStatus)


def _inspector(viewer) -> None:
    """Process inspection pages are for ops and admin (others work from their inbox and boards)."""
    if not viewer.actor.can_inspect:
        raise forbidden(viewer.i18n.gettext("Only ops and administrators inspect processes."))


def temporal_ui_link(request: Request, workflow_id: str, run_id: str | None) -> str:
    """The same run in the Temporal Web UI."""
    settings = request.app.state.settings
    base = settings.temporal_ui_url or f"http://127.0.0.1:{settings.temporal_ui_port}"
    link = f"{base.rstrip('/')}/namespaces/{settings.temporal_namespace}/workflows/{workflow_id}"
    return f"{link}/{run_id}/history" if run_id else link


@router.get("/ops/processes")
async def processes(
    request: Request,
    viewer: CurrentViewer,
    type: str = "",
    status: str = "",  # noqa: A002
    stage: str = "",
    customer_id: str = "",
    manager_id: str = "",
    cursor: str = "",
):
    """Search by type, stage, customer, manager and status; 25 a page, the next page by cursor."""
    _inspector(viewer)
    stage_value = stage.strip() or None
    if stage_value is not None and not re.fullmatch(STAGE_PATTERN, stage_value):
        raise ApiError(422, viewer.i18n.gettext("Unknown stage."))
    result = await call(
        process_routes.list_processes,
        viewer.actor,
        temporal=await get_temporal(request),
        type=type if type in PROCESS_TYPES else None,
        status=status if status in PROCESS_STATUSES else None,
        customer_id=int_or_none(customer_id),
        manager_id=int_or_none(manager_id),
        stage=stage_value,
        limit=PAGE_SIZE,
        cursor=cursor[:4096] or None,
    )
    return render(
        request,
        "ops_processes.html",
        items=result.items,
        next_cursor=result.next_cursor,
        first_page=not cursor,
        f={"type": type, "status": status, "stage": stage, "customer_id": customer_id, "manager_id": manager_id},
        types=PROCESS_TYPES,
        statuses=PROCESS_STATUSES,
    )


@router.get("/ops/processes/{workflow_id}")
async def process_page(request: Request, workflow_id: str, session: DB, viewer: CurrentViewer):
    """State, pending tasks, readable history and the link to the Temporal Web UI."""
    _inspector(viewer)
    temporal = await get_temporal(request)
    process = await call(
        process_routes.get_process, viewer.actor, workflow_id=workflow_id, session=session, temporal=temporal
    )
    history = await call(
        process_routes.process_history,
        viewer.actor,
        workflow_id=workflow_id,
        session=session,
        temporal=temporal,
        format="timeline",
    )
    tasks = (await session.scalars(select(Task).where(Task.workflow_id == workflow_id).order_by(Task.id))).all()
    return render(
        request,
        "ops_process.html",
        p=process,
        history=history.events,
        tasks=tasks,
        ui_link=temporal_ui_link(request, process.workflow_id, process.run_id),
    )


@router.get("/ops/schedules")
async def schedules(request: Request, viewer: CurrentViewer):
    listing = await call(schedule_routes.get_schedules, viewer.actor, temporal=await get_temporal(request))
    return render(request, "ops_schedules.html", schedules=listing.items, may_control=viewer.actor.can_inspect)


@router.post("/ops/schedules/{schedule_id}/{action}")
async def control(request: Request, schedule_id: str, action: str, viewer: CurrentViewer, form: Form):
    """Pause, unpause or trigger a schedule (ops and admin)."""
    temporal = await get_temporal(request)
    note = (form.get("note") or "").strip()[:500] or None
    i18n = viewer.i18n
    if action in ("pause", "unpause"):
        endpoint = schedule_routes.pause if action == "pause" else schedule_routes.unpause
        await call(
            endpoint,
            viewer.actor,
            schedule_id=schedule_id,
            temporal=temporal,
            body=schedule_routes.ScheduleControl(note=note),
        )
        message = i18n.gettext("Schedule paused.") if action == "pause" else i18n.gettext("Schedule running again.")
    elif action == "trigger":
        await call(schedule_routes.trigger, viewer.actor, schedule_id=schedule_id, temporal=temporal)
        message = i18n.gettext("Schedule triggered: a run starts now.")
    else:
        raise ApiError(404, i18n.gettext("Unknown action."))
    return redirect(request, "/ops/schedules", message=message)


@router.get("/ops/definitions")
async def definitions(request: Request, viewer: CurrentViewer):
    listing = await call(definition_routes.list_definitions, viewer.actor, request=request)
    return render(request, "ops_definitions.html", listing=listing)


@router.get("/staff")
async def staff_directory(request: Request, session: DB, viewer: CurrentViewer):
    """Everyone in my view with their supervisor chain."""
    listing = await call(
        staff_routes.list_staff_members,
        viewer.actor,
        session=session,
        role=None,
        active=None,
        region=None,
        supervisor_id=None,
        limit=500,
        offset=0,
    )
    names = dict((await session.execute(select(Staff.id, Staff.name))).all())
    chains: dict[int, list[str]] = {}
    for member in listing.items:
        chains[member.id] = [s.name for s in await supervisor_chain(session, member.id)]
    return render(request, "staff.html", staff=listing.items, chains=chains, names=names)


@router.get("/staff/{staff_id}")
async def staff_page(request: Request, staff_id: int, session: DB, viewer: CurrentViewer):
    member = await call(staff_routes.get_staff_member, viewer.actor, staff_id=staff_id, session=session)
    chain = await supervisor_chain(session, staff_id)
    everyone = (
        (await session.scalars(select(Staff).where(Staff.active.is_(True)).order_by(Staff.name))).all()
        if viewer.actor.is_admin
        else []
    )
    return render(
        request, "staff_member.html", m=member, chain=chain, everyone=everyone, roles=[r.value for r in StaffRole]
    )


def _staff_changes(form: dict[str, str], i18n, tz) -> dict[str, Any]:
    changes: dict[str, Any] = {}
    for key in ("name", "email", "role", "region"):
        if form.get(key, "").strip():
            changes[key] = form[key].strip()
    for key in ("capacity",):
        if form.get(key, "").strip():
            changes[key] = int_or_none(form[key])
    changes["supervisor_id"] = int_or_none(form.get("supervisor_id"))
    changes["delegate_id"] = int_or_none(form.get("delegate_id"))
    changes["active"] = form.get("active") == "on"
    until = (form.get("out_of_office_until") or "").strip()
    if until:
        try:
            changes["out_of_office_until"] = datetime.combine(datetime.fromisoformat(until).date(), time(23, 59), tz)
        except ValueError:
            raise ApiError(422, i18n.gettext("The out-of-office date is not a date.")) from None
    else:
        changes["out_of_office_until"] = None
    return changes


@router.post("/staff/{staff_id}")
async def edit_staff(request: Request, staff_id: int, session: DB, viewer: CurrentViewer, form: Form):
    """Admin edits a staff member (supervisor, out-of-office delegate, active…) through the staff API route."""
    i18n = viewer.i18n
    body = StaffUpdate(**_staff_changes(form, i18n, zone(None, request.app.state.settings.timezone)))
    await call(
        staff_routes.update_staff_member, viewer.actor, staff_id=staff_id, body=body, session=session, request=request
    )
    return redirect(request, f"/staff/{staff_id}", message=i18n.gettext("Saved."))
