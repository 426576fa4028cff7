"""Notification deliveries (one per notification and channel) and each person's notification preferences."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from sqlalchemy import JSON, ForeignKey, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column

from db.models.base import Base, Timestamped


class DeliveryStatus:
    """The states of a delivery."""

    PENDING = "pending"
    SENDING = "sending"  # committed right before the send: a crash leaves this, and the retry knows it resends
    DELIVERED = "delivered"
    FAILED = "failed"
    HELD = "held"  # quiet hours: goes out in the digest at hold_until

    ALL = ("pending", "sending", "delivered", "failed", "held")


class NotificationDelivery(Timestamped, Base):
    """One channel's delivery of one notification: attempts, last error, when it arrived, its Message-ID."""

    __tablename__ = "notification_deliveries"
    __table_args__ = (UniqueConstraint("notification_id", "channel"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    notification_id: Mapped[int] = mapped_column(ForeignKey("notifications.id"), index=True)
    recipient_id: Mapped[int | None] = mapped_column(ForeignKey("staff.id"), index=True)
    channel: Mapped[str] = mapped_column(String(32))
    status: Mapped[str] = mapped_column(String(16), index=True, default=DeliveryStatus.PENDING)
    # Stable across retries: the Message-ID header of an email, the Idempotency-Key header of a webhook.
    message_id: Mapped[str] = mapped_column(String(255))
    target: Mapped[str | None] = mapped_column(String(500))  # address or endpoint name (never a secret)
    attempts: Mapped[int] = mapped_column(default=0)
    # Sends repeated after a crash left the delivery "sending" (the receiver may have had it once already).
    uncertain_resends: Mapped[int] = mapped_column(default=0)
    last_error: Mapped[str | None] = mapped_column(Text)
    delivered_at: Mapped[datetime | None]
    failed_at: Mapped[datetime | None]
    hold_until: Mapped[datetime | None]
    digest_key: Mapped[str | None] = mapped_column(String(200), index=True)
    digest_leader_id: Mapped[int | None]
    manual_retries: Mapped[int] = mapped_column(default=0)


class NotificationPreference(Timestamped, Base):
    """A person's language, timezone, channels per kind, quiet hours and own chat webhook."""

    __tablename__ = "notification_preferences"

    staff_id: Mapped[int] = mapped_column(ForeignKey("staff.id"), primary_key=True)
    language: Mapped[str | None] = mapped_column(String(8))
    timezone: Mapped[str | None] = mapped_column(String(64))
    channels: Mapped[dict[str, Any] | None] = mapped_column(JSON)  # kind → list of channels
    quiet_start: Mapped[str | None] = mapped_column(String(8))  # "22:00", in `timezone`
    quiet_end: Mapped[str | None] = mapped_column(String(8))
    webhook_url: Mapped[str | None] = mapped_column(String(500))
    webhook_format: Mapped[str | None] = mapped_column(String(16))
    webhook_endpoint: Mapped[str | None] = mapped_column(String(64))  # a named endpoint from settings
