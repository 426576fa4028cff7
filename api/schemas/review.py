"""HTTP shapes of review cycles, reviews and schedules."""

from __future__ import annotations

from datetime import datetime
from typing import Any, Literal

from pydantic import BaseModel, ConfigDict, Field, model_validator

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


class ReviewDecisionBody(BaseModel):
    """The supervisor's decision on a review: approve with a rating (1–5) and a comment, or reject for rework."""

    model_config = ConfigDict(extra="forbid", json_schema_extra={"examples": [
        {"decision": "approve", "rating": 4, "comment": "Strong quarter; keep the follow-ups up."},
        {"decision": "reject", "comment": "Add the revenue figures."},
    ]})

    decision: Literal["approve", "reject"]
    rating: int | None = Field(default=None, ge=1, le=5, description="approve: 1 (poor) to 5 (excellent)")
    comment: str | None = Field(default=None, max_length=4000)

    @model_validator(mode="after")
    def _approval_is_complete(self) -> ReviewDecisionBody:
        if self.decision == "approve":
            if self.rating is None:
                raise ValueError("approving a review needs a rating from 1 to 5")
            if not (self.comment or "").strip():
                raise ValueError("approving a review needs a comment")
        elif self.rating is not None:
            raise ValueError("only an approval carries a rating")
        return self
