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


class ContactRhythm(StrictModel):
    """How often an owner contacts a customer of each tier, and how early they are reminded (DESIGN §3.9)."""

    every_days: dict[int, int] = Field(default_factory=dict)  # tier → days from the last follow-up to the next contact
    remind_days_before: int = Field(default=2, ge=0)  # the owner is reminded this many days before the date; 0: never


class ReclaimDefinition(DefinitionMeta):
    """Contact rhythm, lapse days per tier, the warning before, exemptions, pool caps and the daily schedule.

    One clock: a customer's next-contact date is its clock start plus the tier's rhythm, and the
    reclaim warning and lapse are counted from that same stored date (`lapse_after_contact_days`).
    """

    process: Literal["reclaim"] = "reclaim"
    lapse_days: dict[int, int]  # tier → days without a follow-up before the customer returns to the pool
    warning_days_before: int = Field(default=3, ge=1)
    exemptions: Exemptions = Field(default_factory=Exemptions)
    pool: PoolRules = Field(default_factory=PoolRules)
    schedule: ScheduleRule = Field(default_factory=lambda: ScheduleRule(cron="30 1 * * *"))
    contact: ContactRhythm = Field(default_factory=ContactRhythm)

    def contact_every_days(self, tier: int) -> int:
        """The tier's contact rhythm; a tier without one is due when its reclaim warning would come."""
        return self.contact.every_days.get(tier) or self.lapse_days[tier] - self.warning_days_before

    def lapse_after_contact_days(self, tier: int) -> int:
        """Days from the next-contact date to the reclaim (lapse days counted from the same clock start)."""
        return self.lapse_days[tier] - self.contact_every_days(tier)

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
        for tier, days in self.contact.every_days.items():
            if tier not in self.lapse_days:
                raise DefinitionProblem(("contact", "every_days", tier), f"tier {tier} has no lapse_days")
            if days < 1:
                raise DefinitionProblem(("contact", "every_days", tier), "the contact rhythm must be at least 1 day")
            if days > self.lapse_days[tier] - self.warning_days_before:
                raise DefinitionProblem(
                    ("contact", "every_days", tier),
                    f"a contact every {days} days would fall due after the reclaim warning "
                    f"(tier {tier} lapses after {self.lapse_days[tier]} days, warned {self.warning_days_before} before)",
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
    reminded: int = 0  # "reclaim.warn" also reminds owners of contacts coming due (added later: defaults to 0)


class ReclaimResult(_Contract):
    run_date: date
    warned: int
    reclaimed: int
    reminded: int = 0
