"""Tasks: who holds a task (out of office → delegate), the escalation chain, inbox queries, who holds a leaver's tasks."""

from __future__ import annotations

from collections.abc import Collection

from sqlalchemy import Select, func, or_, select
from sqlalchemy.ext.asyncio import AsyncSession

from db.models import Staff, Task, utcnow
from db.repositories.staff import supervisor_chain

OPEN = "open"


async def active_chain(session: AsyncSession, staff_id: int | None) -> list[int]:
    """Active supervisors above `staff_id`, nearest first (the escalation path of a task)."""
    if staff_id is None:
        return []
    return [s.id for s in await supervisor_chain(session, staff_id) if s.active]


def _available(staff: Staff | None) -> bool:
    if staff is None or not staff.active:
        return False
    return staff.out_of_office_until is None or staff.out_of_office_until <= utcnow()


async def resolve_holder(session: AsyncSession, staff_id: int) -> int:
    """Who actually gets a task meant for `staff_id`.

    Inactive staff hand it to the first active supervisor; someone out of office to their delegate
    (when the delegate is available), otherwise they keep it and the escalation timer does the rest.
    """
    staff = await session.get(Staff, staff_id)
    if staff is not None and not staff.active:
        chain = await active_chain(session, staff_id)
        if chain:
            staff = await session.get(Staff, chain[0])
    if staff is None:
        return staff_id
    away = staff.out_of_office_until is not None and staff.out_of_office_until > utcnow()
    if away and staff.delegate_id is not None and staff.delegate_id != staff.id:
        delegate = await session.get(Staff, staff.delegate_id)
        if _available(delegate):
            return delegate.id
    return staff.id


def inbox_query(
    *,
    staff_ids: Collection[int] | None = None,
    mine: int | None = None,
    status: str | None = None,
    kind: str | None = None,
    process_type: str | None = None,
    customer_id: int | None = None,
    assignee_id: int | None = None,
) -> Select[tuple[Task]]:
    """Tasks filtered for an inbox: `mine` = assigned or delegated to that staff member,
    `staff_ids` = assigned to anyone in that set (a team), neither = all."""
    query = select(Task)
    if mine is not None:
        query = query.where(or_(Task.assignee_id == mine, Task.delegate_id == mine))
    if staff_ids is not None:
        query = query.where(or_(Task.assignee_id.in_(list(staff_ids)), Task.delegate_id.in_(list(staff_ids))))
    if status is not None:
        query = query.where(Task.status == status)
    if kind is not None:
        query = query.where(Task.kind == kind)
    if process_type is not None:
        query = query.where(Task.process_type == process_type)
    if customer_id is not None:
        query = query.where(Task.customer_id == customer_id)
    if assignee_id is not None:
        query = query.where(Task.assignee_id == assignee_id)
    return query.order_by(Task.due_at.is_(None), Task.due_at, Task.id)


async def workflows_holding_open_tasks(session: AsyncSession, staff_id: int) -> list[str]:
    """The processes deciding an open task held by, or delegated to, `staff_id` (each moves its own rows).

    A flow's task is filed under the process that started the flow but decided in the flow's own run.
    """
    rows = await session.scalars(
        select(func.coalesce(Task.handler_workflow_id, Task.workflow_id))
        .where(Task.status == OPEN, or_(Task.assignee_id == staff_id, Task.delegate_id == staff_id))
        .distinct()
    )
    return sorted(rows.all())
