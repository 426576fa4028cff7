"""The complaint process definition (DESIGN §3.1)."""

from __future__ import annotations

from decimal import Decimal
from typing import Literal

from pydantic import Field, model_validator

from definitions.base import DefinitionMeta, Duration, StrictModel

Severity = Literal["critical", "high", "normal", "low"]
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

    notify_director_for: list[Severity] = Field(default_factory=lambda: ["critical"])
    max_level: int = Field(default=5, ge=1)


class CompensationStep(StrictModel):
    """Compensation above `above` needs an approval by `approver`."""

    above: Decimal = Field(ge=0)
    approver: Literal["supervisor", "director"]


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

    @model_validator(mode="after")
    def _checks(self) -> ComplaintDefinition:
        missing = [s for s in SEVERITIES if s not in self.sla]
        if missing:
            raise ValueError(f"sla is missing severities: {', '.join(missing)}")
        fractions = self.warning_fractions
        if any(not 0 < f < 1 for f in fractions) or fractions != sorted(set(fractions)):
            raise ValueError("warning_fractions must be strictly ascending and between 0 and 1")
        amounts = [step.above for step in self.compensation_approval]
        if amounts != sorted(set(amounts)):
            raise ValueError("compensation_approval thresholds must be strictly ascending")
        return self

    def window(self, severity: Severity, tier: int | None) -> SlaWindow:
        """The SLA window for a severity, tightened for the customer's tier where defined."""
        return self.tier_overrides.get(tier or 0, {}).get(severity) or self.sla[severity]
