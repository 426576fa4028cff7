"""Customers, their transactions and follow-ups."""

from __future__ import annotations

from datetime import date, datetime
from decimal import Decimal
from enum import StrEnum

from sqlalchemy import ForeignKey, Numeric, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column

from db.models.base import Base, Timestamped, utcnow


class CustomerStatus(StrEnum):
    PENDING = "pending"
    ACTIVE = "active"
    REJECTED = "rejected"
    POOL = "pool"


class Customer(Timestamped, Base):
    """A customer; `owner_id` is the account manager holding it (None while in the pool)."""

    __tablename__ = "customers"
    __table_args__ = (UniqueConstraint("name", "region"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    name: Mapped[str] = mapped_column(String(200))
    external_ref: Mapped[str | None] = mapped_column(String(128), unique=True)
    region: Mapped[str] = mapped_column(String(64), default="")
    industry: Mapped[str] = mapped_column(String(64), default="")
    declared_annual_value: Mapped[Decimal] = mapped_column(Numeric(16, 2), default=0)
    tier: Mapped[int] = mapped_column(default=2)
    status: Mapped[str] = mapped_column(String(16), default=CustomerStatus.ACTIVE, index=True)
    owner_id: Mapped[int | None] = mapped_column(ForeignKey("staff.id"), index=True)
    previous_owner_id: Mapped[int | None] = mapped_column(ForeignKey("staff.id"))
    owner_assigned_at: Mapped[datetime | None]
    last_follow_up_at: Mapped[datetime | None]
    reclaimed_at: Mapped[datetime | None]
    tier_cooldown_until: Mapped[datetime | None]
    score: Mapped[float | None]


class Transaction(Base):
    """A deal or payment of a customer (feeds tier scoring)."""

    __tablename__ = "transactions"

    id: Mapped[int] = mapped_column(primary_key=True)
    customer_id: Mapped[int] = mapped_column(ForeignKey("customers.id"), index=True)
    amount: Mapped[Decimal] = mapped_column(Numeric(16, 2))
    occurred_on: Mapped[date]
    external_ref: Mapped[str | None] = mapped_column(String(128), unique=True)
    created_at: Mapped[datetime] = mapped_column(default=utcnow)


class FollowUp(Base):
    """A contact with a customer (resets the reclaim clock)."""

    __tablename__ = "follow_ups"

    id: Mapped[int] = mapped_column(primary_key=True)
    customer_id: Mapped[int] = mapped_column(ForeignKey("customers.id"), index=True)
    staff_id: Mapped[int | None] = mapped_column(ForeignKey("staff.id"))
    channel: Mapped[str] = mapped_column(String(32))
    note: Mapped[str] = mapped_column(Text, default="")
    occurred_at: Mapped[datetime] = mapped_column(default=utcnow)
