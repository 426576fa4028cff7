"""Staff administration: admins write; directors and managers read their subtree; ops read all."""

from __future__ import annotations

import asyncio
from datetime import timedelta
from typing import Annotated

import structlog
from fastapi import APIRouter, Query, Request, status
from fastapi.responses import JSONResponse
from temporalio.common import (
    SearchAttributePair,
    TypedSearchAttributes,
    WorkflowIDConflictPolicy,
    WorkflowIDReusePolicy,
)

from api.schemas.common import IdPath, IdQuery, Offset
from api.auth import Actor
from api.deps import AdminActor, Reader, Session, current_definition
from api.errors import ApiError, conflict, not_found
from api.schemas.staff import StaffCreate, StaffList, StaffOut, StaffUpdate
from db.models import Staff, StaffRole
from db.repositories.staff import StaffProblem, create_staff, list_staff, update_staff
from api.updates import DEADLINE_ERRORS, unavailable
from crmflow.temporal import SA_MANAGER_ID, SA_PROCESS_TYPE
from db.repositories.tasks import workflows_holding_open_tasks
from definitions.handover import HandOverDefinition, StaffHandOverInput
from workflows.handover import PROCESS as HANDOVER, StaffHandOverWorkflow, handover_workflow_id

log = structlog.get_logger(__name__)

router = APIRouter(prefix="/v1/staff", tags=["staff"])


def _problem(exc: StaffProblem) -> ApiError:
    details = {"field": exc.field} if exc.field else None
    return conflict(exc.message, details) if exc.conflict else ApiError(422, exc.message, details=details)


async def _visible_staff(session: Session, actor: Actor, staff_id: int) -> Staff:
    staff = await session.get(Staff, staff_id)
    # Outside the caller's subtree answers like a missing id: existence is not disclosed.
    if staff is None or not actor.can_see_staff(staff.id):
        raise not_found("staff", staff_id)
    return staff


@router.get("", response_model=StaffList)
async def list_staff_members(
    session: Session,
    actor: Reader,
    role: StaffRole | None = None,
    active: bool | None = None,
    region: str | None = None,
    supervisor_id: IdQuery = None,
    limit: Annotated[int, Query(ge=1, le=500)] = 50,
    offset: Offset = 0,
) -> StaffList:
    """Staff the caller may see (directors and managers: their subtree), filtered and paged."""
    rows, total = await list_staff(
        session,
        visible_ids=actor.visible_staff_ids,
        role=role.value if role else None,
        active=active,
        region=region,
        supervisor_id=supervisor_id,
        limit=limit,
        offset=offset,
    )
    return StaffList(items=[StaffOut.model_validate(row) for row in rows], total=total, limit=limit, offset=offset)


@router.post("", response_model=StaffOut, status_code=status.HTTP_201_CREATED)
async def create_staff_member(body: StaffCreate, session: Session, actor: AdminActor) -> StaffOut:
    """Add a staff member (admin)."""
    try:
        staff = await create_staff(session, actor=actor.label, **body.model_dump())
    except StaffProblem as exc:
        raise _problem(exc) from None
    await session.commit()
    await session.refresh(staff)
    return StaffOut.model_validate(staff)


@router.get("/{staff_id}", response_model=StaffOut)
async def get_staff_member(staff_id: IdPath, session: Session, actor: Reader) -> StaffOut:
    """One staff member within the caller's view."""
    return StaffOut.model_validate(await _visible_staff(session, actor, staff_id))


@router.patch(
    "/{staff_id}",
    response_model=StaffOut,
    responses={
        202: {
            "description": "deactivated; the hand-over of their open tasks is started durably and still running "
            "(its process is at Location)",
            "model": StaffOut,
            "headers": {"Location": {"schema": {"type": "string"}}},
        }
    },
)
async def update_staff_member(
    staff_id: IdPath, body: StaffUpdate, session: Session, actor: AdminActor, request: Request
) -> StaffOut | JSONResponse:
    """Change a staff member (admin); deactivating hands their open tasks up the supervisor chain.

    Each process holding one of their tasks moves it itself (the staff hand-over process tells them): 200 when
    that is done within the Temporal deadline, 202 while it runs on, 503 when it could not be started (the
    deactivation is kept; send the same request again to start the hand-over).
    """
    staff = await _visible_staff(session, actor, staff_id)
    try:
        await update_staff(session, staff, actor=actor.label, changes=body.changes())
    except StaffProblem as exc:
        raise _problem(exc) from None
    await session.commit()
    await session.refresh(staff)
    out = StaffOut.model_validate(staff)
    # Also when they were already inactive: a hand-over that could not start before is started by the retry.
    if body.changes().get("active") is False and await workflows_holding_open_tasks(session, staff.id):
        workflow_id = await _hand_over(request, staff.id, actor)
        if workflow_id is not None:
            return JSONResponse(
                out.model_dump(mode="json"),
                status_code=status.HTTP_202_ACCEPTED,
                headers={"Location": f"/v1/processes/{workflow_id}"},
            )
    return out


async def _hand_over(request: Request, staff_id: int, actor: Actor) -> str | None:
    """Start the leaver's hand-over process and wait for it within the deadline; its id while it still runs."""
    settings = request.app.state.settings
    deadline = settings.temporal_deadline_seconds
    definition = await current_definition(request, HandOverDefinition)
    workflow_id = handover_workflow_id(staff_id)
    try:
        temporal = await asyncio.wait_for(request.app.state.temporal(), deadline)
        handle = await asyncio.wait_for(
            temporal.start_workflow(
                StaffHandOverWorkflow.run,
                StaffHandOverInput(staff_id=staff_id, actor_label=actor.label, definition=definition),
                id=workflow_id,
                task_queue=settings.task_queue,
                rpc_timeout=timedelta(seconds=deadline),
                # A hand-over still running for them takes this one in (it reads the open tasks itself).
                id_conflict_policy=WorkflowIDConflictPolicy.USE_EXISTING,
                id_reuse_policy=WorkflowIDReusePolicy.ALLOW_DUPLICATE,
                search_attributes=TypedSearchAttributes(
                    [SearchAttributePair(SA_PROCESS_TYPE, HANDOVER), SearchAttributePair(SA_MANAGER_ID, str(staff_id))]
                ),
            ),
            deadline,
        )
    except Exception as exc:  # noqa: BLE001 - unreachable or refused: nothing started, the request may be sent again
        log.warning("staff.handover_not_started", staff_id=staff_id, error=str(exc))
        raise unavailable(
            "the staff member is deactivated, but the hand-over of their open tasks could not be "
            "started; send the same request again"
        ) from None
    try:
        await asyncio.wait_for(handle.result(), deadline)
    except DEADLINE_ERRORS:
        return workflow_id  # durably started: it runs on once a worker takes it
    except Exception as exc:  # noqa: BLE001 - the process failed: ops see it at Location, the deactivation stands
        log.warning("staff.handover_failed", staff_id=staff_id, workflow_id=workflow_id, error=str(exc))
        return workflow_id
    return None
