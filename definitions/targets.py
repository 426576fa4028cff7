"""Targets per person and period (DESIGN §3.8): the definition and the workflow and activity contracts."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta
from typing import Any, Literal
from zoneinfo import ZoneInfo

from pydantic import BaseModel, ConfigDict, Field, field_validator, model_validator

from definitions.base import DefinitionMeta, DefinitionProblem, Duration, ScheduleRule
from definitions.kpis import METRIC_INFO, METRIC_KEYS
from definitions.review import PERIOD_PATTERN, period_bounds, quarter_of
from definitions.tasks import TaskActor


class TargetsDefinition(DefinitionMeta):
    """Which metrics get targets, how they are negotiated, and when progress is checked."""

    process: Literal["targets"] = "targets"
    # When next quarter's target setting opens (default: 02:00 on the 15th of each quarter's last month).
    schedule: ScheduleRule = Field(default_factory=lambda: ScheduleRule(cron="0 2 15 3,6,9,12 *"))
    progress_schedule: ScheduleRule = Field(default_factory=lambda: ScheduleRule(cron="0 3 * * *"))
    metrics: list[str] = Field(min_length=1, max_length=12)
    negotiation_due: Duration  # from opening: the deadline for supervisor and manager to agree
    max_counter_rounds: int = Field(default=2, ge=0, le=10)
    director_decision_due: Duration
    escalation_levels: int = Field(default=1, ge=0, le=5)
    reminders_before: list[Duration] = Field(default_factory=list)
    checkpoints: list[int] = Field(default_factory=lambda: [30, 60])  # days into the period
    off_pace_threshold: float = Field(default=0.2, gt=0, lt=1)  # pace below 1 − threshold opens a check-in
    checkin_due: Duration
    acknowledge_due: Duration
    change_flow: str = "target-change"  # definitions/flows/<change_flow>.yaml
    batch_size: int = Field(default=200, ge=1, le=2000)
    concurrency: int = Field(default=20, ge=1, le=500)
    progress_chunk: int = Field(default=1000, ge=1, le=20000)  # target sets per progress activity

    @field_validator("metrics")
    @classmethod
    def _known_metrics(cls, value: list[str]) -> list[str]:
        for index, key in enumerate(value):
            if key not in METRIC_INFO:
                raise DefinitionProblem(("metrics", index), f"unknown metric {key!r} (known: {', '.join(METRIC_KEYS)})")
        if len(set(value)) != len(value):
            raise ValueError("a metric is listed twice")
        return value

    @field_validator("checkpoints")
    @classmethod
    def _checkpoints_ascend(cls, value: list[int]) -> list[int]:
        if any(day < 1 or day > 366 for day in value) or value != sorted(set(value)):
            raise ValueError("checkpoints are distinct days into the period (1..366), ascending")
        return value

    @model_validator(mode="after")
    def _reminders_inside(self) -> TargetsDefinition:
        shortest = min(self.negotiation_due, self.director_decision_due, self.checkin_due, self.acknowledge_due)
        if any(r >= shortest for r in self.reminders_before):
            raise DefinitionProblem("reminders_before", "every reminder must come before the shortest due time")
        return self

    def form_for_values(self) -> dict[str, Any]:
        """The director's decision form: one number per metric and a comment."""
        fields: dict[str, Any] = {}
        for key in self.metrics:
            info = METRIC_INFO[key]
            spec: dict[str, Any] = {"type": "number", "required": True, "min": 0, "label": info.label}
            if info.unit == "ratio":
                spec["max"] = 1
            elif info.unit == "score":
                spec.update(min=1, max=5)
            fields[key] = spec
        fields["comment"] = {"type": "string", "label": "Reason for the decision", "max": 2000}
        return {"fields": fields}


CHECKIN_FORM = {
    "fields": {
        "cause": {"type": "string", "required": True, "min": 3, "max": 2000, "label": "Cause"},
        "actions": {"type": "string", "required": True, "min": 3, "max": 2000, "label": "Actions"},
        "help_needed": {"type": "string", "max": 2000, "label": "Help needed"},
    }
}
ACKNOWLEDGE_FORM = {"fields": {"comment": {"type": "string", "max": 2000, "label": "Comment"}}}


# ---- periods (pure) ---------------------------------------------------------------------------------------


def next_period(moment: datetime, timezone: str) -> str:
    """The quarter after the one containing `moment` in `timezone`."""
    current = quarter_of(moment, timezone)
    year, quarter = int(current[:4]), int(current[5])
    return f"{year + 1}Q1" if quarter == 4 else f"{year}Q{quarter + 1}"


def elapsed_share(start: datetime, end: datetime, moment: datetime) -> float:
    """How much of [start, end) has passed at `moment`, 0..1."""
    total = (end - start).total_seconds()
    return max(0.0, min(1.0, (moment - start).total_seconds() / total)) if total > 0 else 1.0


def local_day(moment: datetime, timezone: str) -> date:
    return moment.astimezone(ZoneInfo(timezone)).date()


def start_of_local_day(day: date, timezone: str) -> datetime:
    return datetime(day.year, day.month, day.day, tzinfo=ZoneInfo(timezone)).astimezone(UTC)


def target_workflow_id(period: str, staff_id: int) -> str:
    return f"target-{period}-{staff_id}"


def target_cycle_workflow_id(period: str) -> str:
    return f"target-cycle-{period}"


def values_problems(metrics: list[str], values: dict[str, Any]) -> dict[str, str]:
    """Why `values` are not a full set of targets for `metrics` (field → message); empty when they are."""
    problems: dict[str, str] = {}
    for key in metrics:
        value = values.get(key)
        if value is None:
            problems[key] = "is required"
        elif isinstance(value, bool) or not isinstance(value, int | float):
            problems[key] = "must be a number"
        else:
            problem = METRIC_INFO[key].check_target(float(value))
            if problem:
                problems[key] = problem
    for key in values:
        if key not in metrics:
            problems[key] = "is not a metric of this target"
    return problems


# ---- workflow and activity contracts ---------------------------------------------------------------------


class _Contract(BaseModel):
    """Contracts reject unknown keys; new fields get defaults so running processes keep decoding."""

    model_config = ConfigDict(extra="forbid")


class TargetCycleInput(_Contract):
    """TargetScheduleWorkflow and TargetCycleWorkflow input; the cursor carries over continue-as-new."""

    definition: TargetsDefinition
    timezone: str
    period: str | None = Field(default=None, pattern=PERIOD_PATTERN)
    started_by: str = "schedule"
    cursor: int = 0
    opened: int = 0


class TargetCycleResult(_Contract):
    period: str
    workflow_id: str
    started: bool = True
    opened: int = 0


class TargetInput(_Contract):
    """One manager's targets for one period: `target-<period>-<staff>`."""

    definition: TargetsDefinition
    period: str = Field(pattern=PERIOD_PATTERN)
    timezone: str
    staff_id: int
    # Explicit bounds (tests use short synthetic periods); default: the quarter in `timezone`.
    period_start: datetime | None = None
    period_end: datetime | None = None
    opened_by: str = "schedule"

    def bounds(self) -> tuple[datetime, datetime]:
        if self.period_start is not None and self.period_end is not None:
            return self.period_start, self.period_end
        return period_bounds(self.period, self.timezone)


class TargetStatus(_Contract):
    """Query "status": where the negotiation and progress stand."""

    target_set_id: int = 0
    period: str = ""
    staff_id: int = 0
    status: str = "opening"
    turn: str | None = None
    counter_rounds: int = 0
    current_version: int = 0
    agreed_version: int | None = None
    values: dict[str, float] = Field(default_factory=dict)  # the latest version's values
    agreed_values: dict[str, float] | None = None
    deadline_at: datetime | None = None
    pending_change: str | None = None  # approval id of a change request in flight
    checkins: list[int] = Field(default_factory=list)  # checkpoint days that opened a check-in


class ProposeInput(_Contract):
    """Update "target.propose" (supervisor) and "target.counter" (manager): a full set of values."""

    actor: TaskActor
    values: dict[str, float]
    reason: str | None = Field(default=None, max_length=2000)


class AcceptInput(_Contract):
    """Update "target.accept": the party whose turn it is accepts the latest version."""

    actor: TaskActor
    reason: str | None = Field(default=None, max_length=2000)


class ChangeRequestInput(_Contract):
    """Update "target.request_change": the manager asks to change one agreed value (an approval flow decides)."""

    actor: TaskActor
    metric: str
    value: float
    reason: str = Field(min_length=3, max_length=2000)
    flow: Any  # the FlowDefinition snapshot the API loaded (pinned for that approval)


class TargetUpdateResult(_Contract):
    target_set_id: int
    status: str
    version: int
    approval_id: str | None = None


class TargetResult(_Contract):
    target_set_id: int
    status: str
    agreed_version: int | None = None
    checkins: list[int] = Field(default_factory=list)


class OpenTargetInput(_Contract):
    workflow_id: str
    period: str
    staff_id: int
    period_start: datetime
    period_end: datetime
    deadline_at: datetime
    metrics: list[str]
    definition_version: str
    opened_by: str


class OpenTargetResult(_Contract):
    target_set_id: int
    supervisor_id: int | None
    director_id: int | None
    status: str
    turn: str | None = None
    counter_rounds: int = 0
    current_version: int = 0
    agreed_version: int | None = None
    values: dict[str, float] = Field(default_factory=dict)
    agreed_values: dict[str, float] | None = None


class RecordVersionInput(_Contract):
    """A new version of the values (proposal, counter, director, fallback, change) — audited once."""

    target_set_id: int
    version: int
    kind: Literal["proposal", "counter", "director", "fallback", "change"]
    values: dict[str, float]
    author_id: int | None = None
    actor: str
    reason: str | None = None
    status: Literal["open", "agreed", "pending", "rejected"] = "open"
    approval_id: str | None = None
    turn: str | None = None
    counter_rounds: int = 0


class AgreeInput(_Contract):
    """The version `version` is agreed and pinned (its values are the targets in force)."""

    target_set_id: int
    version: int
    values: dict[str, float]
    actor: str
    reason: str | None = None
    how: str = "accepted"  # accepted | director | fallback | change


class SetStatusInput(_Contract):
    target_set_id: int
    status: str
    actor: str = "system"
    reason: str | None = None
    turn: str | None = None


class CheckpointInput(_Contract):
    target_set_id: int
    checkpoint_day: int
    as_of: datetime
    timezone: str
    threshold: float


class OffPace(_Contract):
    metric: str
    target: float
    actual: float | None
    expected: float
    pace: float | None


class CheckpointResult(_Contract):
    off_pace: list[OffPace] = Field(default_factory=list)
    checkin_id: int | None = None


class UpdateCheckInInput(_Contract):
    checkin_id: int
    status: Literal["submitted", "acknowledged", "expired"]
    response: dict[str, Any] | None = None
    acknowledged_by: int | None = None
    acknowledgement: str | None = None
    actor: str = "system"


class ChangeDecidedInput(_Contract):
    target_set_id: int
    version: int
    approval_id: str
    approved: bool
    values: dict[str, float]
    reason: str | None = None


class ProgressBatchInput(_Contract):
    """Daily progress: snapshots of the next `limit` agreed target sets after the cursor, as of `as_of`."""

    as_of: datetime
    timezone: str
    after_id: int = 0
    limit: int = 1000


class ProgressBatchResult(_Contract):
    cursor: int
    target_sets: int
    snapshots: int
    exhausted: bool


class ProgressRunInput(_Contract):
    definition: TargetsDefinition
    timezone: str
    as_of: datetime | None = None  # default: the schedule's time


class ProgressRunResult(_Contract):
    day: date
    target_sets: int
    snapshots: int


class OpenBatchInput(_Contract):
    period: str
    after_staff_id: int
    limit: int


class OpenBatchResult(_Contract):
    staff_ids: list[int]
    cursor: int
    exhausted: bool


def checkpoint_moments(start: datetime, end: datetime, days: list[int]) -> list[tuple[int, datetime]]:
    """The checkpoints that fall inside the period, as (day, moment)."""
    return [(day, start + timedelta(days=day)) for day in days if start + timedelta(days=day) < end]
