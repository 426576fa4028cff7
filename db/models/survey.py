"""Customer surveys (DESIGN §3.9): each customer's contact and one invitation row per customer and wave."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from sqlalchemy import JSON, ForeignKey, Index, String, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column

from db.models.base import Base, Timestamped


class CustomerContact(Timestamped, Base):
    """The person at a customer who answers surveys: name, email and the language they read."""

    __tablename__ = "customer_contacts"

    customer_id: Mapped[int] = mapped_column(ForeignKey("customers.id"), primary_key=True)
    name: Mapped[str] = mapped_column(String(200), default="")
    email: Mapped[str | None] = mapped_column(String(320))
    language: Mapped[str] = mapped_column(String(8), default="zh-CN")


class SurveyStatus:
    """The states of an invitation."""

    PENDING = "pending"  # picked by a wave, its process not yet sent the invitation
    INVITED = "invited"
    ANSWERED = "answered"
    EXPIRED = "expired"
    NOT_SENT = "not_sent"  # the contact had no address when the process came to invite

    OPEN = ("pending", "invited")


class SurveyInvitation(Timestamped, Base):
    """One customer's survey of one wave: whom it went to, when, the answers and any recovery."""

    __tablename__ = "survey_invitations"
    __table_args__ = (
        UniqueConstraint("customer_id", "wave_id"),
        # The wave's "surveyed within N days" test reads the latest invitation per customer.
        Index("ix_survey_invitations_customer_id_created_at", "customer_id", "created_at"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    customer_id: Mapped[int] = mapped_column(ForeignKey("customers.id"))
    wave_id: Mapped[str] = mapped_column(String(100))
    trigger: Mapped[str] = mapped_column(String(16))  # cadence | complaint | manual
    workflow_id: Mapped[str] = mapped_column(String(200), unique=True)
    owner_id: Mapped[int | None] = mapped_column(ForeignKey("staff.id"), index=True)  # owner when invited
    status: Mapped[str] = mapped_column(String(16), index=True, default=SurveyStatus.PENDING)
    language: Mapped[str] = mapped_column(String(8), default="zh-CN")
    email: Mapped[str | None] = mapped_column(String(320))
    definition_version: Mapped[int] = mapped_column(default=1)
    definition_hash: Mapped[str] = mapped_column(String(64), default="")
    invited_at: Mapped[datetime | None]
    expires_at: Mapped[datetime | None]
    reminders_sent: Mapped[int] = mapped_column(default=0)
    answered_at: Mapped[datetime | None] = mapped_column(index=True)
    answers: Mapped[dict[str, Any] | None] = mapped_column(JSON)
    csat: Mapped[int | None]
    nps: Mapped[int | None]
    score: Mapped[float | None]  # CSAT as 0..1: what tier scoring reads
    recovery_status: Mapped[str | None] = mapped_column(String(16))  # open | completed | expired | cancelled
    recovery_actions: Mapped[str | None] = mapped_column(String(4000))
    recovery_closed_at: Mapped[datetime | None]
    resurvey_after: Mapped[datetime | None]  # a closed recovery lifts the N-days rule from then on
