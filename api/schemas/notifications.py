"""HTTP schemas of notifications: the feed, delivery records (ops) and a person's preferences."""

from __future__ import annotations

from datetime import datetime
from typing import Any, Literal

from pydantic import BaseModel, ConfigDict, Field, field_validator

from definitions.notifications import CHANNELS, Channel, Language, parse_hhmm


class NotificationOut(BaseModel):
    """One notification in the person's feed."""

    model_config = ConfigDict(from_attributes=True)

    id: int
    kind: str
    subject: str
    entity_type: str
    entity_id: str
    link: str  # the page of its subject (complaint, task, customer)
    created_at: datetime
    read_at: datetime | None
    details: dict[str, Any] | None


class NotificationPage(BaseModel):
    """One page of the feed (unread first), the cursor of the next page and the unread count."""

    items: list[NotificationOut]
    next_cursor: str | None
    unread: int


class ReadAllOut(BaseModel):
    marked: int
    unread: int


class DeliveryOut(BaseModel):
    """A delivery record: one channel of one notification."""

    id: int
    notification_id: int
    recipient_id: int | None
    kind: str
    subject: str
    channel: str
    status: str
    target: str | None
    message_id: str
    attempts: int
    uncertain_resends: int
    manual_retries: int
    last_error: str | None
    delivered_at: datetime | None
    failed_at: datetime | None
    hold_until: datetime | None
    created_at: datetime
    updated_at: datetime


class DeliveryPageOut(BaseModel):
    items: list[DeliveryOut]
    next_cursor: str | None
    counts: dict[str, int]  # every delivery record by status


class RetryOut(BaseModel):
    delivery: DeliveryOut
    workflow_id: str


class QuietHours(BaseModel):
    """Quiet hours in the person's timezone, e.g. 22:00 → 08:00 (may span midnight)."""

    model_config = ConfigDict(extra="forbid")

    start: str = Field(examples=["22:00"])
    end: str = Field(examples=["08:00"])

    @field_validator("start", "end")
    @classmethod
    def _hhmm(cls, value: str) -> str:
        parse_hhmm(value)
        return value.strip()


class PersonalWebhook(BaseModel):
    """The person's own chat robot (group robot URL) or generic receiver (signed with the server's secret)."""

    model_config = ConfigDict(extra="forbid")

    url: str = Field(max_length=500)
    format: Literal["generic", "wecom", "dingtalk", "feishu"] = "generic"

    @field_validator("url")
    @classmethod
    def _http(cls, value: str) -> str:
        if not value.startswith(("https://", "http://")):
            raise ValueError("url must be an http(s) URL")
        return value


class PreferencesIn(BaseModel):
    """PUT /v1/me/preferences: the whole preference document (left-out fields go back to the defaults)."""

    model_config = ConfigDict(extra="forbid")

    language: Language | None = None
    timezone: str | None = Field(default=None, max_length=64, examples=["Asia/Shanghai"])
    channels: dict[str, list[Channel]] = Field(
        default_factory=dict, description="kind (or '*' for every kind) → channels; in_app is always on"
    )
    quiet_hours: QuietHours | None = None
    webhook: PersonalWebhook | None = None
    webhook_endpoint: str | None = Field(default=None, max_length=64, description="a named endpoint (settings)")

    @field_validator("timezone")
    @classmethod
    def _zone(cls, value: str | None) -> str | None:
        if value is None:
            return None
        from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

        try:
            ZoneInfo(value)
        except (ZoneInfoNotFoundError, ValueError):
            raise ValueError(f"unknown timezone {value!r} (use an IANA name such as Asia/Shanghai)") from None
        return value


class PreferencesOut(BaseModel):
    """A person's preferences and what is in force for them (defaults filled in)."""

    staff_id: int
    language: Language
    timezone: str
    channels: dict[str, list[str]]  # the person's own choices
    effective_channels: dict[str, list[str]]  # per known kind, with the definition's defaults
    default_channels: list[str]
    quiet_hours: QuietHours | None
    never_held: list[str]  # kinds quiet hours never hold (some only for critical complaints)
    webhook: PersonalWebhook | None
    webhook_endpoint: str | None
    available_channels: list[str] = Field(default_factory=lambda: list(CHANNELS))
    available_endpoints: list[str] = Field(default_factory=list)
