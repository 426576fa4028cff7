"""Deactivating a manager: each process holding one of their open tasks moves it itself, durably (issue 13, 2).

Real API, real dev server, real worker; the worker is stopped while the admin deactivates the manager, so
the API cannot lean on a process answering: the hand-over must survive until a worker runs it.
"""

from __future__ import annotations

import asyncio
from collections.abc import AsyncIterator, Callable
from datetime import UTC, datetime, timedelta

import httpx
import pytest
from sqlalchemy import select
from temporalio.service import RPCError
from temporalio.testing import WorkflowEnvironment

from api.app import create_app
from crmflow.settings import Settings
from db.engine import SessionFactory
from db.models import AuditEvent, Task
from definitions.handover import StaffHandOverResult
from definitions.tasks import TaskView
from tests.factories import Factory, Org
from worker import build_worker

CUSTOMER = {"name": "Acme Trading", "region": "east", "industry": "retail", "declared_annual_value": "3000000"}


@pytest.fixture
def quick(settings: Settings) -> Settings:
    """A short Temporal deadline: with no worker the API answers soon instead of waiting on processes."""
    return settings.model_copy(update={"temporal_deadline_seconds": 1.0})


@pytest.fixture
async def api(
    local_env: WorkflowEnvironment, sessions: SessionFactory, quick: Settings
) -> AsyncIterator[httpx.AsyncClient]:
    """The API on the dev server, with no worker of its own (the test starts and stops one)."""
    app = create_app(quick, sessions=sessions, temporal=local_env.client)
    async with httpx.AsyncClient(transport=httpx.ASGITransport(app=app), base_url="http://crmflow.test") as client:
        yield client


@pytest.fixture
def worker(local_env: WorkflowEnvironment, sessions: SessionFactory, quick: Settings) -> Callable:
    # Stopping lets running activities finish (a cancelled one could leave a SQLite write open for the next test).
    return lambda: build_worker(local_env.client, sessions, quick.task_queue, grace=timedelta(seconds=30))


async def until(check, what: str, seconds: float = 60):
    """Poll an async check with a deadline (the worker runs in real time)."""
    deadline = asyncio.get_running_loop().time() + seconds
    while True:
        value = await check()
        if value:
            return value
        assert asyncio.get_running_loop().time() < deadline, f"never happened: {what}"
        await asyncio.sleep(0.1)


async def open_rows(sessions: SessionFactory, **where) -> list[Task]:
    async with sessions() as session:
        query = select(Task).where(Task.status == "open").filter_by(**where).order_by(Task.id)
        return list((await session.scalars(query)).all())


async def task_of(sessions: SessionFactory, task_key: str, holder: int) -> Task:
    async def find() -> Task | None:
        return next((t for t in await open_rows(sessions, assignee_id=holder) if t.task_key == task_key), None)

    return await until(find, f"{task_key} open at staff {holder}")


async def test_deactivated_manager_tasks_move_to_the_supervisor_even_with_the_worker_down(
    api: httpx.AsyncClient,
    worker,
    local_env: WorkflowEnvironment,
    factory: Factory,
    sessions: SessionFactory,
) -> None:
    org: Org = await factory.org()
    customer = await factory.customer(owner=org.l2)
    async with worker():
        # Process one: a discount the L2 manager asks for, waiting on their supervisor, L1.
        asked = await api.post(
            "/v1/approvals",
            headers=org.headers("l2"),
            json={
                "flow": "discount",
                "customer_id": customer.id,
                "title": "10 % for the renewal",
                "fields": {"percent": 10, "reason": "competitor offer"},
            },
        )
        assert asked.status_code == 201, asked.text
        # Process two: a tier-1 onboarding; once the director approves, L1 holds its kickoff form.
        created = await api.post("/v1/customers", json=CUSTOMER, headers=org.headers("l1"))
        assert created.status_code == 201, created.text
        [approval] = [t for t in await until(lambda: open_rows(sessions, assignee_id=org.director.id), "approval")]

        async def decided() -> bool:
            response = await api.post(
                f"/v1/tasks/{approval.id}/decision", json={"decision": "approve"}, headers=org.headers("director")
            )
            assert response.status_code in (200, 409), response.text  # 409 while the process has not seen it open
            return response.status_code == 200

        await until(decided, "the director's approval")
        kickoff = await task_of(sessions, "kickoff", org.l1.id)
        [discount] = [t for t in await open_rows(sessions, assignee_id=org.l1.id) if t.id != kickoff.id]
        assert {discount.process_type, kickoff.process_type} == {"approval", "onboarding"}
        owners = {discount.workflow_id, kickoff.workflow_id}
        for workflow_id in owners:  # both processes see their task open before the worker goes
            await until(lambda: _view_holder(local_env, workflow_id, org.l1.id), f"{workflow_id} open at L1")  # noqa: B023 (awaited in this iteration)

    # No worker now: the API must answer within its deadline, and must not move the rows itself.
    response = await api.patch(f"/v1/staff/{org.l1.id}", json={"active": False}, headers=org.headers("admin"))
    assert response.status_code == 202, response.text
    assert response.json()["active"] is False
    assert response.headers["Location"] == f"/v1/processes/handover-staff-{org.l1.id}"
    assert {t.id for t in await open_rows(sessions, assignee_id=org.l1.id)} == {discount.id, kickoff.id}
    # A retry of the same request joins the hand-over already under way (one process, nothing lost).
    again = await api.patch(f"/v1/staff/{org.l1.id}", json={"active": False}, headers=org.headers("admin"))
    assert again.status_code == 202, again.text

    async with worker():  # the worker is back: each process moves its own row to the director

        async def moved() -> bool:
            return {t.id for t in await open_rows(sessions, assignee_id=org.director.id)} == {discount.id, kickoff.id}

        await until(moved, "both tasks at the director")
        for workflow_id in owners:  # the processes' own view follows, so the director may act
            await until(lambda: _view_holder(local_env, workflow_id, org.director.id), f"{workflow_id} at director")  # noqa: B023 (awaited in this iteration)
        result = await local_env.client.get_workflow_handle(
            f"handover-staff-{org.l1.id}", result_type=StaffHandOverResult
        ).result()
        assert sorted(s.workflow_id for s in result.sent) == sorted(owners)
        assert all(s.missed is None for s in result.sent), result
        approved = await api.post(
            f"/v1/tasks/{discount.id}/decision", json={"decision": "approve"}, headers=org.headers("director")
        )
        assert approved.status_code == 200, approved.text
        completed = await api.post(
            f"/v1/tasks/{kickoff.id}/complete", json={"data": {"notes": "kicked off"}}, headers=org.headers("director")
        )
        assert completed.status_code == 200, completed.text
        for workflow_id in owners:  # both processes finish while their worker runs
            await local_env.client.get_workflow_handle(workflow_id).result()
    async with sessions() as session:
        handed = (await session.scalars(select(AuditEvent).where(AuditEvent.action == "task.handed_over"))).all()
    assert sorted(e.entity_id for e in handed) == sorted(
        [str(discount.id), str(kickoff.id)]
    )  # once each, by the processes
    assert all(e.details["from"] == org.l1.id and e.details["to"] == org.director.id for e in handed)


async def _view_holder(local_env: WorkflowEnvironment, workflow_id: str, holder: int) -> bool:
    views = await local_env.client.get_workflow_handle(workflow_id).query("task.list", result_type=list[TaskView])
    return any(v.status == "open" and v.assignee_id == holder for v in views)


async def test_deactivating_someone_without_open_tasks_needs_no_process(
    api: httpx.AsyncClient,
    factory: Factory,
    local_env: WorkflowEnvironment,
) -> None:
    org: Org = await factory.org()
    before = datetime.now(UTC)
    response = await api.patch(f"/v1/staff/{org.l2.id}", json={"active": False}, headers=org.headers("admin"))
    assert response.status_code == 200 and response.json()["active"] is False
    try:  # the dev server outlives the test database, whose ids start again: an earlier test's run may be there
        described = await local_env.client.get_workflow_handle(f"handover-staff-{org.l2.id}").describe()
    except RPCError:
        return
    assert described.start_time < before, "a hand-over was started for someone holding no task"
