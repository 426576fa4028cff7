"""The daily reclaim workflow with real activities: warn first, then reclaim to the pool."""

from __future__ import annotations

import uuid
from datetime import timedelta

from sqlalchemy import select
from temporalio.testing import WorkflowEnvironment

from crmflow.settings import PACKAGED_DEFINITIONS_DIR
from db.models import AuditEvent, Customer, Notification
from definitions.loader import load_as
from definitions.reclaim import ReclaimDefinition, ReclaimInput
from tests.factories import Factory
from workflows.reclaim import ReclaimWorkflow, workflow_id_for

DEFINITION = load_as(PACKAGED_DEFINITIONS_DIR, ReclaimDefinition)


async def test_daily_run_warns_and_reclaims(
    time_env: WorkflowEnvironment, run_worker, factory: Factory, sessions, settings
) -> None:
    org = await factory.org()
    # The workflow's clock is the test server's, which earlier tests may have skipped ahead.
    now = await time_env.get_current_time()
    lapsing = await factory.customer(
        org.l2, tier=2, owner_assigned_at=now - timedelta(days=300), last_follow_up_at=now - timedelta(days=26)
    )
    lapsed = await factory.customer(
        org.l2, tier=2, owner_assigned_at=now - timedelta(days=300), last_follow_up_at=now - timedelta(days=31)
    )
    # Tier 2's next contact is due 21 days after the last follow-up: tomorrow, so its owner is reminded.
    due_soon = await factory.customer(
        org.l2, tier=2, owner_assigned_at=now - timedelta(days=300), last_follow_up_at=now - timedelta(days=20)
    )
    async with run_worker(time_env.client):
        result = await time_env.client.execute_workflow(
            ReclaimWorkflow.run,
            ReclaimInput(definition=DEFINITION),
            id=f"{workflow_id_for(now.date())}-{uuid.uuid4().hex[:6]}",
            task_queue=settings.task_queue,
        )
    assert (result.warned, result.reclaimed, result.reminded) == (1, 1, 1)
    async with sessions() as session:
        assert (await session.get(Customer, lapsing.id)).status == "active"
        row = await session.get(Customer, lapsed.id)
        assert (row.status, row.owner_id, row.previous_owner_id) == ("pool", None, org.l2.id)
        warning = await session.scalar(select(Notification).where(Notification.kind == "reclaim.warning"))
        assert (warning.recipient_id, warning.entity_id) == (org.l2.id, str(lapsing.id))
        audit = await session.scalar(select(AuditEvent).where(AuditEvent.action == "customer.reclaimed"))
        assert audit.customer_id == lapsed.id and audit.workflow_id is not None
        reminder = await session.scalar(select(Notification).where(Notification.kind == "contact.reminder"))
        assert (reminder.recipient_id, reminder.entity_id) == (org.l2.id, str(due_soon.id))
