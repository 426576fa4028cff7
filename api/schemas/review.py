"""HTTP shapes of review cycles, reviews and schedules."""

from __future__ import annotations

from datetime import date, datetime
from typing import Any, Literal

from pydantic import BaseModel, ConfigDict, Field, model_validator

from api.schemas.common import RequestBody
from definitions.review import PERIOD_PATTERN, PLAN_MAX_ITEMS, PlanItem


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


class PlanItemOut(BaseModel):
    """One improvement-plan item and how it went (open until its due date; then met or missed, with the figure)."""

    model_config = ConfigDict(from_attributes=True)

    id: int
    review_id: int
    position: int
    metric: str
    baseline: float
    target: float
    due_on: date
    status: str
    measured_value: float | None
    measured_at: datetime | None
    reminded_at: datetime | None


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
    plan: list[PlanItemOut] = Field(default_factory=list)  # the plan added when this review was approved
    previous_plan: list[PlanItemOut] = Field(default_factory=list)  # the plan of the manager's review before


class ReviewDecisionBody(BaseModel):
    """The supervisor's decision on a review: approve with a rating (1–5) and a comment, or reject for rework."""

    model_config = ConfigDict(
        extra="forbid",
        json_schema_extra={
            "examples": [
                {"decision": "approve", "rating": 4, "comment": "Strong quarter; keep the follow-ups up."},
                {
                    "decision": "approve",
                    "rating": 3,
                    "comment": "Follow-ups slipped.",
                    "plan": [{"metric": "followup_coverage", "baseline": 0.6, "target": 0.9, "due_on": "2026-09-30"}],
                },
                {"decision": "reject", "comment": "Add the revenue figures."},
            ]
        },
    )

    decision: Literal["approve", "reject"]
    rating: int | None = Field(default=None, ge=1, le=5, description="approve: 1 (poor) to 5 (excellent)")
    comment: str | None = Field(default=None, max_length=4000)
    plan: list[PlanItem] | None = Field(
        default=None,
        max_length=PLAN_MAX_ITEMS,
        description=("approve: an improvement plan of 1–3 items (a KPI catalogue metric, baseline, target, due date)"),
    )

    @model_validator(mode="after")
    def _approval_is_complete(self) -> ReviewDecisionBody:
        if self.decision == "approve":
            if self.rating is None:
                raise ValueError("approving a review needs a rating from 1 to 5")
            if not (self.comment or "").strip():
                raise ValueError("approving a review needs a comment")
        elif self.rating is not None or self.plan:
            raise ValueError("only an approval carries a rating or an improvement plan")
        for index, item in enumerate(self.plan or []):
            problem = item.target_problem()
            if problem:
                raise ValueError(f"plan item {index + 1}: the target {problem}")
        return self


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
