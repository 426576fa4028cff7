"""The quarterly review process definition (DESIGN §3.4)."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta
from typing import Any, Literal
from zoneinfo import ZoneInfo

from pydantic import BaseModel, ConfigDict, Field, field_validator, model_validator

from definitions.approval import FlowDefinition
from definitions.base import DefinitionMeta, Duration, ScheduleRule, StrictModel
from definitions.kpis import METRIC_INFO
from definitions.tasks import OpenTaskInput

FieldType = Literal["string", "integer", "number", "boolean"]


class FormField(StrictModel):
    """One field of a form task (the human-task form contract)."""

    type: FieldType
    required: bool = False
    min: float | None = None
    max: float | None = None


class AtRiskRules(StrictModel):
    """Which of a manager's customers count as at risk in a review."""

    no_follow_up_days: int = Field(default=30, ge=1)
    low_satisfaction_below: float = Field(default=3.0, ge=1, le=5)
    start_tier_reevaluations: bool = False


class ReviewDefinition(DefinitionMeta):
    """Schedule, forms, due dates, rework rounds and fan-out limits of the quarterly review."""

    process: Literal["review"] = "review"
    schedule: ScheduleRule = Field(default_factory=lambda: ScheduleRule(cron="0 1 1 1,4,7,10 *"))
    self_assessment_form: dict[str, FormField]
    self_assessment_due: Duration
    approval_due: Duration
    reminders_before: list[Duration] = Field(default_factory=list)
    escalation_levels: int = Field(default=2, ge=0, le=10)
    max_rework_rounds: int = Field(default=2, ge=0, le=10)
    rating_min: int = 1
    rating_max: int = 5
    batch_size: int = Field(default=200, ge=1, le=2000)
    concurrency: int = Field(default=20, ge=1, le=500)
    completion_check_interval: Duration = timedelta(hours=6)
    at_risk: AtRiskRules = Field(default_factory=AtRiskRules)
    # The approval flow (definitions/flows/<name>.yaml) of the supervisor's decision (rating and comment); the
    # loader pins its snapshot in `flows`, so a running review keeps the flow it started with.
    approval_flow: str | None = None
    flows: dict[str, FlowDefinition] = Field(default_factory=dict)
    # Improvement plans added on approval: the manager is reminded this long before each item is due.
    plan_reminder_before: Duration = timedelta(days=7)

    @field_validator("self_assessment_form")
    @classmethod
    def _has_fields(cls, value: dict[str, FormField]) -> dict[str, FormField]:
        if not value:
            raise ValueError("self_assessment_form needs at least one field")
        return value

    def form_spec(self) -> dict[str, Any]:
        """The form in the human-task contract's shape."""
        return {"fields": {name: f.model_dump(exclude_none=True) for name, f in self.self_assessment_form.items()}}


# ---- periods (pure; the workflows compute them from the schedule's time) ---------------------------

# 1000Q1–9999Q3: every such quarter has real calendar bounds (year 0 has none, nor has the end of 9999Q4), so a bad
# period is a 422 at the edge, never a workflow task failing for ever. Tests use far-future years; they fit.
PERIOD_PATTERN = r"^(([1-8]\d{3}|9[0-8]\d\d|99[0-8]\d|999[0-8])Q[1-4]|9999Q[1-3])$"


def quarter_of(moment: datetime, timezone: str) -> str:
    """The quarter containing `moment` in `timezone`, e.g. 2026Q3."""
    local = moment.astimezone(ZoneInfo(timezone))
    return f"{local.year}Q{(local.month - 1) // 3 + 1}"


def period_for(moment: datetime, timezone: str) -> str:
    """The quarter just ended at `moment` in `timezone` (01:00 on 1 July → the second quarter)."""
    local = moment.astimezone(ZoneInfo(timezone))
    year, quarter = local.year, (local.month - 1) // 3 + 1
    if quarter == 1:
        return f"{year - 1}Q4"
    return f"{year}Q{quarter - 1}"


def period_bounds(period: str, timezone: str) -> tuple[datetime, datetime]:
    """Start (inclusive) and end (exclusive) of a quarter in `timezone`, as UTC datetimes."""
    year, quarter = int(period[:4]), int(period[5])
    zone = ZoneInfo(timezone)
    start = datetime(year, 3 * quarter - 2, 1, tzinfo=zone)
    end = datetime(year + 1, 1, 1, tzinfo=zone) if quarter == 4 else datetime(year, 3 * quarter + 1, 1, tzinfo=zone)
    return start.astimezone(UTC), end.astimezone(UTC)


# ---- workflow and activity contracts ---------------------------------------------------------------


class _Contract(BaseModel):
    """Contracts reject unknown keys; new fields get defaults so running processes keep decoding."""

    model_config = ConfigDict(extra="forbid")


class ReviewCycleInput(_Contract):
    """ReviewScheduleWorkflow and ReviewCycleWorkflow input; the cursor fields carry state over continue-as-new."""

    definition: ReviewDefinition
    timezone: str
    period: str | None = Field(default=None, pattern=PERIOD_PATTERN)
    started_by: str = "schedule"
    # Snapshot of the tiering definition, given only when at_risk.start_tier_reevaluations is on (and tiering exists).
    tiering_definition: dict[str, Any] | None = None
    cycle_id: int | None = None
    scope_staff_id: int | None = None  # a director's own cycle: only their subtree's managers
    cursor: int = 0  # last manager id dispatched
    dispatched: int = 0
    dispatch_done: bool = False


class ReviewLaunchResult(_Contract):
    """What the scheduled launcher did: started the period's cycle, or found it already there."""

    period: str
    workflow_id: str
    started: bool


class ReviewCycleResult(_Contract):
    period: str
    cycle_id: int
    reviews: int
    summary: dict[str, Any] = Field(default_factory=dict)


class ReviewSteps(_Contract):
    """What one review runs on: the definition's forms, due dates and rounds, without the cycle's schedule and
    fan-out limits, and only the approval flow it uses (a review's input carries this, not the whole definition)."""

    version: int  # the definition's (a review's timeline shows it)
    self_assessment_form: dict[str, FormField]
    self_assessment_due: Duration
    approval_due: Duration
    reminders_before: list[Duration] = Field(default_factory=list)
    escalation_levels: int
    max_rework_rounds: int
    rating_min: int
    rating_max: int
    start_tier_reevaluations: bool = False
    approval_flow: FlowDefinition | None = None
    plan_reminder_before: Duration

    @classmethod
    def of(cls, definition: ReviewDefinition) -> ReviewSteps:
        """The steps of `definition` (its pinned approval flow resolved)."""
        return cls(
            version=definition.version,
            self_assessment_form=definition.self_assessment_form,
            self_assessment_due=definition.self_assessment_due,
            approval_due=definition.approval_due,
            reminders_before=definition.reminders_before,
            escalation_levels=definition.escalation_levels,
            max_rework_rounds=definition.max_rework_rounds,
            rating_min=definition.rating_min,
            rating_max=definition.rating_max,
            start_tier_reevaluations=definition.at_risk.start_tier_reevaluations,
            approval_flow=definition.flows.get(definition.approval_flow) if definition.approval_flow else None,
            plan_reminder_before=definition.plan_reminder_before,
        )

    def form_spec(self) -> dict[str, Any]:
        """The self-assessment form in the human-task contract's shape."""
        return {"fields": {name: f.model_dump(exclude_none=True) for name, f in self.self_assessment_form.items()}}


class ReviewKpis(_Contract):
    """The period's KPIs of one manager (rates are 0..1, None when there is nothing to measure)."""

    customers_held: int = 0
    customers_lost: int = 0
    retention: float | None = None
    revenue: float = 0.0
    new_customers: int = 0
    complaints: int = 0
    sla_compliance: float | None = None
    average_satisfaction: float | None = None
    follow_up_coverage: float | None = None


class ManagerKpis(_Contract):
    """One manager's KPIs as their review shows them, computed with their batch; the at-risk ids only as many as
    the review re-evaluates (none unless tier re-evaluations are on)."""

    kpis: ReviewKpis
    at_risk_customers: int = 0
    at_risk_customer_ids: list[int] = Field(default_factory=list)

    def shown(self) -> dict[str, Any]:
        """The KPIs in the tasks' context: the figures and the at-risk count."""
        return {**self.kpis.model_dump(), "at_risk_customers": self.at_risk_customers}


class AccountReviewInput(_Contract):
    """One manager's review within a cycle.

    Started before the batch KPIs: the whole `definition` (and the tiering snapshot). Since: its `steps`, its
    `kpis` row, and the tiering snapshot only when it has at-risk customers to re-evaluate."""

    definition: ReviewDefinition | None = None
    steps: ReviewSteps | None = None
    kpis: ManagerKpis | None = None
    cycle_id: int
    review_id: int
    period: str
    period_start: datetime
    period_end: datetime
    manager_id: int
    supervisor_id: int | None = None
    tiering_definition: dict[str, Any] | None = None

    @model_validator(mode="after")
    def _has_steps(self) -> AccountReviewInput:
        if self.definition is None and self.steps is None:
            raise ValueError("a review needs its definition or its steps")
        return self

    def review_steps(self) -> ReviewSteps:
        """The steps this review runs on, from whichever its input carries."""
        if self.steps is not None:
            return self.steps
        assert self.definition is not None  # the validator requires one of them
        return ReviewSteps.of(self.definition)


class AccountReviewResult(_Contract):
    review_id: int
    status: str
    rating: int | None = None
    rework_rounds: int = 0
    tier_reevaluations: list[str] = Field(default_factory=list)


class ReviewStatus(_Contract):
    """Query "review.status"."""

    review_id: int
    stage: str
    status: str
    rework_rounds: int = 0


class OpenCycleInput(_Contract):
    period: str
    period_start: datetime
    period_end: datetime
    workflow_id: str
    started_by: str
    definition_version: str
    scope_staff_id: int | None = None


class OpenCycleResult(_Contract):
    cycle_id: int
    created: bool


class BatchKpisRequest(_Contract):
    """Compute the batch's KPIs with its review rows: the period's bounds, the at-risk rules and how many at-risk
    ids each review needs in its input (the tier re-evaluations it starts; 0 when the switch is off)."""

    period_start: datetime
    period_end: datetime
    at_risk: AtRiskRules
    at_risk_ids: int = 0


class OpenBatchInput(_Contract):
    cycle_id: int
    period: str
    after_manager_id: int
    limit: int
    scope_staff_id: int | None = None  # only managers in this staff member's subtree
    kpis: BatchKpisRequest | None = None  # cycles before the batch KPIs: each review computes its own


class ReviewRef(_Contract):
    review_id: int
    manager_id: int
    supervisor_id: int | None
    workflow_id: str
    kpis: ManagerKpis | None = None


class OpenBatchResult(_Contract):
    reviews: list[ReviewRef]
    cursor: int
    exhausted: bool


class ComputeKpisInput(_Contract):
    review_id: int
    manager_id: int
    period_start: datetime
    period_end: datetime
    at_risk: AtRiskRules


class ComputeKpisResult(_Contract):
    kpis: ReviewKpis
    at_risk_customer_ids: list[int] = Field(default_factory=list)


class UpdateReviewInput(_Contract):
    """Activity "review.update": the stage moved; record what the step produced."""

    review_id: int
    stage: str
    status: str | None = None
    self_assessment: dict[str, Any] | None = None
    rework_rounds: int | None = None
    rating: int | None = None
    decided_by: int | None = None
    comment: str | None = None
    actor: str = "system"
    reason: str | None = None
    completed: bool = False


class OpenReviewTaskInput(_Contract):
    """Activity "review.open_task": the review's stage move and its task's opening, in one transaction."""

    move: UpdateReviewInput
    task: OpenTaskInput


class CycleProgressInput(_Contract):
    cycle_id: int


class CycleProgress(_Contract):
    total: int
    open: int


class SummarizeCycleInput(_Contract):
    cycle_id: int


# ---- improvement plans (added when a supervisor approves a review) ------------------------------------

PLAN_MAX_ITEMS = 3


class PlanItem(_Contract):
    """One improvement-plan item: a KPI catalogue metric from a baseline to a target by a due date."""

    metric: str = Field(min_length=1, max_length=64)
    baseline: float
    target: float
    due_on: date

    @field_validator("metric")
    @classmethod
    def _known_metric(cls, value: str) -> str:
        if value not in METRIC_INFO:
            raise ValueError(f"unknown metric {value!r} (known: {', '.join(sorted(METRIC_INFO))})")
        return value

    def target_problem(self) -> str | None:
        """Why the target cannot be one of this metric (e.g. a share above 1), or None."""
        return METRIC_INFO[self.metric].check_target(self.target)


class ImprovementPlanInput(_Contract):
    """ImprovementPlanWorkflow input: the approved review's plan, tracked from the end of its period."""

    review_id: int
    manager_id: int
    period: str
    period_end: datetime
    items: list[PlanItem] = Field(min_length=1, max_length=PLAN_MAX_ITEMS)
    reminder_before: Duration = timedelta(days=7)


class SavePlanInput(_Contract):
    review_id: int
    manager_id: int
    items: list[PlanItem]


class PlanItemRef(_Contract):
    item_id: int
    position: int
    due_on: date


class RemindPlanItemInput(_Contract):
    item_id: int


class MeasurePlanItemInput(_Contract):
    item_id: int
    since: datetime  # the reviewed period's end: the metric is measured over [since, due date)


class PlanItemOutcome(_Contract):
    item_id: int
    status: str  # met, missed
    measured_value: float | None


class ImprovementPlanStatus(_Contract):
    review_id: int
    items: list[PlanItemOutcome] = Field(default_factory=list)
    open_items: int = 0
