"""Complaint queries for the API: one complaint, filtered lists, visibility by customer owner."""

from __future__ import annotations

from collections.abc import Collection, Sequence

from sqlalchemy import Select, func, or_, select
from sqlalchemy.ext.asyncio import AsyncSession

from db.models import Complaint, Customer


def _visible(query: Select, visible_staff_ids: Collection[int] | None) -> Select:
    """Restrict to complaints whose customer's manager or whose owner is within `visible_staff_ids`."""
    if visible_staff_ids is None:
        return query
    ids = list(visible_staff_ids)
    return query.join(Customer, Customer.id == Complaint.customer_id).where(
        or_(Customer.owner_id.in_(ids), Complaint.owner_id.in_(ids))
    )


async def get_complaint(
    session: AsyncSession, complaint_id: str, *, visible_staff_ids: Collection[int] | None = None
) -> Complaint | None:
    """One complaint, or None when it does not exist or lies outside the caller's view."""
    query = _visible(select(Complaint).where(Complaint.id == complaint_id), visible_staff_ids)
    return await session.scalar(query)


def _filtered(
    visible_staff_ids: Collection[int] | None,
    status: str | None,
    severity: str | None,
    customer_id: int | None,
    owner_id: int | None,
) -> Select:
    query = _visible(select(Complaint), visible_staff_ids)
    if status is not None:
        query = query.where(Complaint.status == status)
    if severity is not None:
        query = query.where(Complaint.severity == severity)
    if customer_id is not None:
        query = query.where(Complaint.customer_id == customer_id)
    if owner_id is not None:
        query = query.where(Complaint.owner_id == owner_id)
    return query


async def list_complaints(
    session: AsyncSession,
    *,
    visible_staff_ids: Collection[int] | None = None,
    status: str | None = None,
    severity: str | None = None,
    customer_id: int | None = None,
    owner_id: int | None = None,
    limit: int = 50,
    offset: int = 0,
) -> Sequence[Complaint]:
    """Complaints matching the filters, newest first."""
    query = _filtered(visible_staff_ids, status, severity, customer_id, owner_id)
    query = query.order_by(Complaint.created_at.desc(), Complaint.id).limit(limit).offset(offset)
    return (await session.scalars(query)).all()


async def count_complaints(
    session: AsyncSession,
    *,
    visible_staff_ids: Collection[int] | None = None,
    status: str | None = None,
    severity: str | None = None,
    customer_id: int | None = None,
    owner_id: int | None = None,
) -> int:
    """How many complaints `list_complaints` pages through with the same filters."""
    query = _filtered(visible_staff_ids, status, severity, customer_id, owner_id)
    return await session.scalar(select(func.count()).select_from(query.subquery())) or 0
