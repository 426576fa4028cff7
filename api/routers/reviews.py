"""Review cycles (start one by hand, list) and reviews (role-filtered)."""

from __future__ import annotations

import asyncio
import json
from datetime import timedelta
from typing import Annotated

from fastapi import APIRouter, Query, Request, status
from fastapi.responses import JSONResponse
from sqlalchemy import func, select
from temporalio.common import (
    SearchAttributePair,
    TypedSearchAttributes,
    WorkflowIDConflictPolicy,
    WorkflowIDReusePolicy,
)
from temporalio.exceptions import WorkflowAlreadyStartedError

from api.deps import Overseer, Reader, Session, TaskActorDep, Temporal, current_definition
from api.errors import ApiError, conflict, forbidden, not_found
from api.routers import approvals as approval_routes
from api.schemas.common import IdQuery, Offset
from api.schemas.review import (
    PlanItemOut,
    ReviewCycleList,
    ReviewCycleOut,
    ReviewCycleStart,
    ReviewCycleStarted,
    ReviewDecisionBody,
    ReviewList,
    ReviewOut,
)
from crmflow.schedules import schedule_context
from crmflow.temporal import SA_DEFINITION_VERSION, SA_PERIOD, SA_PROCESS_TYPE, SA_STAGE
from db.models import ApprovalRequest, PrincipalRole, Review, ReviewCycle, ReviewPlanItem, Task, utcnow
from definitions.approval import ApprovalDecisionInput
from definitions.review import PERIOD_PATTERN, ReviewDefinition, period_for
from workflows.review import ReviewCycleWorkflow, cycle_input, cycle_workflow_id

router = APIRouter(prefix="/v1", tags=["reviews"])


@router.post(
    "/review-cycles",
    response_model=ReviewCycleStarted,
    status_code=status.HTTP_202_ACCEPTED,
    responses={
        200: {
            "description": "the cycle of that period (and scope) was started before: `started` is false",
            "model": ReviewCycleStarted,
        }
    },
)
async def start_review_cycle(
    body: ReviewCycleStart, client: Temporal, actor: Overseer, request: Request
) -> JSONResponse:
    """Start the cycle of an ended period (default: the quarter just ended); ops/admin: the company, director: their subtree."""
    settings = request.app.state.settings
    definition = await current_definition(request, ReviewDefinition)
    # The tiering snapshot is read from its file: off the event loop, like every definition a request loads.
    template = cycle_input(definition, await asyncio.to_thread(schedule_context, settings))
    latest = period_for(utcnow(), template.timezone)  # the quarter just ended: the latest that can be reviewed
    period = body.period or latest
    if period > latest:  # YYYYQn compares in time order
        raise ApiError(
            422,
            f"period {period} has not ended yet (the latest is {latest})",
            details=[{"field": "period", "message": "in the future"}],
        )
    # Ops and admin start the company's cycle; a director only their own subtree's.
    scope = actor.staff_id if actor.role == PrincipalRole.DIRECTOR else None
    if actor.role == PrincipalRole.DIRECTOR and scope is None:
        raise forbidden("a director token must be linked to a staff member to start a review cycle")
    workflow_id = cycle_workflow_id(period, scope)
    try:
        await client.start_workflow(
            ReviewCycleWorkflow.run,
            template.model_copy(update={"period": period, "started_by": actor.label, "scope_staff_id": scope}),
            id=workflow_id,
            task_queue=settings.task_queue,
            rpc_timeout=timedelta(seconds=settings.temporal_deadline_seconds),
            # The id is the period: running → conflict, closed → reuse rejected. One cycle per period.
            id_conflict_policy=WorkflowIDConflictPolicy.FAIL,
            id_reuse_policy=WorkflowIDReusePolicy.REJECT_DUPLICATE,
            search_attributes=TypedSearchAttributes(
                [
                    SearchAttributePair(SA_PROCESS_TYPE, "review-cycle"),
                    SearchAttributePair(SA_PERIOD, period),
                    SearchAttributePair(SA_STAGE, "dispatching"),
                    SearchAttributePair(SA_DEFINITION_VERSION, f"{definition.version}:{definition.content_hash}"),
                ]
            ),
        )
        started = True
    except WorkflowAlreadyStartedError:
        started = False
    result = ReviewCycleStarted(period=period, workflow_id=workflow_id, started=started)
    return JSONResponse(result.model_dump(), status_code=status.HTTP_202_ACCEPTED if started else status.HTTP_200_OK)


@router.get("/review-cycles", response_model=ReviewCycleList)
async def list_review_cycles(
    session: Session, actor: Reader, period: Annotated[str | None, Query(pattern=PERIOD_PATTERN)] = None
) -> ReviewCycleList:
    """Cycles, newest first, with the per-team summary (managers and directors: their subtree's teams)."""
    query = select(ReviewCycle).order_by(ReviewCycle.period.desc())
    if period:
        query = query.where(ReviewCycle.period == period)
    cycles = [ReviewCycleOut.model_validate(c) for c in await session.scalars(query)]
    if actor.visible_staff_ids is not None:
        # Managers and directors see the summary of the teams led by someone in their subtree only.
        for cycle in cycles:
            if cycle.summary and isinstance(cycle.summary.get("teams"), dict):
                teams = {
                    key: team
                    for key, team in cycle.summary["teams"].items()
                    if team.get("supervisor_id") in actor.visible_staff_ids
                }
                cycle.summary = {**cycle.summary, "teams": teams, "reviews": sum(t["reviews"] for t in teams.values())}
    return ReviewCycleList(items=cycles, total=len(cycles))


@router.get("/reviews", response_model=ReviewList)
async def list_reviews(
    session: Session,
    actor: Reader,
    period: Annotated[str | None, Query(pattern=PERIOD_PATTERN)] = None,
    manager_id: IdQuery = None,
    review_status: Annotated[str | None, Query(alias="status", max_length=24)] = None,
    limit: Annotated[int, Query(ge=1, le=500)] = 100,
    offset: Offset = 0,
) -> ReviewList:
    """Reviews: managers see their own and their subtree's, directors their subtree, ops/admin all."""
    query = select(Review)
    if actor.visible_staff_ids is not None:
        visible = list(actor.visible_staff_ids)
        query = query.where(Review.manager_id.in_(visible))
    if period:
        query = query.where(Review.period == period)
    if manager_id is not None:
        query = query.where(Review.manager_id == manager_id)
    if review_status:
        query = query.where(Review.status == review_status)
    total = await session.scalar(select(func.count()).select_from(query.subquery()))
    rows = await session.scalars(query.order_by(Review.period.desc(), Review.manager_id).limit(limit).offset(offset))
    return ReviewList(items=await with_plans(session, list(rows)), total=total or 0, limit=limit, offset=offset)


async def with_plans(session: Session, reviews: list[Review]) -> list[ReviewOut]:
    """Each review with its own improvement plan and the plan of the same manager's review before it."""
    if not reviews:
        return []
    managers = {r.manager_id for r in reviews}
    # Every earlier review of these managers that has a plan: two set-based reads, whatever the page size.
    rows = (
        await session.execute(
            select(ReviewPlanItem, Review.period)
            .join(Review, Review.id == ReviewPlanItem.review_id)
            .where(ReviewPlanItem.manager_id.in_(managers))
            .order_by(ReviewPlanItem.review_id, ReviewPlanItem.position)
        )
    ).all()
    plans: dict[int, list[PlanItemOut]] = {}
    periods: dict[int, list[tuple[str, int]]] = {}
    for item, period in rows:
        plans.setdefault(item.review_id, []).append(PlanItemOut.model_validate(item))
        entry = (period, item.review_id)
        if entry not in periods.setdefault(item.manager_id, []):
            periods[item.manager_id].append(entry)
    result = []
    for review in reviews:
        earlier = [entry for entry in periods.get(review.manager_id, []) if entry[0] < review.period]
        previous = plans[max(earlier)[1]] if earlier else []  # the latest period before this one
        result.append(
            ReviewOut.model_validate(review).model_copy(
                update={"plan": plans.get(review.id, []), "previous_plan": previous}
            )
        )
    return result


@router.post("/reviews/{review_id}/decision", response_model=ReviewOut)
async def decide_review(
    review_id: int, body: ReviewDecisionBody, session: Session, temporal: Temporal, actor: TaskActorDep
) -> ReviewOut:
    """The supervisor (their delegate, or an admin) approves with a rating and a comment, or rejects for rework."""
    review = await session.get(Review, review_id, populate_existing=True)
    if review is None:
        raise not_found("review", review_id)
    open_tasks = (
        await session.scalars(
            select(Task)
            .where(Task.workflow_id == review.workflow_id, Task.kind == "approval", Task.status == "open")
            .order_by(Task.id)
            .execution_options(populate_existing=True)
        )
    ).all()
    mine = [t for t in open_tasks if actor.is_admin or actor.staff_id in (t.assignee_id, t.delegate_id)]
    visible = actor.visible_staff_ids is None or review.manager_id in actor.visible_staff_ids
    if not mine:
        if not visible:
            raise not_found("review", review_id)  # a review outside the caller's subtree stays unseen
        if open_tasks:
            raise forbidden("only the supervisor deciding this review, their delegate or an admin may decide it")
        raise conflict(f"review {review_id} is not waiting for the supervisor's decision", {"stage": review.stage})
    task = mine[0]
    approval_id = (task.context or {}).get("approval_id")
    row = await session.get(ApprovalRequest, approval_id) if approval_id else None
    if row is None:
        # A review started before the decision became an approval flow: its form task is decided on the task page.
        raise conflict(
            f"review {review_id} is decided on its task (/v1/tasks/{task.id}/complete)", {"task_id": task.id}
        )
    today = utcnow().date()
    for index, item in enumerate(body.plan or []):
        if item.due_on <= today:
            raise ApiError(
                422,
                f"plan item {index + 1}: the due date must be after today ({today.isoformat()})",
                details=[{"field": f"plan.{index}.due_on", "message": "must be after today"}],
            )
    fields = {"rating": body.rating, "comment": (body.comment or "").strip()} if body.decision == "approve" else None
    if fields is not None and body.plan:
        fields["plan"] = json.dumps([item.model_dump(mode="json") for item in body.plan])
    try:
        await approval_routes._send(
            temporal,
            row,
            "approval.decide",
            ApprovalDecisionInput(
                actor=approval_routes._actor(actor),
                decision=body.decision,
                comment=body.comment,
                fields=fields,
                task_key=task.task_key if actor.is_admin else None,
            ),
        )
    except ApiError as exc:
        if exc.status != 403:
            raise
        # The row says the caller holds this open task, so the flow has not taken it in yet (its row is written
        # a moment before): a retry succeeds, as for a task still being opened.
        raise conflict(f"task {task.task_key!r} is still being opened; try again", {"task_id": task.id}) from None
    await session.refresh(review)
    return (await with_plans(session, [review]))[0]
