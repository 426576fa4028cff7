"""The complaint workflow in the time-skipping environment, with real activities on the test database."""

from __future__ import annotations

import asyncio
import uuid
from collections.abc import Callable
from datetime import timedelta
from decimal import Decimal

import pytest
from sqlalchemy import select
from temporalio.client import Client, WorkflowHandle, WorkflowUpdateFailedError
from temporalio.testing import WorkflowEnvironment

from crmflow.settings import PACKAGED_DEFINITIONS_DIR
from db.models import Complaint, Notification, Task
from definitions.complaint import (
    AcknowledgeRequest,
    ActionActor,
    ComplaintStart,
    ComplaintStatus,
    CustomerResponseRequest,
    IntakeRequest,
    ResolveRequest,
    ResumeRequest,
    WaitOnCustomerRequest,
)
from definitions.loader import load_complaint_definition
from definitions.tasks import TaskActor, TaskDecisionInput
from tests.workflows.flow_tasks import wait_for_open_task
from workflows.complaint import ComplaintWorkflow, intake_search_attributes

ACTOR = ActionActor(label="manager:staff:1", staff_id=None)


async def _start(
    client: Client, task_queue: str, customer_id: int, severity: str = "high", *, owner_id: int | None = None
) -> WorkflowHandle:
    """Start a complaint and send its intake; with `owner_id`, the start carries the search attributes as the API's."""
    complaint_id = str(uuid.uuid4())
    start = ComplaintStart(
        complaint_id=complaint_id,
        customer_id=customer_id,
        customer_tier=2,
        severity=severity,
        category="billing",
        description="wrong invoice",
        channel="phone",
        opened_by=ACTOR,
        definition=load_complaint_definition(PACKAGED_DEFINITIONS_DIR),
    )
    handle = await client.start_workflow(
        ComplaintWorkflow.run,
        start,
        id=f"complaint-{complaint_id}",
        task_queue=task_queue,
        search_attributes=intake_search_attributes(start, owner_id) if owner_id is not None else None,
    )
    await handle.execute_update(ComplaintWorkflow.intake, IntakeRequest(actor=ACTOR))
    return handle


async def _until(handle: WorkflowHandle, check: Callable[[ComplaintStatus], bool]) -> ComplaintStatus:
    """Poll the status query until `check` holds (activities run in real time while timers are skipped)."""
    deadline = asyncio.get_running_loop().time() + 20
    while True:
        status = await handle.query(ComplaintWorkflow.status)
        if check(status):
            return status
        assert asyncio.get_running_loop().time() < deadline, f"condition never held; last status {status}"
        await asyncio.sleep(0.05)


async def _row(sessions, handle: WorkflowHandle) -> Complaint:
    async with sessions() as session:
        return await session.get(Complaint, handle.id.removeprefix("complaint-"))


async def _notifications(sessions, handle: WorkflowHandle, kind: str) -> list[Notification]:
    async with sessions() as session:
        rows = await session.scalars(
            select(Notification).where(Notification.workflow_id == handle.id, Notification.kind == kind)
        )
        return list(rows)


async def test_response_breach_escalates_up_the_chain_window_by_window(
    time_env: WorkflowEnvironment, run_worker, factory, sessions, settings
) -> None:
    org = await factory.org()
    customer = await factory.customer(owner=org.l2)
    async with run_worker(time_env.client):
        handle = await _start(time_env.client, settings.task_queue, customer.id, severity="critical")
        status = await handle.query(ComplaintWorkflow.status)
        assert (status.stage, status.owner_id, status.escalation_level) == ("open", org.l2.id, 0)
        assert status.respond_by - status.next_escalation_at == timedelta(0)

        # Critical, tier 2: respond within 1h. Past it, the supervisor (L1) owns the complaint.
        await time_env.sleep(timedelta(hours=1, minutes=1))
        status = await _until(handle, lambda s: s.escalation_level == 1)
        assert status.owner_id == org.l1.id
        assert status.sla_response_met is False
        assert len(await _notifications(sessions, handle, "complaint.sla_warning")) == 2  # at 50 % and 75 %
        assert [n.recipient_id for n in await _notifications(sessions, handle, "complaint.escalated")] == [org.l1.id]
        # Critical: the director hears of it at the first breach already.
        assert [n.recipient_id for n in await _notifications(sessions, handle, "complaint.director_alert")] == [
            org.director.id
        ]

        # A new window of the same length: the second breach reaches the director.
        await time_env.sleep(timedelta(hours=1, minutes=1))
        status = await _until(handle, lambda s: s.escalation_level == 2)
        assert status.owner_id == org.director.id
        # The deadline in force moved with each escalation to the new owner's window; the first one is kept.
        assert status.original_respond_by is not None and status.respond_by - status.original_respond_by >= timedelta(
            hours=2
        )
        # The top of the chain: nothing more to escalate to, but the director is reminded every window.
        assert status.next_escalation_at == status.respond_by
        row = await _row(sessions, handle)
        assert (row.owner_id, row.escalation_level, row.sla_response_met) == (org.director.id, 2, False)
        assert (row.respond_by, row.original_respond_by) == (status.respond_by, status.original_respond_by)
        await time_env.sleep(timedelta(hours=1, minutes=1))
        reminders = await _notifications(sessions, handle, "complaint.escalation_reminder")
        assert [n.recipient_id for n in reminders] == [org.director.id]

        # Acknowledging late keeps the breached SLA.
        status = await handle.execute_update(ComplaintWorkflow.acknowledge, AcknowledgeRequest(actor=ACTOR))
        assert status.status == "in_progress" and status.sla_response_met is False
        await handle.terminate()


async def test_waiting_on_customer_pauses_the_resolution_clock(
    time_env: WorkflowEnvironment, run_worker, factory, sessions, settings
) -> None:
    org = await factory.org()
    customer = await factory.customer(owner=org.l2)
    async with run_worker(time_env.client):
        handle = await _start(time_env.client, settings.task_queue, customer.id)
        before = await handle.execute_update(ComplaintWorkflow.acknowledge, AcknowledgeRequest(actor=ACTOR))
        assert before.sla_response_met is True
        paused = await handle.execute_update(ComplaintWorkflow.wait_on_customer, WaitOnCustomerRequest(actor=ACTOR))
        assert paused.status == "waiting_on_customer"

        # Two days waiting on the customer: well past the 1-day resolve-by, yet no escalation.
        await time_env.sleep(timedelta(days=2))
        still = await handle.query(ComplaintWorkflow.status)
        assert still.escalation_level == 0 and still.stage == "waiting_on_customer"

        resumed = await handle.execute_update(ComplaintWorkflow.resume, ResumeRequest(actor=ACTOR))
        moved = resumed.resolve_by - before.resolve_by
        assert timedelta(days=2) <= moved < timedelta(days=2, minutes=5)
        assert resumed.paused_seconds == pytest.approx(moved.total_seconds())
        assert (await handle.query(ComplaintWorkflow.status)).next_escalation_at == resumed.resolve_by
        row = await _row(sessions, handle)
        assert row.resolve_by == resumed.resolve_by and row.status == "in_progress"
        assert row.paused_seconds == pytest.approx(moved.total_seconds())
        await handle.terminate()


async def test_reopen_returns_to_in_progress_and_accept_closes(
    time_env: WorkflowEnvironment, run_worker, factory, sessions, settings
) -> None:
    org = await factory.org()
    customer = await factory.customer(owner=org.l2)
    async with run_worker(time_env.client):
        handle = await _start(time_env.client, settings.task_queue, customer.id)
        await handle.execute_update(ComplaintWorkflow.acknowledge, AcknowledgeRequest(actor=ACTOR))
        resolved = await handle.execute_update(
            ComplaintWorkflow.resolve, ResolveRequest(actor=ACTOR, resolution="refunded")
        )
        assert resolved.status == "resolved" and resolved.sla_resolution_met is True

        # Accepting without a satisfaction score is rejected by the validator.
        with pytest.raises(WorkflowUpdateFailedError):
            await handle.execute_update(
                ComplaintWorkflow.customer_response, CustomerResponseRequest(actor=ACTOR, accepted=True)
            )

        reopened = await handle.execute_update(
            ComplaintWorkflow.customer_response, CustomerResponseRequest(actor=ACTOR, accepted=False, comment="no")
        )
        assert (reopened.status, reopened.reopen_count) == ("in_progress", 1)
        assert [n.recipient_id for n in await _notifications(sessions, handle, "complaint.reopened")] == [org.l2.id]

        await handle.execute_update(ComplaintWorkflow.resolve, ResolveRequest(actor=ACTOR, resolution="replaced"))
        await handle.execute_update(
            ComplaintWorkflow.customer_response, CustomerResponseRequest(actor=ACTOR, accepted=True, satisfaction=4)
        )
        outcome = await handle.result()
        assert (outcome.close_reason, outcome.satisfaction, outcome.reopen_count) == ("accepted", 4, 1)
        row = await _row(sessions, handle)
        assert (row.status, row.close_reason, row.satisfaction, row.reopen_count) == ("closed", "accepted", 4, 1)
        assert row.sla_response_met is True and row.sla_resolution_met is True
        assert row.response_seconds is not None and row.resolution_seconds is not None


async def test_no_customer_answer_auto_closes(
    time_env: WorkflowEnvironment, run_worker, factory, sessions, settings
) -> None:
    org = await factory.org()
    customer = await factory.customer(owner=org.l2)
    async with run_worker(time_env.client):
        handle = await _start(time_env.client, settings.task_queue, customer.id, severity="low")
        await handle.execute_update(ComplaintWorkflow.acknowledge, AcknowledgeRequest(actor=ACTOR))
        await handle.execute_update(ComplaintWorkflow.resolve, ResolveRequest(actor=ACTOR, resolution="fixed"))
        # Waiting on the result skips time through the 3-day confirmation window.
        outcome = await handle.result()
        assert outcome.close_reason == "auto_closed" and outcome.satisfaction is None
        row = await _row(sessions, handle)
        assert (row.status, row.close_reason) == ("closed", "auto_closed")
        assert row.closed_at - row.resolved_at >= timedelta(days=3)


async def test_actions_in_the_wrong_stage_are_rejected(
    time_env: WorkflowEnvironment, run_worker, factory, settings
) -> None:
    org = await factory.org()
    customer = await factory.customer(owner=org.l2)
    async with run_worker(time_env.client):
        handle = await _start(time_env.client, settings.task_queue, customer.id)
        with pytest.raises(WorkflowUpdateFailedError) as failed:
            await handle.execute_update(ComplaintWorkflow.resolve, ResolveRequest(actor=ACTOR, resolution="x"))
        assert failed.value.cause.type == "WrongStage"
        with pytest.raises(WorkflowUpdateFailedError):
            await handle.execute_update(ComplaintWorkflow.resume, ResumeRequest(actor=ACTOR))
        assert (await handle.query(ComplaintWorkflow.status)).stage == "open"
        await handle.terminate()


async def _open_task(sessions, handle: WorkflowHandle, level: int = 0, exclude: set[int] | None = None) -> Task:
    """The complaint's open approval task (filed under the complaint; its compensation flow decides it)."""
    return await wait_for_open_task(sessions, handle.id, level=level, exclude=exclude)


async def _decide(client: Client, task: Task, staff_id: int, decision: str, role: str = "manager") -> None:
    """Decide as the inbox does: the update goes to the workflow that takes the task's decisions."""
    await client.get_workflow_handle(task.decided_in).execute_update(
        "task.decide",
        TaskDecisionInput(
            task_key=task.task_key,
            actor=TaskActor(role=role, staff_id=staff_id, label=f"{role}:staff:{staff_id}"),
            decision=decision,
        ),
    )


async def test_compensation_above_threshold_waits_for_supervisor_approval(
    time_env: WorkflowEnvironment, run_worker, factory, sessions, settings
) -> None:
    org = await factory.org()
    customer = await factory.customer(owner=org.l2)
    async with run_worker(time_env.client):
        handle = await _start(time_env.client, settings.task_queue, customer.id)
        await handle.execute_update(ComplaintWorkflow.acknowledge, AcknowledgeRequest(actor=ACTOR))
        pending = await handle.execute_update(
            ComplaintWorkflow.resolve,
            ResolveRequest(actor=ACTOR, resolution="refund", compensation_amount=Decimal("5000")),
        )
        assert pending.status == "pending_approval"
        task = await _open_task(sessions, handle)
        assert task.assignee_id == org.l1.id  # the owner's supervisor

        # Not the assignee: refused by the task validator, nothing changes.
        with pytest.raises(WorkflowUpdateFailedError):
            await _decide(time_env.client, task, org.l2.id, "approve")
        await _decide(time_env.client, task, org.l1.id, "approve")
        status = await _until(handle, lambda s: s.stage == "resolved")
        assert status.compensation_amount == Decimal("5000") and not status.open_tasks
        row = await _row(sessions, handle)
        assert (row.status, row.compensation_amount, row.resolution) == ("resolved", Decimal("5000"), "refund")
        await handle.terminate()


async def test_high_compensation_needs_the_director_too_and_rejection_reopens_work(
    time_env: WorkflowEnvironment, run_worker, factory, sessions, settings
) -> None:
    org = await factory.org()
    customer = await factory.customer(owner=org.l2)
    async with run_worker(time_env.client):
        handle = await _start(time_env.client, settings.task_queue, customer.id)
        await handle.execute_update(ComplaintWorkflow.acknowledge, AcknowledgeRequest(actor=ACTOR))
        await handle.execute_update(
            ComplaintWorkflow.resolve,
            ResolveRequest(actor=ACTOR, resolution="refund", compensation_amount=Decimal("20000")),
        )
        first = await _open_task(sessions, handle)
        await _decide(time_env.client, first, org.l1.id, "approve")
        director_task = await _open_task(sessions, handle, exclude={first.id})
        second = await handle.query(ComplaintWorkflow.status)
        assert director_task.assignee_id == org.director.id and second.stage == "pending_approval"
        await _decide(time_env.client, director_task, org.director.id, "reject", role="director")
        status = await _until(handle, lambda s: s.stage == "in_progress")
        assert status.resolution is None and status.compensation_amount is None
        assert [n.recipient_id for n in await _notifications(sessions, handle, "complaint.compensation_rejected")] == [
            org.l2.id
        ]
        # Resolving again without compensation needs no approval.
        resolved = await handle.execute_update(
            ComplaintWorkflow.resolve, ResolveRequest(actor=ACTOR, resolution="apology")
        )
        assert resolved.status == "resolved"
        await handle.terminate()


async def test_ignored_compensation_approval_climbs_to_the_director(
    time_env: WorkflowEnvironment, run_worker, factory, sessions, settings
) -> None:
    org = await factory.org()
    customer = await factory.customer(owner=org.l2)
    async with run_worker(time_env.client):
        handle = await _start(time_env.client, settings.task_queue, customer.id, severity="low")
        await handle.execute_update(ComplaintWorkflow.acknowledge, AcknowledgeRequest(actor=ACTOR))
        await handle.execute_update(
            ComplaintWorkflow.resolve,
            ResolveRequest(actor=ACTOR, resolution="refund", compensation_amount=Decimal("2000")),
        )
        await _open_task(sessions, handle)
        await time_env.sleep(timedelta(days=1, minutes=5))  # the supervisor's 1-day due window passes
        escalated = await _open_task(sessions, handle, level=1)
        assert escalated.assignee_id == org.director.id
        await _decide(time_env.client, escalated, org.director.id, "approve", role="director")
        assert (await _until(handle, lambda s: s.stage == "resolved")).escalation_level == 0
        await handle.terminate()
