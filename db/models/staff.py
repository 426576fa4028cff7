"""Staff (account managers and directors) and principals (API tokens)."""

from __future__ import annotations

from datetime import datetime
from enum import StrEnum

from sqlalchemy import ForeignKey, String
from sqlalchemy.orm import Mapped, mapped_column

from db.models.base import Base, Timestamped


class StaffRole(StrEnum):
    ACCOUNT_MANAGER_L1 = "account_manager_l1"
    ACCOUNT_MANAGER_L2 = "account_manager_l2"
    DIRECTOR = "director"


ACCOUNT_MANAGER_ROLES = (StaffRole.ACCOUNT_MANAGER_L1.value, StaffRole.ACCOUNT_MANAGER_L2.value)


class PrincipalRole(StrEnum):
    ADMIN = "admin"
    OPS = "ops"
    DIRECTOR = "director"
    MANAGER = "manager"
    SERVICE = "service"


class Staff(Timestamped, Base):
    """An account manager (一级/二级) or a director (客户总监)."""

    __tablename__ = "staff"

    id: Mapped[int] = mapped_column(primary_key=True)
    name: Mapped[str] = mapped_column(String(200))
    email: Mapped[str] = mapped_column(String(320), unique=True)
    role: Mapped[str] = mapped_column(String(32))
    supervisor_id: Mapped[int | None] = mapped_column(ForeignKey("staff.id"), index=True)
    region: Mapped[str] = mapped_column(String(64), default="")
    capacity: Mapped[int] = mapped_column(default=50)
    active: Mapped[bool] = mapped_column(default=True)
    out_of_office_until: Mapped[datetime | None]
    delegate_id: Mapped[int | None] = mapped_column(ForeignKey("staff.id"))
    last_assigned_at: Mapped[datetime | None]


class Principal(Timestamped, Base):
    """An API user; only the SHA-256 of its token is stored."""

    __tablename__ = "principals"

    id: Mapped[int] = mapped_column(primary_key=True)
    name: Mapped[str] = mapped_column(String(200))
    role: Mapped[str] = mapped_column(String(32))
    staff_id: Mapped[int | None] = mapped_column(ForeignKey("staff.id"))
    token_hash: Mapped[str] = mapped_column(String(64), unique=True)
    revoked_at: Mapped[datetime | None]
    # Web sign-in (DESIGN §2): a person signs in as the principal that carries their email.
    email: Mapped[str | None] = mapped_column(String(320), index=True)
    password_hash: Mapped[str | None] = mapped_column(String(200))
    language: Mapped[str | None] = mapped_column(String(16))
    timezone: Mapped[str | None] = mapped_column(String(64))
    expires_at: Mapped[datetime | None]
    last_used_at: Mapped[datetime | None]  # recorded at most once a minute
