"""Approval requests (DESIGN §3.10): one row per run of a flow, written by the approval workflow's activities."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from sqlalchemy import JSON, ForeignKey, String, Text
from sqlalchemy.orm import Mapped, mapped_column

from db.models.base import Base, Timestamped


class ApprovalRequest(Timestamped, Base):
    """A request on a flow: who filed it, about what, the pinned flow version and where it stands."""

    __tablename__ = "approval_requests"

    id: Mapped[str] = mapped_column(String(36), primary_key=True)
    workflow_id: Mapped[str] = mapped_column(String(200), unique=True)
    flow: Mapped[str] = mapped_column(String(64), index=True)
    flow_version: Mapped[int]
    flow_hash: Mapped[str] = mapped_column(String(64))
    title: Mapped[str] = mapped_column(String(300))
    requester_id: Mapped[int | None] = mapped_column(ForeignKey("staff.id"), index=True)
    requester_label: Mapped[str] = mapped_column(String(200))
    customer_id: Mapped[int | None] = mapped_column(ForeignKey("customers.id"), index=True)
    subject_type: Mapped[str] = mapped_column(String(16), default="none")
    subject_id: Mapped[str | None] = mapped_column(String(64))
    fields: Mapped[dict[str, Any]] = mapped_column(JSON)
    status: Mapped[str] = mapped_column(String(16), index=True)
    current_step: Mapped[str | None] = mapped_column(String(64))
    state: Mapped[dict[str, Any] | None] = mapped_column(JSON)  # the workflow's last ApprovalState
    outcome_reason: Mapped[str | None] = mapped_column(Text)
    decided_at: Mapped[datetime | None]
