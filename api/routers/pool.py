"""The public pool (客户公海): list the customers in it, claim one within the caps."""

from __future__ import annotations

from datetime import datetime, time
from typing import Annotated
from zoneinfo import ZoneInfo

from fastapi import APIRouter, Body, Query, Request

from api.schemas.common import IdPath, Offset
from api.auth import Actor
from api.deps import Reader, Session, TaskActorDep, current_definition
from api.errors import ApiError, forbidden
from api.schemas.pool import ClaimOut, ClaimRequest, PoolCustomerOut, PoolList
from db.models import PrincipalRole, utcnow
from db.repositories.pool import ClaimRefused, claim, list_pool
from db.repositories.contacts import schedule_next_contacts
from definitions.reclaim import ReclaimDefinition

router = APIRouter(prefix="/v1/pool", tags=["pool"])


def claim_day_start(request: Request, now: datetime) -> datetime:
    """Midnight today in the company's zone: the daily claim cap counts from there."""
    zone = ZoneInfo(request.app.state.settings.timezone)
    return datetime.combine(now.astimezone(zone).date(), time(), zone)


def _claimant(actor: Actor, requested: int | None) -> int:
    """Whom the claim is for: managers only themselves; directors someone in their subtree; admins anyone."""
    if actor.role == PrincipalRole.MANAGER:
        if actor.staff_id is None:
            raise forbidden("this manager principal is not linked to a staff member")
        if requested is not None and requested != actor.staff_id:
            raise forbidden("managers claim customers only for themselves")
        return actor.staff_id
    if requested is None:
        raise ApiError(422, "staff_id is required: name the manager who takes the customer")
    if not actor.can_see_staff(requested):
        raise forbidden(f"staff {requested} is not in your team")
    return requested


@router.get("", response_model=PoolList)
async def list_pool_customers(
    session: Session,
    actor: Reader,
    tier: Annotated[int | None, Query(ge=1, le=9)] = None,
    region: Annotated[str | None, Query(min_length=1, max_length=64)] = None,
    limit: Annotated[int, Query(ge=1, le=200)] = 50,
    offset: Offset = 0,
) -> PoolList:
    """Customers waiting in the public pool, longest waiting first (every manager may see the pool)."""
    rows, total = await list_pool(session, tier=tier, region=region, limit=limit, offset=offset)
    return PoolList(items=[PoolCustomerOut.model_validate(r) for r in rows], total=total, limit=limit, offset=offset)


@router.post("/{customer_id}/claim", response_model=ClaimOut)
async def claim_customer(
    customer_id: IdPath,
    session: Session,
    actor: TaskActorDep,
    request: Request,
    body: Annotated[ClaimRequest | None, Body()] = None,
) -> ClaimOut:
    """Take a customer from the pool: 409 when a cap (held, per day, former-owner cooldown) or the level refuses."""
    staff_id = _claimant(actor, body.staff_id if body else None)
    definition = await current_definition(request, ReclaimDefinition)
    now = utcnow()
    day_start = claim_day_start(request, now)
    try:
        customer = await claim(
            session,
            customer_id=customer_id,
            staff_id=staff_id,
            rules=definition.pool,
            now=now,
            day_start=day_start,
            actor=actor.label,
        )
    except ClaimRefused as refused:
        await session.rollback()
        raise ApiError(refused.status, refused.message, details=refused.details) from None
    # The new owner's first contact is due one rhythm after the claim.
    await schedule_next_contacts(session, definition=definition, customer_ids=[customer.id])
    await session.commit()
    return ClaimOut.model_validate(customer)
