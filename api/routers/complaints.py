"""Complaints (DESIGN §3.1, §4): intake by update-with-start, reads from the DB, actions as workflow Updates."""

from __future__ import annotations

import asyncio
import uuid
from datetime import UTC, datetime
from collections.abc import Callable
from typing import Annotated, Any, Literal

from fastapi import APIRouter, Query, Request, Response
from fastapi.responses import JSONResponse
from pydantic import BaseModel
from temporalio.client import WithStartWorkflowOperation, WorkflowUpdateFailedError
from temporalio.common import WorkflowIDConflictPolicy, WorkflowIDReusePolicy
from temporalio.exceptions import ApplicationError, WorkflowAlreadyStartedError
from temporalio.service import RPCError, RPCStatusCode

from api.schemas.common import IdQuery, Offset
from api.auth import Actor
from api.deps import CurrentActor, Filer, Session, TaskActorDep, Temporal, current_definition
from api.errors import ApiError, conflict, not_found
from api.updates import (
    DEADLINE_ERRORS,
    IdempotencyKey,
    UpdateOptions,
    UpdateOpts,
    answered_before,
    unavailable,
    update_id_for,
    update_kwargs,
    within,
)
from api.schemas.complaint import (
    AcknowledgeBody,
    ComplaintCreate,
    ComplaintList,
    ComplaintOut,
    CustomerResponseBody,
    ReassignBody,
    ResolveBody,
    ResumeBody,
    WaitOnCustomerBody,
)
from db.models import Complaint, Customer, PrincipalRole, Staff
from db.repositories.complaints import count_complaints, get_complaint, list_complaints
from definitions.complaint import (
    AcknowledgeRequest,
    ActionActor,
    ComplaintDefinition,
    ComplaintAnswer,
    ComplaintStart,
    ComplaintState,
    CustomerResponseRequest,
    IntakeRequest,
    ReassignRequest,
    ResolveRequest,
    ResumeRequest,
    Severity,
    Stage,
    WaitOnCustomerRequest,
)
from workflows.complaint import INVALID_INPUT, OPEN_FAILED, WRONG_STAGE, ComplaintWorkflow, intake_search_attributes

router = APIRouter(prefix="/v1/complaints", tags=["complaints"])

R = PrincipalRole
# Integrations (service) file complaints and relay the customer's answer; staff handle them; ops only read.

# Fixed namespace so the same principal + Idempotency-Key always names the same complaint.
_COMPLAINT_NAMESPACE = uuid.UUID("6f1d2b4e-3c0a-5b8e-9a51-0c2f6d1e7a93")


def complaint_id_for(actor: Actor, idempotency_key: str | None) -> str:
    """uuid5(principal + key) with an Idempotency-Key (retries name the same complaint), else uuid4."""
    if idempotency_key is None:
        return str(uuid.uuid4())
    return str(uuid.uuid5(_COMPLAINT_NAMESPACE, f"{actor.principal_id}:{idempotency_key}"))


def workflow_id_for(complaint_id: str) -> str:
    return f"complaint-{complaint_id}"


def _action_actor(actor: Actor) -> ActionActor:
    return ActionActor(label=actor.label, staff_id=actor.staff_id)


async def _fresh_row(session, complaint_id: str) -> Complaint | None:
    """Re-read after the workflow's activity committed (end our own read transaction first)."""
    await session.rollback()
    session.expunge_all()
    return await session.get(Complaint, complaint_id)


async def _visible_complaint(session, complaint_id: str, actor: Actor) -> Complaint:
    row = await get_complaint(session, complaint_id, visible_staff_ids=actor.visible_staff_ids)
    if row is None:
        raise not_found("complaint", complaint_id)
    return row


def _same_intake(row: Complaint, body: ComplaintCreate) -> bool:
    return (row.customer_id, row.severity, row.category, row.description, row.channel) == (
        body.customer_id,
        body.severity,
        body.category,
        body.description,
        body.channel,
    )


class ComplaintAccepted(BaseModel):
    """202: the process is durably started but has not answered yet (e.g. no worker); GET Location later."""

    id: str
    process_id: str
    status: Literal["accepted"] = "accepted"


@router.post(
    "",
    status_code=201,
    response_model=ComplaintOut,
    responses={
        200: {"description": "replay of an Idempotency-Key: the complaint created before", "model": ComplaintOut},
        202: {
            "description": "started durably but not answered in time; the complaint appears at Location",
            "model": ComplaintAccepted,
            "headers": {"Location": {"schema": {"type": "string"}}},
        },
    },
)
async def create_complaint(
    body: ComplaintCreate,
    request: Request,
    response: Response,
    session: Session,
    temporal: Temporal,
    actor: Filer,
    idempotency_key: IdempotencyKey = None,
) -> Any:
    """Open a complaint and its process (answer: the complaint with its deadlines).

    Idempotency-Key: the complaint id is derived from (principal, key), so a retry names the same complaint
    and process. 201 when this request created it; 200 (header Idempotent-Replayed: true) when the complaint
    already existed — running or closed — and no second process is started; 409 when the key was used
    for a complaint with a different body. Never waits longer than CRMFLOW_TEMPORAL_DEADLINE_SECONDS on
    Temporal: 202 (id, process id, Location) when the process is started but has not answered, 503 with
    Retry-After when it could not be started.
    """
    customer = await session.get(Customer, body.customer_id)
    if customer is None or not actor.can_see_staff(customer.owner_id):
        raise ApiError(
            422,
            f"customer {body.customer_id} does not exist or is not visible to you",
            details=[{"field": "customer_id", "message": "unknown customer"}],
        )
    complaint_id = complaint_id_for(actor, idempotency_key)
    existing = await session.get(Complaint, complaint_id)
    if existing is not None:
        return _replay(existing, body, response)
    definition = await current_definition(request, ComplaintDefinition)
    tier, owner_id = customer.tier, customer.owner_id
    await session.rollback()  # no read transaction held open while the process starts

    start = ComplaintStart(
        complaint_id=complaint_id,
        customer_id=body.customer_id,
        customer_tier=tier,
        severity=body.severity,
        category=body.category,
        description=body.description,
        channel=body.channel,
        opened_by=_action_actor(actor),
        definition=definition,
    )
    workflow_id = workflow_id_for(complaint_id)
    operation = WithStartWorkflowOperation(
        ComplaintWorkflow.run,
        start,
        id=workflow_id,
        task_queue=request.app.state.settings.task_queue,
        # A running process answers the retry (USE_EXISTING); a closed one is never started again.
        id_conflict_policy=WorkflowIDConflictPolicy.USE_EXISTING,
        id_reuse_policy=WorkflowIDReusePolicy.REJECT_DUPLICATE,
        # Set at start, so the process need not upsert them again (one upsert event less per complaint).
        search_attributes=intake_search_attributes(start, owner_id),
    )
    deadline = request.app.state.settings.temporal_deadline_seconds
    replayed = False
    try:
        intake = await asyncio.wait_for(
            temporal.execute_update_with_start_workflow(
                ComplaintWorkflow.intake,
                IntakeRequest(actor=_action_actor(actor)),
                start_workflow_operation=operation,
            ),
            deadline,
        )
        replayed = intake.first_intake is False  # another request with this key got there first
    except DEADLINE_ERRORS:
        return await _accepted_or_unavailable(temporal, complaint_id, workflow_id, deadline)
    except WorkflowAlreadyStartedError:
        replayed = True  # the process ran and closed already: answer from its row
    except WorkflowUpdateFailedError as exc:
        raise _update_error(exc) from None
    except RPCError as exc:
        if exc.status != RPCStatusCode.ALREADY_EXISTS:
            raise unavailable(f"could not start the complaint process: {exc.message}") from None
        replayed = True
    row = await _fresh_row(session, complaint_id)
    if row is None:
        return await _accepted_or_unavailable(temporal, complaint_id, workflow_id, deadline)
    if replayed or not _same_intake(row, body):
        return _replay(row, body, response)
    return ComplaintOut.from_row(row)


async def _accepted_or_unavailable(temporal, complaint_id: str, workflow_id: str, deadline: float) -> JSONResponse:
    """202 when the process exists (it will open the complaint once a worker runs it), else 503."""
    try:
        await asyncio.wait_for(temporal.get_workflow_handle(workflow_id).describe(), deadline)
    except (RPCError, *DEADLINE_ERRORS):
        raise unavailable("the complaint process could not be started; retry with the same Idempotency-Key") from None
    body = ComplaintAccepted(id=complaint_id, process_id=workflow_id)
    return JSONResponse(body.model_dump(), status_code=202, headers={"Location": f"/v1/complaints/{complaint_id}"})


def _replay(row: Complaint, body: ComplaintCreate, response: Response) -> ComplaintOut:
    if not _same_intake(row, body):
        raise conflict("Idempotency-Key was already used for a different complaint", details={"complaint_id": row.id})
    response.status_code = 200
    response.headers["Idempotent-Replayed"] = "true"
    return ComplaintOut.from_row(row)


@router.get("", response_model=ComplaintList)
async def list_all(
    session: Session,
    actor: CurrentActor,
    status: Annotated[Stage | None, Query(description="stage")] = None,
    severity: Severity | None = None,
    customer_id: IdQuery = None,
    owner_id: IdQuery = None,
    limit: Annotated[int, Query(ge=1, le=200)] = 50,
    offset: Offset = 0,
) -> ComplaintList:
    """Complaints visible to the caller (managers/directors: customers within their subtree)."""
    filters = dict(
        visible_staff_ids=actor.visible_staff_ids,
        status=status,
        severity=severity,
        customer_id=customer_id,
        owner_id=owner_id,
    )
    rows = await list_complaints(session, **filters, limit=limit, offset=offset)
    total = await count_complaints(session, **filters)
    return ComplaintList(items=[ComplaintOut.from_row(r) for r in rows], total=total, limit=limit, offset=offset)


@router.get("/{complaint_id}", response_model=ComplaintOut)
async def get_one(complaint_id: str, session: Session, actor: CurrentActor) -> ComplaintOut:
    """One complaint with its SLA deadlines and stage."""
    return ComplaintOut.from_row(await _visible_complaint(session, complaint_id, actor))


async def _act(
    complaint_id: str,
    actor: Actor,
    session,
    temporal,
    update: Callable[..., Any],
    request: BaseModel,
    opts: UpdateOptions,
) -> ComplaintOut:
    """Send one action to the complaint's process and answer with the state it wrote (the update's result).

    With an Idempotency-Key the key names the Temporal update: a retry of an action that went through gets
    its first answer (the row as it is), never a 409; an action Temporal cannot take in time answers 503.
    """
    row = await _visible_complaint(session, complaint_id, actor)
    handle = temporal.get_workflow_handle(row.process_id or workflow_id_for(complaint_id))
    update_id, deadline = update_id_for(actor, update.__name__, complaint_id, opts.key), opts.deadline
    current = ComplaintOut.from_row(row)  # read before the rollback expires the row
    await session.rollback()
    if current.status == "closed":
        if await answered_before(handle, update_id, deadline):
            return current
        raise conflict(f"complaint {complaint_id} is closed")
    try:
        status = await within(
            deadline, handle.execute_update(update, request, **update_kwargs(update_id)), "the complaint process"
        )
    except WorkflowUpdateFailedError as exc:
        raise _update_error(exc) from None
    except RPCError as exc:
        if exc.status in (RPCStatusCode.NOT_FOUND, RPCStatusCode.FAILED_PRECONDITION):
            if await answered_before(handle, update_id, deadline):
                fresh = await _fresh_row(session, complaint_id)
                return ComplaintOut.from_row(fresh) if fresh is not None else current
            raise conflict(f"the process of complaint {complaint_id} is no longer running") from None
        raise unavailable(f"the complaint process did not answer: {exc.message}") from None
    return _with_status(current, status)


def _with_status(current: ComplaintOut, status: ComplaintAnswer) -> ComplaintOut:
    """The complaint as the update left it: its activity wrote exactly this state to the row before answering,
    so no second read is needed."""
    state = {
        name: value
        for name, value in status.model_dump(include=set(ComplaintState.model_fields)).items()
        if not (name.startswith("original_") and value is None)
    }  # the row keeps its first deadlines
    return current.model_copy(update={**state, "stage": status.status, "updated_at": datetime.now(UTC)})


def _update_error(exc: WorkflowUpdateFailedError) -> ApiError:
    """Validator rejections: wrong stage → 409, bad values → 422."""
    cause = exc.cause
    if isinstance(cause, ApplicationError):
        if cause.type in (INVALID_INPUT, OPEN_FAILED):
            return ApiError(422, cause.message)
        if cause.type == WRONG_STAGE:
            return conflict(cause.message)
    return conflict(str(cause or exc))


@router.post("/{complaint_id}/acknowledge", response_model=ComplaintOut)
async def acknowledge(
    complaint_id: str,
    session: Session,
    temporal: Temporal,
    actor: TaskActorDep,
    opts: UpdateOpts,
    body: AcknowledgeBody | None = None,
) -> ComplaintOut:
    """The owner (or someone above) takes the complaint on: open → in_progress."""
    body = body or AcknowledgeBody()
    return await _act(
        complaint_id,
        actor,
        session,
        temporal,
        ComplaintWorkflow.acknowledge,
        AcknowledgeRequest(actor=_action_actor(actor), note=body.note),
        opts,
    )


@router.post("/{complaint_id}/resolve", response_model=ComplaintOut)
async def resolve(
    complaint_id: str, body: ResolveBody, session: Session, temporal: Temporal, actor: TaskActorDep, opts: UpdateOpts
) -> ComplaintOut:
    """Resolution text and optional compensation: → resolved (awaiting the customer's answer)."""
    return await _act(
        complaint_id,
        actor,
        session,
        temporal,
        ComplaintWorkflow.resolve,
        ResolveRequest(
            actor=_action_actor(actor), resolution=body.resolution, compensation_amount=body.compensation_amount
        ),
        opts,
    )


@router.post("/{complaint_id}/wait-on-customer", response_model=ComplaintOut)
async def wait_on_customer(
    complaint_id: str,
    session: Session,
    temporal: Temporal,
    actor: TaskActorDep,
    opts: UpdateOpts,
    body: WaitOnCustomerBody | None = None,
) -> ComplaintOut:
    """Pause the resolution clock until the customer answers."""
    body = body or WaitOnCustomerBody()
    return await _act(
        complaint_id,
        actor,
        session,
        temporal,
        ComplaintWorkflow.wait_on_customer,
        WaitOnCustomerRequest(actor=_action_actor(actor), note=body.note),
        opts,
    )


@router.post("/{complaint_id}/resume", response_model=ComplaintOut)
async def resume(
    complaint_id: str,
    session: Session,
    temporal: Temporal,
    actor: TaskActorDep,
    opts: UpdateOpts,
    body: ResumeBody | None = None,
) -> ComplaintOut:
    """End the wait on the customer: the resolution clock runs again, resolve-by moved by the pause."""
    body = body or ResumeBody()
    return await _act(
        complaint_id,
        actor,
        session,
        temporal,
        ComplaintWorkflow.resume,
        ResumeRequest(actor=_action_actor(actor), note=body.note),
        opts,
    )


@router.post("/{complaint_id}/customer-response", response_model=ComplaintOut)
async def customer_response(
    complaint_id: str,
    body: CustomerResponseBody,
    session: Session,
    temporal: Temporal,
    actor: Filer,
    opts: UpdateOpts,
) -> ComplaintOut:
    """The customer's answer: accept (closes) or reopen when resolved; any answer resumes a wait on them."""
    return await _act(
        complaint_id,
        actor,
        session,
        temporal,
        ComplaintWorkflow.customer_response,
        CustomerResponseRequest(
            actor=_action_actor(actor), accepted=body.accepted, satisfaction=body.satisfaction, comment=body.comment
        ),
        opts,
    )


@router.post("/{complaint_id}/reassign", response_model=ComplaintOut)
async def reassign(
    complaint_id: str, body: ReassignBody, session: Session, temporal: Temporal, actor: TaskActorDep, opts: UpdateOpts
) -> ComplaintOut:
    """Hand the complaint to another active staff member within the caller's view."""
    staff = await session.get(Staff, body.owner_id)
    if staff is None or not staff.active or not actor.can_see_staff(staff.id):
        raise ApiError(
            422,
            f"owner_id {body.owner_id} is not an active staff member you may assign to",
            details=[{"field": "owner_id", "message": "unknown or not assignable"}],
        )
    return await _act(
        complaint_id,
        actor,
        session,
        temporal,
        ComplaintWorkflow.reassign,
        ReassignRequest(actor=_action_actor(actor), owner_id=body.owner_id, note=body.note),
        opts,
    )
