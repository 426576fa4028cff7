"""Incentive awards over HTTP: an award with its lines, an appeal, a computation request."""

from __future__ import annotations

from datetime import datetime
from decimal import Decimal

from pydantic import BaseModel, ConfigDict, Field

from api.schemas.common import RequestBody
from definitions.review import PERIOD_PATTERN


class AwardLineOut(BaseModel):
    model_config = ConfigDict(from_attributes=True)

    line_no: int
    kind: str
    metric: str | None
    target: float | None
    actual: float | None
    attainment: float | None
    band_from: float | None
    band_points: float | None
    weight: float | None
    points: float
    note: str


class AwardOut(BaseModel):
    """An award as lists show it, with where its appeal stands."""

    id: int
    period: str
    manager_id: int
    manager_name: str
    supervisor_id: int | None
    rule_version: str
    total_points: float
    amount: Decimal
    currency: str
    gated: bool
    computed_at: datetime
    appeal_id: str | None
    appeal_status: str | None
    appeal_outcome: str | None


class AwardList(BaseModel):
    """One page of awards."""

    items: list[AwardOut]
    total: int
    limit: int
    offset: int


class AwardDetail(AwardOut):
    lines: list[AwardLineOut]


class AppealBody(RequestBody):
    """Why the manager contests the award, and optionally the points they think are due."""

    reason: str = Field(min_length=5, max_length=2000)
    requested_points: float | None = Field(default=None, ge=0, le=100000)


class ComputeAwardsBody(RequestBody):
    period: str = Field(pattern=PERIOD_PATTERN)
    replace: bool = False  # recompute awards that exist (never one under appeal)


class ComputeAwardsStarted(BaseModel):
    period: str
    workflow_id: str
    started: bool
