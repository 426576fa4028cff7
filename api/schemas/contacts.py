"""HTTP schemas of the contact cadence: upcoming and overdue contacts (DESIGN §3.9)."""

from __future__ import annotations

from datetime import datetime
from typing import Literal

from pydantic import BaseModel

ContactStatusName = Literal["upcoming", "overdue"]


class ContactOut(BaseModel):
    """A customer whose next contact is coming up or overdue, with its owner."""

    customer_id: int
    customer_name: str
    tier: int
    region: str
    owner_id: int | None
    owner_name: str | None
    next_contact_at: datetime
    last_follow_up_at: datetime | None
    days_overdue: int  # whole days past the next-contact date (0 when not yet due)
    days_left: int  # whole days until it (0 once due)


class ContactList(BaseModel):
    """One page of upcoming or overdue contacts, soonest (most overdue) first."""

    status: ContactStatusName
    within_days: int
    items: list[ContactOut]
    total: int
    limit: int
    offset: int
