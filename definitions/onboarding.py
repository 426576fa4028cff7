"""The onboarding process definition (DESIGN §3.2) and the contracts of its workflow and activities."""

from __future__ import annotations

from datetime import date, datetime, time, timedelta
from decimal import Decimal
from typing import Literal

from pydantic import BaseModel, ConfigDict, Field, field_validator, model_validator

from definitions.approval import FlowDefinition
from definitions.base import DefinitionMeta, DefinitionProblem, Duration, StrictModel
from definitions.calendar import BusinessCalendar
from definitions.tasks import TaskView

Tier = Literal[1, 2]


class TierRule(StrictModel):
    """Gives `tier` when the declared annual value reaches `min_annual_value` OR the industry is listed."""

    tier: Tier
    min_annual_value: Decimal | None = Field(default=None, ge=0)
    industries: list[str] = Field(default_factory=list)
    name: str = ""

    @field_validator("industries")
    @classmethod
    def _normalise(cls, value: list[str]) -> list[str]:
        return [item.strip().casefold() for item in value if item.strip()]

    @model_validator(mode="after")
    def _has_a_criterion(self) -> TierRule:
        if self.min_annual_value is None and not self.industries:
            raise ValueError("a tier rule needs min_annual_value or industries")
        return self

    def matches(self, *, declared_annual_value: Decimal, industry: str) -> bool:
        """Whether a customer with these facts falls under the rule."""
        if self.min_annual_value is not None and declared_annual_value >= self.min_annual_value:
            return True
        return industry.strip().casefold() in self.industries


class InitialTierRules(StrictModel):
    """The first matching rule wins; no match → `default`."""

    default: Tier = 2
    rules: list[TierRule] = Field(default_factory=list)


class TaskRule(StrictModel):
    """Due date, reminders and timeout handling of a human task of the process (wall clock)."""

    due_in: Duration
    reminders_before: list[Duration] = Field(default_factory=list)
    escalation_levels: int = Field(default=1, ge=0)
    final_outcome: Literal["approve", "reject", "expire"] = "expire"

    @model_validator(mode="after")
    def _reminders_inside(self) -> TaskRule:
        if any(r >= self.due_in for r in self.reminders_before):
            raise ValueError("reminders_before must be shorter than due_in")
        return self


class KickoffRule(StrictModel):
    """The owner's kickoff task: due in N business days of the definition's calendar."""

    due_in_business_days: int = Field(ge=1, le=60)
    reminders_before: list[Duration] = Field(default_factory=list)  # before the due date (wall clock)
    escalation_levels: int = Field(default=1, ge=0)


class OnboardingDefinition(DefinitionMeta):
    """Initial tier rules, the manual-assignment and approval tasks, the kickoff task, the calendar."""

    process: Literal["onboarding"] = "onboarding"
    initial_tier: InitialTierRules = Field(default_factory=InitialTierRules)
    manual_assignment: TaskRule
    approval: TaskRule | None = None  # the director's task of runs started before approval_flow
    kickoff: KickoffRule
    calendar: BusinessCalendar = Field(default_factory=BusinessCalendar)
    # The tier-1 approval flow (definitions/flows/<name>.yaml); the loader pins its snapshot in `flows`.
    approval_flow: str | None = None
    flows: dict[str, FlowDefinition] = Field(default_factory=dict)

    @model_validator(mode="after")
    def _kickoff_reminders_inside(self) -> OnboardingDefinition:
        if self.approval is None and self.approval_flow is None:
            raise DefinitionProblem("approval_flow", "tier 1 needs an approval: approval_flow (or approval)")
        due = self.kickoff_due_in()
        if any(r >= due for r in self.kickoff.reminders_before):
            raise ValueError("kickoff.reminders_before must be shorter than the kickoff's business days")
        return self

    def tier_for(self, *, declared_annual_value: Decimal, industry: str) -> tuple[int, str]:
        """The initial tier and the name of the rule that gave it ("default" when none matched)."""
        for index, rule in enumerate(self.initial_tier.rules):
            if rule.matches(declared_annual_value=declared_annual_value, industry=industry):
                return rule.tier, rule.name or f"rule {index + 1}"
        return self.initial_tier.default, "default"

    def business_day(self) -> timedelta:
        """The working time of one business day in the calendar (e.g. 9 h for 09:00-18:00)."""
        day = date(2000, 1, 3)
        total = timedelta(0)
        for period in self.calendar.working_hours:
            # A period ending at 24:00 is stored as time.max; count it up to midnight.
            end = (
                datetime.combine(day + timedelta(days=1), time())
                if period.end == time.max
                else (datetime.combine(day, period.end))
            )
            total += end - datetime.combine(day, period.start)
        return total

    def kickoff_due_in(self) -> timedelta:
        """The kickoff's due window in business time."""
        return self.kickoff.due_in_business_days * self.business_day()


# ---- workflow and activity contracts --------------------------------------------------------------


class _Contract(BaseModel):
    model_config = ConfigDict(extra="forbid")


class OnboardingInput(_Contract):
    """Start of an onboarding. Runs started by update-with-start have no customer_id: their first activity
    creates the row (`onboarding-<uuid>`); older runs (`onboarding-<customer_id>`) found it written by the API."""

    customer_id: int | None = None
    external_ref: str | None = None  # with customer_id None: the row's external reference
    name: str  # shown in task titles (never in search attributes)
    region: str
    industry: str = ""
    declared_annual_value: Decimal = Decimal(0)
    requested_by: str = "system"  # actor label of whoever posted the customer
    requester_id: int | None = None  # staff id of the requester, if any
    definition: OnboardingDefinition


class OnboardingResult(_Contract):
    customer_id: int
    status: Literal["active", "rejected", "duplicate"]  # duplicate: customer_id is the existing customer
    tier: int
    owner_id: int | None = None
    reason: str | None = None


class OnboardingState(_Contract):
    """Query "status": where the process is."""

    customer_id: int
    stage: str
    tier: int | None = None
    owner_id: int | None = None
    approver_id: int | None = None
    open_tasks: list[TaskView] = Field(default_factory=list)
    approval_workflow_id: str | None = None  # the approval flow's workflow, which holds the approval's tasks


class SetTierInput(_Contract):
    customer_id: int
    tier: int
    rule: str


class AssignInput(_Contract):
    customer_id: int
    tier: int
    region: str


class AssignResult(_Contract):
    owner_id: int | None  # None: nobody available, the director assigns by hand
    director_id: int | None = None  # who assigns by hand when owner_id is None


class ManualAssignInput(_Contract):
    customer_id: int
    owner_id: int
    decided_by: int | None = None


class ManualAssignResult(_Contract):
    assigned: bool
    reason: str | None = None


class DirectorInput(_Contract):
    staff_id: int | None
    region: str


class DirectorResult(_Contract):
    director_id: int | None


class CloseInput(_Contract):
    """Activate or reject the customer at the end of the process."""

    customer_id: int
    status: Literal["active", "rejected"]
    reason: str | None = None
    decided_by: int | None = None
    details: dict[str, object] = Field(default_factory=dict)


STAGES = (
    "created",
    "assigning",
    "awaiting_assignment",
    "assigned",
    "awaiting_approval",
    "kickoff",
    "active",
    "rejected",
)


class CreateCustomerInput(_Contract):
    """The onboarding's first write: the pending customer row, with the tier the pinned rules gave."""

    name: str
    region: str
    industry: str = ""
    declared_annual_value: Decimal = Decimal(0)
    external_ref: str | None = None
    tier: int
    requested_by: str


class CreateCustomerResult(_Contract):
    """The row this process created (also on a retry), or the customer it duplicates."""

    customer_id: int
    duplicate_field: str | None = None  # external_ref | name and region, when the customer already existed
    status: str = "pending"


class OnboardingCreated(_Contract):
    """Answer of update "onboarding.created": the customer row as the process wrote it."""

    customer_id: int
    tier: int
    process_id: str
