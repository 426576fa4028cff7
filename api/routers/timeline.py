"""GET /v1/customers/{id}/timeline: why was this customer re-tiered, reclaimed or escalated?"""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Query

from api.schemas.common import IdPath, Offset
from api.deps import Reader, Session
from api.errors import not_found
from api.schemas.timeline import TimelineEntryOut, TimelinePage
from db.repositories.customers import visible_customer
from db.repositories.timeline import customer_timeline

router = APIRouter(prefix="/v1/customers", tags=["customers"])


@router.get("/{customer_id}/timeline", response_model=TimelinePage)
async def get_timeline(
    customer_id: IdPath,
    session: Session,
    actor: Reader,  # humans only: integrations file complaints, they do not read process decisions (403)
    limit: Annotated[int, Query(ge=1, le=5000)] = 500,
    offset: Offset = 0,
) -> TimelinePage:
    """Every process step, task, decision, tier change and reclaim of a customer in the caller's view, in order."""
    customer = await visible_customer(session, customer_id, visible_staff_ids=actor.visible_staff_ids)
    if customer is None:
        # Outside the caller's view answers like a missing id: existence is not disclosed.
        raise not_found("customer", customer_id)
    entries, has_more = await customer_timeline(session, customer, limit=limit, offset=offset)
    return TimelinePage(
        customer_id=customer.id,
        items=[TimelineEntryOut.model_validate(e) for e in entries],
        limit=limit,
        offset=offset,
        has_more=has_more,
        next_offset=offset + len(entries) if has_more else None,
    )
