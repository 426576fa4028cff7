"""Approval requests on configurable flows (DESIGN §3.10, §4): start, read, and decide through workflow Updates.

Reads come from the approval_requests and tasks tables. A request is visible to read-all roles, to the
requester and whoever sees the requester (their subtree), and to anyone who holds or held one of its tasks;
otherwise it is a 404. Decisions are checked here first (clear 403/409) and then by the workflow's update
validators, which is what makes two racing decisions yield exactly one winner.
"""

from __future__ import annotations

import uuid
from collections import defaultdict
from collections.abc import Sequence
from pathlib import Path
from typing import Annotated, Literal

from fastapi import APIRouter, Header, Query, Request, Response
from pydantic import BaseModel
from sqlalchemy import Select, exists, func, or_, select
from temporalio.client import WithStartWorkflowOperation, WorkflowUpdateFailedError
from temporalio.common import WorkflowIDConflictPolicy, WorkflowIDReusePolicy
from temporalio.exceptions import WorkflowAlreadyStartedError
from temporalio.service import RPCError, RPCStatusCode

from api.auth import Actor
from api.deps import CurrentActor, Filer, Session, TaskActorDep, Temporal
from api.errors import ApiError, conflict, forbidden, not_found
from api.schemas.common import IdQuery, Offset
from api.schemas.approvals import (
    AddApproverBody,
    ApprovalCreate,
    ApprovalDecisionBody,
    ApprovalDelegateBody,
    ApprovalDetail,
    ApprovalEvent,
    ApprovalEvents,
    ApprovalList,
    ApprovalOut,
    ApprovalRecallBody,
    CommentBody,
    FlowList,
    FlowOut,
    ResubmitBody,
)
from api.schemas.tasks import TaskOut
from api.updates import not_reached, refused
from db.models import ApprovalRequest, AuditEvent, Customer, PrincipalRole, Staff, Task
from definitions.approval import (
    FINAL_STATUSES,
    AddApproverInput,
    ApprovalDecisionInput,
    ApprovalInput,
    CommentInput,
    RecallApprovalInput,
    ResubmitInput,
    approval_workflow_id,
    validate_request,
)
from definitions.loader import DefinitionError, DefinitionIssue, load_flow, load_flows
from definitions.tasks import (
    OPEN,
    TaskActor,
    TaskDelegateInput,
)
from workflows.approval import ApprovalWorkflow

router = APIRouter(prefix="/v1/approvals", tags=["approvals"])

R = PrincipalRole
IdempotencyKey = Annotated[str | None, Header(alias="Idempotency-Key", min_length=1, max_length=200)]
_NAMESPACE = uuid.UUID("2b7e51c4-8d0f-5a3e-b6c1-49f0e7d2a815")


def _actor(actor: Actor) -> TaskActor:
    return TaskActor(role=actor.role.value, staff_id=actor.staff_id, label=actor.label)


def _field_errors(errors: dict[str, str], prefix: str = "fields") -> ApiError:
    details = [{"field": f"{prefix}.{name}", "message": message} for name, message in errors.items()]
    return ApiError(422, "; ".join(f"{d['field']}: {d['message']}" for d in details), details=details)


def _visible(query: Select, actor: Actor) -> Select:
    """Only the requests the actor may see (see the module docstring)."""
    if actor.is_service:
        return query.where(ApprovalRequest.requester_label == actor.label)
    if actor.sees_all:
        return query
    held = exists().where(
        Task.workflow_id == ApprovalRequest.workflow_id,
        or_(
            Task.assignee_id == actor.staff_id,
            Task.delegate_id == actor.staff_id,
            Task.original_assignee_id == actor.staff_id,
        ),
    )
    return query.where(or_(ApprovalRequest.requester_id.in_(actor.visible_staff_ids or []), held))


async def _load(session: Session, approval_id: str, actor: Actor) -> ApprovalRequest:
    row = await session.scalar(
        _visible(select(ApprovalRequest).where(ApprovalRequest.id == approval_id), actor).execution_options(
            populate_existing=True
        )
    )
    if row is None:
        raise not_found("approval", approval_id)
    return row


async def _detail(session: Session, row: ApprovalRequest) -> ApprovalDetail:
    return (await _details(session, [row]))[0]


async def _details(session: Session, rows: Sequence[ApprovalRequest]) -> list[ApprovalDetail]:
    """Each request with its tasks, in the order given: one query for all their tasks.

    A process's flow files its tasks under the process, so a task belongs to the run that decides it.
    """
    decided_in = func.coalesce(Task.handler_workflow_id, Task.workflow_id)
    found = await session.execute(
        select(decided_in, Task)
        .where(decided_in.in_([row.workflow_id for row in rows]))
        .order_by(Task.id)
        .execution_options(populate_existing=True)
    )
    tasks: dict[str, list[TaskOut]] = defaultdict(list)
    for workflow_id, task in found.all():
        tasks[workflow_id].append(TaskOut.model_validate(task))
    return [
        ApprovalDetail(
            **ApprovalOut.model_validate(row).model_dump(),
            steps=(row.state or {}).get("steps", []),
            round=(row.state or {}).get("round", 1),
            tasks=tasks[row.workflow_id],
        )
        for row in rows
    ]


async def details_of_listed(session: Session, listed: ApprovalList) -> list[ApprovalDetail]:
    """The details of a page `list_approvals` answered (it already kept to what the caller may see)."""
    ids = [item.id for item in listed.items]
    rows = {row.id: row for row in await session.scalars(select(ApprovalRequest).where(ApprovalRequest.id.in_(ids)))}
    return await _details(session, [rows[i] for i in ids if i in rows])


async def _send(temporal: Temporal, row: ApprovalRequest, update: str, payload: BaseModel) -> None:
    """Send one update to the request's workflow and turn its refusals into HTTP errors."""
    try:
        await temporal.get_workflow_handle(row.workflow_id).execute_update(update, payload)
    except WorkflowUpdateFailedError as exc:
        resubmit = update == "approval.resubmit"  # a resubmission's problems are in its request fields
        raise refused(exc, update, "the approval", lambda name: f"fields.{name}" if resubmit else name) from None
    except RPCError as exc:
        raise not_reached(exc, f"approval {row.id} is no longer running") from None


async def _after(session: Session, row_id: str, actor: Actor) -> ApprovalDetail:
    await session.rollback()  # read what the workflow's activities committed
    return await _detail(session, await _load(session, row_id, actor))


def _require_running(row: ApprovalRequest) -> None:
    if row.status in FINAL_STATUSES:
        raise conflict(f"approval {row.id} is already {row.status}", {"status": row.status})


async def _my_open_task(session: Session, row: ApprovalRequest, actor: Actor) -> Task:
    """The actor's open task on this request (admin: the first open one); 403 for anyone else."""
    _require_running(row)
    query = select(Task).where(Task.workflow_id == row.workflow_id, Task.status == OPEN).order_by(Task.id)
    if not actor.is_admin:
        query = query.where(or_(Task.assignee_id == actor.staff_id, Task.delegate_id == actor.staff_id))
    task = await session.scalar(query)
    if task is None:
        if actor.is_admin:
            raise conflict(f"approval {row.id} has no open task now", {"status": row.status})
        held = await session.scalar(
            select(Task)
            .where(
                Task.workflow_id == row.workflow_id,
                or_(
                    Task.assignee_id == actor.staff_id,
                    Task.delegate_id == actor.staff_id,
                    Task.original_assignee_id == actor.staff_id,
                ),
            )
            .order_by(Task.id.desc())
        )
        if held is not None:
            # An approver whose task closed (decided, or the step decided by someone else) loses a race: 409.
            raise conflict(
                f"your task on approval {row.id} is already {held.status}"
                + (f" ({held.comment})" if held.comment else ""),
                {"status": held.status},
            )
        raise forbidden("only an approver of the current step, their delegate or an admin may do this")
    return task


@router.post(
    "",
    status_code=201,
    response_model=ApprovalDetail,
    responses={200: {"description": "replay of an Idempotency-Key: the request created before"}},
)
async def create_approval(
    body: ApprovalCreate,
    request: Request,
    response: Response,
    session: Session,
    temporal: Temporal,
    actor: Filer,
    idempotency_key: IdempotencyKey = None,
) -> ApprovalDetail:
    """Start a request on a flow (managers, directors, service, admin); its fields are checked against the form."""
    try:
        flow = load_flow(request.app.state.settings.definitions_dir, body.flow)
        if flow.started_by == "process":  # a process's own approval (e.g. compensation): not a custom request
            raise DefinitionError([DefinitionIssue(Path(body.flow), None, f"no flow named {body.flow!r}")])
    except DefinitionError as exc:
        if any("no flow named" in issue.message for issue in exc.issues):
            raise ApiError(
                422, f"flow: no flow named {body.flow!r}", details=[{"field": "flow", "message": "unknown flow"}]
            ) from None
        raise ApiError(
            503, f"the flow {body.flow!r} cannot be loaded", code="definition_invalid", details=str(exc)
        ) from None
    if body.customer_id is None and flow.customer_required:
        raise ApiError(
            422,
            "customer_id: this flow needs a customer",
            details=[{"field": "customer_id", "message": "is required by the flow"}],
        )
    if body.customer_id is not None:
        if flow.subject != "customer":
            raise ApiError(
                422,
                f"customer_id: the flow {flow.flow!r} is not about a customer",
                details=[{"field": "customer_id", "message": "not allowed by the flow"}],
            )
        customer = await session.get(Customer, body.customer_id)
        if customer is None or not actor.can_see_customer(customer.owner_id):
            raise ApiError(
                422,
                f"customer {body.customer_id} does not exist or is not visible to you",
                details=[{"field": "customer_id", "message": "unknown customer"}],
            )
    errors = validate_request(flow.form, body.fields)
    if errors:
        raise _field_errors(errors)
    approval_id = (
        str(uuid.uuid5(_NAMESPACE, f"{actor.principal_id}:{idempotency_key}")) if idempotency_key else str(uuid.uuid4())
    )
    existing = await session.get(ApprovalRequest, approval_id)
    if existing is not None:
        response.status_code, response.headers["Idempotent-Replayed"] = 200, "true"
        return await _detail(session, existing)
    await session.rollback()
    subject_type = "customer" if body.customer_id is not None else (body.subject_type or "none")
    start = ApprovalInput(
        approval_id=approval_id,
        flow=flow,
        title=body.title,
        fields=body.fields,
        requester=_actor(actor),
        customer_id=body.customer_id,
        subject_type=subject_type,
        subject_id=body.subject_id,
    )
    operation = WithStartWorkflowOperation(
        ApprovalWorkflow.run,
        start,
        id=approval_workflow_id(approval_id),
        task_queue=request.app.state.settings.task_queue,
        id_conflict_policy=WorkflowIDConflictPolicy.USE_EXISTING,
        id_reuse_policy=WorkflowIDReusePolicy.REJECT_DUPLICATE,
    )
    try:
        await temporal.execute_update_with_start_workflow(ApprovalWorkflow.opened, start_workflow_operation=operation)
    except WorkflowAlreadyStartedError:
        pass
    except RPCError as exc:
        if exc.status != RPCStatusCode.ALREADY_EXISTS:
            raise ApiError(503, f"could not start the approval: {exc.message}") from None
    await session.rollback()
    row = await session.get(ApprovalRequest, approval_id)
    if row is None:
        raise ApiError(503, "the approval process did not open the request")
    response.headers["Location"] = f"/v1/approvals/{approval_id}"
    return await _detail(session, row)


@router.get("", response_model=ApprovalList)
async def list_approvals(
    session: Session,
    actor: CurrentActor,
    scope: Annotated[
        Literal["mine", "awaiting_me", "team", "all"] | None,
        Query(
            description="mine: I filed; awaiting_me: an open task of mine; team: filed in my subtree; all: what I see"
        ),
    ] = None,
    status: Annotated[str | None, Query(max_length=16)] = None,
    flow: Annotated[str | None, Query(max_length=64)] = None,
    customer_id: IdQuery = None,
    limit: Annotated[int, Query(ge=1, le=200)] = 50,
    offset: Offset = 0,
) -> ApprovalList:
    """Approval requests I may see, newest first, with the total."""
    query = _visible(select(ApprovalRequest), actor)
    if scope in ("mine", "awaiting_me", "team") and actor.staff_id is None and not actor.is_service:
        raise ApiError(422, f"scope={scope} needs a principal linked to a staff member")
    if scope == "mine":
        query = query.where(
            or_(ApprovalRequest.requester_id == actor.staff_id, ApprovalRequest.requester_label == actor.label)
        )
    elif scope == "awaiting_me":
        query = query.where(
            exists().where(
                Task.workflow_id == ApprovalRequest.workflow_id,
                Task.status == OPEN,
                or_(Task.assignee_id == actor.staff_id, Task.delegate_id == actor.staff_id),
            )
        )
    elif scope == "team":
        if actor.is_service:
            raise forbidden("service principals have no team")
        if actor.visible_staff_ids is not None:
            query = query.where(ApprovalRequest.requester_id.in_(actor.visible_staff_ids))
    for column, value in (
        (ApprovalRequest.status, status),
        (ApprovalRequest.flow, flow),
        (ApprovalRequest.customer_id, customer_id),
    ):
        if value is not None:
            query = query.where(column == value)
    total = await session.scalar(select(func.count()).select_from(query.subquery()))
    rows = (
        await session.scalars(
            query.order_by(ApprovalRequest.created_at.desc(), ApprovalRequest.id).limit(limit).offset(offset)
        )
    ).all()
    return ApprovalList(
        items=[ApprovalOut.model_validate(r) for r in rows], total=total or 0, limit=limit, offset=offset
    )


@router.get("/flows", response_model=FlowList)
async def list_flows(request: Request, actor: CurrentActor) -> FlowList:
    """The flows a request may start on (those that pass the check), with their forms and steps."""
    try:
        flows = load_flows(request.app.state.settings.definitions_dir)
    except DefinitionError as exc:
        raise ApiError(
            503, "the approval flows cannot be loaded", code="definition_invalid", details=str(exc)
        ) from None
    items = [
        FlowOut(
            flow=f.flow,
            version=f.version,
            content_hash=f.content_hash,
            title=f.title,
            titles=dict(f.titles),
            subject=f.subject,
            customer_required=f.customer_required,
            form=f.form.model_dump(mode="json")["fields"],
            steps=[s.model_dump(mode="json", by_alias=True, exclude_none=True) for s in f.steps],
        )
        for _, f in sorted(flows.items())
        if f.started_by == "request"
    ]
    return FlowList(items=items, total=len(items))


@router.get("/{approval_id}", response_model=ApprovalDetail)
async def get_approval(approval_id: str, session: Session, actor: CurrentActor) -> ApprovalDetail:
    """One request: steps, approvers, votes, tasks with their decisions, and where it stands."""
    return await _detail(session, await _load(session, approval_id, actor))


@router.get("/{approval_id}/events", response_model=ApprovalEvents)
async def list_events(approval_id: str, session: Session, actor: CurrentActor) -> ApprovalEvents:
    """The request's audit trail, oldest first: steps, decisions on its tasks, comments, timeouts, outcome."""
    row = await _load(session, approval_id, actor)
    rows = (
        await session.scalars(
            select(AuditEvent)
            .where(AuditEvent.workflow_id == row.workflow_id)
            .order_by(AuditEvent.occurred_at, AuditEvent.id)
            .limit(1000)
        )
    ).all()
    items = [
        ApprovalEvent(at=r.occurred_at, action=r.action, actor=r.actor, reason=r.reason, details=r.details)
        for r in rows
    ]
    return ApprovalEvents(items=items, total=len(items))


@router.post("/{approval_id}/decision", response_model=ApprovalDetail)
async def decide(
    approval_id: str, body: ApprovalDecisionBody, session: Session, temporal: Temporal, actor: TaskActorDep
) -> ApprovalDetail:
    """Approve, reject or send back (to the requester, or `to_step`) the caller's task on the current step."""
    row = await _load(session, approval_id, actor)
    task = await _my_open_task(session, row, actor)
    await _send(
        temporal,
        row,
        "approval.decide",
        ApprovalDecisionInput(
            actor=_actor(actor),
            decision=body.decision,
            comment=body.comment,
            to_step=body.to_step,
            task_key=task.task_key if actor.is_admin else None,
            fields=body.fields,
        ),
    )
    return await _after(session, approval_id, actor)


@router.post("/{approval_id}/add-approver", response_model=ApprovalDetail)
async def add_approver(
    approval_id: str, body: AddApproverBody, session: Session, temporal: Temporal, actor: TaskActorDep
) -> ApprovalDetail:
    """加签: an active staff member decides before (then the caller again) or after the caller."""
    row = await _load(session, approval_id, actor)
    task = await _my_open_task(session, row, actor)
    staff = await session.get(Staff, body.staff_id)
    if staff is None or not staff.active:
        raise ApiError(
            422,
            f"staff_id: no active staff member {body.staff_id}",
            details=[{"field": "staff_id", "message": "no such active staff member"}],
        )
    await _send(
        temporal,
        row,
        "approval.add_approver",
        AddApproverInput(
            actor=_actor(actor),
            staff_id=staff.id,
            position=body.position,
            comment=body.comment,
            task_key=task.task_key if actor.is_admin else None,
        ),
    )
    return await _after(session, approval_id, actor)


@router.post("/{approval_id}/delegate", response_model=ApprovalDetail)
async def delegate(
    approval_id: str, body: ApprovalDelegateBody, session: Session, temporal: Temporal, actor: TaskActorDep
) -> ApprovalDetail:
    """The approver (or an admin) lets another active staff member decide their task."""
    row = await _load(session, approval_id, actor)
    task = await _my_open_task(session, row, actor)
    if not actor.is_admin and task.assignee_id != actor.staff_id:
        raise forbidden("only the assignee of the task (or an admin) may delegate it")
    target = await session.get(Staff, body.to_staff_id)
    if target is None or not target.active or target.id == task.assignee_id:
        raise ApiError(
            422,
            f"to_staff_id: staff {body.to_staff_id} is not an active staff member other than the assignee",
            details=[{"field": "to_staff_id", "message": "not a valid delegate"}],
        )
    await _send(
        temporal,
        row,
        "task.delegate",
        TaskDelegateInput(task_key=task.task_key, actor=_actor(actor), to_staff_id=target.id, comment=body.comment),
    )
    return await _after(session, approval_id, actor)


@router.post("/{approval_id}/recall", response_model=ApprovalDetail)
async def recall(
    approval_id: str, session: Session, temporal: Temporal, actor: Filer, body: ApprovalRecallBody | None = None
) -> ApprovalDetail:
    """The requester (or an admin) withdraws the request; open tasks close as recalled."""
    row = await _load(session, approval_id, actor)
    mine = (actor.staff_id is not None and actor.staff_id == row.requester_id) or actor.label == row.requester_label
    if not (actor.is_admin or mine):
        raise forbidden("only the requester (or an admin) may recall the request")
    _require_running(row)
    await _send(
        temporal,
        row,
        "approval.recall",
        RecallApprovalInput(actor=_actor(actor), comment=body.comment if body else None),
    )
    return await _after(session, approval_id, actor)


@router.post("/{approval_id}/resubmit", response_model=ApprovalDetail)
async def resubmit(
    approval_id: str, body: ResubmitBody, session: Session, temporal: Temporal, actor: Filer
) -> ApprovalDetail:
    """The requester amends a request sent back to them (new `fields`, checked against its pinned form)."""
    row = await _load(session, approval_id, actor)
    mine = (actor.staff_id is not None and actor.staff_id == row.requester_id) or actor.label == row.requester_label
    if not (actor.is_admin or mine):
        raise forbidden("only the requester (or an admin) may resubmit the request")
    _require_running(row)
    await _send(
        temporal, row, "approval.resubmit", ResubmitInput(actor=_actor(actor), fields=body.fields, comment=body.comment)
    )
    return await _after(session, approval_id, actor)


@router.post("/{approval_id}/comments", response_model=ApprovalDetail)
async def comment(
    approval_id: str, body: CommentBody, session: Session, temporal: Temporal, actor: Filer
) -> ApprovalDetail:
    """A remark by the requester, an approver or an admin (audited; shown in the customer's timeline)."""
    row = await _load(session, approval_id, actor)
    _require_running(row)
    await _send(temporal, row, "approval.comment", CommentInput(actor=_actor(actor), text=body.text))
    return await _after(session, approval_id, actor)
