"""Upcoming and overdue contacts (DESIGN §3.9): the owner's, or their team's, by next-contact date."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Query

from api.deps import Reader, Session
from api.errors import forbidden
from api.schemas.common import IdQuery, Offset
from api.schemas.contacts import ContactList, ContactOut, ContactStatusName
from db.models import utcnow
from db.repositories.contacts import list_contacts

router = APIRouter(prefix="/v1/contacts", tags=["contacts"])

DAY_SECONDS = 86_400


@router.get("", response_model=ContactList)
async def list_contacts_route(
    session: Session,
    actor: Reader,
    status: ContactStatusName = "overdue",
    within_days: Annotated[int, Query(ge=1, le=90, description="upcoming: due within this many days")] = 7,
    owner_id: IdQuery = None,
    limit: Annotated[int, Query(ge=1, le=500)] = 50,
    offset: Offset = 0,
) -> ContactList:
    """Contacts overdue or coming due, within the caller's view (managers: own and subtree; directors:
    subtree; ops, admin: all); `owner_id` narrows to one owner the caller may see."""
    if owner_id is not None and not actor.can_see_staff(owner_id):
        raise forbidden(f"staff {owner_id} is not in your team")
    now = utcnow()
    rows, total = await list_contacts(
        session,
        visible_staff_ids=actor.visible_staff_ids,
        status=status,
        now=now,
        within_days=within_days,
        owner_id=owner_id,
        limit=limit,
        offset=offset,
    )
    items = []
    for customer, owner_name in rows:
        seconds = (customer.next_contact_at - now).total_seconds()
        items.append(
            ContactOut(
                customer_id=customer.id,
                customer_name=customer.name,
                tier=customer.tier,
                region=customer.region,
                owner_id=customer.owner_id,
                owner_name=owner_name,
                next_contact_at=customer.next_contact_at,
                last_follow_up_at=customer.last_follow_up_at,
                days_overdue=int(-seconds // DAY_SECONDS) if seconds < 0 else 0,
                days_left=int(seconds // DAY_SECONDS) if seconds > 0 else 0,
            )
        )
    return ContactList(status=status, within_days=within_days, items=items, total=total, limit=limit, offset=offset)
