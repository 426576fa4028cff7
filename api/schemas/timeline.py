"""HTTP schemas of a customer's timeline (GET /v1/customers/{id}/timeline)."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from pydantic import BaseModel, ConfigDict


class TimelineEntryOut(BaseModel):
    """One event: when, what kind, what happened, who did it and why, with links to its process."""

    model_config = ConfigDict(from_attributes=True)

    at: datetime
    kind: str  # onboarding | task | complaint | tier_change | reclaim | pool_claim | follow_up | transaction | review | audit
    action: str  # the audit action (e.g. "task.approved", "customer.reclaimed") or the row fact it was read from
    what: str
    who: str | None  # actor label ("manager:staff:7", "system:sla", …)
    who_staff_id: int | None
    why: str | None  # audit reason, task comment, scoring score, reclaim rule
    source: str  # audit | task | complaint | tier_proposal | reclaim_warning | contact_reminder
    process_id: str | None
    task_id: int | None
    complaint_id: str | None
    details: dict[str, Any] | None


class TimelinePage(BaseModel):
    """A page of the timeline, oldest first."""

    customer_id: int
    items: list[TimelineEntryOut]
    limit: int
    offset: int
    has_more: bool
    next_offset: int | None  # the offset of the next page; None on the last one
