"""The follow-up / reclaim process definition (DESIGN §3.5, 客户公海) and its workflow contracts."""

from __future__ import annotations

from datetime import date, datetime
from typing import Literal

from pydantic import BaseModel, ConfigDict, Field, model_validator

from definitions.base import DefinitionMeta, DefinitionProblem, ScheduleRule, StrictModel


class Exemptions(StrictModel):
    """Customers never reclaimed (nor warned) however long since the last follow-up."""

    open_complaint: bool = True  # a complaint not yet closed
    recent_transaction_days: int | None = Field(default=30, ge=1)  # a deal within K days; None: no exemption


class PoolRules(StrictModel):
    """Caps on claiming customers from the public pool."""

    max_customers_held: int | None = Field(default=None, ge=1)  # None: the manager's capacity only
    claims_per_day: int = Field(default=5, ge=1)
    former_owner_cooldown_days: int = Field(default=30, ge=0)  # the former owner may not claim it back before


class ReclaimDefinition(DefinitionMeta):
    """Lapse days per tier, the warning before, exemptions, pool caps and the daily schedule."""

    process: Literal["reclaim"] = "reclaim"
    lapse_days: dict[int, int]  # tier → days without a follow-up before the customer returns to the pool
    warning_days_before: int = Field(default=3, ge=1)
    exemptions: Exemptions = Field(default_factory=Exemptions)
    pool: PoolRules = Field(default_factory=PoolRules)
    schedule: ScheduleRule = Field(default_factory=lambda: ScheduleRule(cron="30 1 * * *"))

    @model_validator(mode="after")
    def _checks(self) -> ReclaimDefinition:
        if not self.lapse_days:
            raise DefinitionProblem("lapse_days", "give the lapse days of at least one tier")
        for tier, days in self.lapse_days.items():
            if tier < 1:
                raise DefinitionProblem(("lapse_days", tier), "tiers start at 1")
            if days < 1:
                raise DefinitionProblem(("lapse_days", tier), "lapse days must be at least 1")
            if self.warning_days_before >= days:
                raise DefinitionProblem(
                    "warning_days_before",
                    f"the warning ({self.warning_days_before} days before) must come after the clock starts: "
                    f"tier {tier} lapses after {days} days",
                )
        return self


# ---- workflow / activity contracts ----------------------------------------------------------------


class _Contract(BaseModel):
    model_config = ConfigDict(extra="forbid")


class ReclaimInput(_Contract):
    """Workflow "ReclaimWorkflow" (daily): warn owners, then reclaim lapsed customers to the pool."""

    definition: ReclaimDefinition
    run_date: date | None = None  # None: today on the workflow clock, in `timezone`
    timezone: str | None = None  # the company's (schedule's) time zone; None: UTC (runs started before it existed)


class ReclaimStepInput(_Contract):
    """Activities "reclaim.warn" and "reclaim.reclaim"."""

    definition: ReclaimDefinition
    now: datetime


class ReclaimStepResult(_Contract):
    count: int


class ReclaimResult(_Contract):
    run_date: date
    warned: int
    reclaimed: int
