"""Human-task activities (DESIGN §3.6): the task row, its moves and its outcome, audited and notified."""

from __future__ import annotations

from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession
from temporalio import activity
from temporalio.exceptions import ApplicationError

from activities.base import ActivitiesBase, operation_key
from db.models import Staff, Task, utcnow
from db.repositories.audit import record_audit, record_notification
from db.repositories.tasks import active_chain, resolve_holder
from definitions.tasks import (
    OPEN,
    DelegateTaskInput,
    DelegateTaskResult,
    EscalateTaskInput,
    EscalateTaskResult,
    HandOverTaskInput,
    HandOverTaskResult,
    OpenTaskInput,
    OpenTaskResult,
    RecordOutcomeInput,
    RecordOutcomeResult,
    RemindTaskInput,
)


class TaskActivities(ActivitiesBase):
    """Every write a human task makes; each one idempotent under retries."""

    @activity.defn(name="task.open")
    async def open_task(self, data: OpenTaskInput) -> OpenTaskResult:
        """Open the row for (workflow id, task key) once; a retry returns the row it opened."""
        async with self.transaction() as session:
            return await open_task_row(session, data, activity.info().workflow_id)

    @activity.defn(name="task.record_outcome")
    async def record_outcome(self, data: RecordOutcomeInput) -> RecordOutcomeResult:
        """Close the row with its outcome; a closed row is left as it is (retries write nothing twice)."""
        async with self.transaction() as session:
            return await close_task_row(session, data)

    @activity.defn(name="task.escalate")
    async def escalate(self, data: EscalateTaskInput) -> EscalateTaskResult:
        """Move the task to the next active one up the chain, with the level and a fresh due date."""
        async with self.transaction() as session:
            task = await _task(session, data.task_id)
            if task.escalation_level >= data.escalation_level:  # a retry of an escalation already applied
                return _escalated(task)
            candidates = await active_chain(session, data.from_assignee_id) or [
                c for c in data.candidates if await _is_active(session, c)
            ]
            if not candidates:
                return EscalateTaskResult(task_id=task.id, escalated=False, escalation_level=task.escalation_level)
            previous = task.assignee_id
            task.assignee_id = await resolve_holder(session, candidates[0])
            task.delegate_id = None  # a delegation was the previous assignee's choice
            task.escalation_level = data.escalation_level
            task.due_at = data.due_at
            task.chain = await active_chain(session, task.assignee_id)
            record_audit(
                session,
                actor="system",
                action="task.escalated",
                entity_type="task",
                entity_id=task.id,
                customer_id=task.customer_id,
                workflow_id=task.workflow_id,
                reason="due date passed",
                details={
                    "task_key": task.task_key,
                    "from": previous,
                    "to": task.assignee_id,
                    "escalation_level": task.escalation_level,
                    "due_at": data.due_at.isoformat(),
                },
            )
            record_notification(
                session,
                recipient_id=task.assignee_id,
                kind="task.escalated",
                subject=f"Escalated to you (level {task.escalation_level}): {task.title}",
                entity_type="task",
                entity_id=task.id,
                workflow_id=task.workflow_id,
                details={"from": previous},
            )
            if previous is not None:
                record_notification(
                    session,
                    recipient_id=previous,
                    kind="task.escalated_away",
                    subject=f"Overdue, passed to your supervisor: {task.title}",
                    entity_type="task",
                    entity_id=task.id,
                    workflow_id=task.workflow_id,
                    details={"to": task.assignee_id},
                )
            return _escalated(task)

    @activity.defn(name="task.remind")
    async def remind(self, data: RemindTaskInput) -> None:
        """Remind the assignee (and delegate) that the task is due soon; once per reminder."""
        key = operation_key()
        async with self.once(key) as (session, applied):
            if applied:
                return
            task = await _task(session, data.task_id)
            if task.status != OPEN:
                return
            task.reminders_sent += 1
            record_audit(
                session,
                actor="system",
                action="task.reminded",
                entity_type="task",
                entity_id=task.id,
                customer_id=task.customer_id,
                workflow_id=task.workflow_id,
                operation_key=key,
                details={
                    "reminder": data.reminder_index,
                    "due_at": data.due_at.isoformat(),
                    "escalation_level": data.escalation_level,
                },
            )
            for recipient in sorted({person for person in (data.assignee_id, data.delegate_id) if person is not None}):
                record_notification(
                    session,
                    recipient_id=recipient,
                    kind="task.reminder",
                    subject=f"Due {data.due_at:%Y-%m-%d %H:%M} UTC: {task.title}",
                    entity_type="task",
                    entity_id=task.id,
                    workflow_id=task.workflow_id,
                    details={"due_at": data.due_at.isoformat()},
                )

    @activity.defn(name="task.delegate")
    async def delegate(self, data: DelegateTaskInput) -> DelegateTaskResult:
        """Let another staff member act on the task; the assignee keeps it too."""
        async with self.transaction() as session:
            task = await _task(session, data.task_id)
            if task.delegate_id != data.to_staff_id:
                previous = task.delegate_id
                task.delegate_id = data.to_staff_id
                record_audit(
                    session,
                    actor=data.actor_label,
                    action="task.delegated",
                    entity_type="task",
                    entity_id=task.id,
                    customer_id=task.customer_id,
                    workflow_id=task.workflow_id,
                    reason=data.comment,
                    details={"to": data.to_staff_id, "previous": previous},
                )
                record_notification(
                    session,
                    recipient_id=data.to_staff_id,
                    kind="task.delegated",
                    subject=f"Delegated to you: {task.title}",
                    entity_type="task",
                    entity_id=task.id,
                    workflow_id=task.workflow_id,
                    details={"assignee_id": task.assignee_id},
                )
            return DelegateTaskResult(task_id=task.id, delegate_id=data.to_staff_id)

    @activity.defn(name="task.hand_over")
    async def hand_over(self, data: HandOverTaskInput) -> HandOverTaskResult:
        """Move the row off a staff member who left: up their active chain, or drop their delegation.

        A retry finds the row already off them and writes nothing again.
        """
        async with self.transaction() as session:
            task = await _task(session, data.task_id)
            leaver = data.from_staff_id
            reason = data.reason or f"staff {leaver} deactivated"
            if task.status != OPEN or leaver not in (task.assignee_id, task.delegate_id):
                return _handed_over(task, moved=task.status == OPEN)
            if task.assignee_id != leaver:  # only delegated to them: the assignee keeps it, without a delegate
                task.delegate_id = None
                record_audit(
                    session,
                    actor=data.actor_label,
                    action="task.delegation_removed",
                    entity_type="task",
                    entity_id=task.id,
                    customer_id=task.customer_id,
                    workflow_id=task.workflow_id,
                    reason=reason,
                    details={"task_key": task.task_key, "delegate": leaver},
                )
                return _handed_over(task, moved=True)
            chain = await active_chain(session, leaver)
            if not chain:  # nobody above: the task stays and escalates or expires on its timer
                return _handed_over(task, moved=False)
            target = await resolve_holder(session, chain[0])
            task.assignee_id = target
            task.delegate_id = None
            task.chain = await active_chain(session, target)
            record_audit(
                session,
                actor=data.actor_label,
                action="task.handed_over",
                entity_type="task",
                entity_id=task.id,
                customer_id=task.customer_id,
                workflow_id=task.workflow_id,
                reason=reason,
                details={"task_key": task.task_key, "from": leaver, "to": target},
            )
            record_notification(
                session,
                recipient_id=target,
                kind="task.handed_over",
                subject=f"Handed over to you: {task.title}",
                entity_type="task",
                entity_id=task.id,
                workflow_id=task.workflow_id,
                details={"from": leaver},
            )
            return _handed_over(task, moved=True)


async def open_task_row(session: AsyncSession, data: OpenTaskInput, running_in: str | None) -> OpenTaskResult:
    """Open the row for (workflow id, task key) once, in the caller's transaction; a retry finds the row it opened."""
    spec = data.spec
    workflow_id = spec.process_workflow_id or running_in
    task = await session.scalar(select(Task).where(Task.workflow_id == workflow_id, Task.task_key == spec.task_key))
    if task is None:
        target = await _target_of(session, spec.assignee_id, spec.assign_to)
        holder = await resolve_holder(session, target)
        task = Task(
            workflow_id=workflow_id,
            handler_workflow_id=running_in if running_in != workflow_id else None,
            task_key=spec.task_key,
            process_type=spec.process_type,
            kind=spec.kind,
            title=spec.title,
            status=OPEN,
            assignee_id=holder,
            original_assignee_id=target,
            requester_id=spec.requester_id,
            customer_id=spec.customer_id,
            form=spec.form,
            context=spec.context,
            due_at=data.due_at,
            escalation_level=0,
            chain=await active_chain(session, holder),
            allow_chain_override=spec.allow_chain_override,
        )
        session.add(task)
        await session.flush()
        reason = None if holder == target else f"staff {target} is out of office; their delegate holds the task"
        record_audit(
            session,
            actor="system",
            action="task.opened",
            entity_type="task",
            entity_id=task.id,
            customer_id=spec.customer_id,
            workflow_id=workflow_id,
            reason=reason,
            details={
                "task_key": spec.task_key,
                "kind": spec.kind,
                "assignee_id": holder,
                "original_assignee_id": target,
                "due_at": data.due_at.isoformat(),
            },
        )
        record_notification(
            session,
            recipient_id=holder,
            kind="task.assigned",
            subject=f"New task: {spec.title}",
            entity_type="task",
            entity_id=task.id,
            workflow_id=workflow_id,
            details={"due_at": data.due_at.isoformat(), "process_type": spec.process_type},
        )
    return OpenTaskResult(
        task_id=task.id,
        status=task.status,
        assignee_id=task.assignee_id,
        original_assignee_id=task.original_assignee_id or task.assignee_id,
        delegate_id=task.delegate_id,
        chain=list(task.chain or []),
        due_at=task.due_at,
        escalation_level=task.escalation_level,
        decided_by=task.decided_by,
        comment=task.comment,
        data=task.data,
    )


async def _task(session: AsyncSession, task_id: int) -> Task:
    task = await session.get(Task, task_id, with_for_update=True)
    if task is None:
        # The workflow opened this row itself: a missing row is a bug, and retrying will not bring it back.
        raise ApplicationError(f"task {task_id} not found", type="TaskNotFound", non_retryable=True)
    return task


async def _is_active(session: AsyncSession, staff_id: int) -> bool:
    staff = await session.get(Staff, staff_id)
    return staff is not None and staff.active


async def _target_of(session: AsyncSession, staff_id: int, assign_to: str) -> int:
    """The staff member a spec means: the assignee itself, their supervisor, or the director above."""
    if assign_to == "assignee":
        return staff_id
    chain = await active_chain(session, staff_id)
    if assign_to == "supervisor":
        return chain[0] if chain else staff_id
    for supervisor_id in chain:
        staff = await session.get(Staff, supervisor_id)
        if staff is not None and staff.role == "director":
            return supervisor_id
    return chain[-1] if chain else staff_id


def _escalated(task: Task) -> EscalateTaskResult:
    return EscalateTaskResult(
        task_id=task.id,
        escalated=True,
        assignee_id=task.assignee_id,
        delegate_id=task.delegate_id,
        chain=list(task.chain or []),
        escalation_level=task.escalation_level,
        due_at=task.due_at,
    )


def _handed_over(task: Task, *, moved: bool) -> HandOverTaskResult:
    return HandOverTaskResult(
        task_id=task.id,
        moved=moved,
        assignee_id=task.assignee_id,
        delegate_id=task.delegate_id,
        chain=list(task.chain or []),
    )


async def close_task_row(session: AsyncSession, data: RecordOutcomeInput) -> RecordOutcomeResult:
    """Close the task's row with its outcome, audited, its people notified; a closed row is left as it is."""
    task = await _task(session, data.task_id)
    if task.status != OPEN:
        return RecordOutcomeResult(task_id=task.id, status=task.status, changed=False)
    task.status = data.outcome
    task.decision = data.decision
    task.decided_by = data.decided_by
    task.decided_at = utcnow()
    task.comment = data.comment
    task.data = data.data
    record_audit(
        session,
        actor=data.actor_label,
        action=f"task.{data.outcome}",
        entity_type="task",
        entity_id=task.id,
        customer_id=task.customer_id,
        workflow_id=task.workflow_id,
        reason=data.comment,
        details={
            "task_key": task.task_key,
            "decision": data.decision,
            "decided_by": data.decided_by,
            "escalation_level": task.escalation_level,
            "data": data.data,
        },
    )
    people = (task.requester_id, task.original_assignee_id, task.assignee_id)
    recipients = {person for person in people if person is not None} - {data.decided_by}
    for recipient in sorted(recipients):
        record_notification(
            session,
            recipient_id=recipient,
            kind=f"task.{data.outcome}",
            subject=f"Task {data.outcome}: {task.title}",
            entity_type="task",
            entity_id=task.id,
            workflow_id=task.workflow_id,
            details={"decided_by": data.decided_by},
        )
    return RecordOutcomeResult(task_id=task.id, status=task.status, changed=True)
