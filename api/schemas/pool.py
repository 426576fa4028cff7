"""HTTP schemas of the public pool (客户公海)."""

from __future__ import annotations

from datetime import datetime

from pydantic import BaseModel, ConfigDict

from api.schemas.common import Id, RequestBody


class PoolCustomerOut(BaseModel):
    """A customer in the public pool."""

    model_config = ConfigDict(from_attributes=True)

    id: int
    name: str
    region: str
    industry: str
    tier: int
    status: str
    score: float | None = None
    previous_owner_id: int | None = None
    reclaimed_at: datetime | None = None


class PoolList(BaseModel):
    items: list[PoolCustomerOut]
    total: int
    limit: int
    offset: int


class ClaimRequest(RequestBody):
    """POST /v1/pool/{customer_id}/claim: managers claim for themselves; directors/admins name the manager."""

    staff_id: Id | None = None


class ClaimOut(BaseModel):
    """The claimed customer, now owned."""

    model_config = ConfigDict(from_attributes=True)

    id: int
    name: str
    tier: int
    status: str
    owner_id: int | None
    previous_owner_id: int | None = None
    owner_assigned_at: datetime | None = None
