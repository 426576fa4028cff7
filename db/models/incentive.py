"""Incentive awards (DESIGN §3.8): one award per manager and period, itemised line by line."""

from __future__ import annotations

from datetime import datetime
from decimal import Decimal

from sqlalchemy import ForeignKey, Numeric, String, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column

from db.models.base import Base, Timestamped


class IncentiveAward(Timestamped, Base):
    """A manager's award for a period, with the rule version (version:content hash) that produced it."""

    __tablename__ = "incentive_awards"
    __table_args__ = (UniqueConstraint("period", "manager_id"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    period: Mapped[str] = mapped_column(String(16), index=True)
    manager_id: Mapped[int] = mapped_column(ForeignKey("staff.id"), index=True)
    supervisor_id: Mapped[int | None] = mapped_column(ForeignKey("staff.id"))  # the team at computation time
    rule_version: Mapped[str] = mapped_column(String(80))
    total_points: Mapped[float]
    amount: Mapped[Decimal] = mapped_column(Numeric(16, 2))
    currency: Mapped[str] = mapped_column(String(3))
    gated: Mapped[bool] = mapped_column(default=False)  # a failed gate took the bonus away
    computed_at: Mapped[datetime]
    computed_by: Mapped[str] = mapped_column(String(200))
    appeal_id: Mapped[str | None] = mapped_column(ForeignKey("approval_requests.id"))


class IncentiveAwardLine(Base):
    """One line of an award: a metric's band and points, a gate, or the cap; the points add up to the total."""

    __tablename__ = "incentive_award_lines"
    __table_args__ = (UniqueConstraint("award_id", "line_no"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    award_id: Mapped[int] = mapped_column(ForeignKey("incentive_awards.id", ondelete="CASCADE"), index=True)
    line_no: Mapped[int]
    kind: Mapped[str] = mapped_column(String(8))
    metric: Mapped[str | None] = mapped_column(String(40))
    target: Mapped[float | None]
    actual: Mapped[float | None]
    attainment: Mapped[float | None]
    band_from: Mapped[float | None]
    band_points: Mapped[float | None]
    weight: Mapped[float | None]
    points: Mapped[float]
    note: Mapped[str] = mapped_column(String(200), default="")
