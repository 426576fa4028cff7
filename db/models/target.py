"""Targets per person and period (DESIGN §3.8): the negotiated versions, daily progress and check-ins."""

from __future__ import annotations

from datetime import date, datetime
from typing import Any

from sqlalchemy import JSON, ForeignKey, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column

from db.models.base import Base, Timestamped, utcnow


class TargetSet(Timestamped, Base):
    """One account manager's targets for one period; written only by the `target-<period>-<staff>` process."""

    __tablename__ = "target_sets"
    __table_args__ = (UniqueConstraint("period", "staff_id"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    period: Mapped[str] = mapped_column(String(16), index=True)
    staff_id: Mapped[int] = mapped_column(ForeignKey("staff.id"), index=True)
    supervisor_id: Mapped[int | None] = mapped_column(ForeignKey("staff.id"), index=True)
    director_id: Mapped[int | None] = mapped_column(ForeignKey("staff.id"))
    workflow_id: Mapped[str] = mapped_column(String(200), unique=True)
    # negotiating → (director →) agreed → closed; lapsed when nobody set anything
    status: Mapped[str] = mapped_column(String(16), default="negotiating", index=True)
    turn: Mapped[str | None] = mapped_column(String(16))  # who acts next while negotiating: supervisor | manager
    metrics: Mapped[list[str]] = mapped_column(JSON)  # the definition's metric keys
    counter_rounds: Mapped[int] = mapped_column(default=0)
    current_version: Mapped[int] = mapped_column(default=0)
    agreed_version: Mapped[int | None]
    agreed_values: Mapped[dict[str, Any] | None] = mapped_column(JSON)  # the pinned values in force
    period_start: Mapped[datetime]
    period_end: Mapped[datetime]
    deadline_at: Mapped[datetime | None]
    agreed_at: Mapped[datetime | None]
    closed_at: Mapped[datetime | None]
    definition_version: Mapped[str | None] = mapped_column(String(64))


class TargetVersion(Base):
    """One version of a target set's values: a proposal, a counter-proposal, a director's decision or a change."""

    __tablename__ = "target_versions"
    __table_args__ = (UniqueConstraint("target_set_id", "version"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    target_set_id: Mapped[int] = mapped_column(ForeignKey("target_sets.id"), index=True)
    version: Mapped[int]
    kind: Mapped[str] = mapped_column(String(16))  # proposal | counter | director | fallback | change
    values: Mapped[dict[str, Any]] = mapped_column(JSON)
    author_id: Mapped[int | None] = mapped_column(ForeignKey("staff.id"))
    actor: Mapped[str] = mapped_column(String(200))
    reason: Mapped[str | None] = mapped_column(Text)
    status: Mapped[str] = mapped_column(String(16))  # open | agreed | superseded | pending | rejected
    approval_id: Mapped[str | None] = mapped_column(String(36))
    created_at: Mapped[datetime] = mapped_column(default=utcnow)


class TargetProgress(Base):
    """One day's snapshot of one metric of an agreed target set: actual, what was due by then and the pace."""

    __tablename__ = "target_progress"
    __table_args__ = (UniqueConstraint("target_set_id", "metric", "day"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    target_set_id: Mapped[int] = mapped_column(ForeignKey("target_sets.id"), index=True)
    metric: Mapped[str] = mapped_column(String(64))
    day: Mapped[date]
    target: Mapped[float]
    actual: Mapped[float | None]
    expected: Mapped[float]
    elapsed_share: Mapped[float]
    pace: Mapped[float | None]
    attainment: Mapped[float | None]
    computed_at: Mapped[datetime] = mapped_column(default=utcnow)


class TargetCheckIn(Timestamped, Base):
    """A check-in opened at a checkpoint for off-pace targets: the manager's answer and the supervisor's acknowledgement."""

    __tablename__ = "target_checkins"
    __table_args__ = (UniqueConstraint("target_set_id", "checkpoint_day"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    target_set_id: Mapped[int] = mapped_column(ForeignKey("target_sets.id"), index=True)
    checkpoint_day: Mapped[int]
    status: Mapped[str] = mapped_column(String(16), default="open")  # open | submitted | acknowledged | expired
    off_pace: Mapped[list[dict[str, Any]]] = mapped_column(JSON)
    response: Mapped[dict[str, Any] | None] = mapped_column(JSON)
    acknowledged_by: Mapped[int | None] = mapped_column(ForeignKey("staff.id"))
    acknowledgement: Mapped[str | None] = mapped_column(Text)
