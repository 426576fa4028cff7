"""Customers: onboarding (starts `onboarding`), lists by role, follow-ups and transactions."""

from __future__ import annotations

from datetime import UTC, timedelta
from typing import Annotated

import structlog
from fastapi import APIRouter, Depends, Query, Request, status
from sqlalchemy import delete
from sqlalchemy.exc import IntegrityError
from sqlalchemy.ext.asyncio import AsyncSession
from temporalio.client import Client
from temporalio.common import (
    SearchAttributePair,
    TypedSearchAttributes,
    WorkflowIDConflictPolicy,
    WorkflowIDReusePolicy,
)
from temporalio.exceptions import WorkflowAlreadyStartedError

from api.schemas.common import IdPath, IdQuery, MAX_INT
from api.auth import Actor
from api.deps import CurrentActor, Reader, Session, current_definition, get_temporal, require_roles
from api.errors import ApiError, conflict, not_found
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
from crmflow.temporal import SA_CUSTOMER_ID, SA_DEFINITION_VERSION, SA_PROCESS_TYPE, SA_STAGE
from db.models import AuditEvent, Customer, CustomerStatus, PrincipalRole, utcnow
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
from workflows.onboarding import PROCESS, OnboardingWorkflow, workflow_id_for

log = structlog.get_logger(__name__)

router = APIRouter(prefix="/v1/customers", tags=["customers"])

Onboarder = Annotated[Actor, Depends(require_roles(
    PrincipalRole.SERVICE, PrincipalRole.MANAGER, PrincipalRole.DIRECTOR, PrincipalRole.ADMIN))]
# Ops only read; everyone else who may see the customer records contacts and deals.
Recorder = Annotated[Actor, Depends(require_roles(
    PrincipalRole.SERVICE, PrincipalRole.MANAGER, PrincipalRole.DIRECTOR, PrincipalRole.ADMIN))]
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


def _onboarding_input(customer: Customer, actor: Actor, definition: OnboardingDefinition) -> OnboardingInput:
    return OnboardingInput(
        customer_id=customer.id, name=customer.name, region=customer.region, industry=customer.industry,
        declared_annual_value=customer.declared_annual_value, requested_by=actor.label,
        requester_id=actor.staff_id if actor.role in (PrincipalRole.MANAGER, PrincipalRole.DIRECTOR) else None,
        definition=definition,
    )


async def _start_onboarding(
    client: Client, request: Request, customer: Customer, actor: Actor, definition: OnboardingDefinition,
    *, fresh: bool = True,
) -> None:
    """Start `onboarding-<id>`; `fresh=False` (healing) never replaces a running process."""
    await client.start_workflow(
        OnboardingWorkflow.run,
        _onboarding_input(customer, actor, definition),
        id=workflow_id_for(customer.id),
        task_queue=request.app.state.settings.task_queue,
        # A row that was just inserted has no legitimate process yet: a run already holding its id belongs
        # to a row that no longer exists (a reused SQLite rowid after a failed start), so it is replaced.
        id_reuse_policy=WorkflowIDReusePolicy.ALLOW_DUPLICATE,
        id_conflict_policy=WorkflowIDConflictPolicy.TERMINATE_EXISTING if fresh else WorkflowIDConflictPolicy.FAIL,
        rpc_timeout=timedelta(seconds=request.app.state.settings.temporal_deadline_seconds),  # never hang intake
        search_attributes=TypedSearchAttributes([
            SearchAttributePair(SA_PROCESS_TYPE, PROCESS),
            SearchAttributePair(SA_STAGE, "created"),
            SearchAttributePair(SA_CUSTOMER_ID, str(customer.id)),
            SearchAttributePair(SA_DEFINITION_VERSION, f"{definition.version}:{definition.content_hash}"),
        ]),
    )


@router.post("", response_model=CustomerOut, status_code=status.HTTP_201_CREATED)
async def onboard_customer(body: CustomerCreate, session: Session, actor: Onboarder, request: Request) -> CustomerOut:
    """Create a pending customer and start its onboarding; a duplicate answers 409 with the existing id."""
    definition = await current_definition(request, OnboardingDefinition)
    client = await get_temporal(request)
    existing = await find_duplicate(session, name=body.name, region=body.region, external_ref=body.external_ref)
    if existing is not None:
        await _heal_orphan(client, request, existing, actor, definition)
        raise _duplicate(existing, _duplicate_field(existing, body))

    # The same pure rule over the same pinned definition the process applies (and audits) first,
    # so the answer already shows the tier instead of a placeholder.
    tier, _ = definition.tier_for(declared_annual_value=body.declared_annual_value, industry=body.industry)
    customer = Customer(**body.model_dump(), status=CustomerStatus.PENDING, tier=tier)
    session.add(customer)
    try:
        await session.flush()
    except IntegrityError:
        # A concurrent POST of the same customer won the unique constraint: answer like a duplicate.
        await session.rollback()
        existing = await find_duplicate(session, name=body.name, region=body.region, external_ref=body.external_ref)
        if existing is None:
            raise conflict("a customer with the same name and region or external_ref already exists") from None
        raise _duplicate(existing, _duplicate_field(existing, body)) from None
    customer.process_id = workflow_id_for(customer.id)
    record_audit(
        session, actor=actor.label, action="customer.created", entity_type="customer", entity_id=customer.id,
        customer_id=customer.id, workflow_id=customer.process_id,
        details={"region": customer.region, "external_ref": customer.external_ref},
    )
    await session.commit()

    try:
        await _start_onboarding(client, request, customer, actor, definition)
    except Exception as exc:  # noqa: BLE001 - whatever failed, the row must not outlive a process never started
        log.warning("onboarding.start_failed", customer_id=customer.id, error=repr(exc))
        await _forget(session, customer.id)
        raise ApiError(503, "the onboarding process could not be started; nothing was created, try again") from None
    await session.refresh(customer)
    return _out(customer)


async def _heal_orphan(
    client: Client, request: Request, existing: Customer, actor: Actor, definition: OnboardingDefinition
) -> None:
    """A pending customer with no running process (the API died before starting it, or ops ended it) gets one."""
    if existing.status != CustomerStatus.PENDING or existing.process_id is None:
        return
    try:
        await _start_onboarding(client, request, existing, actor, definition, fresh=False)
        log.info("onboarding.orphan_started", customer_id=existing.id)
    except WorkflowAlreadyStartedError:
        pass  # the usual case: its process exists


async def _forget(session: AsyncSession, customer_id: int) -> None:
    """Undo the creation of a customer whose process could not start.

    If the start failed ambiguously and the process did run far enough to open a task, the row is
    referenced and stays: a retried POST then answers 409 with its id, and the process carries on.
    """
    try:
        await session.execute(delete(AuditEvent).where(AuditEvent.customer_id == customer_id))
        await session.execute(delete(Customer).where(Customer.id == customer_id))
        await session.commit()
    except IntegrityError:
        await session.rollback()
        log.warning("onboarding.forget_failed", customer_id=customer_id)


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
        session, visible_staff_ids=actor.visible_staff_ids, tier=tier, owner_id=owner_id, status=status_,
        region=region, search=q, limit=limit, offset=offset,
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
    customer_id: IdPath, body: FollowUpCreate, session: Session, actor: Recorder, request: Request
) -> FollowUpOut:
    """Record a contact with the customer; it moves the next-contact date (the reclaim clock) forward."""
    reclaim = await current_definition(request, ReclaimDefinition)
    customer = await _visible(session, actor, customer_id)
    if customer.status == CustomerStatus.REJECTED:
        raise conflict(f"customer {customer_id} was rejected; follow-ups are not recorded for it")
    now = utcnow()
    occurred_at = body.occurred_at or now
    if occurred_at.tzinfo is None:
        raise ApiError(422, "occurred_at needs a time zone (e.g. 2026-03-02T10:00:00+08:00)",
                       details=[{"field": "occurred_at", "message": "naive datetime"}])
    occurred_at = occurred_at.astimezone(UTC)
    if occurred_at > now + timedelta(minutes=5):
        raise ApiError(422, "occurred_at must not be in the future",
                       details=[{"field": "occurred_at", "message": "in the future"}])
    follow_up = await add_follow_up(
        session, customer=customer, staff_id=actor.staff_id, channel=body.channel, note=body.note,
        occurred_at=occurred_at,
    )
    record_audit(
        session, actor=actor.label, action="customer.follow_up_recorded", entity_type="follow_up",
        entity_id=follow_up.id, customer_id=customer.id,
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
    customer_id: IdPath, body: TransactionCreate, session: Session, actor: Recorder
) -> TransactionOut:
    """Record a deal or payment; a repeated external_ref answers 409 with the existing transaction."""
    customer = await _visible(session, actor, customer_id)
    # A day of slack: the integration's local date may already be tomorrow in UTC terms.
    if body.occurred_on > utcnow().date() + timedelta(days=1):
        raise ApiError(422, "occurred_on must not be in the future",
                       details=[{"field": "occurred_on", "message": "in the future"}])
    if body.external_ref:
        existing = await transaction_by_ref(session, body.external_ref)
        if existing is not None:
            raise _duplicate_transaction(existing)
    try:
        transaction = await add_transaction(
            session, customer_id=customer.id, amount=body.amount, occurred_on=body.occurred_on,
            external_ref=body.external_ref,
        )
    except IntegrityError:
        await session.rollback()
        existing = await transaction_by_ref(session, body.external_ref or "")
        if existing is None:
            raise
        raise _duplicate_transaction(existing) from None
    record_audit(
        session, actor=actor.label, action="customer.transaction_recorded", entity_type="transaction",
        entity_id=transaction.id, customer_id=customer.id,
        details={"amount": str(body.amount), "occurred_on": body.occurred_on.isoformat(),
                 "external_ref": body.external_ref},
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

