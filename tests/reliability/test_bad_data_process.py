"""A process whose first write fails for good ends visibly: failed, audited, listed for ops (issue 13 point 3)."""

from __future__ import annotations

import asyncio
import os
import uuid

import pytest
from sqlalchemy import select
from temporalio.client import WorkflowFailureError, WorkflowUpdateFailedError
from temporalio.exceptions import ApplicationError

from crmflow.settings import PACKAGED_DEFINITIONS_DIR
from db.models import AuditEvent, Complaint
from definitions.complaint import ActionActor, ComplaintStart, IntakeRequest
from definitions.loader import load_complaint_definition
from workflows.complaint import OPEN_FAILED, ComplaintWorkflow

ACTOR = ActionActor(label="service:principal:1", staff_id=None)


async def test_unstorable_complaint_fails_the_process_visibly_instead_of_retrying(
    api, local_env, settings, factory, sessions
) -> None:
    org = await factory.org()
    customer = await factory.customer(owner=org.l2)
    on_postgres = bool(os.environ.get("CRMFLOW_TEST_DATABASE_URL"))
    # What each database cannot store: NUL in text on PostgreSQL; an id beyond 64 bits on SQLite.
    customer_id, description = (customer.id, "charged\x00twice") if on_postgres else (2**63, "charged twice")
    complaint_id = str(uuid.uuid4())
    start = ComplaintStart(
        complaint_id=complaint_id,
        customer_id=customer_id,
        customer_tier=2,
        severity="high",
        category="billing",
        description=description,
        channel="email",
        opened_by=ACTOR,
        definition=load_complaint_definition(PACKAGED_DEFINITIONS_DIR),
    )
    handle = await local_env.client.start_workflow(
        ComplaintWorkflow.run, start, id=f"complaint-{complaint_id}", task_queue=settings.task_queue
    )
    with pytest.raises(WorkflowUpdateFailedError) as update_error:
        await asyncio.wait_for(handle.execute_update(ComplaintWorkflow.intake, IntakeRequest(actor=ACTOR)), 60)
    assert isinstance(update_error.value.cause, ApplicationError) and update_error.value.cause.type == OPEN_FAILED
    with pytest.raises(WorkflowFailureError) as failure:
        await asyncio.wait_for(handle.result(), 60)
    assert "could not be opened" in str(failure.value.cause)

    async with sessions() as session:
        assert await session.get(Complaint, complaint_id) is None
        audit = (await session.scalars(select(AuditEvent).where(AuditEvent.action == "complaint.open_failed"))).one()
    assert audit.entity_id == complaint_id and audit.workflow_id == handle.id and audit.reason
    assert "\x00" not in audit.reason

    listed = await api.get(
        "/v1/processes", params={"type": "complaint", "status": "failed"}, headers=org.headers("ops")
    )
    assert listed.status_code == 200, listed.text
    assert handle.id in [p["workflow_id"] for p in listed.json()["items"]]
