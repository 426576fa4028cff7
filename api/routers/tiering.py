"""Tier re-evaluation of one customer on demand (POST /v1/customers/{id}/tier-reevaluations)."""

from __future__ import annotations

import asyncio

from fastapi import APIRouter, Request, status
from fastapi.responses import JSONResponse
from temporalio.client import WorkflowFailureError

from api.schemas.common import IdPath
from api.deps import Session, TaskActorDep, current_definition, get_temporal
from api.errors import ApiError, conflict, not_found
from api.schemas.tiering import TierReevaluationOut
from db.models import CustomerStatus, utcnow
from db.repositories.customers import visible_customer
from definitions.tiering import TieringCycleInput, TieringDefinition
from crmflow.schedules import schedule_timezone
from definitions.base import local_date
from workflows.tiering import TieringCycleWorkflow, cycle_workflow_id

router = APIRouter(prefix="/v1/customers", tags=["tiering"])


@router.post(
    "/{customer_id}/tier-reevaluations", status_code=status.HTTP_202_ACCEPTED, response_model=TierReevaluationOut
)
async def reevaluate_tier(customer_id: IdPath, session: Session, actor: TaskActorDep, request: Request) -> JSONResponse:
    """Score this customer now; if its tier should move (and it is not cooling down) a tier change starts."""
    customer = await visible_customer(session, customer_id, visible_staff_ids=actor.visible_staff_ids)
    if customer is None:
        raise not_found("customer", customer_id)
    if customer.status != CustomerStatus.ACTIVE.value:
        raise conflict(f"customer {customer_id} is {customer.status}; only active customers are re-evaluated")
    settings = request.app.state.settings
    definition = await current_definition(request, TieringDefinition)
    client = await get_temporal(request)
    now = utcnow()
    zone = schedule_timezone(definition, settings)
    cycle_id = f"manual-{customer_id}-{now:%Y%m%dT%H%M%S%f}"
    workflow_id = cycle_workflow_id(cycle_id)
    try:
        result = await asyncio.wait_for(
            client.execute_workflow(
                TieringCycleWorkflow.run,
                TieringCycleInput(
                    definition=definition,
                    as_of=local_date(now, zone),
                    cycle_id=cycle_id,
                    customer_id=customer_id,
                    timezone=zone,
                ),
                id=workflow_id,
                task_queue=settings.task_queue,
            ),
            settings.temporal_deadline_seconds,
        )
    except TimeoutError:
        raise ApiError(
            503,
            f"the evaluation {workflow_id} did not answer in time; see /v1/processes/{workflow_id}",
            details={"process_id": workflow_id},
            headers={"Retry-After": "5"},
        ) from None
    except WorkflowFailureError as exc:
        raise ApiError(409, f"the evaluation failed: {exc.cause}", details={"process_id": workflow_id}) from None
    evaluation = result.evaluation
    assert evaluation is not None
    if result.tier_change_process_id is not None:
        outcome, change_id = "tier_change_started", result.tier_change_process_id
    elif evaluation.pending_process_id is not None:
        outcome, change_id = "already_pending", evaluation.pending_process_id
    elif evaluation.target_tier != evaluation.current_tier and evaluation.cooldown_until is not None:
        outcome, change_id = "cooldown", None
    else:
        outcome, change_id = "no_change", None
    body = TierReevaluationOut(
        customer_id=customer_id,
        outcome=outcome,
        score=evaluation.score,
        current_tier=evaluation.current_tier,
        target_tier=evaluation.target_tier,
        cooldown_until=evaluation.cooldown_until,
        process_id=workflow_id,
        tier_change_process_id=change_id,
    )
    return JSONResponse(body.model_dump(mode="json"), status_code=status.HTTP_202_ACCEPTED)
