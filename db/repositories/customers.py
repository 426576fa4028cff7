"""Customers, their transactions and follow-ups; the assignment candidates of the assignment rule."""

from __future__ import annotations

from collections.abc import Collection
from datetime import date, datetime
from decimal import Decimal

from sqlalchemy import and_, func, or_, select, true
from sqlalchemy.ext.asyncio import AsyncSession

from db.models import Customer, CustomerStatus, FollowUp, Staff, StaffRole, Transaction
from definitions.assignment import Candidate, choose_manager, level_for_tier

# Customers that occupy a manager's capacity: being onboarded or active (not rejected, not in the pool).
HELD_STATUSES = (CustomerStatus.PENDING.value, CustomerStatus.ACTIVE.value)


def normalise_name(name: str) -> str:
    """Names are stored trimmed with single spaces, so the name+region constraint catches near-duplicates."""
    return " ".join(name.split())


async def assignment_candidates(session: AsyncSession, *, level: str, lock: bool = False) -> list[Candidate]:
    """Every staff member of `level` with the number of customers they hold, in one query.

    `lock=True` (the writer's call) first locks the level's staff rows on PostgreSQL, so two
    concurrent assignments cannot both take a manager's last free slot; SQLite serialises writers anyway.
    """
    if lock and session.get_bind().dialect.name == "postgresql":
        await session.execute(select(Staff.id).where(Staff.role == level).with_for_update())
    held = func.count(Customer.id)
    rows = await session.execute(
        select(
            Staff.id,
            Staff.role,
            Staff.region,
            Staff.capacity,
            Staff.active,
            Staff.out_of_office_until,
            Staff.last_assigned_at,
            held,
        )
        .outerjoin(Customer, and_(Customer.owner_id == Staff.id, Customer.status.in_(HELD_STATUSES)))
        .where(Staff.role == level)
        .group_by(Staff.id)
    )
    return [
        Candidate(
            staff_id=row.id,
            role=row.role,
            region=row.region,
            capacity=max(row.capacity, 0),
            load=row[-1],
            active=row.active,
            out_of_office_until=row.out_of_office_until,
            last_assigned_at=row.last_assigned_at,
        )
        for row in rows
    ]


async def director_for(session: AsyncSession, *, staff_id: int | None, region: str) -> int | None:
    """The nearest active director above `staff_id`; else an active director of the region; else any."""
    if staff_id is not None:
        seen: set[int] = set()
        current = await session.get(Staff, staff_id)
        while current is not None and current.id not in seen:
            seen.add(current.id)
            if current.role == StaffRole.DIRECTOR and current.active and current.id != staff_id:
                return current.id
            current = await session.get(Staff, current.supervisor_id) if current.supervisor_id else None
    return await session.scalar(
        select(Staff.id)
        .where(Staff.role == StaffRole.DIRECTOR, Staff.active.is_(True))
        .order_by((Staff.region != region), Staff.id)
        .limit(1)
    )


async def find_duplicate(session: AsyncSession, *, name: str, region: str, external_ref: str | None) -> Customer | None:
    """An existing customer with the same external ref, or the same name (case-insensitive) and region."""
    if external_ref:
        found = await session.scalar(select(Customer).where(Customer.external_ref == external_ref))
        if found is not None:
            return found
    return await session.scalar(
        select(Customer)
        # The database lowers both sides, exactly as its unique index on lower(name) does.
        .where(func.lower(Customer.name) == func.lower(normalise_name(name)), Customer.region == region)
        .order_by(Customer.id)
        .limit(1)
    )


def visible_filter(visible_staff_ids: Collection[int] | None):
    """The WHERE clause limiting customers to those owned within the caller's view (None = all)."""
    if visible_staff_ids is None:
        return true()
    return Customer.owner_id.in_(sorted(visible_staff_ids))


async def list_customers(
    session: AsyncSession,
    *,
    visible_staff_ids: Collection[int] | None,
    tier: int | None = None,
    owner_id: int | None = None,
    status: str | None = None,
    region: str | None = None,
    search: str | None = None,
    limit: int = 50,
    offset: int = 0,
) -> tuple[list[Customer], int]:
    """One page of customers the caller may see, newest first, and the total count."""
    conditions = [visible_filter(visible_staff_ids)]
    if region is not None:
        conditions.append(Customer.region == region)
    if search:
        # Name contains the words, or the external reference is the one given (case-insensitive).
        pattern = "%" + search.lower().replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_") + "%"
        conditions.append(
            or_(
                func.lower(Customer.name).like(pattern, escape="\\"),
                func.lower(Customer.external_ref) == search.lower(),
            )
        )
    if tier is not None:
        conditions.append(Customer.tier == tier)
    if owner_id is not None:
        conditions.append(Customer.owner_id == owner_id)
    if status is not None:
        conditions.append(Customer.status == status)
    total = await session.scalar(select(func.count(Customer.id)).where(*conditions)) or 0
    rows = await session.scalars(
        select(Customer).where(*conditions).order_by(Customer.id.desc()).limit(limit).offset(offset)
    )
    return list(rows), total


async def visible_customer(
    session: AsyncSession, customer_id: int, *, visible_staff_ids: Collection[int] | None
) -> Customer | None:
    """The customer if it exists and lies within the caller's view."""
    customer = await session.get(Customer, customer_id)
    if customer is None:
        return None
    if visible_staff_ids is not None and customer.owner_id not in visible_staff_ids:
        return None
    return customer


async def add_follow_up(
    session: AsyncSession,
    *,
    customer: Customer,
    staff_id: int | None,
    channel: str,
    note: str,
    occurred_at: datetime,
) -> FollowUp:
    """Record a follow-up and move the customer's reclaim clock forward (never backward)."""
    follow_up = FollowUp(
        customer_id=customer.id, staff_id=staff_id, channel=channel, note=note, occurred_at=occurred_at
    )
    session.add(follow_up)
    if customer.last_follow_up_at is None or customer.last_follow_up_at < occurred_at:
        customer.last_follow_up_at = occurred_at
    await session.flush()
    return follow_up


async def add_transaction(
    session: AsyncSession,
    *,
    customer_id: int,
    amount: Decimal,
    occurred_on: date,
    external_ref: str | None,
) -> Transaction:
    """Record one transaction (the unique external ref makes a replay fail loudly, not double-count)."""
    transaction = Transaction(
        customer_id=customer_id, amount=amount, occurred_on=occurred_on, external_ref=external_ref
    )
    session.add(transaction)
    await session.flush()
    return transaction


async def transaction_by_ref(session: AsyncSession, external_ref: str) -> Transaction | None:
    return await session.scalar(select(Transaction).where(Transaction.external_ref == external_ref))


async def list_follow_ups(
    session: AsyncSession, *, customer_id: int, limit: int, offset: int
) -> tuple[list[FollowUp], int]:
    """A page of the customer's follow-ups, newest first, and their total."""
    where = FollowUp.customer_id == customer_id
    total = await session.scalar(select(func.count(FollowUp.id)).where(where)) or 0
    rows = await session.scalars(
        select(FollowUp)
        .where(where)
        .order_by(FollowUp.occurred_at.desc(), FollowUp.id.desc())
        .limit(limit)
        .offset(offset)
    )
    return list(rows), total


async def list_transactions(
    session: AsyncSession, *, customer_id: int, limit: int, offset: int
) -> tuple[list[Transaction], int]:
    """A page of the customer's transactions, newest first, and their total."""
    where = Transaction.customer_id == customer_id
    total = await session.scalar(select(func.count(Transaction.id)).where(where)) or 0
    rows = await session.scalars(
        select(Transaction)
        .where(where)
        .order_by(Transaction.occurred_on.desc(), Transaction.id.desc())
        .limit(limit)
        .offset(offset)
    )
    return list(rows), total


def assign_owner(customer: Customer, staff: Staff, now: datetime) -> None:
    """Make `staff` the customer's owner, remembering the previous one (the assignment rule's recency too)."""
    if customer.owner_id is not None and customer.owner_id != staff.id:
        customer.previous_owner_id = customer.owner_id
    customer.owner_id = staff.id
    customer.owner_assigned_at = now
    staff.last_assigned_at = now


async def rule_owner(session: AsyncSession, *, tier: int, region: str | None, now: datetime) -> int | None:
    """The assignment rule's pick for a customer of `tier` in `region` (candidates locked), or None."""
    candidates = await assignment_candidates(session, level=level_for_tier(tier), lock=True)
    return choose_manager(candidates, tier=tier, region=region, now=now)


def owner_refusal(staff: Staff | None, *, staff_id: int, tier: int) -> str | None:
    """Why `staff` may not own a customer of `tier` (an active manager of the tier's level may); None if they may."""
    level = level_for_tier(tier)
    if staff is None or staff.role != level or not staff.active:
        return f"staff {staff_id} is not an active {level}"
    return None
