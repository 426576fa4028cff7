"""The contact cadence (DESIGN §3.9): next-contact dates, reminders before them, upcoming and overdue lists.

A customer's next-contact date is the one clock of follow-up: its clock start (the later of the last
follow-up and the owner's assignment) plus the tier's rhythm. Reminders, the overdue lists and the
reclaim warning and reclaim (db/repositories/pool.py) all read the stored `customers.next_contact_at`.
"""

from __future__ import annotations

from collections.abc import Collection
from datetime import datetime, timedelta
from typing import Literal

from sqlalchemy import String, and_, case, cast, exists, func, insert, literal, or_, select, update
from sqlalchemy.ext.asyncio import AsyncSession
from sqlalchemy.ext.compiler import compiles
from sqlalchemy.sql.elements import ColumnElement
from sqlalchemy.sql.functions import FunctionElement

from db.models import ContactReminder, Customer, CustomerStatus, Notification, Staff
from db.models.base import UTCDateTime
from db.repositories.audit import mark_bulk_notifications
from db.repositories.customers import visible_filter
from definitions.reclaim import ReclaimDefinition

# Customers someone holds: being onboarded or active (not rejected, not in the pool).
HELD_STATUSES = (CustomerStatus.PENDING.value, CustomerStatus.ACTIVE.value)
ContactStatus = Literal["upcoming", "overdue"]


class days_after(FunctionElement):  # noqa: N801 - reads like the SQL function it stands for
    """`when` plus a whole number of days (negative: before), in SQL, the same on SQLite and PostgreSQL."""

    type = UTCDateTime()
    inherit_cache = False  # the day count is rendered into the statement, so no cached SQL may be shared
    name = "days_after"

    def __init__(self, when: ColumnElement, days: int) -> None:
        self.days = int(days)
        super().__init__(when)


@compiles(days_after, "sqlite")
def _days_after_sqlite(element: days_after, compiler, **kw) -> str:
    # SQLite keeps timestamps as 'YYYY-MM-DD HH:MM:SS[.ffffff]' text: shift the date and time part and
    # keep the stored fraction as it was, so the result compares (as text) exactly like the stored values.
    when = compiler.process(list(element.clauses)[0], **kw)
    return f"(strftime('%Y-%m-%d %H:%M:%S', {when}, '{element.days:+d} days') || substr({when}, 20))"


@compiles(days_after, "postgresql")
def _days_after_postgresql(element: days_after, compiler, **kw) -> str:
    # Hours, not days: a day interval on timestamptz follows the session's DST rules; 24 h matches timedelta.
    when = compiler.process(list(element.clauses)[0], **kw)
    return f"({when} + make_interval(hours => {element.days * 24}))"


def clock_start() -> ColumnElement:
    """When the customer's contact clock started: the later of the last follow-up and the owner's
    assignment (a new owner gets the full period), else the customer's creation."""
    followed, assigned = Customer.last_follow_up_at, Customer.owner_assigned_at
    return case(
        (followed.is_(None), func.coalesce(assigned, Customer.created_at)),
        (assigned.is_(None), followed),
        (followed > assigned, followed),
        else_=assigned,
    )


def held() -> list[ColumnElement]:
    """Customers an owner holds (only these have a next-contact date)."""
    return [Customer.owner_id.is_not(None), Customer.status.in_(HELD_STATUSES)]


async def schedule_next_contacts(
    session: AsyncSession, *, definition: ReclaimDefinition, customer_ids: Collection[int] | None = None
) -> None:
    """Set the next-contact date (clock start + the tier's rhythm) of held customers and clear it for the
    rest: the given customers, or every customer (the daily run, so a changed rhythm reaches everyone)."""
    await session.flush()  # owner, tier and follow-up changes made through the ORM count
    table = Customer.__table__
    wanted = None if customer_ids is None else set(customer_ids)
    scope = [] if wanted is None else [Customer.id.in_(sorted(wanted))]
    for tier in sorted(definition.lapse_days):
        due = days_after(clock_start(), definition.contact_every_days(tier))
        await session.execute(
            update(table)
            .where(
                *scope,
                Customer.tier == tier,
                *held(),
                or_(Customer.next_contact_at.is_(None), Customer.next_contact_at != due),
            )
            .values(next_contact_at=due)
        )
    await session.execute(
        update(table)
        .where(
            *scope,
            Customer.next_contact_at.is_not(None),
            or_(Customer.owner_id.is_(None), Customer.status.not_in(HELD_STATUSES)),
        )
        .values(next_contact_at=None)
    )
    if wanted is not None:
        # The statements bypass the ORM: customers this session already holds would show the old date.
        for held_row in [
            row for row in session.sync_session.identity_map.values() if isinstance(row, Customer) and row.id in wanted
        ]:
            await session.refresh(held_row, ["next_contact_at", "updated_at"])


async def remind_due_contacts(
    session: AsyncSession, *, definition: ReclaimDefinition, now: datetime, run_key: str, workflow_id: str | None
) -> int:
    """Remind owners of contacts falling due within the definition's days (once per customer and date);
    returns the reminders of this run."""
    before = definition.contact.remind_days_before
    if before == 0:
        return 0
    already = exists().where(
        ContactReminder.customer_id == Customer.id, ContactReminder.due_at == Customer.next_contact_at
    )
    await session.execute(
        insert(ContactReminder.__table__).from_select(
            ["customer_id", "owner_id", "due_at", "run_key", "created_at"],
            select(
                Customer.id,
                Customer.owner_id,
                Customer.next_contact_at,
                literal(run_key),
                literal(now, ContactReminder.created_at.type),
            ).where(
                *held(),
                Customer.next_contact_at > now,
                Customer.next_contact_at <= now + timedelta(days=before),
                ~already,
            ),
        )
    )
    key = literal("contact.reminder/") + cast(ContactReminder.id, String)
    await session.execute(
        insert(Notification.__table__).from_select(
            [
                "created_at",
                "recipient_id",
                "kind",
                "subject",
                "entity_type",
                "entity_id",
                "workflow_id",
                "operation_key",
                "source_key",
            ],
            select(
                literal(now, Notification.created_at.type),
                ContactReminder.owner_id,
                literal("contact.reminder"),
                literal("Contact ") + Customer.name + literal(" by the next-contact date"),
                literal("customer"),
                cast(Customer.id, String),
                literal(workflow_id, String),
                key,
                literal(run_key, String),
            )
            .join_from(ContactReminder, Customer, Customer.id == ContactReminder.customer_id)
            .where(ContactReminder.run_key == run_key, ~exists().where(Notification.operation_key == key)),
        )
    )
    mark_bulk_notifications(session)
    return (
        await session.scalar(
            select(func.count()).select_from(ContactReminder).where(ContactReminder.run_key == run_key)
        )
        or 0
    )


async def reminder_due_at(session: AsyncSession, operation_key: str | None) -> datetime | None:
    """The next-contact date a "contact.reminder" notification (by its operation key) reminded of."""
    prefix = "contact.reminder/"
    if not operation_key or not operation_key.startswith(prefix) or not operation_key[len(prefix) :].isdigit():
        return None
    row = await session.get(ContactReminder, int(operation_key[len(prefix) :]))
    return row.due_at if row is not None else None


async def list_contacts(
    session: AsyncSession,
    *,
    visible_staff_ids: Collection[int] | None,
    status: ContactStatus,
    now: datetime,
    within_days: int,
    owner_id: int | None = None,
    limit: int = 50,
    offset: int = 0,
) -> tuple[list[tuple[Customer, str | None]], int]:
    """Held customers whose contact is overdue, or due within `within_days`, soonest (most overdue) first,
    with their owner's name; limited to the caller's view; and the total."""
    conditions = [*held(), visible_filter(visible_staff_ids), Customer.next_contact_at.is_not(None)]
    if status == "overdue":
        conditions.append(Customer.next_contact_at <= now)
    else:
        conditions.append(
            and_(Customer.next_contact_at > now, Customer.next_contact_at <= now + timedelta(days=within_days))
        )
    if owner_id is not None:
        conditions.append(Customer.owner_id == owner_id)
    total = await session.scalar(select(func.count(Customer.id)).where(*conditions)) or 0
    rows = await session.execute(
        select(Customer, Staff.name)
        .outerjoin(Staff, Staff.id == Customer.owner_id)
        .where(*conditions)
        .order_by(Customer.next_contact_at, Customer.id)
        .limit(limit)
        .offset(offset)
    )
    return [(customer, name) for customer, name in rows.all()], total
