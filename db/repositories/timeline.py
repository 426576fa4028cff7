"""A customer's timeline: audit events, tasks, complaints, tier proposals, reclaim warnings and contact reminders,
merged by time.

The audit log is the backbone (every process step writes one event with who and why, in the transaction of
the change); the domain rows add what the log does not say (task titles and comments, complaint severity)
and the facts that have no audit event of their own (scoring proposals, reclaim warnings, contact reminders,
rows written before or outside a process).
"""

from __future__ import annotations

import heapq
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from functools import cache
from datetime import datetime
from typing import Any

from sqlalchemy import and_, or_, select
from sqlalchemy.ext.asyncio import AsyncSession

from crmflow.registry import process_specs
from db.models import AuditEvent, Complaint, ContactReminder, Customer, ReclaimWarning, Task, TierProposal

# Audit actions of plain records (no process behind them): action → timeline kind.
_RECORD_KINDS = {
    "customer.claimed": "pool_claim",
    "customer.follow_up_recorded": "follow_up",
    "customer.transaction_recorded": "transaction",
}


@cache
def _kinds() -> tuple[dict[str, str], frozenset[str]]:
    """Actions → kind, and the action prefixes that are kinds: human tasks' and every registered process's."""
    actions = dict(_RECORD_KINDS)
    prefixes = {"task"}
    for spec in process_specs():
        prefixes.update(spec.timeline_kinds)
        actions.update({action: spec.timeline_kinds[0] for action in spec.timeline_actions})
    return actions, frozenset(prefixes)


def kind_for(action: str) -> str:
    """The timeline kind of an audit action ("audit" when no process claims it)."""
    actions, prefixes = _kinds()
    if action in actions:
        return actions[action]
    prefix = action.split(".", 1)[0]
    return prefix if prefix in prefixes else "audit"


@dataclass
class TimelineEntry:
    """One thing that happened to the customer: when, what, who and why, with links to its process."""

    at: datetime
    kind: str
    action: str
    what: str
    who: str | None
    why: str | None = None
    source: str = "audit"
    who_staff_id: int | None = None
    process_id: str | None = None
    task_id: int | None = None
    complaint_id: str | None = None
    details: dict[str, Any] | None = None
    # Ties at the same instant keep the order the rows were written in.
    order: tuple[int, int] = field(default=(0, 0), repr=False)

    @property
    def sort_key(self) -> tuple[datetime, tuple[int, int]]:
        return (self.at, self.order)


@dataclass
class _Context:
    customer: Customer
    tasks: dict[int, Task]
    complaints: dict[str, Complaint]

    @property
    def process_ids(self) -> set[str]:
        ids = {t.workflow_id for t in self.tasks.values()} | {c.process_id for c in self.complaints.values()}
        ids.add(self.customer.process_id)
        return {i for i in ids if i}


def _staff_label(staff_id: int | None) -> str | None:
    return f"staff:{staff_id}" if staff_id is not None else None


def _int(value: object) -> int | None:
    try:
        return int(value)  # type: ignore[arg-type]
    except (TypeError, ValueError):
        return None


def _audit_entry(event: AuditEvent, ctx: _Context) -> TimelineEntry:
    details = event.details or {}
    entry = TimelineEntry(
        at=event.occurred_at,
        kind=kind_for(event.action),
        action=event.action,
        what=event.action,
        who=event.actor,
        why=event.reason,
        source="audit",
        process_id=event.workflow_id,
        details=event.details,
        order=(0, event.id),
    )
    if event.entity_type == "task":
        entry.task_id = _int(event.entity_id)
        task = ctx.tasks.get(entry.task_id or -1)
        entry.who_staff_id = _int(details.get("decided_by"))
        if task is not None:
            entry.what = f"{event.action}: {task.title}"
            entry.process_id = entry.process_id or task.workflow_id
            if event.action.removeprefix("task.") in {"approved", "rejected", "completed"}:
                entry.why = entry.why or task.comment
                entry.who_staff_id = entry.who_staff_id or task.decided_by
            entry.complaint_id = _complaint_of(task.workflow_id, ctx)
    elif event.entity_type == "complaint":
        entry.complaint_id = event.entity_id
        complaint = ctx.complaints.get(event.entity_id)
        if complaint is not None:
            entry.what = f"{event.action} ({complaint.severity} {complaint.category})"
    elif event.action in {"tier_change.completed", "customer.tier_set"} or event.action.startswith("tier_change."):
        tiers = (details.get("from_tier"), details.get("to_tier"))
        if all(t is not None for t in tiers):
            entry.what = f"{event.action}: tier {tiers[0]} → {tiers[1]}"
    elif event.action == "customer.follow_up_recorded" and details.get("channel"):
        entry.what = f"follow-up by {details['channel']}"
    if entry.who_staff_id is None and event.actor.rsplit(":", 1)[0].endswith("staff"):
        entry.who_staff_id = _int(event.actor.rsplit(":", 1)[1])
    return entry


def _complaint_of(workflow_id: str | None, ctx: _Context) -> str | None:
    """The complaint whose process opened a task, if any."""
    for complaint in ctx.complaints.values():
        if complaint.process_id and complaint.process_id == workflow_id:
            return complaint.id
    return None


def _task_rows(tasks: Iterable[Task], audited: set[str]) -> Iterator[TimelineEntry]:
    """Task facts with no audit event of their own (opened and decided straight from the row)."""
    for task in tasks:
        if str(task.id) in audited:
            continue
        common = {"kind": "task", "source": "task", "process_id": task.workflow_id, "task_id": task.id}
        yield TimelineEntry(
            at=task.created_at,
            action="task.opened",
            what=f"task.opened: {task.title}",
            who="system",
            who_staff_id=None,
            order=(1, task.id),
            **common,
        )
        if task.decided_at is not None:
            yield TimelineEntry(
                at=task.decided_at,
                action=f"task.{task.status}",
                what=f"task.{task.status}: {task.title}",
                who=_staff_label(task.decided_by) or "system",
                who_staff_id=task.decided_by,
                why=task.comment,
                order=(1, task.id),
                **common,
            )


def _complaint_rows(complaints: Iterable[Complaint], audited: set[str]) -> Iterator[TimelineEntry]:
    """Complaints with no audit event of their own (opened, from the row)."""
    for complaint in complaints:
        if complaint.id in audited:
            continue
        yield TimelineEntry(
            at=complaint.created_at,
            kind="complaint",
            action="complaint.opened",
            source="complaint",
            what=f"complaint.opened ({complaint.severity} {complaint.category})",
            who=None,
            process_id=complaint.process_id,
            complaint_id=complaint.id,
            order=(2, 0),
        )


def _proposal_entry(proposal: TierProposal) -> TimelineEntry:
    return TimelineEntry(
        at=proposal.created_at,
        kind="tier_change",
        action="tier_proposal.created",
        source="tier_proposal",
        what=f"scoring proposed tier {proposal.from_tier} → {proposal.to_tier} (now {proposal.status})",
        who=f"system:tiering-cycle:{proposal.cycle_id}",
        why=f"score {proposal.score:.2f}",
        who_staff_id=proposal.decided_by,
        process_id=proposal.workflow_id,
        details={"cycle_id": proposal.cycle_id, "status": proposal.status, "score": proposal.score},
        order=(3, proposal.id),
    )


def _warning_entry(warning: ReclaimWarning) -> TimelineEntry:
    return TimelineEntry(
        at=warning.created_at,
        kind="reclaim",
        action="reclaim.warning",
        source="reclaim_warning",
        what=f"owner warned: returns to the pool after {warning.lapse_days} days without a follow-up",
        who="system:reclaim",
        why=f"no follow-up since {warning.clock_started_at.isoformat()} (tier {warning.tier})",
        who_staff_id=None,
        details={"owner_id": warning.owner_id, "run_key": warning.run_key},
        order=(4, warning.id),
    )


def _reminder_entry(reminder: ContactReminder) -> TimelineEntry:
    return TimelineEntry(
        at=reminder.created_at,
        kind="reclaim",
        action="contact.reminded",
        source="contact_reminder",
        what=f"owner reminded: next contact due {reminder.due_at.isoformat()}",
        who="system:reclaim",
        why="the tier's contact rhythm",
        who_staff_id=None,
        details={"owner_id": reminder.owner_id, "due_at": reminder.due_at.isoformat(), "run_key": reminder.run_key},
        order=(5, reminder.id),
    )


async def customer_timeline(
    session: AsyncSession, customer: Customer, *, limit: int = 500, offset: int = 0
) -> tuple[list[TimelineEntry], bool]:
    """A page of the customer's timeline, oldest first, and whether more entries follow it."""
    window = offset + limit + 1  # each source contributes at most this many to the merged page
    tasks = {t.id: t for t in await session.scalars(select(Task).where(Task.customer_id == customer.id))}
    complaints = {c.id: c for c in await session.scalars(select(Complaint).where(Complaint.customer_id == customer.id))}
    ctx = _Context(customer, tasks, complaints)

    audits = list(
        await session.scalars(
            select(AuditEvent)
            .where(
                or_(
                    AuditEvent.customer_id == customer.id,
                    # Process steps written without the customer id (e.g. a task of the customer's complaint).
                    and_(AuditEvent.customer_id.is_(None), AuditEvent.workflow_id.in_(ctx.process_ids)),
                )
            )
            .order_by(AuditEvent.occurred_at, AuditEvent.id)
            .limit(window)
        )
    )
    audited_tasks = {e.entity_id for e in audits if e.entity_type == "task"}
    audited_complaints = {e.entity_id for e in audits if e.entity_type == "complaint"}
    proposals = await session.scalars(
        select(TierProposal)
        .where(TierProposal.customer_id == customer.id)
        .order_by(TierProposal.created_at, TierProposal.id)
        .limit(window)
    )
    warnings = await session.scalars(
        select(ReclaimWarning)
        .where(ReclaimWarning.customer_id == customer.id)
        .order_by(ReclaimWarning.created_at, ReclaimWarning.id)
        .limit(window)
    )
    reminders = await session.scalars(
        select(ContactReminder)
        .where(ContactReminder.customer_id == customer.id)
        .order_by(ContactReminder.created_at, ContactReminder.id)
        .limit(window)
    )
    sources = [
        [_audit_entry(e, ctx) for e in audits],
        sorted(_task_rows(tasks.values(), audited_tasks), key=lambda e: e.sort_key),
        sorted(_complaint_rows(complaints.values(), audited_complaints), key=lambda e: e.sort_key),
        [_proposal_entry(p) for p in proposals],
        [_warning_entry(w) for w in warnings],
        [_reminder_entry(r) for r in reminders],
    ]
    merged = list(heapq.merge(*sources, key=lambda e: e.sort_key))
    page = merged[offset : offset + limit]
    return page, len(merged) > offset + limit
