"""HTTP schemas of tier re-evaluation."""

from __future__ import annotations

from typing import Literal

from pydantic import BaseModel

Outcome = Literal["tier_change_started", "no_change", "cooldown", "already_pending"]


class TierReevaluationOut(BaseModel):
    """202 answer of POST /v1/customers/{id}/tier-reevaluations."""

    customer_id: int
    outcome: Outcome
    score: float | None
    current_tier: int
    target_tier: int
    cooldown_until: str | None = None
    process_id: str  # the evaluation's workflow id
    tier_change_process_id: str | None = None  # the tier change it started (or the one already running)
