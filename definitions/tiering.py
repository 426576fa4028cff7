"""The tier re-evaluation process definition (DESIGN §3.3) and its workflow contracts."""

from __future__ import annotations

from datetime import date, timedelta
from typing import Literal

from pydantic import BaseModel, ConfigDict, Field, model_validator

from definitions.approval import FlowDefinition
from definitions.base import DefinitionMeta, DefinitionProblem, Duration, ScheduleRule, StrictModel

SEVERITIES = ("critical", "high", "normal", "low")


class ScoreWeights(StrictModel):
    """Weights of the positive factors (they sum to 1) and of the complaint penalty."""

    recency: float = Field(ge=0, le=1)
    frequency: float = Field(ge=0, le=1)
    monetary: float = Field(ge=0, le=1)
    satisfaction: float = Field(ge=0, le=1)
    complaints: float = Field(ge=0, le=1)
    # The part of the satisfaction factor taken from survey CSAT answers (DESIGN §3.9), the rest from complaint
    # ratings; a customer rated only one way gets that one in full. 0: surveys do not count.
    survey_share: float = Field(default=0, ge=0, le=1)

    @model_validator(mode="after")
    def _positive_weights_sum_to_one(self) -> ScoreWeights:
        total = self.recency + self.frequency + self.monetary + self.satisfaction
        if abs(total - 1) > 1e-9:
            raise DefinitionProblem(
                "recency", f"recency + frequency + monetary + satisfaction must sum to 1 (got {total:g})"
            )
        return self


class Normalisation(StrictModel):
    """How each raw measure becomes a 0..1 factor (values at or above a cap count as 1)."""

    frequency_cap: int = Field(default=12, ge=1)  # transactions in the window that count as "very frequent"
    monetary_cap: float = Field(default=1_000_000, gt=0)  # transaction value in the window that counts as 1
    complaint_cap: float = Field(default=10, gt=0)  # severity-weighted complaints that count as the full penalty
    neutral_satisfaction: float = Field(default=3, ge=1, le=5)  # used when a customer rated nothing


class TierThreshold(StrictModel):
    """A customer reaches `tier` at `min_score` or above (tier 1 is the best)."""

    tier: int = Field(ge=1)
    min_score: float = Field(ge=0, le=1)


class ApprovalRule(StrictModel):
    """The tier-change approval task: due date, reminders, escalation and what a timeout means."""

    due_in: Duration = timedelta(days=3)
    reminders_before: list[Duration] = Field(default_factory=lambda: [timedelta(days=1)])
    escalation_levels: int = Field(default=1, ge=0)
    final_outcome: Literal["approve", "reject", "expire"] = "expire"


class HandoverRule(StrictModel):
    """The handover form tasks for the old and the new owner."""

    due_in: Duration = timedelta(days=5)
    reminders_before: list[Duration] = Field(default_factory=lambda: [timedelta(days=1)])
    escalation_levels: int = Field(default=1, ge=0)


class TieringDefinition(DefinitionMeta):
    """Scoring window, weights, thresholds, hysteresis, cooldown, approvals and the cycle's schedule."""

    process: Literal["tiering"] = "tiering"
    window: Duration = timedelta(days=365)
    weights: ScoreWeights
    severity_weights: dict[Literal["critical", "high", "normal", "low"], float]
    normalisation: Normalisation = Field(default_factory=Normalisation)
    tiers: list[TierThreshold]
    hysteresis: float = Field(default=0.05, ge=0, le=0.5)
    cooldown_after_rejection: Duration = timedelta(days=90)
    approval: ApprovalRule = Field(default_factory=ApprovalRule)
    handover: HandoverRule = Field(default_factory=HandoverRule)
    schedule: ScheduleRule = Field(default_factory=lambda: ScheduleRule(cron="0 2 1 * *"))
    chunk_size: int = Field(default=50_000, ge=1)
    children_per_run: int = Field(default=500, ge=1)  # tier changes started before continue-as-new
    # The tier-change approval flow (definitions/flows/<name>.yaml); the loader pins its snapshot in `flows`.
    # Without one, `approval` above is the single task of older runs; it still times the assign-by-hand task.
    approval_flow: str | None = None
    flows: dict[str, FlowDefinition] = Field(default_factory=dict)

    @model_validator(mode="after")
    def _checks(self) -> TieringDefinition:
        missing = [s for s in SEVERITIES if s not in self.severity_weights]
        if missing:
            raise DefinitionProblem("severity_weights", f"missing severities: {', '.join(missing)}")
        if any(w < 0 for w in self.severity_weights.values()):
            raise DefinitionProblem("severity_weights", "severity weights must not be negative")
        numbers = [t.tier for t in self.tiers]
        if numbers != list(range(1, len(numbers) + 1)) or len(numbers) < 2:
            raise DefinitionProblem("tiers", "tiers must be listed 1, 2, … in order (at least two)")
        scores = [t.min_score for t in self.tiers]
        if any(a <= b for a, b in zip(scores, scores[1:], strict=False)):
            raise DefinitionProblem("tiers", "min_score must strictly decrease from tier 1 down")
        if scores[-1] != 0:
            raise DefinitionProblem("tiers", "the lowest tier must have min_score 0 (it catches everyone else)")
        gaps = [a - b for a, b in zip(scores, scores[1:], strict=False)]
        if self.hysteresis * 2 >= min(gaps):
            raise DefinitionProblem(
                "hysteresis", "hysteresis band must be narrower than half the gap between thresholds"
            )
        if self.window < timedelta(days=1):
            raise DefinitionProblem("window", "window must be at least one day")
        return self

    @property
    def window_days(self) -> int:
        return max(1, round(self.window.total_seconds() / 86400))

    @property
    def lowest_tier(self) -> int:
        return self.tiers[-1].tier


# ---- workflow / activity contracts ----------------------------------------------------------------


class _Contract(BaseModel):
    model_config = ConfigDict(extra="forbid")


class ScoreInput(_Contract):
    """Activity "tiering.score": score every customer (or one) and store the tier proposals."""

    cycle_id: str
    as_of: date
    definition: TieringDefinition
    customer_id: int | None = None  # one customer only (on-demand evaluation)


class CustomerEvaluation(_Contract):
    """One customer's score and where its tier should go."""

    customer_id: int
    score: float | None
    current_tier: int
    target_tier: int
    status: str
    cooldown_until: str | None = None
    proposed: bool = False
    pending_process_id: str | None = None  # a tier change already running for this customer


class ScoreResult(_Contract):
    scored: int
    proposals: int
    chunks: int
    evaluation: CustomerEvaluation | None = None


class Proposal(_Contract):
    customer_id: int
    from_tier: int
    to_tier: int
    score: float


class NextProposalsInput(_Contract):
    cycle_id: str
    after_customer_id: int = 0
    limit: int = 100


class NextProposalsResult(_Contract):
    proposals: list[Proposal]


class TieringCycleInput(_Contract):
    """Workflow "TieringCycleWorkflow": one scoring pass and a tier change per customer that moves."""

    definition: TieringDefinition
    as_of: date | None = None  # None: today on the workflow clock, in `timezone`, when the run starts
    timezone: str | None = None  # the company's (schedule's) time zone; None: UTC (runs started before it existed)
    cycle_id: str | None = None  # None: the as_of date
    customer_id: int | None = None  # on-demand evaluation of one customer
    # Carried across continue-as-new so the scoring pass is not repeated.
    scored: ScoreResult | None = None
    after_customer_id: int = 0
    started: int = 0


class TieringCycleResult(_Contract):
    cycle_id: str
    scored: int
    proposals: int
    tier_changes_started: int
    evaluation: CustomerEvaluation | None = None
    tier_change_process_id: str | None = None


class TierChangeInput(_Contract):
    """Workflow "TierChangeWorkflow": approve, apply, reassign and hand over one customer's tier move."""

    cycle_id: str
    customer_id: int
    from_tier: int
    to_tier: int
    score: float
    definition: TieringDefinition


class TierChangeResult(_Contract):
    customer_id: int
    outcome: Literal["applied", "rejected", "expired", "skipped"]
    tier: int
    owner_id: int | None = None
    previous_owner_id: int | None = None
    cooldown_until: str | None = None


class PrepareChangeInput(_Contract):
    cycle_id: str
    customer_id: int
    from_tier: int
    to_tier: int


class PrepareChangeResult(_Contract):
    proceed: bool  # False when the customer moved on (tier changed, no longer active)
    reason: str | None = None
    customer_name: str = ""
    owner_id: int | None = None
    approver_id: int | None = None


class DecisionInput(_Contract):
    cycle_id: str
    customer_id: int
    from_tier: int
    to_tier: int
    outcome: str
    decided_by: int | None = None
    comment: str | None = None
    cooldown: timedelta | None = None


class DecisionResult(_Contract):
    tier: int
    cooldown_until: str | None = None


class ReassignInput(_Contract):
    cycle_id: str
    customer_id: int
    to_tier: int


class ReassignResult(_Contract):
    changed: bool
    owner_id: int | None
    previous_owner_id: int | None
    manual_assignment_needed: bool = False
    director_id: int | None = None


class CompleteChangeInput(_Contract):
    cycle_id: str
    customer_id: int
    outcome: str
    owner_id: int | None = None
    previous_owner_id: int | None = None
    to_tier: int


class ManualOwnerInput(_Contract):
    cycle_id: str
    customer_id: int
    owner_id: int
    decided_by: int | None = None


class ManualOwnerResult(_Contract):
    changed: bool
    owner_id: int | None
    previous_owner_id: int | None
    reason: str | None = None
