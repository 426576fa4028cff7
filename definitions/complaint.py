"""The complaint process definition (DESIGN §3.1)."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime, timedelta
from decimal import Decimal
from typing import Any, Literal

from pydantic import (
    BaseModel,
    Field,
    SerializationInfo,
    SerializerFunctionWrapHandler,
    model_serializer,
    model_validator,
)

from definitions.approval import FlowDefinition
from definitions.base import DefinitionMeta, DefinitionProblem, Duration, StrictModel
from definitions.calendar import BusinessCalendar, add_business_time

Severity = Literal["critical", "high", "normal", "low"]


def _director_severities() -> list[Severity]:
    """The severities the director hears about unless the definition names others."""
    return ["critical"]


SEVERITIES: tuple[Severity, ...] = ("critical", "high", "normal", "low")


class SlaWindow(StrictModel):
    """Respond-by and resolve-by durations for one severity."""

    respond: Duration
    resolve: Duration

    @model_validator(mode="after")
    def _respond_before_resolve(self) -> SlaWindow:
        if self.respond > self.resolve:
            raise ValueError("respond must not be longer than resolve")
        return self


class EscalationRule(StrictModel):
    """How breaches climb the supervisor chain."""

    notify_director_for: list[Severity] = Field(default_factory=_director_severities)
    max_level: int = Field(default=5, ge=1)
    # At the top of the chain the top person is reminded this often until someone acts (default: every window).
    remind_top_every: Duration | None = None


class CompensationStep(StrictModel):
    """Compensation above `above` needs an approval by `approver` (a human task with due date and escalation)."""

    above: Decimal = Field(ge=0)
    approver: Literal["supervisor", "director"]
    due_in: Duration = timedelta(days=1)
    reminders_before: list[Duration] = Field(default_factory=list)
    escalation_levels: int = Field(default=1, ge=0)  # times an ignored approval climbs the chain


class ComplaintDefinition(DefinitionMeta):
    """SLAs per severity (tier 1 may be tighter), warnings, escalation, confirmation window."""

    process: Literal["complaint"] = "complaint"
    clock: Literal["wall", "business"] = "wall"
    sla: dict[Severity, SlaWindow]
    tier_overrides: dict[int, dict[Severity, SlaWindow]] = Field(default_factory=dict)
    warning_fractions: list[float] = Field(default_factory=lambda: [0.5, 0.75])
    escalation: EscalationRule = Field(default_factory=EscalationRule)
    confirmation_window: Duration
    compensation_approval: list[CompensationStep] = Field(default_factory=list)
    # The approval flow (definitions/flows/<name>.yaml) that approves compensation instead of the fixed chain
    # above; the loader pins its snapshot in `flows`, so a running complaint keeps the flow it started with.
    compensation_flow: str | None = None
    flows: dict[str, FlowDefinition] = Field(default_factory=dict)
    calendar: BusinessCalendar | None = None  # required by `clock: business`

    @model_validator(mode="after")
    def _checks(self) -> ComplaintDefinition:
        if self.clock == "business" and self.calendar is None:
            raise DefinitionProblem("clock", "clock: business needs a calendar: block (timezone, working_hours, ...)")
        missing = [s for s in SEVERITIES if s not in self.sla]
        if missing:
            raise DefinitionProblem("sla", f"sla is missing severities: {', '.join(missing)}")
        fractions = self.warning_fractions
        if any(not 0 < f < 1 for f in fractions) or fractions != sorted(set(fractions)):
            raise DefinitionProblem(
                "warning_fractions", "warning_fractions must be strictly ascending and between 0 and 1"
            )
        amounts = [step.above for step in self.compensation_approval]
        if amounts != sorted(set(amounts)):
            raise DefinitionProblem(
                "compensation_approval", "compensation_approval thresholds must be strictly ascending"
            )
        return self

    def window(self, severity: Severity, tier: int | None) -> SlaWindow:
        """The SLA window for a severity, tightened for the customer's tier where defined."""
        return self.tier_overrides.get(tier or 0, {}).get(severity) or self.sla[severity]


def deadline_after(start: datetime, duration: timedelta, definition: ComplaintDefinition) -> datetime:
    """The moment `duration` of SLA clock after `start`: wall clock, or business time with `clock: business`."""
    # Pure and deterministic: workflows call it with workflow.now(), so replays compute the same deadlines.
    # The calendar travels in the pinned snapshot with its holidays already resolved (no I/O here).
    if definition.clock == "business" and definition.calendar is not None:
        return add_business_time(start, duration, definition.calendar)
    return start + duration


# --- Process contracts (workflow input/output, updates, query, activities): pydantic, sandbox-safe. ---

Stage = Literal["open", "in_progress", "waiting_on_customer", "pending_approval", "resolved", "closed"]
STAGES: tuple[Stage, ...] = ("open", "in_progress", "waiting_on_customer", "pending_approval", "resolved", "closed")
SlaPhase = Literal["respond", "resolve"]
CloseReason = Literal["accepted", "auto_closed"]

SYSTEM_ACTOR = "system:complaint-workflow"


class ActionActor(BaseModel):
    """Who asks for a change: the audit label of the principal and its staff member (if any)."""

    label: str
    staff_id: int | None = None


class ComplaintStart(BaseModel):
    """Input of the complaint workflow: the intake plus the definition snapshot pinned at start."""

    complaint_id: str
    customer_id: int
    customer_tier: int | None = None
    severity: Severity
    category: str
    description: str
    channel: str
    opened_by: ActionActor
    definition: ComplaintDefinition


class ComplaintState(BaseModel):
    """The persisted part of a complaint's state; the workflow owns it, activities write it to the row."""

    status: Stage = "open"
    owner_id: int | None = None
    escalation_level: int = 0
    respond_by: datetime  # the deadline in force: each escalation moves it to the new window
    resolve_by: datetime
    original_respond_by: datetime | None = None  # the first window's deadlines, kept once an escalation moves them
    original_resolve_by: datetime | None = None
    acknowledged_at: datetime | None = None
    resolved_at: datetime | None = None
    closed_at: datetime | None = None
    resolution: str | None = None
    compensation_amount: Decimal | None = None
    sla_response_met: bool | None = None
    sla_resolution_met: bool | None = None
    response_seconds: float | None = None
    resolution_seconds: float | None = None
    paused_seconds: float = 0
    satisfaction: int | None = None
    reopen_count: int = 0
    close_reason: CloseReason | None = None


class CompactJson(BaseModel):
    """A model whose JSON leaves out fields at their defaults (read back, they get them again): it is kept in
    workflow histories, once per step."""

    @model_serializer(mode="wrap")
    def _without_defaults(self, handler: SerializerFunctionWrapHandler, info: SerializationInfo) -> dict[str, Any]:
        data: dict[str, Any] = handler(self)
        if not info.mode_is_json():
            return data
        fields = type(self).model_fields
        return {
            name: value
            for name, value in data.items()
            if getattr(self, name) != fields[name].get_default(call_default_factory=True)
        }


class ComplaintAnswer(ComplaintState, CompactJson):
    """An action's answer: the state its step wrote to the row."""


class IntakeAnswer(BaseModel):
    """The intake's answer (the API answers the create from the row): whether this intake created the complaint."""

    first_intake: bool


class ComplaintChanges(BaseModel):
    """The row's new column values of one step: status, owner and level always (the audit names them), the rest
    only when the step changed them (unset fields stay out of the payload and the UPDATE)."""

    status: Stage
    owner_id: int | None
    escalation_level: int
    respond_by: datetime | None = None
    resolve_by: datetime | None = None
    original_respond_by: datetime | None = None
    original_resolve_by: datetime | None = None
    acknowledged_at: datetime | None = None
    resolved_at: datetime | None = None
    closed_at: datetime | None = None
    resolution: str | None = None
    compensation_amount: Decimal | None = None
    sla_response_met: bool | None = None
    sla_resolution_met: bool | None = None
    response_seconds: float | None = None
    resolution_seconds: float | None = None
    paused_seconds: float | None = None
    satisfaction: int | None = None
    reopen_count: int | None = None
    close_reason: CloseReason | None = None

    @model_serializer(mode="wrap")
    def _only_set(self, handler: SerializerFunctionWrapHandler) -> dict[str, Any]:
        data: dict[str, Any] = handler(self)
        return {name: value for name, value in data.items() if name in self.model_fields_set}

    @classmethod
    def between(cls, before: ComplaintState, after: ComplaintState) -> ComplaintChanges:
        """The columns `after` changed since `before` (plus the three the audit names)."""
        old, new = before.model_dump(), after.model_dump()
        changed = {name: value for name, value in new.items() if value != old[name]}
        return cls(
            **{
                **changed,
                "status": after.status,
                "owner_id": after.owner_id,
                "escalation_level": after.escalation_level,
            }
        )

    def columns(self) -> dict[str, Any]:
        """The values to write: the fields this step set."""
        return self.model_dump(exclude_unset=True)


class ComplaintStatus(ComplaintState):
    """Answer of the `status` query and of every update: state plus the live clocks."""

    complaint_id: str
    customer_id: int
    severity: Severity
    stage: Stage
    definition_version: int
    sla_phase: SlaPhase | None = None
    next_escalation_at: datetime | None = None
    paused_since: datetime | None = None
    confirm_by: datetime | None = None
    open_tasks: list[dict[str, Any]] = Field(default_factory=list)
    approval_workflow_id: str | None = None  # the compensation flow's workflow, which holds the approval's tasks


class ComplaintOutcome(BaseModel):
    """Result of a closed complaint (feeds tier scoring)."""

    complaint_id: str
    close_reason: CloseReason
    sla_response_met: bool | None
    sla_resolution_met: bool | None
    satisfaction: int | None
    escalation_level: int
    reopen_count: int


class IntakeRequest(BaseModel):
    """The update sent with start: answers once the complaint row exists."""

    actor: ActionActor


class AcknowledgeRequest(BaseModel):
    actor: ActionActor
    note: str | None = None


class ResolveRequest(BaseModel):
    actor: ActionActor
    resolution: str
    compensation_amount: Decimal | None = None


class WaitOnCustomerRequest(BaseModel):
    actor: ActionActor
    note: str | None = None


class ResumeRequest(BaseModel):
    actor: ActionActor
    note: str | None = None


class CustomerResponseRequest(BaseModel):
    actor: ActionActor
    accepted: bool
    satisfaction: int | None = None
    comment: str | None = None


class ReassignRequest(BaseModel):
    actor: ActionActor
    owner_id: int
    note: str | None = None


class NotificationSpec(BaseModel):
    """One notification to record with a change."""

    recipient_id: int
    kind: str
    subject: str
    details: dict[str, Any] | None = None


class OpenComplaintInput(BaseModel):
    """Create the complaint row (natural key: its id) with the deadlines the workflow computed."""

    complaint_id: str
    workflow_id: str
    customer_id: int
    severity: Severity
    category: str
    description: str
    channel: str
    definition_version: int
    actor: ActionActor
    opened_at: datetime
    respond_by: datetime
    resolve_by: datetime


class OpenComplaintResult(BaseModel):
    owner_id: int | None


class OpenFailedInput(BaseModel):
    """Audit that the complaint's first write failed for good (the process then ends failed)."""

    complaint_id: str
    workflow_id: str
    reason: str


class RecordChangeInput(CompactJson):
    """Write the workflow's state to the row, audit the action and record notifications."""

    complaint_id: str
    workflow_id: str
    customer_id: int
    action: str
    actor: str
    note: str | None = None
    state: ComplaintState | None = None  # runs started before slim writes: the whole state
    changes: ComplaintChanges | None = None  # the columns the step changed (one of `state` and `changes` is set)
    notifications: list[NotificationSpec] = Field(default_factory=list)


class RecordChangeResult(BaseModel):
    applied: bool


class EscalateInput(CompactJson):
    """A breached window: move the complaint one up the supervisor chain (state or changes carry the breach)."""

    complaint_id: str
    workflow_id: str
    customer_id: int
    severity: Severity
    phase: SlaPhase
    state: ComplaintState | None = None  # runs started before slim writes: the whole state
    changes: ComplaintChanges | None = None  # the breach's columns, with the owner and level before escalating
    max_level: int
    notify_director: bool


class EscalateResult(BaseModel):
    escalated: bool
    owner_id: int | None
    escalation_level: int
    can_climb_further: bool = False  # someone active is above the (new) owner


class RemindTopInput(BaseModel):
    """At the top of the chain: remind the owner that the complaint still waits for them."""

    complaint_id: str
    workflow_id: str
    customer_id: int
    severity: Severity
    recipient_id: int
    phase: SlaPhase
    escalation_level: int
    next_reminder_at: datetime | None = None


class SlaWarningInput(BaseModel):
    """A warning at a fraction of an SLA window, sent to the current owner."""

    complaint_id: str
    workflow_id: str
    customer_id: int
    recipient_id: int
    phase: SlaPhase
    fraction: float
    deadline: datetime


class SlaWarningResult(BaseModel):
    applied: bool


@dataclass
class SlaClock:
    """One SLA window in force: breach at `deadline`, warnings at fractions of [start, deadline]."""

    # Lives here, not in the workflow module: the sandbox re-executes that module for every new run.
    phase: SlaPhase
    length: timedelta
    start: datetime
    deadline: datetime | None  # None once escalation reached the top (before the top reminders existed)
    warned: list[float] = field(default_factory=list)
    at_top: bool = False  # the chain is exhausted: `deadline` is the next reminder to the top person

    def shift(self, delta: timedelta) -> None:
        """Move the window by a paused span (the clock did not run)."""
        self.start += delta
        if self.deadline is not None:
            self.deadline += delta

    def next_event(self, fractions: list[float]) -> tuple[datetime, float | None] | None:
        """The next warning (at, fraction) or the breach (at, None); None when nothing is left."""
        if self.deadline is None:
            return None
        span = self.deadline - self.start
        for fraction in fractions:
            if fraction not in self.warned:
                return self.start + span * fraction, fraction
        return self.deadline, None
