"""Complaints: the board by stage for my subtree and a complaint's page with the actions its stage allows."""

from __future__ import annotations

from decimal import Decimal, InvalidOperation

from fastapi import APIRouter, Request
from sqlalchemy import select

from api.deps import get_temporal
from api.errors import ApiError
from api.routers import complaints as complaint_routes
from api.routers import timeline as timeline_routes
from api.schemas.complaint import AcknowledgeBody, ReassignBody, ResolveBody, ResumeBody, WaitOnCustomerBody
from db.models import Customer, PrincipalRole, Staff, Task
from definitions.complaint import SEVERITIES, STAGES
from web.core import active_staff, DB, CurrentViewer, Form, WebRoute, call, int_or_none, redirect, render

router = APIRouter(route_class=WebRoute, include_in_schema=False)

# What each stage allows (the workflow's validators have the last word).
ACTIONS = {
    "open": ("acknowledge", "reassign"),
    "in_progress": ("wait-on-customer", "resolve", "reassign"),
    "waiting_on_customer": ("resume", "resolve", "reassign"),
    "pending_approval": ("reassign",),
    "resolved": ("reassign",),
    "closed": (),
}
HANDLERS = (PrincipalRole.MANAGER, PrincipalRole.DIRECTOR, PrincipalRole.ADMIN)


def deadline_in_force(complaint) -> tuple[str | None, object]:
    """The SLA clock that runs now: respond-by while open, resolve-by while being worked on; none when paused."""
    if complaint.stage == "open":
        return "respond", complaint.respond_by
    if complaint.stage in ("in_progress", "pending_approval"):
        return "resolve", complaint.resolve_by
    return None, None


async def _lookup(session, model, ids) -> dict[int, str]:
    wanted = {i for i in ids if i is not None}
    if not wanted:
        return {}
    return dict((await session.execute(select(model.id, model.name).where(model.id.in_(wanted)))).all())


@router.get("/complaints")
async def board(
    request: Request, session: DB, viewer: CurrentViewer, severity: str = "", owner_id: str = "", show_closed: str = ""
):
    """Columns by stage; filters: severity, owner; closed ones only on request."""
    sev = severity if severity in SEVERITIES else None
    page = await call(
        complaint_routes.list_all,
        viewer.actor,
        session=session,
        status=None,
        severity=sev,
        customer_id=None,
        owner_id=int_or_none(owner_id),
        limit=200,
        offset=0,
    )
    stages = [s for s in STAGES if s != "closed" or show_closed]
    columns = {stage: [] for stage in stages}
    for complaint in page.items:
        if complaint.stage in columns:
            columns[complaint.stage].append(complaint)
    owners = await _lookup(session, Staff, [c.owner_id for c in page.items])
    customers = await _lookup(session, Customer, [c.customer_id for c in page.items])
    team = [] if viewer.actor.is_service else await active_staff(viewer.actor, session)
    return render(
        request,
        "complaints.html",
        columns=columns,
        owners=owners,
        customers=customers,
        team=team,
        severities=SEVERITIES,
        severity=sev or "",
        owner_id=owner_id,
        show_closed=show_closed,
        deadline=deadline_in_force,
    )


@router.get("/complaints/{complaint_id}")
async def complaint_page(request: Request, complaint_id: str, session: DB, viewer: CurrentViewer):
    """Status, deadlines, the actions the stage allows, and the complaint's timeline."""
    complaint = await call(complaint_routes.get_one, viewer.actor, complaint_id=complaint_id, session=session)
    actor = viewer.actor
    customer = await session.get(Customer, complaint.customer_id)
    timeline = []
    if not actor.is_service:
        page = await call(
            timeline_routes.get_timeline,
            actor,
            customer_id=complaint.customer_id,
            session=session,
            limit=1000,
            offset=0,
        )
        timeline = [e for e in page.items if e.complaint_id == complaint.id]
    actions = ACTIONS.get(complaint.stage, ()) if actor.role in HANDLERS else ()
    team = []
    if "reassign" in actions:
        team = [
            s for s in await active_staff(actor, session) if s.id != complaint.owner_id and actor.can_see_staff(s.id)
        ]
    if not team:
        actions = tuple(a for a in actions if a != "reassign")  # nobody else in my view to hand it to
    open_task = None
    if complaint.stage == "pending_approval":
        open_task = await session.scalar(
            select(Task).where(Task.workflow_id == complaint.process_id, Task.status == "open")
        )
    owners = await _lookup(session, Staff, [complaint.owner_id] + [e.who_staff_id for e in timeline])
    phase, due = deadline_in_force(complaint)
    return render(
        request,
        "complaint.html",
        c=complaint,
        customer=customer,
        owners=owners,
        timeline=timeline,
        staff_names=owners,
        actions=actions,
        team=team,
        phase=phase,
        due=due,
        open_task=open_task,
    )


def _note(form: dict[str, str]) -> str | None:
    return (form.get("note") or "").strip()[:2000] or None


@router.post("/complaints/{complaint_id}/{action}")
async def act(request: Request, complaint_id: str, action: str, session: DB, viewer: CurrentViewer, form: Form):
    """One action of the complaint's process, through the same route the API runs."""
    i18n = viewer.i18n
    temporal = await get_temporal(request)
    common = dict(complaint_id=complaint_id, session=session, temporal=temporal)
    if action == "acknowledge":
        await call(complaint_routes.acknowledge, viewer.actor, body=AcknowledgeBody(note=_note(form)), **common)
        message = i18n.gettext("Complaint acknowledged.")
    elif action == "wait-on-customer":
        await call(complaint_routes.wait_on_customer, viewer.actor, body=WaitOnCustomerBody(note=_note(form)), **common)
        message = i18n.gettext("Waiting on the customer; the resolution clock is paused.")
    elif action == "resume":
        await call(complaint_routes.resume, viewer.actor, body=ResumeBody(note=_note(form)), **common)
        message = i18n.gettext("Resumed; the resolution clock runs again.")
    elif action == "resolve":
        resolution = (form.get("resolution") or "").strip()
        if not resolution:
            raise ApiError(422, i18n.gettext("Write the resolution."))
        amount = None
        if (form.get("compensation_amount") or "").strip():
            try:
                amount = Decimal(form["compensation_amount"].strip())
            except InvalidOperation:
                raise ApiError(422, i18n.gettext("The compensation must be an amount.")) from None
            if amount < 0:
                raise ApiError(422, i18n.gettext("The compensation must be an amount."))
        await call(
            complaint_routes.resolve,
            viewer.actor,
            body=ResolveBody(resolution=resolution[:2000], compensation_amount=amount),
            **common,
        )
        message = i18n.gettext("Resolution recorded.")
    elif action == "reassign":
        owner_id = int_or_none(form.get("owner_id"))
        if owner_id is None:
            raise ApiError(422, i18n.gettext("Choose the new owner."))
        await call(
            complaint_routes.reassign, viewer.actor, body=ReassignBody(owner_id=owner_id, note=_note(form)), **common
        )
        message = i18n.gettext("Complaint reassigned.")
    else:
        raise ApiError(404, i18n.gettext("Unknown action."))
    return redirect(request, f"/complaints/{complaint_id}", message=message)
