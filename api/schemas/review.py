"""HTTP shapes of review cycles, reviews and schedules."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from pydantic import BaseModel, ConfigDict, Field

from api.schemas.common import RequestBody
from definitions.review import PERIOD_PATTERN


class ReviewCycleStart(RequestBody):
    """POST /v1/review-cycles: the period defaults to the quarter just ended."""

    period: str | None = Field(default=None, pattern=PERIOD_PATTERN, examples=["2026Q3"])


class ReviewCycleStarted(BaseModel):
    period: str
    workflow_id: str
    started: bool  # False: this period's cycle already existed (nothing new was started)


class ReviewCycleOut(BaseModel):
    model_config = ConfigDict(from_attributes=True)

    id: int
    period: str
    status: str
    workflow_id: str
    period_start: datetime
    period_end: datetime
    started_by: str
    manager_count: int
    definition_version: str | None
    summary: dict[str, Any] | None
    created_at: datetime
    completed_at: datetime | None


class ReviewOut(BaseModel):
    model_config = ConfigDict(from_attributes=True)

    id: int
    cycle_id: int
    period: str
    manager_id: int
    supervisor_id: int | None
    workflow_id: str
    status: str
    stage: str
    kpis: dict[str, Any] | None
    at_risk_customer_ids: list[int] | None
    self_assessment: dict[str, Any] | None
    rework_rounds: int
    rating: int | None
    decided_by: int | None
    comment: str | None
    created_at: datetime
    completed_at: datetime | None


class ReviewCycleList(BaseModel):
    """Every cycle the caller may see (the list is never long: one cycle a quarter)."""

    items: list[ReviewCycleOut]
    total: int


class ReviewList(BaseModel):
    """One page of reviews."""

    items: list[ReviewOut]
    total: int
    limit: int
    offset: int
