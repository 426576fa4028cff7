"""Complaints: the row the complaint process keeps its stage and SLA outcomes in."""

from __future__ import annotations

from datetime import datetime
from decimal import Decimal

from sqlalchemy import ForeignKey, Numeric, String, Text
from sqlalchemy.orm import Mapped, mapped_column

from db.models.base import Base, Timestamped


class Complaint(Timestamped, Base):
    """A customer complaint; written only by the complaint process's activities."""

    __tablename__ = "complaints"

    # A UUID string the API derives (uuid5 of principal + Idempotency-Key, else uuid4): the
    # workflow id `complaint-<id>` is known before the row exists, so retries cannot fork a process.
    id: Mapped[str] = mapped_column(String(36), primary_key=True)
    customer_id: Mapped[int] = mapped_column(ForeignKey("customers.id"), index=True)
    severity: Mapped[str] = mapped_column(String(16), index=True)
    category: Mapped[str] = mapped_column(String(64))
    description: Mapped[str] = mapped_column(Text)
    channel: Mapped[str] = mapped_column(String(32))
    status: Mapped[str] = mapped_column(String(32), index=True, default="open")
    owner_id: Mapped[int | None] = mapped_column(ForeignKey("staff.id"), index=True)
    escalation_level: Mapped[int] = mapped_column(default=0)
    respond_by: Mapped[datetime | None]
    resolve_by: Mapped[datetime | None]
    # The first window's deadlines; respond_by / resolve_by above move to each escalation's new window.
    original_respond_by: Mapped[datetime | None]
    original_resolve_by: Mapped[datetime | None]
    acknowledged_at: Mapped[datetime | None]
    resolved_at: Mapped[datetime | None]
    closed_at: Mapped[datetime | None]
    resolution: Mapped[str | None] = mapped_column(Text)
    compensation_amount: Mapped[Decimal | None] = mapped_column(Numeric(16, 2))
    sla_response_met: Mapped[bool | None]
    sla_resolution_met: Mapped[bool | None]
    response_seconds: Mapped[float | None]
    resolution_seconds: Mapped[float | None]
    paused_seconds: Mapped[float] = mapped_column(default=0)
    satisfaction: Mapped[int | None]
    reopen_count: Mapped[int] = mapped_column(default=0)
    close_reason: Mapped[str | None] = mapped_column(String(32))
    process_id: Mapped[str | None] = mapped_column(String(200))
    definition_version: Mapped[str | None] = mapped_column(String(64))
