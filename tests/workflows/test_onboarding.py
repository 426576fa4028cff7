"""The onboarding workflow in the time-skipping environment, with real activities on the test database."""

from __future__ import annotations

import uuid
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from datetime import timedelta
from decimal import Decimal

import pytest
from sqlalchemy import select
from temporalio.client import Client, WithStartWorkflowOperation, WorkflowHandle, WorkflowUpdateFailedError
from temporalio.common import WorkflowIDConflictPolicy
from temporalio.testing import WorkflowEnvironment

from crmflow.settings import PACKAGED_DEFINITIONS_DIR
from db.models import AuditEvent, Customer, Staff, StaffRole, Task
from definitions.loader import load_as
from definitions.onboarding import OnboardingCreated, OnboardingDefinition, OnboardingInput, OnboardingResult
from definitions.tasks import TaskActor, TaskCompleteInput, TaskDecisionInput, TaskView
from tests.factories import Factory, Org
from tests.workflows.flow_tasks import open_task_and_holder
from workflows.onboarding import OnboardingWorkflow, workflow_id_for

DEFINITION = load_as(PACKAGED_DEFINITIONS_DIR, OnboardingDefinition)


def actor(staff: Staff, role: str = "manager") -> TaskActor:
    return TaskActor(role=role, staff_id=staff.id, label=f"{role}:staff:{staff.id}")


@asynccontextmanager
async def onboarding(
    client: Client, task_queue: str, factory: Factory, **customer_fields
) -> AsyncIterator[tuple[WorkflowHandle, Customer]]:
    """Create a pending customer, start its onboarding; terminate it if the test leaves it running."""
    customer_fields.setdefault("industry", "retail")
    customer_fields.setdefault("declared_annual_value", Decimal("50000"))
    customer = await factory.customer(status="pending", **customer_fields)
    handle = await client.start_workflow(
        OnboardingWorkflow.run,
        OnboardingInput(
            customer_id=customer.id,
            name=customer.name,
            region=customer.region,
            industry=customer.industry,
            declared_annual_value=customer.declared_annual_value,
            requested_by="service:principal:1",
            definition=DEFINITION,
        ),
        id=workflow_id_for(customer.id),
        task_queue=task_queue,
    )
    try:
        yield handle, customer
    finally:
        description = await handle.describe()
        if description.status is not None and description.status.name == "RUNNING":
            await handle.terminate("test finished")


@asynccontextmanager
async def intake(client: Client, task_queue: str, **fields) -> AsyncIterator[tuple[WorkflowHandle, OnboardingCreated]]:
    """Start an onboarding as the API does (update-with-start, no customer row yet); terminate it if left running."""
    fields.setdefault("name", f"Intake Co {uuid.uuid4().hex[:8]}")
    fields.setdefault("region", "east")
    fields.setdefault("industry", "retail")
    fields.setdefault("declared_annual_value", Decimal("50000"))
    operation = WithStartWorkflowOperation(
        OnboardingWorkflow.run,
        OnboardingInput(customer_id=None, requested_by="service:principal:1", definition=DEFINITION, **fields),
        id=f"onboarding-{uuid.uuid4()}",
        task_queue=task_queue,
        id_conflict_policy=WorkflowIDConflictPolicy.USE_EXISTING,
    )
    created = await client.execute_update_with_start_workflow(
        OnboardingWorkflow.created, start_workflow_operation=operation
    )
    handle = await operation.workflow_handle()
    try:
        yield handle, created
    finally:
        description = await handle.describe()
        if description.status is not None and description.status.name == "RUNNING":
            await handle.terminate("test finished")


async def open_task(handle: WorkflowHandle, key: str, *, level: int = 0) -> TaskView:
    """Poll the task lists until `key` is open (at escalation `level`); activities run in real time."""
    return (await open_task_and_holder(handle, key, level=level))[0]


async def complete(handle: WorkflowHandle, key: str, who: Staff, data: dict, role: str = "manager") -> None:
    await handle.execute_update("task.complete", TaskCompleteInput(task_key=key, actor=actor(who, role), data=data))


async def decide(handle: WorkflowHandle, who: Staff, decision: str, role: str = "director") -> None:
    """Decide the open approval where the inbox would send it: the workflow that holds the task."""
    _, holder = await open_task_and_holder(handle, "approval", level=None)
    await holder.execute_update(
        "task.decide", TaskDecisionInput(task_key="approval", actor=actor(who, role), decision=decision)
    )


async def customer_row(sessions, customer_id: int) -> Customer:
    async with sessions() as session:
        return await session.get(Customer, customer_id)


async def audit_actions(sessions, customer_id: int) -> list[str]:
    async with sessions() as session:
        rows = await session.scalars(
            select(AuditEvent.action).where(AuditEvent.customer_id == customer_id).order_by(AuditEvent.id)
        )
        return list(rows)


async def test_tier_2_happy_path_assigns_kicks_off_and_activates(
    time_env: WorkflowEnvironment, run_worker, factory: Factory, sessions, settings
) -> None:
    org: Org = await factory.org()
    async with (
        run_worker(time_env.client),
        onboarding(time_env.client, settings.task_queue, factory) as (
            handle,
            customer,
        ),
    ):
        kickoff = await open_task(handle, "kickoff")
        assert kickoff.assignee_id == org.l2.id and kickoff.kind == "form"
        state = await handle.query(OnboardingWorkflow.status)
        assert (state.stage, state.tier, state.owner_id) == ("kickoff", 2, org.l2.id)
        assert [t.task_key for t in state.open_tasks] == ["kickoff"]
        with pytest.raises(WorkflowUpdateFailedError):  # the form needs its notes
            await complete(handle, "kickoff", org.l2, {})
        await complete(handle, "kickoff", org.l2, {"notes": "met the CFO"})
        result: OnboardingResult = await handle.result()

    assert (result.status, result.tier, result.owner_id) == ("active", 2, org.l2.id)
    row = await customer_row(sessions, customer.id)
    assert (row.status, row.tier, row.owner_id) == ("active", 2, org.l2.id)
    assert row.activated_at is not None and row.owner_assigned_at is not None
    async with sessions() as session:
        assert (await session.get(Staff, org.l2.id)).last_assigned_at is not None
    actions = await audit_actions(sessions, customer.id)
    for expected in ("customer.tier_set", "customer.assigned", "task.opened", "customer.activated"):
        assert expected in actions


async def test_tier_1_needs_the_directors_approval(
    time_env: WorkflowEnvironment, run_worker, factory: Factory, sessions, settings
) -> None:
    org = await factory.org()
    async with (
        run_worker(time_env.client),
        onboarding(time_env.client, settings.task_queue, factory, declared_annual_value=Decimal("2500000")) as (
            handle,
            customer,
        ),
    ):
        approval = await open_task(handle, "approval")
        assert approval.assignee_id == org.director.id and approval.kind == "approval"
        with pytest.raises(WorkflowUpdateFailedError):  # only the director decides
            await decide(handle, org.l1, "approve", role="manager")
        await decide(handle, org.director, "approve")
        kickoff = await open_task(handle, "kickoff")
        assert kickoff.assignee_id == org.l1.id  # tier 1 → an L1 manager
        await complete(handle, "kickoff", org.l1, {"notes": "kickoff done"})
        result = await handle.result()

    assert (result.status, result.tier, result.owner_id) == ("active", 1, org.l1.id)
    row = await customer_row(sessions, customer.id)
    assert (row.status, row.tier, row.owner_id) == ("active", 1, org.l1.id)


async def test_tier_1_rejected_by_the_director_rejects_the_customer(
    time_env: WorkflowEnvironment, run_worker, factory: Factory, sessions, settings
) -> None:
    org = await factory.org()
    async with (
        run_worker(time_env.client),
        onboarding(time_env.client, settings.task_queue, factory, industry="Banking") as (handle, customer),
    ):
        await open_task(handle, "approval")
        await decide(handle, org.director, "reject")
        result = await handle.result()

    assert (result.status, result.tier) == ("rejected", 1)
    row = await customer_row(sessions, customer.id)
    assert row.status == "rejected" and row.status_reason == "rejected by the director"
    assert "customer.rejected" in await audit_actions(sessions, customer.id)
    async with sessions() as session:
        keys = set(await session.scalars(select(Task.task_key).where(Task.workflow_id == handle.id)))
    assert keys == {"approval"}  # no kickoff for a rejected customer


async def test_overdue_kickoff_escalates_to_the_owners_supervisor(
    time_env: WorkflowEnvironment, run_worker, factory: Factory, sessions, settings
) -> None:
    org = await factory.org()
    async with (
        run_worker(time_env.client),
        onboarding(time_env.client, settings.task_queue, factory) as (
            handle,
            customer,
        ),
    ):
        kickoff = await open_task(handle, "kickoff")
        now = await time_env.get_current_time()
        # Due in 3 business days: more than 3 calendar days away, and never more than ~2 weeks.
        assert timedelta(days=1) < kickoff.due_at - now < timedelta(days=14)
        await time_env.sleep(kickoff.due_at - now + timedelta(minutes=1))
        escalated = await open_task(handle, "kickoff", level=1)
        assert escalated.assignee_id == org.l1.id  # the L2 owner's supervisor
        with pytest.raises(WorkflowUpdateFailedError):  # the owner no longer holds it
            await complete(handle, "kickoff", org.l2, {"notes": "late"})
        await complete(handle, "kickoff", org.l1, {"notes": "done by the supervisor"})
        result = await handle.result()

    assert result.status == "active" and result.owner_id == org.l2.id
    async with sessions() as session:
        task = await session.scalar(select(Task).where(Task.workflow_id == handle.id, Task.task_key == "kickoff"))
    assert (task.assignee_id, task.escalation_level, task.status) == (org.l1.id, 1, "completed")


async def test_nobody_available_asks_the_director_to_assign(
    time_env: WorkflowEnvironment, run_worker, factory: Factory, sessions, settings
) -> None:
    org = await factory.org()
    async with sessions() as session, session.begin():  # the only L2 is full
        (await session.get(Staff, org.l2.id)).capacity = 0
    spare = await factory.staff(StaffRole.ACCOUNT_MANAGER_L2, supervisor_id=org.l1.id, active=False)
    async with (
        run_worker(time_env.client),
        onboarding(time_env.client, settings.task_queue, factory) as (
            handle,
            customer,
        ),
    ):
        first = await open_task(handle, "assign-1")
        assert first.assignee_id == org.director.id
        assert (await handle.query(OnboardingWorkflow.status)).stage == "awaiting_assignment"
        with pytest.raises(WorkflowUpdateFailedError):  # the form wants an integer staff id
            await complete(handle, "assign-1", org.director, {"owner_id": "someone"}, role="director")
        # An inactive manager is refused: the rule runs again and a second round opens.
        await complete(handle, "assign-1", org.director, {"owner_id": spare.id}, role="director")
        # So is an active manager of another level than the tier needs (the same rule as a tier change's).
        await open_task(handle, "assign-2")
        await complete(handle, "assign-2", org.director, {"owner_id": org.l1.id}, role="director")
        await open_task(handle, "assign-3")
        await complete(handle, "assign-3", org.director, {"owner_id": org.l2.id}, role="director")
        kickoff = await open_task(handle, "kickoff")
        assert kickoff.assignee_id == org.l2.id
        await complete(handle, "kickoff", org.l2, {"notes": "ok"})
        result = await handle.result()

    assert (result.status, result.owner_id) == ("active", org.l2.id)
    actions = await audit_actions(sessions, customer.id)
    assert actions.count("customer.assignment_pending") == 3
    assert actions.count("customer.assignment_refused") == 2 and "customer.assigned" in actions


async def test_the_process_creates_its_customer_then_onboards_it(
    time_env: WorkflowEnvironment, run_worker, factory: Factory, sessions, settings
) -> None:
    org = await factory.org()
    async with (
        run_worker(time_env.client),
        intake(time_env.client, settings.task_queue, industry="energy", external_ref="INTAKE-1") as (handle, created),
    ):
        # The first activity wrote the row: pending, tier 1 by the pinned rules, named by its process.
        row = await customer_row(sessions, created.customer_id)
        assert (row.status, row.tier, row.process_id, row.external_ref) == ("pending", 1, handle.id, "INTAKE-1")
        assert created.tier == 1 and created.process_id == handle.id
        # The same intake again is the same answer (a retried update-with-start reaches this run).
        again = await handle.execute_update(OnboardingWorkflow.created)
        assert again == created
        await decide(handle, org.director, "approve")
        kickoff = await open_task(handle, "kickoff")
        await complete(handle, "kickoff", org.l1, {"notes": "kickoff done"})
        result = await handle.result()
    assert (result.status, result.customer_id, result.owner_id) == ("active", created.customer_id, org.l1.id)
    assert kickoff.assignee_id == org.l1.id
    actions = await audit_actions(sessions, created.customer_id)
    assert actions[0] == "customer.created" and actions.count("customer.created") == 1


async def test_a_duplicate_intake_is_refused_with_the_existing_customer_and_ends(
    time_env: WorkflowEnvironment, run_worker, factory: Factory, sessions, settings
) -> None:
    await factory.org()
    existing = await factory.customer(name="Twice Ltd", region="east", status="active")
    async with run_worker(time_env.client):
        with pytest.raises(WorkflowUpdateFailedError) as refused:
            async with intake(time_env.client, settings.task_queue, name="twice ltd"):
                pass
        assert refused.value.cause.type == "DuplicateCustomer"
        assert refused.value.cause.details[0]["existing_customer_id"] == existing.id
    async with sessions() as session:
        assert list(
            await session.scalars(
                select(Customer.id).where(Customer.region == "east", Customer.name.ilike("twice ltd"))
            )
        ) == [existing.id]
