"""Tier proposals of scoring cycles, reclaim warnings and claims from the public pool."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import ForeignKey, Index, String, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column

from db.models.base import Base, utcnow


class TierProposal(Base):
    """A customer whose tier should move, found by a scoring cycle; its tier change updates the status."""

    __tablename__ = "tier_proposals"
    __table_args__ = (
        UniqueConstraint("cycle_id", "customer_id"),
        Index("ix_tier_proposals_customer_id_status", "customer_id", "status"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    cycle_id: Mapped[str] = mapped_column(String(100))
    customer_id: Mapped[int] = mapped_column(ForeignKey("customers.id"))
    from_tier: Mapped[int]
    to_tier: Mapped[int]
    score: Mapped[float]
    # proposed → pending (tier change running) → applied | rejected | expired | skipped
    status: Mapped[str] = mapped_column(String(16), default="proposed")
    workflow_id: Mapped[str | None] = mapped_column(String(200))
    decided_by: Mapped[int | None] = mapped_column(ForeignKey("staff.id"))
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    updated_at: Mapped[datetime] = mapped_column(default=utcnow, onupdate=utcnow)


class ReclaimWarning(Base):
    """A warning sent to an owner before a customer lapses; unique per customer and clock start."""

    __tablename__ = "reclaim_warnings"
    __table_args__ = (UniqueConstraint("customer_id", "clock_started_at", "lapse_days"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    customer_id: Mapped[int] = mapped_column(ForeignKey("customers.id"), index=True)
    owner_id: Mapped[int | None] = mapped_column(ForeignKey("staff.id"))
    tier: Mapped[int]
    clock_started_at: Mapped[datetime]
    lapse_days: Mapped[int]
    run_key: Mapped[str] = mapped_column(String(300), index=True)
    created_at: Mapped[datetime] = mapped_column(default=utcnow)


class PoolClaim(Base):
    """A manager took a customer from the public pool (claims-per-day cap counts these)."""

    __tablename__ = "pool_claims"
    __table_args__ = (Index("ix_pool_claims_staff_id_claimed_at", "staff_id", "claimed_at"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    customer_id: Mapped[int] = mapped_column(ForeignKey("customers.id"), index=True)
    staff_id: Mapped[int] = mapped_column(ForeignKey("staff.id"))
    claimed_by: Mapped[str] = mapped_column(String(200))
    claimed_at: Mapped[datetime] = mapped_column(default=utcnow)
