"""Tasks: who holds a task (out of office → delegate), the escalation chain, inbox queries, hand-over."""

from __future__ import annotations

from collections.abc import Collection
from dataclasses import dataclass

import structlog
from sqlalchemy import Select, or_, select
from sqlalchemy.ext.asyncio import AsyncSession
from temporalio.client import Client

from db.models import Staff, Task, utcnow
from db.repositories.audit import record_audit, record_notification
from db.repositories.staff import supervisor_chain
from definitions.tasks import TaskActor, TaskReassignInput

OPEN = "open"

log = structlog.get_logger(__name__)


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


@dataclass(frozen=True)
class HandOver:
    """One open task moved from a leaving staff member to someone up their chain."""

    task_id: int
    workflow_id: str
    task_key: str
    assignee_id: int
    chain: list[int]


async def reassign_open_tasks(session: AsyncSession, *, staff_id: int, actor_label: str) -> list[HandOver]:
    """Move the rows of every open task held by `staff_id` up the chain (no commit, no workflow calls).

    Tasks merely delegated to them lose the delegation.
    """
    moved: list[HandOver] = []
    chain = await active_chain(session, staff_id)
    tasks = (
        await session.scalars(
            select(Task).where(Task.status == OPEN, or_(Task.assignee_id == staff_id, Task.delegate_id == staff_id))
        )
    ).all()
    for task in tasks:
        if task.assignee_id != staff_id:
            task.delegate_id = None
            record_audit(
                session, actor=actor_label, action="task.delegation_removed", entity_type="task", entity_id=task.id,
                customer_id=task.customer_id, workflow_id=task.workflow_id, reason=f"staff {staff_id} deactivated",
            )
            # Same assignee, no delegate: the workflow's view follows (its reassign update clears the delegate).
            moved.append(HandOver(task.id, task.decided_in, task.task_key, task.assignee_id, list(task.chain or [])))
            continue
        if not chain:
            continue  # nobody above: the task stays where it is and escalates/expires on its timer
        target = await resolve_holder(session, chain[0])
        task.assignee_id = target
        task.delegate_id = None
        task.chain = await active_chain(session, target)
        record_audit(
            session, actor=actor_label, action="task.handed_over", entity_type="task", entity_id=task.id,
            customer_id=task.customer_id, workflow_id=task.workflow_id, reason=f"staff {staff_id} deactivated",
            details={"from": staff_id, "to": target},
        )
        record_notification(
            session, recipient_id=target, kind="task.handed_over", subject=f"Handed over to you: {task.title}",
            entity_type="task", entity_id=task.id, workflow_id=task.workflow_id, details={"from": staff_id},
        )
        moved.append(HandOver(task.id, task.decided_in, task.task_key, target, list(task.chain or [])))
    return moved


async def tell_workflows_of_handover(temporal: Client, moved: list[HandOver], *, actor_label: str) -> list[HandOver]:
    """Send "task.reassign" to each moved task's workflow so its validators follow the row.

    Returns the moves a workflow did not take (closed run, task already decided): their rows moved anyway.
    """
    missed: list[HandOver] = []
    for move in moved:
        update = TaskReassignInput(
            task_key=move.task_key, actor=TaskActor(role="system", label=actor_label),
            assignee_id=move.assignee_id, chain=move.chain, reason="previous holder deactivated",
        )
        try:
            await temporal.get_workflow_handle(move.workflow_id).execute_update("task.reassign", update)
        except Exception as exc:  # noqa: BLE001 - one closed run must not stop the other hand-overs
            log.warning("tasks.handover_not_taken", workflow_id=move.workflow_id, task_id=move.task_id, error=str(exc))
            missed.append(move)
    return missed


async def hand_over_open_tasks(
    session: AsyncSession, temporal: Client | None, *, staff_id: int, actor_label: str
) -> list[HandOver]:
    """Deactivating `staff_id`: move their open tasks up the chain, commit, then tell each workflow.

    The commit also commits whatever the caller changed in `session` before (e.g. `active = False`), so the
    workflows are told only about a hand-over that is durable.
    """
    moved = await reassign_open_tasks(session, staff_id=staff_id, actor_label=actor_label)
    await session.commit()
    if temporal is not None and moved:
        await tell_workflows_of_handover(temporal, moved, actor_label=actor_label)
    return moved
