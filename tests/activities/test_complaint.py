"""Complaint activities are idempotent: the same activity execution run twice writes once (SQLite and PostgreSQL)."""

from __future__ import annotations

import dataclasses
import uuid
from datetime import UTC, datetime, timedelta

import pytest
from sqlalchemy import func, select
from sqlalchemy.exc import IntegrityError
from temporalio.exceptions import ApplicationError
from temporalio.testing import ActivityEnvironment

from activities.complaint import ComplaintActivities
from db.models import AuditEvent, Complaint, Notification
from definitions.complaint import (
    ActionActor,
    ComplaintChanges,
    ComplaintState,
    EscalateInput,
    NotificationSpec,
    OpenComplaintInput,
    RecordChangeInput,
    SlaWarningInput,
)
from tests.factories import Factory

NOW = datetime(2026, 3, 2, 9, 0, tzinfo=UTC)


def _env(workflow_id: str, activity_id: str) -> ActivityEnvironment:
    env = ActivityEnvironment()
    env.info = dataclasses.replace(
        ActivityEnvironment.default_info(), workflow_id=workflow_id, workflow_run_id="run-1", activity_id=activity_id
    )
    return env


async def _count(sessions, model, **where) -> int:
    query = select(func.count()).select_from(model)
    for name, value in where.items():
        query = query.where(getattr(model, name) == value)
    async with sessions() as session:
        return await session.scalar(query)


async def _opened(sessions, activities: ComplaintActivities):
    org = await Factory(sessions).org()
    customer = await Factory(sessions).customer(owner=org.l2)
    complaint_id = str(uuid.uuid4())
    workflow_id = f"complaint-{complaint_id}"
    data = OpenComplaintInput(
        complaint_id=complaint_id,
        workflow_id=workflow_id,
        customer_id=customer.id,
        severity="critical",
        category="billing",
        description="charged twice",
        channel="email",
        definition_version=1,
        actor=ActionActor(label="service:principal:1"),
        opened_at=NOW,
        respond_by=NOW + timedelta(hours=1),
        resolve_by=NOW + timedelta(hours=8),
    )
    env = _env(workflow_id, "1")
    first = await env.run(activities.open, data)
    second = await env.run(activities.open, data)
    return org, customer, data, first, second


async def test_open_twice_creates_one_row_one_audit_one_notification(any_db_sessions) -> None:
    activities = ComplaintActivities(any_db_sessions)
    org, _, data, first, second = await _opened(any_db_sessions, activities)
    assert first.owner_id == second.owner_id == org.l2.id
    assert await _count(any_db_sessions, Complaint) == 1
    assert await _count(any_db_sessions, AuditEvent, entity_id=data.complaint_id) == 1
    assert await _count(any_db_sessions, Notification, kind="complaint.assigned") == 1
    # A re-run of the process (another run id) finds the row by its natural key and adds nothing.
    other_run = _env(data.workflow_id, "1")
    other_run.info = dataclasses.replace(other_run.info, workflow_run_id="run-2")
    assert (await other_run.run(activities.open, data)).owner_id == org.l2.id
    assert await _count(any_db_sessions, AuditEvent, entity_id=data.complaint_id) == 1


async def test_record_change_twice_writes_once(any_db_sessions) -> None:
    activities = ComplaintActivities(any_db_sessions)
    org, customer, data, _, _ = await _opened(any_db_sessions, activities)
    change = RecordChangeInput(
        complaint_id=data.complaint_id,
        workflow_id=data.workflow_id,
        customer_id=customer.id,
        action="complaint.reopened",
        actor="service:principal:1",
        state=ComplaintState(
            status="in_progress",
            owner_id=org.l2.id,
            respond_by=data.respond_by,
            resolve_by=data.resolve_by,
            reopen_count=1,
        ),
        notifications=[NotificationSpec(recipient_id=org.l2.id, kind="complaint.reopened", subject="reopened")],
    )
    env = _env(data.workflow_id, "5")
    assert (await env.run(activities.record_change, change)).applied is True
    # Temporal numbers a retry's attempt: the retry reads its key first and writes nothing.
    retry = _env(data.workflow_id, "5")
    retry.info = dataclasses.replace(retry.info, attempt=2)
    assert (await retry.run(activities.record_change, change)).applied is False
    # A first attempt skips that read; a duplicate one is stopped by the unique operation key.
    with pytest.raises(IntegrityError):
        await env.run(activities.record_change, change)
    assert await _count(any_db_sessions, AuditEvent, action="complaint.reopened") == 1
    assert await _count(any_db_sessions, Notification, kind="complaint.reopened") == 1
    async with any_db_sessions() as session:
        row = await session.get(Complaint, data.complaint_id)
        assert (row.status, row.reopen_count) == ("in_progress", 1)


async def test_record_change_with_changed_columns_writes_only_those(any_db_sessions) -> None:
    activities = ComplaintActivities(any_db_sessions)
    org, customer, data, _, _ = await _opened(any_db_sessions, activities)
    opened = ComplaintState(owner_id=org.l2.id, respond_by=data.respond_by, resolve_by=data.resolve_by)
    acknowledged = opened.model_copy(
        update={"status": "in_progress", "acknowledged_at": NOW, "sla_response_met": True, "response_seconds": 60.0}
    )
    change = RecordChangeInput(
        complaint_id=data.complaint_id,
        workflow_id=data.workflow_id,
        customer_id=customer.id,
        action="complaint.acknowledged",
        actor="service:principal:1",
        changes=ComplaintChanges.between(opened, acknowledged),
    )
    assert (await _env(data.workflow_id, "5").run(activities.record_change, change)).applied is True
    async with any_db_sessions() as session:
        row = await session.get(Complaint, data.complaint_id)
        assert (row.status, row.sla_response_met, row.response_seconds) == ("in_progress", True, 60.0)
        assert row.acknowledged_at is not None and row.owner_id == org.l2.id
        # Columns the step did not change keep their values (the first deadlines written at open).
        assert (row.respond_by, row.original_respond_by) == (data.respond_by, data.respond_by)
        audit = await session.scalar(select(AuditEvent).where(AuditEvent.action == "complaint.acknowledged"))
        assert audit is not None and audit.details == {
            "status": "in_progress",
            "owner_id": org.l2.id,
            "escalation_level": 0,
        }


@pytest.mark.parametrize("sent", ["whole state", "changed columns"])
async def test_escalate_twice_climbs_one_level(any_db_sessions, sent: str) -> None:
    activities = ComplaintActivities(any_db_sessions)
    org, customer, data, _, _ = await _opened(any_db_sessions, activities)
    opened = ComplaintState(owner_id=org.l2.id, respond_by=data.respond_by, resolve_by=data.resolve_by)
    moved = data.respond_by + timedelta(hours=1)  # the new window of a run that moves the deadline
    breached = opened.model_copy(
        update={"sla_response_met": False, "respond_by": moved, "original_respond_by": data.respond_by}
    )
    escalate = EscalateInput(
        complaint_id=data.complaint_id,
        workflow_id=data.workflow_id,
        customer_id=customer.id,
        severity="critical",
        phase="respond",
        max_level=5,
        notify_director=True,
        **({"state": breached} if sent == "whole state" else {"changes": ComplaintChanges.between(opened, breached)}),
    )
    env = _env(data.workflow_id, "7")
    first = await env.run(activities.escalate, escalate)
    second = await env.run(activities.escalate, escalate)
    assert first == second
    assert (first.escalated, first.owner_id, first.escalation_level, first.can_climb_further) == (
        True,
        org.l1.id,
        1,
        True,
    )
    async with any_db_sessions() as session:
        row = await session.get(Complaint, data.complaint_id)
        assert (row.owner_id, row.escalation_level, row.sla_response_met) == (org.l1.id, 1, False)
        assert (row.respond_by, row.original_respond_by, row.resolve_by) == (moved, data.respond_by, data.resolve_by)
        audit = await session.scalar(select(AuditEvent).where(AuditEvent.action == "complaint.escalated"))
        assert audit is not None and audit.details["deadline"] == moved.isoformat()
    assert await _count(any_db_sessions, AuditEvent, action="complaint.escalated") == 1
    assert await _count(any_db_sessions, Notification, kind="complaint.escalated", recipient_id=org.l1.id) == 1
    assert (
        await _count(any_db_sessions, Notification, kind="complaint.director_alert", recipient_id=org.director.id) == 1
    )


async def test_sla_warning_twice_notifies_once(any_db_sessions) -> None:
    activities = ComplaintActivities(any_db_sessions)
    org, customer, data, _, _ = await _opened(any_db_sessions, activities)
    warning = SlaWarningInput(
        complaint_id=data.complaint_id,
        workflow_id=data.workflow_id,
        customer_id=customer.id,
        recipient_id=org.l2.id,
        phase="respond",
        fraction=0.5,
        deadline=data.respond_by,
    )
    env = _env(data.workflow_id, "3")
    assert (await env.run(activities.sla_warning, warning)).applied is True
    assert (await env.run(activities.sla_warning, warning)).applied is False
    assert await _count(any_db_sessions, Notification, kind="complaint.sla_warning") == 1


async def test_record_change_of_a_missing_complaint_fails_for_good(any_db_sessions) -> None:
    activities = ComplaintActivities(any_db_sessions)
    change = RecordChangeInput(
        complaint_id=str(uuid.uuid4()),
        workflow_id="complaint-missing",
        customer_id=1,
        action="complaint.resolved",
        actor="staff:1",
        state=ComplaintState(status="resolved", respond_by=NOW, resolve_by=NOW),
    )
    with pytest.raises(ApplicationError) as refused:
        await _env("complaint-missing", "2").run(activities.record_change, change)
    assert (refused.value.type, refused.value.non_retryable) == ("ComplaintMissing", True)
    assert await _count(any_db_sessions, AuditEvent, workflow_id="complaint-missing") == 0
