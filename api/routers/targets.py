"""Targets per person and period (DESIGN §3.8): read them (mine, my team's), negotiate, decide, ask for a change.

Reads come from the target tables and the KPI catalogue; every action is an Update on `target-<period>-<staff>`
whose validator has the last word (turns, rounds, roles), so the checks here only give clearer answers first.
A target is visible to the manager it belongs to and to everyone whose subtree holds them (ops, admin: all);
otherwise it is a 404.
"""

from __future__ import annotations

import asyncio
from datetime import timedelta
from typing import Annotated, Any, Literal

from fastapi import APIRouter, Query, Request, status
from fastapi.responses import JSONResponse
from pydantic import BaseModel
from sqlalchemy import func, select
from temporalio.client import WorkflowUpdateFailedError
from temporalio.common import (
    SearchAttributePair,
    TypedSearchAttributes,
    WorkflowIDConflictPolicy,
    WorkflowIDReusePolicy,
)
from temporalio.exceptions import WorkflowAlreadyStartedError
from temporalio.service import RPCError

from api.auth import Actor
from api.deps import Reader, Session, TaskActorDep, Temporal, current_definition
from api.errors import ApiError, conflict, forbidden, not_found
from api.schemas.common import IdPath
from api.schemas.targets import (
    AcceptBody,
    ChangeBody,
    ChangeRequested,
    CheckInOut,
    DecideBody,
    MetricOut,
    ProgressOut,
    TargetDetail,
    TargetList,
    TargetOpen,
    TargetOpened,
    TargetOut,
    TargetVersionOut,
    TeamTargets,
    ValuesBody,
)
from api.schemas.tasks import TaskOut
from api.updates import UpdateOptions, UpdateOpts, not_reached, refused, update_id_for, update_kwargs, within
from crmflow.temporal import SA_DEFINITION_VERSION, SA_MANAGER_ID, SA_PERIOD, SA_PROCESS_TYPE, SA_STAGE
from db.models import PrincipalRole, Staff, TargetCheckIn, TargetProgress, TargetSet, TargetVersion, Task, utcnow
from db.repositories.staff import subtree_ids
from db.repositories.targets import team_targets
from definitions.kpis import METRIC_INFO
from definitions.loader import DefinitionError, load_flow
from definitions.review import PERIOD_PATTERN, period_bounds
from definitions.targets import (
    AcceptInput,
    ChangeRequestInput,
    ProposeInput,
    TargetInput,
    TargetsDefinition,
    target_workflow_id,
    values_problems,
)
from definitions.tasks import (
    OPEN,
    TaskActor,
    TaskCompleteInput,
)
from workflows.targets import DIRECTOR_TASK, TargetWorkflow

router = APIRouter(prefix="/v1/targets", tags=["targets"])

R = PrincipalRole


def _task_actor(actor: Actor) -> TaskActor:
    return TaskActor(role=actor.role.value, staff_id=actor.staff_id, label=actor.label)


async def _load(session: Session, target_id: int, actor: Actor) -> TargetSet:
    row = await session.scalar(
        select(TargetSet).where(TargetSet.id == target_id).execution_options(populate_existing=True)
    )
    if row is None or not actor.can_see_staff(row.staff_id):
        raise not_found("target", target_id)
    return row


def _may(actor: Actor, row: TargetSet, tasks: list[Task]) -> list[str]:
    """What the viewer may do on these targets now (the workflow checks again)."""
    if not actor.can_act_on_tasks:
        return []
    me = actor.staff_id
    may: list[str] = []
    if row.status == "negotiating":
        if (actor.is_admin or me == row.supervisor_id) and row.turn == "supervisor":
            may.append("propose")
            if row.current_version > 0:
                may.append("accept")
        if (actor.is_admin or me == row.staff_id) and row.turn == "manager":
            may += ["accept", "counter"]
    if any(
        t.task_key == DIRECTOR_TASK and t.status == OPEN and (actor.is_admin or me in (t.assignee_id, t.delegate_id))
        for t in tasks
    ):
        may.append("decide")
    if row.status == "agreed" and me == row.staff_id and actor.role in (R.MANAGER, R.DIRECTOR):
        may.append("change")
    return list(dict.fromkeys(may))


async def _detail(session: Session, row: TargetSet, actor: Actor) -> TargetDetail:
    versions = (
        await session.scalars(
            select(TargetVersion).where(TargetVersion.target_set_id == row.id).order_by(TargetVersion.version)
        )
    ).all()
    progress = (
        await session.scalars(
            select(TargetProgress)
            .where(TargetProgress.target_set_id == row.id)
            .order_by(TargetProgress.day, TargetProgress.metric)
        )
    ).all()
    checkins = (
        await session.scalars(
            select(TargetCheckIn).where(TargetCheckIn.target_set_id == row.id).order_by(TargetCheckIn.checkpoint_day)
        )
    ).all()
    tasks = list(
        (
            await session.scalars(
                select(Task)
                .where(Task.workflow_id == row.workflow_id)
                .order_by(Task.id)
                .execution_options(populate_existing=True)
            )
        ).all()
    )
    name = await session.scalar(select(Staff.name).where(Staff.id == row.staff_id))
    latest = next((v for v in reversed(versions) if v.kind != "change"), None)
    pending = next((v.approval_id for v in versions if v.status == "pending"), None)
    return TargetDetail(
        **TargetOut.model_validate(row).model_dump(exclude={"staff_name"}),
        staff_name=name,
        values=latest.values if latest is not None else {},
        versions=[TargetVersionOut.model_validate(v) for v in versions],
        progress=[ProgressOut.model_validate(p) for p in progress],
        checkins=[CheckInOut.model_validate(c) for c in checkins],
        tasks=[TaskOut.model_validate(t) for t in tasks],
        metric_info=[
            MetricOut(
                key=k,
                label=METRIC_INFO[k].label,
                unit=METRIC_INFO[k].unit.value,
                direction=METRIC_INFO[k].direction.value,
            )
            for k in row.metrics
            if k in METRIC_INFO
        ],
        pending_change=pending,
        may=_may(actor, row, tasks),
    )


async def _send(
    temporal: Temporal, row: TargetSet, update: str, payload: BaseModel, actor: Actor, opts: UpdateOptions
) -> Any:
    """One update to the target's workflow within the deadline; refusals become 403/409/422."""
    handle = temporal.get_workflow_handle(row.workflow_id)
    update_id = update_id_for(actor, update, f"target-{row.id}", opts.key)
    try:
        return await within(
            opts.deadline, handle.execute_update(update, payload, **update_kwargs(update_id)), "the target's process"
        )
    except WorkflowUpdateFailedError as exc:
        raise refused(
            exc, update, "the target's process", lambda name: f"values.{name}" if name in METRIC_INFO else name
        ) from None
    except RPCError as exc:
        raise not_reached(exc, f"the target {row.id} is no longer open") from None


def _check_values(row: TargetSet, values: dict[str, float]) -> None:
    problems = values_problems(list(row.metrics), values)
    if problems:
        details = [{"field": f"values.{k}", "message": v} for k, v in problems.items()]
        raise ApiError(422, "; ".join(f"{d['field']}: {d['message']}" for d in details), details=details)


async def _after(session: Session, row: TargetSet, actor: Actor) -> TargetDetail:
    target_id = row.id  # the rollback expires the row
    await session.rollback()  # read what the workflow's activities committed
    return await _detail(session, await _load(session, target_id, actor), actor)


@router.get("", response_model=TargetList)
async def list_targets(
    session: Session,
    actor: Reader,
    scope: Annotated[
        Literal["mine", "team", "all"] | None,
        Query(description="mine (default for staff): my own; team: everyone in my subtree; all: ops and admin"),
    ] = None,
    period: Annotated[str | None, Query(pattern=PERIOD_PATTERN)] = None,
    status_filter: Annotated[str | None, Query(alias="status", max_length=16)] = None,
    limit: Annotated[int, Query(ge=1, le=500)] = 100,
) -> TargetList:
    """Targets, newest period first, then by manager."""
    scope = scope or ("all" if actor.sees_all else "mine")
    if scope == "all" and not actor.sees_all:
        raise forbidden("only ops and admin see every target (use scope=mine or scope=team)")
    if scope != "all" and actor.staff_id is None:
        raise ApiError(422, f"scope={scope} needs a principal linked to a staff member")
    query = select(TargetSet, Staff.name).join(Staff, Staff.id == TargetSet.staff_id)
    if scope == "mine":
        query = query.where(TargetSet.staff_id == actor.staff_id)
    elif scope == "team" and actor.visible_staff_ids is not None:
        query = query.where(TargetSet.staff_id.in_(actor.visible_staff_ids), TargetSet.staff_id != actor.staff_id)
    if period:
        query = query.where(TargetSet.period == period)
    if status_filter:
        query = query.where(TargetSet.status == status_filter)
    total = await session.scalar(select(func.count()).select_from(query.subquery()))
    rows = (await session.execute(query.order_by(TargetSet.period.desc(), Staff.name, TargetSet.id).limit(limit))).all()
    items = [TargetOut.model_validate(row).model_copy(update={"staff_name": name}) for row, name in rows]
    return TargetList(items=items, total=total or 0)


@router.get("/team", response_model=TeamTargets)
async def get_team_targets(
    request: Request,
    session: Session,
    actor: Reader,
    period: Annotated[str, Query(pattern=PERIOD_PATTERN)],
    root: Annotated[
        int | None, Query(ge=1, description="whose subtree (default: mine; ops and admin: everyone)")
    ] = None,
) -> TeamTargets:
    """The team's targets beside their actuals (KPI catalogue), per member and rolled up."""
    definition = await current_definition(request, TargetsDefinition)
    timezone = definition.schedule.timezone or request.app.state.settings.timezone
    if root is not None and not actor.can_see_staff(root):
        raise not_found("staff", root)
    if root is not None:
        ids = await subtree_ids(session, root)
    elif actor.visible_staff_ids is not None:
        ids = set(actor.visible_staff_ids)
    else:
        ids = set((await session.scalars(select(Staff.id))).all())
    if actor.visible_staff_ids is not None:
        ids &= set(actor.visible_staff_ids)
    start, end = period_bounds(period, timezone)
    first = (
        await session.scalar(select(TargetSet).where(TargetSet.period == period, TargetSet.staff_id.in_(ids)).limit(1))
        if ids
        else None
    )
    if first is not None:
        start, end = first.period_start, first.period_end
    now = utcnow()
    result = await team_targets(session, sorted(ids), period, start, end, now, timezone, definition.metrics)
    return TeamTargets(period=period, as_of=min(now, end), **result)


@router.post("", response_model=TargetOpened, status_code=status.HTTP_202_ACCEPTED)
async def open_target(
    body: TargetOpen, request: Request, session: Session, temporal: Temporal, actor: TaskActorDep
) -> JSONResponse:
    """Open one manager's target setting for a period (admin; a director or supervisor for someone below them)."""
    staff = await session.get(Staff, body.staff_id)
    if staff is None or not actor.can_see_staff(staff.id):
        raise ApiError(
            422,
            f"staff_id: staff {body.staff_id} does not exist or is not in your team",
            details=[{"field": "staff_id", "message": "unknown staff"}],
        )
    if not actor.is_admin and staff.id == actor.staff_id:
        raise forbidden("targets are set by the supervisor: you cannot open your own")
    if staff.role not in ("account_manager_l1", "account_manager_l2") or not staff.active:
        raise ApiError(
            422,
            f"staff_id: staff {staff.id} is not an active account manager",
            details=[{"field": "staff_id", "message": "not an active account manager"}],
        )
    definition = await current_definition(request, TargetsDefinition)
    settings = request.app.state.settings
    timezone = definition.schedule.timezone or settings.timezone
    staff_id = staff.id
    workflow_id = target_workflow_id(body.period, staff_id)
    await session.rollback()
    try:
        await within(
            settings.temporal_deadline_seconds,
            temporal.start_workflow(
                TargetWorkflow.run,
                TargetInput(
                    definition=definition,
                    period=body.period,
                    timezone=timezone,
                    staff_id=staff_id,
                    opened_by=actor.label,
                ),
                id=workflow_id,
                task_queue=settings.task_queue,
                rpc_timeout=timedelta(seconds=settings.temporal_deadline_seconds),
                id_conflict_policy=WorkflowIDConflictPolicy.FAIL,
                id_reuse_policy=WorkflowIDReusePolicy.REJECT_DUPLICATE,
                search_attributes=TypedSearchAttributes(
                    [
                        SearchAttributePair(SA_PROCESS_TYPE, "targets"),
                        SearchAttributePair(SA_STAGE, "negotiating"),
                        SearchAttributePair(SA_MANAGER_ID, str(staff_id)),
                        SearchAttributePair(SA_PERIOD, body.period),
                        SearchAttributePair(SA_DEFINITION_VERSION, f"{definition.version}:{definition.content_hash}"),
                    ]
                ),
            ),
            "Temporal",
        )
        started = True
    except WorkflowAlreadyStartedError:
        started = False
    result = TargetOpened(workflow_id=workflow_id, started=started)
    return JSONResponse(result.model_dump(), status_code=status.HTTP_202_ACCEPTED if started else status.HTTP_200_OK)


@router.get("/{target_id}", response_model=TargetDetail)
async def get_target(target_id: IdPath, session: Session, actor: Reader) -> TargetDetail:
    """One target set with every version, its daily progress, check-ins and tasks."""
    return await _detail(session, await _load(session, target_id, actor), actor)


@router.post("/{target_id}/propose", response_model=TargetDetail)
async def propose(
    target_id: IdPath, body: ValuesBody, session: Session, temporal: Temporal, actor: TaskActorDep, opts: UpdateOpts
) -> TargetDetail:
    """The supervisor proposes a value for every metric (again after a counter-proposal)."""
    row = await _load(session, target_id, actor)
    if not (actor.is_admin or actor.staff_id == row.supervisor_id):
        raise forbidden("only the supervisor of this manager (or an admin) proposes targets")
    _check_values(row, body.values)
    await _send(
        temporal,
        row,
        "target.propose",
        ProposeInput(actor=_task_actor(actor), values=body.values, reason=body.reason),
        actor,
        opts,
    )
    return await _after(session, row, actor)


@router.post("/{target_id}/counter", response_model=TargetDetail)
async def counter(
    target_id: IdPath, body: ValuesBody, session: Session, temporal: Temporal, actor: TaskActorDep, opts: UpdateOpts
) -> TargetDetail:
    """The manager counter-proposes, with a reason (bounded rounds)."""
    row = await _load(session, target_id, actor)
    if not (actor.is_admin or actor.staff_id == row.staff_id):
        raise forbidden("only the manager these targets are for (or an admin) counter-proposes")
    if not body.reason or len(body.reason.strip()) < 3:
        raise ApiError(
            422, "reason: a counter-proposal needs a reason", details=[{"field": "reason", "message": "is required"}]
        )
    _check_values(row, body.values)
    await _send(
        temporal,
        row,
        "target.counter",
        ProposeInput(actor=_task_actor(actor), values=body.values, reason=body.reason),
        actor,
        opts,
    )
    return await _after(session, row, actor)


@router.post("/{target_id}/accept", response_model=TargetDetail)
async def accept(
    target_id: IdPath,
    session: Session,
    temporal: Temporal,
    actor: TaskActorDep,
    opts: UpdateOpts,
    body: AcceptBody | None = None,
) -> TargetDetail:
    """The party whose turn it is accepts the latest version: it is pinned."""
    row = await _load(session, target_id, actor)
    if not (actor.is_admin or actor.staff_id in (row.staff_id, row.supervisor_id)):
        raise forbidden("only the manager or their supervisor (or an admin) accepts targets")
    await _send(
        temporal,
        row,
        "target.accept",
        AcceptInput(actor=_task_actor(actor), reason=body.reason if body else None),
        actor,
        opts,
    )
    return await _after(session, row, actor)


@router.post("/{target_id}/decide", response_model=TargetDetail)
async def decide(
    target_id: IdPath, body: DecideBody, session: Session, temporal: Temporal, actor: TaskActorDep, opts: UpdateOpts
) -> TargetDetail:
    """The director sets the values when supervisor and manager did not agree by the deadline."""
    row = await _load(session, target_id, actor)
    task = await session.scalar(select(Task).where(Task.workflow_id == row.workflow_id, Task.task_key == DIRECTOR_TASK))
    if task is None or task.status != OPEN:
        raise conflict(f"target {row.id} is not waiting for a director's decision", {"status": row.status})
    if not (actor.is_admin or actor.staff_id in (task.assignee_id, task.delegate_id)):
        raise forbidden("only the director the decision is assigned to (or their delegate, or an admin) decides")
    _check_values(row, body.values)
    data: dict[str, Any] = dict(body.values)
    if body.comment:
        data["comment"] = body.comment
    await _send(
        temporal,
        row,
        "task.complete",
        TaskCompleteInput(task_key=DIRECTOR_TASK, actor=_task_actor(actor), data=data, comment=body.comment),
        actor,
        opts,
    )
    target_id = row.id
    await session.rollback()

    async def agreed() -> bool:
        await session.rollback()
        return (await session.scalar(select(TargetSet.status).where(TargetSet.id == target_id))) != "director"

    # The workflow pins the decision right after the task closes: wait briefly so the answer shows it.
    for _ in range(50):
        if await agreed():
            break
        await asyncio.sleep(0.1)
    return await _detail(session, await _load(session, target_id, actor), actor)


@router.post("/{target_id}/change", response_model=ChangeRequested, status_code=status.HTTP_202_ACCEPTED)
async def request_change(
    target_id: IdPath,
    body: ChangeBody,
    request: Request,
    session: Session,
    temporal: Temporal,
    actor: TaskActorDep,
    opts: UpdateOpts,
) -> ChangeRequested:
    """The manager asks to change one agreed value; the target-change approval flow decides."""
    row = await _load(session, target_id, actor)
    if actor.staff_id != row.staff_id or actor.role not in (R.MANAGER, R.DIRECTOR):
        raise forbidden("only the account manager these targets are for may ask to change them")
    if row.status != "agreed" or not row.agreed_values:
        raise conflict(f"only agreed targets can change (these are {row.status})", {"status": row.status})
    if body.metric not in row.agreed_values:
        raise ApiError(
            422,
            f"metric: {body.metric!r} is not one of these targets",
            details=[{"field": "metric", "message": "unknown metric"}],
        )
    problem = METRIC_INFO[body.metric].check_target(body.value)
    if problem:
        raise ApiError(422, f"value: {problem}", details=[{"field": "value", "message": problem}])
    definition = await current_definition(request, TargetsDefinition)
    try:
        flow = await asyncio.to_thread(load_flow, request.app.state.settings.definitions_dir, definition.change_flow)
    except DefinitionError as exc:
        raise ApiError(
            503, f"the flow {definition.change_flow!r} cannot be loaded", code="definition_invalid", details=str(exc)
        ) from None
    result = await _send(
        temporal,
        row,
        "target.request_change",
        ChangeRequestInput(
            actor=_task_actor(actor),
            metric=body.metric,
            value=body.value,
            reason=body.reason,
            flow=flow.model_dump(mode="json"),
        ),
        actor,
        opts,
    )
    approval_id = result["approval_id"] if isinstance(result, dict) else result.approval_id
    return ChangeRequested(target=await _after(session, row, actor), approval_id=approval_id)
