"""The notifications definition (DESIGN §3.7): channels per kind, what quiet hours never hold, retry bounds.

Also the workflow contracts of notification delivery (sandbox-safe pydantic models).
"""

from __future__ import annotations

import re
from datetime import UTC, datetime, time, timedelta, tzinfo
from typing import Literal

from pydantic import BaseModel, Field, field_validator, model_validator

from definitions.base import DefinitionMeta, DefinitionProblem, Duration, StrictModel

Channel = Literal["in_app", "email", "webhook"]


def _default_channels() -> list[Channel]:
    """The channels a kind goes out on unless the definition names others."""
    return ["in_app", "email"]


CHANNELS: tuple[Channel, ...] = ("in_app", "email", "webhook")
Language = Literal["zh-CN", "en"]
LANGUAGES: tuple[Language, ...] = ("zh-CN", "en")
_HHMM = re.compile(r"^([01]\d|2[0-3]):([0-5]\d)(?::([0-5]\d))?$")


def parse_hhmm(value: str) -> time:
    """ "22:00" (or "22:00:30") → a time of day; a clear error otherwise."""
    match = _HHMM.match(value.strip()) if isinstance(value, str) else None
    if match is None:
        raise ValueError(f"{value!r} is not a time of day (use HH:MM, e.g. 22:00)")
    return time(int(match.group(1)), int(match.group(2)), int(match.group(3) or 0))


class DeliveryRetry(StrictModel):
    """How long a channel that is down is retried, and how fast, before the delivery is `failed`."""

    initial_interval: Duration = timedelta(seconds=2)
    backoff: float = Field(default=2.0, ge=1.0, le=10.0)
    maximum_interval: Duration = timedelta(minutes=5)
    give_up_after: Duration = timedelta(hours=1)
    send_timeout: Duration = timedelta(seconds=30)  # one attempt (connect, send, answer)

    @model_validator(mode="after")
    def _bounds(self) -> DeliveryRetry:
        if self.maximum_interval < self.initial_interval:
            raise DefinitionProblem("maximum_interval", "maximum_interval must not be shorter than initial_interval")
        if self.give_up_after < self.initial_interval:
            raise DefinitionProblem("give_up_after", "give_up_after must not be shorter than initial_interval")
        return self


class NotificationsDefinition(DefinitionMeta):
    """Default channels (per kind), urgent kinds that quiet hours never hold, delivery retry bounds."""

    process: Literal["notifications"] = "notifications"
    default_language: Language = "zh-CN"
    default_channels: list[Channel] = Field(default_factory=_default_channels)
    channels: dict[str, list[Channel]] = Field(default_factory=dict)  # kind → channels
    # Never held by quiet hours, whatever the severity.
    urgent_kinds: list[str] = Field(default_factory=list)
    # Never held when the complaint they are about is critical (escalations, director alerts).
    urgent_if_critical: list[str] = Field(default_factory=list)
    retry: DeliveryRetry = Field(default_factory=DeliveryRetry)

    @field_validator("default_channels")
    @classmethod
    def _distinct(cls, value: list[Channel]) -> list[Channel]:
        if len(set(value)) != len(value):
            raise ValueError("default_channels lists a channel twice")
        return value

    def channels_for(self, kind: str) -> list[Channel]:
        """The definition's channels for a kind (a person's preferences may override them)."""
        return list(self.channels.get(kind, self.default_channels))

    def is_urgent(self, kind: str, severity: str | None) -> bool:
        """Whether quiet hours must let this notification through at once."""
        return kind in self.urgent_kinds or (kind in self.urgent_if_critical and severity == "critical")


# ---- workflow contracts ------------------------------------------------------------------------------


class DeliveryStart(BaseModel):
    """Deliver one notification (all its channels, or only the given deliveries: an ops retry)."""

    notification_id: int
    only_delivery_ids: list[int] = Field(default_factory=list)


class RetryPlan(BaseModel):
    initial_interval: timedelta
    backoff: float
    maximum_interval: timedelta
    give_up_after: timedelta
    send_timeout: timedelta


class ChannelPlan(BaseModel):
    """One delivery to make: at once, or (held by quiet hours) in the digest at `hold_until`."""

    delivery_id: int
    channel: Channel
    hold_until: datetime | None = None


class PlanInput(BaseModel):
    notification_id: int
    now: datetime  # the workflow's clock: quiet hours are judged at the time the workflow runs
    only_delivery_ids: list[int] = Field(default_factory=list)


class DeliveryPlan(BaseModel):
    deliveries: list[ChannelPlan] = Field(default_factory=list)
    retry: RetryPlan


class DeliverInput(BaseModel):
    delivery_id: int


class DeliverResult(BaseModel):
    delivery_id: int
    status: str
    sent: bool = False  # False: it was already delivered (or another delivery's digest carries it)


class MarkFailedInput(BaseModel):
    delivery_id: int
    error: str


class DeliveryOutcome(BaseModel):
    notification_id: int
    statuses: dict[int, str] = Field(default_factory=dict)  # delivery id → final status


def quiet_release(now: datetime, tz: tzinfo, start: time | None, end: time | None) -> datetime | None:
    """When quiet hours [start, end) in `tz` that contain `now` end (UTC); None when `now` is not in them."""
    if start is None or end is None or start == end:
        return None
    local = now.astimezone(tz)
    moment = local.time().replace(tzinfo=None)
    inside = start <= moment < end if start < end else (moment >= start or moment < end)
    if not inside:
        return None
    day = local.date() if (start < end or moment < end) else local.date() + timedelta(days=1)
    return datetime.combine(day, end, tzinfo=tz).astimezone(UTC)
