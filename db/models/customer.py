"""Customers, their transactions and follow-ups."""

from __future__ import annotations

from datetime import date, datetime
from decimal import Decimal
from enum import StrEnum

from sqlalchemy import ForeignKey, Index, Numeric, String, Text, UniqueConstraint, func, text
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
    __table_args__ = (
        UniqueConstraint("name", "region"),
        # 0004: dedupe ignores case, so two concurrent POSTs of "ACME" and "Acme" cannot both land.
        Index("uq_customers_lower_name_region", func.lower(text("name")), "region", unique=True),
        # 0015: a manager's (or a team's) overdue and upcoming contacts, soonest first, straight from the index.
        Index("ix_customers_owner_id_next_contact_at", "owner_id", "next_contact_at"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    name: Mapped[str] = mapped_column(String(200))
    external_ref: Mapped[str | None] = mapped_column(String(128), unique=True)
    region: Mapped[str] = mapped_column(String(64), default="")
    industry: Mapped[str] = mapped_column(String(64), default="")
    declared_annual_value: Mapped[Decimal] = mapped_column(Numeric(16, 2), default=0)
    tier: Mapped[int] = mapped_column(default=2, index=True)
    status: Mapped[str] = mapped_column(String(16), default=CustomerStatus.ACTIVE, index=True)
    owner_id: Mapped[int | None] = mapped_column(ForeignKey("staff.id"), index=True)
    previous_owner_id: Mapped[int | None] = mapped_column(ForeignKey("staff.id"))
    owner_assigned_at: Mapped[datetime | None]
    last_follow_up_at: Mapped[datetime | None]
    reclaimed_at: Mapped[datetime | None]
    tier_cooldown_until: Mapped[datetime | None]
    score: Mapped[float | None]
    # 0004 (onboarding): when the onboarding process activated the customer, and why it ended as it did.
    activated_at: Mapped[datetime | None]
    status_reason: Mapped[str | None] = mapped_column(String(300))
    process_id: Mapped[str | None] = mapped_column(String(200))  # the onboarding workflow id
    # 0015 (contact cadence): when the owner should next contact the customer (clock start + the tier's rhythm);
    # None while nobody holds it. Reminders, the overdue lists and the reclaim all count from this one date.
    next_contact_at: Mapped[datetime | None] = mapped_column(index=True)


class Transaction(Base):
    """A deal or payment of a customer (feeds tier scoring)."""

    __tablename__ = "transactions"
    # Created by migration 0005 (tiering): scoring reads a chunk's transactions by customer and date window;
    # with the amount in the index PostgreSQL answers it from the index alone.
    __table_args__ = (Index("ix_transactions_customer_id_occurred_on_amount", "customer_id", "occurred_on", "amount"),)

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


class ContactReminder(Base):
    """A reminder sent to an owner before a customer's next-contact date; unique per customer and date."""

    __tablename__ = "contact_reminders"
    __table_args__ = (UniqueConstraint("customer_id", "due_at"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    customer_id: Mapped[int] = mapped_column(ForeignKey("customers.id"), index=True)
    owner_id: Mapped[int | None] = mapped_column(ForeignKey("staff.id"))
    due_at: Mapped[datetime]
    run_key: Mapped[str] = mapped_column(String(300), index=True)
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
