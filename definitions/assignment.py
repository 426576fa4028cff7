"""The assignment rule shared by onboarding and tier changes (DESIGN §3.2 step 3): pure, sandbox-safe."""

from __future__ import annotations

from collections.abc import Collection, Iterable
from datetime import datetime
from fractions import Fraction

from pydantic import BaseModel, ConfigDict, Field

LEVEL_FOR_TIER: dict[int, str] = {1: "account_manager_l1", 2: "account_manager_l2"}


class Candidate(BaseModel):
    """A manager who might take a customer, with the number of customers they hold now."""

    model_config = ConfigDict(frozen=True)

    staff_id: int
    role: str
    region: str = ""
    capacity: int = Field(ge=0)
    load: int = Field(default=0, ge=0)
    active: bool = True
    out_of_office_until: datetime | None = None
    last_assigned_at: datetime | None = None


def level_for_tier(tier: int) -> str:
    """The staff role that holds customers of a tier (tier 1 → L1, anything else → L2)."""
    return LEVEL_FOR_TIER.get(tier, LEVEL_FOR_TIER[2])


def is_available(candidate: Candidate, *, level: str, now: datetime) -> bool:
    """Right level, active, not out of office at `now`, and below capacity."""
    return (
        candidate.role == level
        and candidate.active
        and (candidate.out_of_office_until is None or candidate.out_of_office_until <= now)
        and candidate.load < candidate.capacity
    )


def choose_manager(
    candidates: Iterable[Candidate],
    *,
    tier: int,
    region: str,
    now: datetime,
    exclude: Collection[int] = (),
) -> int | None:
    """The staff id to assign a customer of `tier` in `region` to, or None when nobody is available.

    Order: same region first, then lowest load relative to capacity, then the least recently
    assigned (never assigned first), then the lowest id so the choice is reproducible.
    """
    level = level_for_tier(tier)
    available = [c for c in candidates if c.staff_id not in exclude and is_available(c, level=level, now=now)]
    if not available:
        return None

    def rank(c: Candidate) -> tuple[bool, Fraction, bool, float, int]:
        # Fraction keeps 1/3 vs 2/6 exactly equal so the tie-break, not float noise, decides.
        assigned_at = c.last_assigned_at
        return (
            c.region != region,
            Fraction(c.load, c.capacity),
            assigned_at is not None,
            assigned_at.timestamp() if assigned_at is not None else 0.0,
            c.staff_id,
        )

    return min(available, key=rank).staff_id
