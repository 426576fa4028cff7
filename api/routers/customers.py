"""Customers: onboarding (starts `onboarding`), lists by role, follow-ups and transactions."""

from __future__ import annotations

import asyncio
import uuid
from datetime import UTC, timedelta
from typing import Annotated, Any, Literal

import structlog
from fastapi import APIRouter, Query, Request, Response, status
from fastapi.responses import JSONResponse
from pydantic import BaseModel
from sqlalchemy import select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.ext.asyncio import AsyncSession
from temporalio.client import Client, WithStartWorkflowOperation, WorkflowUpdateFailedError
from temporalio.common import (
    SearchAttributePair,
    TypedSearchAttributes,
    WorkflowIDConflictPolicy,
    WorkflowIDReusePolicy,
)
from temporalio.exceptions import ApplicationError, WorkflowAlreadyStartedError
from temporalio.service import RPCError, RPCStatusCode

from api.schemas.common import IdPath, IdQuery, MAX_INT
from api.auth import Actor
from api.deps import CurrentActor, Filer, Reader, Session, current_definition, get_temporal
from api.errors import ApiError, conflict, not_found
from api.updates import DEADLINE_ERRORS, IdempotencyKey, unavailable
from api.schemas.customer import (
    CustomerCreate,
    CustomerList,
    CustomerOut,
    CustomerStatusName,
    FollowUpCreate,
    FollowUpList,
    FollowUpOut,
    TransactionCreate,
    TransactionList,
    TransactionOut,
)
from crmflow.temporal import SA_DEFINITION_VERSION, SA_PROCESS_TYPE, SA_STAGE
from db.models import Customer, CustomerStatus, PrincipalRole, utcnow
from db.repositories.audit import record_audit
from db.repositories.customers import (
    add_follow_up,
    add_transaction,
    find_duplicate,
    list_customers,
    list_follow_ups,
    list_transactions,
    transaction_by_ref,
    visible_customer,
)
from db.repositories.contacts import schedule_next_contacts
from definitions.onboarding import OnboardingDefinition, OnboardingInput
from definitions.reclaim import ReclaimDefinition
from workflows.onboarding import DUPLICATE, PROCESS, OnboardingWorkflow

log = structlog.get_logger(__name__)
_ONBOARDING_NAMESPACE = uuid.UUID("4d3c2b1a-0f9e-58d7-b6a5-948372615f0e")

router = APIRouter(prefix="/v1/customers", tags=["customers"])

Limit = Annotated[int, Query(ge=1, le=500)]
Offset = Annotated[int, Query(ge=0, le=MAX_INT)]


def _out(customer: Customer) -> CustomerOut:
    return CustomerOut.model_validate(customer)


def _duplicate(existing: Customer, field: str) -> ApiError:
    return conflict(
        f"a customer with the same {field} already exists (id {existing.id})",
        {"existing_customer_id": existing.id, "field": field, "status": existing.status},
    )


def _duplicate_field(existing: Customer, body: CustomerCreate) -> str:
    return "external_ref" if body.external_ref and existing.external_ref == body.external_ref else "name and region"


def _onboarding_input(body: CustomerCreate, actor: Actor, definition: OnboardingDefinition) -> OnboardingInput:
    """The process creates the customer row itself (its first activity), from the intake."""
    return OnboardingInput(
        customer_id=None,
        name=body.name,
        region=body.region,
        industry=body.industry,
        declared_annual_value=body.declared_annual_value,
        external_ref=body.external_ref,
        requested_by=actor.label,
        requester_id=actor.staff_id if actor.role in (PrincipalRole.MANAGER, PrincipalRole.DIRECTOR) else None,
        definition=definition,
    )


def onboarding_workflow_id(actor: Actor, idempotency_key: str | None) -> str:
    """`onboarding-<uuid>`: derived from (principal, Idempotency-Key), so a retry names the same process."""
    if idempotency_key is None:
        return f"{PROCESS}-{uuid.uuid4()}"
    return f"{PROCESS}-{uuid.uuid5(_ONBOARDING_NAMESPACE, f'{actor.principal_id}:{idempotency_key}')}"


class CustomerAccepted(BaseModel):
    """202: the onboarding is durably started but has not answered yet (e.g. no worker); see Location."""

    process_id: str
    status: Literal["accepted"] = "accepted"


@router.post(
    "",
    response_model=CustomerOut,
    status_code=status.HTTP_201_CREATED,
    responses={
        200: {"description": "replay of an Idempotency-Key: the customer its process created", "model": CustomerOut},
        202: {
            "description": "started durably but not answered in time; the process is at Location",
            "model": CustomerAccepted,
            "headers": {"Location": {"schema": {"type": "string"}}},
        },
    },
)
async def onboard_customer(
    body: CustomerCreate,
    session: Session,
    actor: Filer,
    request: Request,
    response: Response,
    idempotency_key: IdempotencyKey = None,
) -> Any:
    """Onboard a customer: its process creates the row (update-with-start); a duplicate answers 409 with the
    existing id. Never waits longer than CRMFLOW_TEMPORAL_DEADLINE_SECONDS on Temporal: 202 (process id,
    Location) when the process is started but has not answered, 503 with Retry-After when it could not start."""
    definition = await current_definition(request, OnboardingDefinition)
    client = await get_temporal(request)
    workflow_id = onboarding_workflow_id(actor, idempotency_key)
    if idempotency_key is not None:
        mine = await session.scalar(select(Customer).where(Customer.process_id == workflow_id))
        if mine is not None:  # a retry of the request that created it: the same answer
            response.status_code, response.headers["Idempotent-Replayed"] = 200, "true"
            return _out(mine)
    existing = await find_duplicate(session, name=body.name, region=body.region, external_ref=body.external_ref)
    if existing is not None:
        raise _duplicate(existing, _duplicate_field(existing, body))
    await session.rollback()  # no read transaction held open while the process starts
    operation = WithStartWorkflowOperation(
        OnboardingWorkflow.run,
        _onboarding_input(body, actor, definition),
        id=workflow_id,
        task_queue=request.app.state.settings.task_queue,
        # A running process answers the retry (USE_EXISTING); a closed one is never started again.
        id_conflict_policy=WorkflowIDConflictPolicy.USE_EXISTING,
        id_reuse_policy=WorkflowIDReusePolicy.REJECT_DUPLICATE,
        search_attributes=TypedSearchAttributes(
            [
                SearchAttributePair(SA_PROCESS_TYPE, PROCESS),
                SearchAttributePair(SA_STAGE, "created"),
                SearchAttributePair(SA_DEFINITION_VERSION, f"{definition.version}:{definition.content_hash}"),
            ]
        ),
    )
    deadline = request.app.state.settings.temporal_deadline_seconds
    try:
        created = await asyncio.wait_for(
            client.execute_update_with_start_workflow(OnboardingWorkflow.created, start_workflow_operation=operation),
            deadline,
        )
        customer_id = created.customer_id
    except DEADLINE_ERRORS:
        return await _accepted_or_unavailable(client, workflow_id, deadline)
    except WorkflowAlreadyStartedError:
        customer_id = None  # the process ran and closed already: answer from its row
    except WorkflowUpdateFailedError as exc:
        cause = exc.cause
        if isinstance(cause, ApplicationError) and cause.type == DUPLICATE:
            details = cause.details[0] if cause.details else None
            raise conflict(cause.message, details) from None
        raise unavailable(f"the onboarding process refused the intake: {cause or exc}") from None
    except RPCError as exc:
        if exc.status != RPCStatusCode.ALREADY_EXISTS:
            raise unavailable(f"could not start the onboarding process: {exc.message}") from None
        customer_id = None
    query = select(Customer).where(
        Customer.id == customer_id if customer_id is not None else Customer.process_id == workflow_id
    )
    customer = await session.scalar(query.execution_options(populate_existing=True))
    if customer is None:
        return await _accepted_or_unavailable(client, workflow_id, deadline)
    return _out(customer)


async def _accepted_or_unavailable(client: Client, workflow_id: str, deadline: float) -> JSONResponse:
    """202 when the process exists (it will create the customer once a worker runs it), else 503."""
    try:
        await asyncio.wait_for(client.get_workflow_handle(workflow_id).describe(), deadline)
    except (RPCError, *DEADLINE_ERRORS):
        raise unavailable("the onboarding process could not be started; retry with the same Idempotency-Key") from None
    body = CustomerAccepted(process_id=workflow_id)
    return JSONResponse(body.model_dump(), status_code=202, headers={"Location": f"/v1/processes/{workflow_id}"})


@router.get("", response_model=CustomerList)
async def list_customers_route(
    session: Session,
    actor: CurrentActor,
    tier: Annotated[int | None, Query(ge=1, le=2)] = None,
    owner_id: IdQuery = None,
    status_: Annotated[CustomerStatusName | None, Query(alias="status")] = None,
    region: Annotated[str | None, Query(min_length=1, max_length=64)] = None,
    q: Annotated[str | None, Query(min_length=1, max_length=200, description="name contains, or external_ref")] = None,
    limit: Limit = 50,
    offset: Offset = 0,
) -> CustomerList:
    """Customers the caller may see (managers: own and their subtree's; directors: subtree; ops, admin: all)."""
    rows, total = await list_customers(
        session,
        visible_staff_ids=actor.visible_staff_ids,
        tier=tier,
        owner_id=owner_id,
        status=status_,
        region=region,
        search=q,
        limit=limit,
        offset=offset,
    )
    return CustomerList(items=[_out(row) for row in rows], total=total, limit=limit, offset=offset)


async def _visible(session: AsyncSession, actor: Actor, customer_id: int) -> Customer:
    customer = await visible_customer(session, customer_id, visible_staff_ids=actor.visible_staff_ids)
    if customer is None:
        # Outside the caller's view answers like a missing id: existence is not disclosed.
        raise not_found("customer", customer_id)
    return customer


@router.get("/{customer_id}", response_model=CustomerOut)
async def get_customer(customer_id: IdPath, session: Session, actor: CurrentActor) -> CustomerOut:
    """One customer within the caller's view."""
    return _out(await _visible(session, actor, customer_id))


@router.post("/{customer_id}/follow-ups", response_model=FollowUpOut, status_code=status.HTTP_201_CREATED)
async def record_follow_up(
    customer_id: IdPath, body: FollowUpCreate, session: Session, actor: Filer, request: Request
) -> FollowUpOut:
    """Record a contact with the customer; it moves the next-contact date (the reclaim clock) forward."""
    reclaim = await current_definition(request, ReclaimDefinition)
    customer = await _visible(session, actor, customer_id)
    if customer.status == CustomerStatus.REJECTED:
        raise conflict(f"customer {customer_id} was rejected; follow-ups are not recorded for it")
    now = utcnow()
    occurred_at = body.occurred_at or now
    if occurred_at.tzinfo is None:
        raise ApiError(
            422,
            "occurred_at needs a time zone (e.g. 2026-03-02T10:00:00+08:00)",
            details=[{"field": "occurred_at", "message": "naive datetime"}],
        )
    occurred_at = occurred_at.astimezone(UTC)
    if occurred_at > now + timedelta(minutes=5):
        raise ApiError(
            422, "occurred_at must not be in the future", details=[{"field": "occurred_at", "message": "in the future"}]
        )
    follow_up = await add_follow_up(
        session,
        customer=customer,
        staff_id=actor.staff_id,
        channel=body.channel,
        note=body.note,
        occurred_at=occurred_at,
    )
    record_audit(
        session,
        actor=actor.label,
        action="customer.follow_up_recorded",
        entity_type="follow_up",
        entity_id=follow_up.id,
        customer_id=customer.id,
        details={"channel": body.channel, "occurred_at": occurred_at.isoformat()},
    )
    # In the same transaction: the follow-up and the date it moves are never seen apart.
    await schedule_next_contacts(session, definition=reclaim, customer_ids=[customer.id])
    await session.commit()
    return FollowUpOut.model_validate(follow_up)


@router.get("/{customer_id}/follow-ups", response_model=FollowUpList)
async def get_follow_ups(
    customer_id: IdPath, session: Session, actor: Reader, limit: Limit = 50, offset: Offset = 0
) -> FollowUpList:
    """The customer's follow-ups, newest first."""
    await _visible(session, actor, customer_id)
    rows, total = await list_follow_ups(session, customer_id=customer_id, limit=limit, offset=offset)
    return FollowUpList(items=[FollowUpOut.model_validate(r) for r in rows], total=total, limit=limit, offset=offset)


@router.post("/{customer_id}/transactions", response_model=TransactionOut, status_code=status.HTTP_201_CREATED)
async def record_transaction(
    customer_id: IdPath, body: TransactionCreate, session: Session, actor: Filer
) -> TransactionOut:
    """Record a deal or payment; a repeated external_ref answers 409 with the existing transaction."""
    customer = await _visible(session, actor, customer_id)
    # A day of slack: the integration's local date may already be tomorrow in UTC terms.
    if body.occurred_on > utcnow().date() + timedelta(days=1):
        raise ApiError(
            422, "occurred_on must not be in the future", details=[{"field": "occurred_on", "message": "in the future"}]
        )
    if body.external_ref:
        existing = await transaction_by_ref(session, body.external_ref)
        if existing is not None:
            raise _duplicate_transaction(existing)
    try:
        transaction = await add_transaction(
            session,
            customer_id=customer.id,
            amount=body.amount,
            occurred_on=body.occurred_on,
            external_ref=body.external_ref,
        )
    except IntegrityError:
        await session.rollback()
        existing = await transaction_by_ref(session, body.external_ref or "")
        if existing is None:
            raise
        raise _duplicate_transaction(existing) from None
    record_audit(
        session,
        actor=actor.label,
        action="customer.transaction_recorded",
        entity_type="transaction",
        entity_id=transaction.id,
        customer_id=customer.id,
        details={
            "amount": str(body.amount),
            "occurred_on": body.occurred_on.isoformat(),
            "external_ref": body.external_ref,
        },
    )
    await session.commit()
    await session.refresh(transaction)
    return TransactionOut.model_validate(transaction)


def _duplicate_transaction(existing) -> ApiError:
    return conflict(
        f"a transaction with this external_ref already exists (id {existing.id})",
        {"existing_transaction_id": existing.id, "field": "external_ref"},
    )


@router.get("/{customer_id}/transactions", response_model=TransactionList)
async def get_transactions(
    customer_id: IdPath, session: Session, actor: Reader, limit: Limit = 50, offset: Offset = 0
) -> TransactionList:
    """The customer's transactions, newest first."""
    await _visible(session, actor, customer_id)
    rows, total = await list_transactions(session, customer_id=customer_id, limit=limit, offset=offset)
    return TransactionList(
        items=[TransactionOut.model_validate(r) for r in rows], total=total, limit=limit, offset=offset
    )
