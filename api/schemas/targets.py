"""HTTP shapes of targets: the set, its versions, progress snapshots, check-ins and the team roll-up."""

from __future__ import annotations

from datetime import date, datetime
from typing import Any

from pydantic import BaseModel, ConfigDict, Field

from api.schemas.common import Id, RequestBody
from api.schemas.tasks import TaskOut
from definitions.review import PERIOD_PATTERN

Reason = Field(default=None, max_length=2000)


class TargetOut(BaseModel):
    model_config = ConfigDict(from_attributes=True)

    id: int
    period: str
    staff_id: int
    staff_name: str | None = None
    supervisor_id: int | None
    director_id: int | None
    workflow_id: str
    status: str
    turn: str | None
    metrics: list[str]
    counter_rounds: int
    current_version: int
    agreed_version: int | None
    agreed_values: dict[str, float] | None
    period_start: datetime
    period_end: datetime
    deadline_at: datetime | None
    agreed_at: datetime | None


class TargetVersionOut(BaseModel):
    model_config = ConfigDict(from_attributes=True)

    version: int
    kind: str
    values: dict[str, float]
    author_id: int | None
    actor: str
    reason: str | None
    status: str
    approval_id: str | None
    created_at: datetime


class ProgressOut(BaseModel):
    model_config = ConfigDict(from_attributes=True)

    metric: str
    day: date
    target: float
    actual: float | None
    expected: float
    elapsed_share: float
    pace: float | None
    attainment: float | None


class CheckInOut(BaseModel):
    model_config = ConfigDict(from_attributes=True)

    id: int
    checkpoint_day: int
    status: str
    off_pace: list[dict[str, Any]]
    response: dict[str, Any] | None
    acknowledged_by: int | None
    acknowledgement: str | None
    created_at: datetime


class MetricOut(BaseModel):
    key: str
    label: str
    unit: str
    direction: str


class TargetDetail(TargetOut):
    values: dict[str, float] = Field(default_factory=dict)  # the latest version's values
    versions: list[TargetVersionOut] = Field(default_factory=list)
    progress: list[ProgressOut] = Field(default_factory=list)
    checkins: list[CheckInOut] = Field(default_factory=list)
    tasks: list[TaskOut] = Field(default_factory=list)
    metric_info: list[MetricOut] = Field(default_factory=list)
    pending_change: str | None = None  # approval id of a change waiting for its decision
    may: list[str] = Field(default_factory=list)  # what the viewer may do now: propose, accept, counter, decide, change


class TargetList(BaseModel):
    items: list[TargetOut]
    total: int


class TargetOpen(RequestBody):
    """POST /v1/targets: open one manager's target setting for a period."""

    period: str = Field(pattern=PERIOD_PATTERN, examples=["2026Q3"])
    staff_id: Id


class TargetOpened(BaseModel):
    workflow_id: str
    started: bool


class ValuesBody(RequestBody):
    """POST /v1/targets/{id}/propose and /counter: a value for every metric of the target."""

    values: dict[str, float]
    reason: str | None = Reason


class AcceptBody(RequestBody):
    reason: str | None = Reason


class DecideBody(RequestBody):
    """POST /v1/targets/{id}/decide: the director's values when supervisor and manager did not agree."""

    values: dict[str, float]
    comment: str | None = Reason


class ChangeBody(RequestBody):
    """POST /v1/targets/{id}/change: ask to change one agreed value (an approval decides)."""

    metric: str = Field(max_length=64)
    value: float
    reason: str = Field(min_length=3, max_length=2000)


class ChangeRequested(BaseModel):
    target: TargetDetail
    approval_id: str


class TeamLine(BaseModel):
    metric: str
    label: str
    unit: str
    direction: str
    target: float | None
    actual: float | int | None
    attainment: float | None


class TeamMember(BaseModel):
    staff_id: int
    name: str
    target_id: int | None
    status: str | None
    lines: list[TeamLine]


class TeamTargets(BaseModel):
    period: str
    as_of: datetime
    members: list[TeamMember]
    team: list[TeamLine]  # targets summed (rates: averaged), actuals pooled, attainment of the two
