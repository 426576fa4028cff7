"""Incentive awards (DESIGN §3.8): read them line by line, appeal one, compute a period by hand.

Awards are visible like reviews: a manager their own and their subtree's, a director their subtree, ops and
admin all. Only the manager an award belongs to may appeal it; the appeal is an approval on the
`incentive-appeal` flow (the director above them decides), started through the approvals API itself.
"""

from __future__ import annotations

from datetime import timedelta
from typing import Annotated

from fastapi import APIRouter, Query, Request, Response, status
from fastapi.responses import JSONResponse
from temporalio.common import (
    SearchAttributePair,
    TypedSearchAttributes,
    WorkflowIDConflictPolicy,
    WorkflowIDReusePolicy,
)
from temporalio.exceptions import WorkflowAlreadyStartedError

from api.deps import Appellant, Overseer, Reader, Session, Temporal, current_definition
from api.errors import ApiError, conflict, forbidden, not_found
from api.routers import approvals as approval_routes
from api.schemas.approvals import ApprovalCreate
from api.schemas.common import IdPath, IdQuery, Offset
from api.schemas.incentives import (
    AppealBody,
    AwardDetail,
    AwardLineOut,
    AwardList,
    AwardOut,
    ComputeAwardsBody,
    ComputeAwardsStarted,
)
from crmflow.temporal import SA_DEFINITION_VERSION, SA_PERIOD, SA_PROCESS_TYPE, SA_STAGE
from db.models import IncentiveAward, PrincipalRole, utcnow
from db.repositories.audit import record_audit
from db.repositories.incentives import AwardView, count_awards, get_award, list_awards
from definitions.incentives import IncentiveAwardsInput, IncentiveDefinition, awards_workflow_id
from definitions.review import PERIOD_PATTERN, period_for
from workflows.incentives import IncentiveAwardsWorkflow

router = APIRouter(prefix="/v1/incentive-awards", tags=["incentives"])

R = PrincipalRole


def _out(view: AwardView) -> AwardOut:
    award = view.award
    return AwardOut(
        id=award.id,
        period=award.period,
        manager_id=award.manager_id,
        manager_name=view.manager_name,
        supervisor_id=award.supervisor_id,
        rule_version=award.rule_version,
        total_points=award.total_points,
        amount=award.amount,
        currency=award.currency,
        gated=award.gated,
        computed_at=award.computed_at,
        appeal_id=award.appeal_id,
        appeal_status=view.appeal_status,
        appeal_outcome=view.appeal_outcome,
    )


def _detail(view: AwardView) -> AwardDetail:
    return AwardDetail(**_out(view).model_dump(), lines=[AwardLineOut.model_validate(line) for line in view.lines])


@router.get("", response_model=AwardList)
async def list_incentive_awards(
    session: Session,
    actor: Reader,
    period: Annotated[str | None, Query(pattern=PERIOD_PATTERN)] = None,
    manager_id: IdQuery = None,
    limit: Annotated[int, Query(ge=1, le=500)] = 100,
    offset: Offset = 0,
) -> AwardList:
    """Awards, newest period first: managers their own and their subtree's, directors their subtree, ops/admin all."""
    views = await list_awards(
        session, actor.visible_staff_ids, period=period, manager_id=manager_id, limit=limit, offset=offset
    )
    total = await count_awards(session, actor.visible_staff_ids, period=period, manager_id=manager_id)
    return AwardList(items=[_out(view) for view in views], total=total, limit=limit, offset=offset)


@router.get("/{award_id}", response_model=AwardDetail)
async def get_incentive_award(award_id: IdPath, session: Session, actor: Reader) -> AwardDetail:
    """One award line by line (metric, target, actual, attainment, band, weight, points; gates; cap)."""
    view = await get_award(session, actor.visible_staff_ids, award_id)
    if view is None:
        raise not_found("award", award_id)
    return _detail(view)


@router.post("/{award_id}/appeal", response_model=AwardDetail, status_code=status.HTTP_201_CREATED)
async def appeal_incentive_award(
    award_id: IdPath, body: AppealBody, request: Request, session: Session, temporal: Temporal, actor: Appellant
) -> AwardDetail:
    """The award's manager contests it: an approval for the director above them, with a due date and escalation."""
    view = await get_award(session, actor.visible_staff_ids, award_id)
    if view is None:
        raise not_found("award", award_id)
    award = view.award
    if actor.staff_id != award.manager_id:
        raise forbidden("only the manager an award belongs to may appeal it")
    if award.appeal_id is not None:
        raise conflict(
            f"award {award_id} is already under appeal ({view.appeal_status})",
            {"appeal_id": award.appeal_id, "status": view.appeal_status},
        )
    rules = await current_definition(request, IncentiveDefinition)
    if utcnow() > award.computed_at + rules.appeal_window:
        raise conflict(
            f"the appeal window of award {award_id} closed on "
            f"{(award.computed_at + rules.appeal_window).date().isoformat()}"
        )
    fields = {"award_id": award.id, "period": award.period, "reason": body.reason}
    if body.requested_points is not None:
        fields["requested_points"] = body.requested_points
    title = f"Appeal of the {award.period} award ({award.total_points:g} points)"
    await session.rollback()
    # The approvals route starts the flow (form checked, approvers resolved, workflow id from the key): one
    # appeal per award even when this request is retried.
    approval = await approval_routes.create_approval(
        ApprovalCreate(
            flow=rules.appeal_flow, title=title, subject_type="none", subject_id=f"award:{award_id}", fields=fields
        ),
        request,
        Response(),
        session,
        temporal,
        actor,
        idempotency_key=f"incentive-appeal-{award_id}",
    )
    award = await session.get(IncentiveAward, award_id, populate_existing=True)
    assert award is not None
    if award.appeal_id is None:
        award.appeal_id = approval.id
        record_audit(
            session,
            actor=actor.label,
            action="incentive_award.appealed",
            entity_type="incentive_award",
            entity_id=award.id,
            reason=body.reason,
            details={
                "period": award.period,
                "approval_id": approval.id,
                "total_points": award.total_points,
                "requested_points": body.requested_points,
                "rule_version": award.rule_version,
            },
        )
        await session.commit()
    view = await get_award(session, actor.visible_staff_ids, award_id)
    assert view is not None
    return _detail(view)


@router.post("/compute", response_model=ComputeAwardsStarted, status_code=status.HTTP_202_ACCEPTED)
async def compute_incentive_awards(
    body: ComputeAwardsBody, request: Request, client: Temporal, actor: Overseer
) -> JSONResponse:
    """Compute an ended period's awards by hand (ops/admin: the company; a director: their subtree)."""
    settings = request.app.state.settings
    rules = await current_definition(request, IncentiveDefinition)
    latest = period_for(utcnow(), settings.timezone)
    if body.period > latest:
        raise ApiError(
            422,
            f"period {body.period} has not ended yet (the latest is {latest})",
            details=[{"field": "period", "message": "in the future"}],
        )
    scope = actor.staff_id if actor.role == R.DIRECTOR else None
    if actor.role == R.DIRECTOR and scope is None:
        raise forbidden("a director token must be linked to a staff member to compute awards")
    workflow_id = awards_workflow_id(body.period, scope)
    try:
        await client.start_workflow(
            IncentiveAwardsWorkflow.run,
            IncentiveAwardsInput(
                period=body.period,
                timezone=settings.timezone,
                definition=rules,
                scope_staff_id=scope,
                started_by=actor.label,
                replace=body.replace,
            ),
            id=workflow_id,
            task_queue=settings.task_queue,
            rpc_timeout=timedelta(seconds=settings.temporal_deadline_seconds),
            # A run in progress is the same request; a finished one may be run again (a recomputation).
            id_conflict_policy=WorkflowIDConflictPolicy.FAIL,
            id_reuse_policy=WorkflowIDReusePolicy.ALLOW_DUPLICATE,
            search_attributes=TypedSearchAttributes(
                [
                    SearchAttributePair(SA_PROCESS_TYPE, "incentives"),
                    SearchAttributePair(SA_PERIOD, body.period),
                    SearchAttributePair(SA_STAGE, "computing"),
                    SearchAttributePair(SA_DEFINITION_VERSION, rules.rule_version),
                ]
            ),
        )
        started = True
    except WorkflowAlreadyStartedError:
        started = False
    result = ComputeAwardsStarted(period=body.period, workflow_id=workflow_id, started=started)
    return JSONResponse(result.model_dump(), status_code=status.HTTP_202_ACCEPTED if started else status.HTTP_200_OK)
