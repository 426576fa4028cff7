"""Approval activities that write several events at once are idempotent: a retry writes none of them again."""

from __future__ import annotations

import dataclasses
import uuid

import pytest
from sqlalchemy import func, select
from sqlalchemy.exc import IntegrityError
from temporalio.testing import ActivityEnvironment

from activities.approval import ApprovalActivities
from db.models import ApprovalRequest, AuditEvent, Notification, Staff
from definitions.approval import (
    ApprovalEvent,
    ApprovalState,
    ApproverRule,
    OpenApprovalInput,
    RecordApprovalEventsInput,
    ResolveApproversInput,
    StartStepInput,
    StepView,
)
from definitions.tasks import TaskActor
from tests.factories import Factory


def _env(workflow_id: str, activity_id: str, attempt: int = 1) -> ActivityEnvironment:
    env = ActivityEnvironment()
    env.info = dataclasses.replace(
        ActivityEnvironment.default_info(),
        workflow_id=workflow_id,
        workflow_run_id="run-1",
        activity_id=activity_id,
        attempt=attempt,
    )
    return env


async def _actions(sessions, workflow_id: str) -> list[str]:
    async with sessions() as session:
        query = select(AuditEvent.action).where(AuditEvent.workflow_id == workflow_id).order_by(AuditEvent.id)
        return list(await session.scalars(query))


async def _opened(sessions, activities: ApprovalActivities) -> tuple[Factory, Staff, str, str, ApprovalState]:
    org = await Factory(sessions).org()
    approval_id = str(uuid.uuid4())
    workflow_id = f"approval-{approval_id}"
    step = StepView(name="sign", mode="any", status="waiting")
    state = ApprovalState(approval_id=approval_id, flow="trial", flow_version=1, status="pending", steps=[step])
    await _env(workflow_id, "1").run(
        activities.open_request,
        OpenApprovalInput(
            approval_id=approval_id,
            flow="trial",
            flow_version=1,
            flow_hash="0" * 16,
            title="Please approve",
            fields={},
            requester=TaskActor(role="manager", staff_id=org.l2.id, label=f"manager:staff:{org.l2.id}"),
            state=state,
        ),
    )
    return org, org.l1, approval_id, workflow_id, state


async def test_record_events_writes_the_batch_once_in_order(any_db_sessions) -> None:
    activities = ApprovalActivities(any_db_sessions)
    org, _, approval_id, workflow_id, state = await _opened(any_db_sessions, activities)
    decided = state.model_copy(update={"status": "approved", "outcome_reason": "every step approved"})
    batch = RecordApprovalEventsInput(
        approval_id=approval_id,
        events=[
            ApprovalEvent(action="approval.step_approved", actor_label="staff:1", details={"step": "sign"}),
            ApprovalEvent(action="approval.step_skipped", reason="condition not met", details={"step": "board"}),
            ApprovalEvent(action="approval.approved", reason="every step approved", final=True),
        ],
        state=decided,
    )
    await _env(workflow_id, "7").run(activities.record_events, batch)
    # Temporal numbers a retry's attempt: the retry reads the key first and writes nothing.
    await _env(workflow_id, "7", attempt=2).run(activities.record_events, batch)
    # A duplicate first attempt is stopped by the unique operation key.
    with pytest.raises(IntegrityError):
        await _env(workflow_id, "7").run(activities.record_events, batch)
    assert await _actions(any_db_sessions, workflow_id) == [
        "approval.submitted",
        "approval.step_approved",
        "approval.step_skipped",
        "approval.approved",
    ]
    async with any_db_sessions() as session:
        row = await session.get(ApprovalRequest, approval_id)
        assert (row.status, row.outcome_reason) == ("approved", "every step approved")
        assert row.decided_at is not None
        notified = await session.scalar(
            select(func.count()).select_from(Notification).where(Notification.entity_id == approval_id)
        )
    assert notified == 1 and org.l2.id == row.requester_id


async def test_start_step_records_the_approvers_it_resolved_and_a_retry_answers_them(any_db_sessions) -> None:
    activities = ApprovalActivities(any_db_sessions)
    _, signer, approval_id, workflow_id, state = await _opened(any_db_sessions, activities)
    running = state.model_copy(
        update={"current_step": "sign", "steps": [state.steps[0].model_copy(update={"status": "running"})]}
    )
    start = StartStepInput(
        approval_id=approval_id,
        resolve=ResolveApproversInput(rules=[ApproverRule(staff=[signer.email])]),
        step_index=0,
        events=[ApprovalEvent(action="approval.step_skipped", reason="condition not met", details={"step": "x"})],
        state=running,
    )
    first = await _env(workflow_id, "3").run(activities.start_step, start)
    assert first.staff_ids == [signer.id]
    async with any_db_sessions() as session, session.begin():
        (await session.get(Staff, signer.id)).active = False
    # The signer left meanwhile: a retry answers whom the step started with, and writes nothing again.
    retry = await _env(workflow_id, "3", attempt=2).run(activities.start_step, start)
    assert retry.staff_ids == [signer.id]
    assert await _actions(any_db_sessions, workflow_id) == [
        "approval.submitted",
        "approval.step_skipped",
        "approval.step_started",
    ]
    async with any_db_sessions() as session:
        row = await session.get(ApprovalRequest, approval_id)
        started = await session.scalar(
            select(AuditEvent).where(
                AuditEvent.workflow_id == workflow_id, AuditEvent.action == "approval.step_started"
            )
        )
    assert row.current_step == "sign" and row.state["steps"][0]["approvers"][0]["queue"] == [signer.id]
    assert started.details["approvers"] == [signer.id] and started.details["step"] == "sign"
    # Nobody to resolve: nothing is written (the workflow writes its events with the no-approver event).
    nobody = await _env(workflow_id, "9").run(activities.start_step, start)
    assert nobody.staff_ids == []
    assert len(await _actions(any_db_sessions, workflow_id)) == 3
