"""Quarterly review cycles and the account reviews inside them."""

from __future__ import annotations

from datetime import date, datetime
from typing import Any

from sqlalchemy import JSON, ForeignKey, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column

from db.models.base import Base, Timestamped


class ReviewCycle(Timestamped, Base):
    """One review cycle per period (e.g. 2026Q3) and scope (company, or one director's subtree); `summary` rolls up teams."""

    __tablename__ = "review_cycles"

    id: Mapped[int] = mapped_column(primary_key=True)
    period: Mapped[str] = mapped_column(String(16), index=True)
    scope_staff_id: Mapped[int | None]  # None: the whole company; else the director whose subtree it covers
    status: Mapped[str] = mapped_column(String(16), default="running", index=True)
    workflow_id: Mapped[str] = mapped_column(String(200), unique=True)
    period_start: Mapped[datetime]
    period_end: Mapped[datetime]
    started_by: Mapped[str] = mapped_column(String(200), default="schedule")
    manager_count: Mapped[int] = mapped_column(default=0)
    definition_version: Mapped[str | None] = mapped_column(String(64))
    summary: Mapped[dict[str, Any] | None] = mapped_column(JSON)
    completed_at: Mapped[datetime | None]


class Review(Timestamped, Base):
    """One manager's review for a period: KPIs, self-assessment, supervisor decision."""

    __tablename__ = "reviews"
    __table_args__ = (UniqueConstraint("cycle_id", "manager_id"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    cycle_id: Mapped[int] = mapped_column(ForeignKey("review_cycles.id"), index=True)
    period: Mapped[str] = mapped_column(String(16), index=True)
    manager_id: Mapped[int] = mapped_column(ForeignKey("staff.id"), index=True)
    supervisor_id: Mapped[int | None] = mapped_column(ForeignKey("staff.id"), index=True)
    workflow_id: Mapped[str] = mapped_column(String(200), unique=True)
    status: Mapped[str] = mapped_column(String(24), default="open", index=True)
    stage: Mapped[str] = mapped_column(String(32), default="kpis")
    kpis: Mapped[dict[str, Any] | None] = mapped_column(JSON)
    at_risk_customer_ids: Mapped[list[int] | None] = mapped_column(JSON)
    self_assessment: Mapped[dict[str, Any] | None] = mapped_column(JSON)
    rework_rounds: Mapped[int] = mapped_column(default=0)
    rating: Mapped[int | None]
    decided_by: Mapped[int | None] = mapped_column(ForeignKey("staff.id"))
    comment: Mapped[str | None] = mapped_column(Text)
    completed_at: Mapped[datetime | None]


class ReviewPlanItem(Timestamped, Base):
    """One item (1–3 per review) of the improvement plan a supervisor added when approving a review: a KPI
    catalogue metric from a baseline to a target by a due date; reminded before, measured when due."""

    __tablename__ = "review_plan_items"
    __table_args__ = (UniqueConstraint("review_id", "position"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    review_id: Mapped[int] = mapped_column(ForeignKey("reviews.id"), index=True)
    position: Mapped[int]  # 1–3, the order the supervisor gave
    manager_id: Mapped[int] = mapped_column(ForeignKey("staff.id"), index=True)
    metric: Mapped[str] = mapped_column(String(64))  # a key of the KPI catalogue
    baseline: Mapped[float]
    target: Mapped[float]
    due_on: Mapped[date]
    status: Mapped[str] = mapped_column(String(16), default="open")  # open, met, missed
    measured_value: Mapped[float | None]
    measured_at: Mapped[datetime | None]
    reminded_at: Mapped[datetime | None]
