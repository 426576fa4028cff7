"""Human tasks (DESIGN §3.6, §4): the inbox from the DB; decisions as Updates to the task's workflow.

The route checks the row first (fast, clear 403/404/409/422), then the workflow's update validator
decides for real: it is what makes two racing decisions yield exactly one.
"""

from __future__ import annotations

from typing import Annotated, Literal

from fastapi import APIRouter, Query
from pydantic import BaseModel
from sqlalchemy import func, select
from temporalio.client import WorkflowUpdateFailedError
from temporalio.service import RPCError

from api.updates import (
    UpdateOptions,
    UpdateOpts,
    answered_before,
    not_reached,
    refused,
    update_id_for,
    update_kwargs,
    within,
)
from api.schemas.common import IdPath, IdQuery, Offset
from api.auth import Actor
from api.deps import Reader, Session, TaskActorDep, Temporal
from api.errors import ApiError, conflict, forbidden, not_found
from api.schemas.tasks import CompleteBody, DecisionBody, DelegateBody, RecallBody, TaskList, TaskOut
from db.models import Staff, Task
from db.repositories.tasks import inbox_query
from db.repositories.staff import top_level_id
from definitions.tasks import (
    OPEN,
    TaskActor,
    TaskCompleteInput,
    TaskDecisionInput,
    TaskDelegateInput,
    TaskRecallInput,
    validate_form_data,
)

router = APIRouter(prefix="/v1/tasks", tags=["tasks"])


# The row exists but the workflow does not know the task (another run, still opening): the task is not
# decidable now, which is a conflict with its state rather than a missing resource.


def _mine(actor: Actor, task: Task) -> bool:
    return actor.staff_id is not None and actor.staff_id in (
        task.assignee_id,
        task.delegate_id,
        task.requester_id,
        task.original_assignee_id,
    )


def _may_read(actor: Actor, task: Task) -> bool:
    """Read-all roles, the people on the task, and whoever sees the assignee (their subtree)."""
    if actor.sees_all or _mine(actor, task):
        return True
    return actor.visible_staff_ids is not None and task.assignee_id in actor.visible_staff_ids


def may_decide(actor: Actor, task: Task) -> bool:
    """DESIGN §2: the assignee, their delegate, someone up the chain where the task allows it, admin."""
    if actor.is_admin:
        return True
    if actor.staff_id is None:
        return False
    if actor.staff_id in (task.assignee_id, task.delegate_id):
        return True
    return task.allow_chain_override and actor.staff_id in (task.chain or [])


def may_delegate(actor: Actor, task: Task) -> bool:
    """The assignee (or an admin) lets another active staff member act on the task."""
    return actor.is_admin or (actor.staff_id is not None and actor.staff_id == task.assignee_id)


def may_recall(actor: Actor, task: Task) -> bool:
    """The requester (or an admin) withdraws an open task."""
    return actor.is_admin or (actor.staff_id is not None and actor.staff_id == task.requester_id)


async def _load(session: Session, task_id: int, actor: Actor) -> Task:
    task = await session.get(Task, task_id)
    if task is None:
        raise not_found("task", task_id)
    if not _may_read(actor, task):
        raise forbidden("this task is not in your inbox or your team's")
    return task


def _require_open(task: Task) -> None:
    if task.status != OPEN:
        raise conflict(f"task {task.id} is already {task.status}", {"status": task.status})


def _task_actor(actor: Actor) -> TaskActor:
    return TaskActor(role=actor.role.value, staff_id=actor.staff_id, label=actor.label)


def _keyed(actor: Actor, task: Task, update: str, opts: UpdateOptions) -> str | None:
    return update_id_for(actor, update, f"task-{task.id}", opts.key)


async def _answered(temporal: Temporal, task: Task, update: str, actor: Actor, opts: UpdateOptions) -> bool:
    """A keyed retry of an action that already went through (the task moved on): answer it, never 409."""
    if task.status == OPEN or opts.key is None:
        return False
    handle = temporal.get_workflow_handle(task.decided_in)
    return await answered_before(handle, _keyed(actor, task, update, opts), opts.deadline)


async def _send(
    temporal: Temporal,
    task: Task,
    update: str,
    payload: BaseModel,
    actor: Actor | None = None,
    opts: UpdateOptions | None = None,
) -> None:
    """Send the update (within the deadline; the Idempotency-Key as its id) and map refusals to HTTP errors."""
    handle = temporal.get_workflow_handle(task.decided_in)
    update_id = _keyed(actor, task, update, opts) if actor is not None and opts is not None else None
    try:
        await within(
            opts.deadline if opts else 30.0,
            handle.execute_update(update, payload, **update_kwargs(update_id)),
            "the task's process",
        )
    except WorkflowUpdateFailedError as exc:
        raise refused(exc, update, "the process", lambda name: f"data.{name}") from None
    except RPCError as exc:
        raise not_reached(exc, f"the process of task {task.id} is no longer waiting for it") from None


async def _fresh(session: Session, task_id: int) -> TaskOut:
    task = await session.scalar(select(Task).where(Task.id == task_id).execution_options(populate_existing=True))
    return TaskOut.model_validate(task)


@router.get("", response_model=TaskList)
async def list_tasks(
    session: Session,
    actor: Reader,
    scope: Annotated[
        Literal["mine", "team", "all"] | None,
        Query(
            description="mine (default for staff), "
            "team (your subtree: directors and managers), all (ops and admin; their default)"
        ),
    ] = None,
    status: Annotated[str | None, Query(max_length=16)] = None,
    kind: Literal["approval", "form"] | None = None,
    process_type: Annotated[str | None, Query(max_length=32)] = None,
    customer_id: IdQuery = None,
    assignee_id: IdQuery = None,
    limit: Annotated[int, Query(ge=1, le=500)] = 50,
    offset: Offset = 0,
) -> TaskList:
    """My inbox (assigned or delegated to me); `scope=team` for my subtree; ops and admin see all."""
    scope = scope or ("all" if actor.sees_all else "mine")
    if scope == "all" and not actor.sees_all:
        raise forbidden("only ops and admin see every task (use scope=mine or scope=team)")
    if scope != "all" and actor.staff_id is None:
        raise ApiError(422, f"scope={scope} needs a principal linked to a staff member")
    filters = dict(
        status=status, kind=kind, process_type=process_type, customer_id=customer_id, assignee_id=assignee_id
    )
    if scope == "mine":
        query = inbox_query(mine=actor.staff_id, **filters)
    elif scope == "team":
        query = inbox_query(staff_ids=actor.visible_staff_ids, **filters)  # None (ops, admin): everyone
    else:
        query = inbox_query(**filters)
    total = await session.scalar(select(func.count()).select_from(query.order_by(None).subquery()))
    rows = (await session.scalars(query.limit(limit).offset(offset))).all()
    return TaskList(items=[TaskOut.model_validate(r) for r in rows], total=total or 0, limit=limit, offset=offset)


@router.get("/{task_id}", response_model=TaskOut)
async def get_task(task_id: IdPath, session: Session, actor: Reader) -> TaskOut:
    """One task (yours, your team's, or any for ops and admin)."""
    return TaskOut.model_validate(await _load(session, task_id, actor))


@router.post("/{task_id}/decision", response_model=TaskOut)
async def decide_task(
    task_id: IdPath, body: DecisionBody, session: Session, temporal: Temporal, actor: TaskActorDep, opts: UpdateOpts
) -> TaskOut:
    """Approve or reject an approval task (assignee, delegate, chain where allowed, admin)."""
    task = await _load(session, task_id, actor)
    if not may_decide(actor, task):
        raise forbidden("only the assignee of this task, their delegate or an admin may decide it")
    if await _answered(temporal, task, "task.decide", actor, opts):
        return await _fresh(session, task.id)
    _require_open(task)
    if task.kind != "approval":
        raise ApiError(422, f"task {task.id} is a {task.kind} task: use /complete")
    await _send(
        temporal,
        task,
        "task.decide",
        TaskDecisionInput(
            task_key=task.task_key, actor=_task_actor(actor), decision=body.decision, comment=body.comment
        ),
        actor,
        opts,
    )
    return await _fresh(session, task.id)


@router.post("/{task_id}/complete", response_model=TaskOut)
async def complete_task(
    task_id: IdPath, body: CompleteBody, session: Session, temporal: Temporal, actor: TaskActorDep, opts: UpdateOpts
) -> TaskOut:
    """Complete a form task; the data is checked against the task's form (422 with a message per field)."""
    task = await _load(session, task_id, actor)
    if not may_decide(actor, task):
        raise forbidden("only the assignee of this task, their delegate or an admin may complete it")
    if await _answered(temporal, task, "task.complete", actor, opts):
        return await _fresh(session, task.id)
    _require_open(task)
    if task.kind != "form":
        raise ApiError(422, f"task {task.id} is an {task.kind} task: use /decision")
    errors = validate_form_data(task.form, body.data)
    if errors:
        details = [{"field": f"data.{name}", "message": message} for name, message in errors.items()]
        raise ApiError(422, "; ".join(f"{d['field']}: {d['message']}" for d in details), details=details)
    await _send(
        temporal,
        task,
        "task.complete",
        TaskCompleteInput(task_key=task.task_key, actor=_task_actor(actor), data=body.data, comment=body.comment),
        actor,
        opts,
    )
    return await _fresh(session, task.id)


@router.post("/{task_id}/delegate", response_model=TaskOut)
async def delegate_task(
    task_id: IdPath, body: DelegateBody, session: Session, temporal: Temporal, actor: TaskActorDep, opts: UpdateOpts
) -> TaskOut:
    """The assignee (or an admin) lets another active staff member act on the task."""
    task = await _load(session, task_id, actor)
    if not may_delegate(actor, task):
        raise forbidden("only the assignee of this task (or an admin) may delegate it")
    if await _answered(temporal, task, "task.delegate", actor, opts):
        return await _fresh(session, task.id)
    _require_open(task)
    target = await session.get(Staff, body.to_staff_id)
    if target is None or not target.active:
        raise ApiError(
            422,
            f"to_staff_id: no active staff member {body.to_staff_id}",
            details=[{"field": "to_staff_id", "message": "no such active staff member"}],
        )
    if target.id == task.assignee_id:
        raise ApiError(
            422,
            "to_staff_id: the task is already assigned to that staff member",
            details=[{"field": "to_staff_id", "message": "is the assignee"}],
        )
    delegator = actor.staff_id if actor.staff_id is not None else task.assignee_id
    if delegator is not None and await top_level_id(session, target.id) != await top_level_id(session, delegator):
        # The delegate would read the task and its customer: it stays within the delegator's organisation.
        raise ApiError(
            422,
            "to_staff_id: delegation goes only to staff within your own top-level organisation",
            details=[{"field": "to_staff_id", "message": "outside your organisation"}],
        )
    await _send(
        temporal,
        task,
        "task.delegate",
        TaskDelegateInput(
            task_key=task.task_key, actor=_task_actor(actor), to_staff_id=target.id, comment=body.comment
        ),
        actor,
        opts,
    )
    return await _fresh(session, task.id)


@router.post("/{task_id}/recall", response_model=TaskOut)
async def recall_task(
    task_id: IdPath,
    session: Session,
    temporal: Temporal,
    actor: TaskActorDep,
    opts: UpdateOpts,
    body: RecallBody | None = None,
) -> TaskOut:
    """The requester (or an admin) withdraws an open task."""
    task = await _load(session, task_id, actor)
    if not may_recall(actor, task):
        raise forbidden("only the requester of this task (or an admin) may recall it")
    if await _answered(temporal, task, "task.recall", actor, opts):
        return await _fresh(session, task.id)
    _require_open(task)
    await _send(
        temporal,
        task,
        "task.recall",
        TaskRecallInput(task_key=task.task_key, actor=_task_actor(actor), comment=body.comment if body else None),
        actor,
        opts,
    )
    return await _fresh(session, task.id)
