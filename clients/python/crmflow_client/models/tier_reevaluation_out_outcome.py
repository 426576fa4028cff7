from enum import StrEnum


class TierReevaluationOutOutcome(StrEnum):
    ALREADY_PENDING = "already_pending"
    COOLDOWN = "cooldown"
    NO_CHANGE = "no_change"
    TIER_CHANGE_STARTED = "tier_change_started"

    def __str__(self) -> str:
        return str(self.value)
