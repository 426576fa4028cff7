"""Schedule sync when several workers start at once: every sync succeeds and the schedules end up exactly once."""

from __future__ import annotations

import asyncio
import uuid
from collections.abc import AsyncIterator

import pytest
from google.protobuf.duration_pb2 import Duration
from temporalio.api.enums.v1 import IndexedValueType
from temporalio.api.operatorservice.v1 import AddSearchAttributesRequest
from temporalio.api.workflowservice.v1 import DescribeNamespaceRequest, RegisterNamespaceRequest
from temporalio.client import Client
from temporalio.service import RPCError
from temporalio.testing import WorkflowEnvironment

from crmflow.registry import scheduled_runs
from crmflow.schedules import list_schedules, sync_schedules
from crmflow.settings import Settings
from crmflow.temporal import SEARCH_ATTRIBUTES, connect_temporal


@pytest.fixture
async def fresh_namespace(local_env: WorkflowEnvironment) -> AsyncIterator[str]:
    """A namespace of its own on the dev server, with crmflow's search attributes: nothing else's schedules."""
    namespace = f"crmflow-sync-{uuid.uuid4().hex[:8]}"
    service = local_env.client.workflow_service
    await service.register_namespace(
        RegisterNamespaceRequest(namespace=namespace, workflow_execution_retention_period=Duration(seconds=86400))
    )
    for _ in range(100):  # the frontend knows a new namespace once its cache refreshes
        try:
            await service.describe_namespace(DescribeNamespaceRequest(namespace=namespace))
            break
        except RPCError:
            await asyncio.sleep(0.1)
    await local_env.client.operator_service.add_search_attributes(
        AddSearchAttributesRequest(
            namespace=namespace,
            search_attributes={key.name: IndexedValueType.INDEXED_VALUE_TYPE_KEYWORD for key in SEARCH_ATTRIBUTES},
        )
    )
    yield namespace


async def _listed_ids(client: Client, expected: int) -> list[str]:
    """Schedule ids as the (eventually consistent) list shows them, once it has settled on `expected` or more."""
    ids: list[str] = []
    for _ in range(100):
        ids = [s.id async for s in await client.list_schedules()]
        if len(ids) >= expected:
            await asyncio.sleep(0.3)  # a duplicate would show up late: look once more
            return [s.id async for s in await client.list_schedules()]
        await asyncio.sleep(0.1)
    return ids


async def test_concurrent_syncs_all_succeed_and_leave_each_schedule_once(
    local_env: WorkflowEnvironment, fresh_namespace: str, settings: Settings
) -> None:
    settings = settings.model_copy(
        update={
            "temporal_address": local_env.client.service_client.config.target_host,
            "temporal_namespace": fresh_namespace,
            "temporal_envconfig": False,
        }
    )
    # Each "worker" has a client of its own, as separate processes would.
    clients = [await connect_temporal(settings) for _ in range(4)]
    results = await asyncio.wait_for(
        asyncio.gather(*(sync_schedules(client, settings=settings) for client in clients)), timeout=60
    )

    expected = sorted(run.schedule_id for _, run in scheduled_runs())
    for result in results:  # every worker saw every schedule, none failed or skipped
        assert sorted(r.schedule_id for r in result) == expected
        assert {r.action for r in result} <= {"created", "updated", "unchanged"}
    # Each schedule was created by exactly one of them.
    for schedule_id in expected:
        created = [r for result in results for r in result if r.schedule_id == schedule_id and r.action == "created"]
        assert len(created) == 1, (schedule_id, created)

    client = clients[0]
    assert sorted(await _listed_ids(client, len(expected))) == expected
    views = {v.id: v for v in await list_schedules(client)}
    assert sorted(views) == expected
    for view in views.values():
        assert view.note == "created by crmflow schedules sync" and not view.paused
        assert view.timezone == settings.timezone and len(view.cron) == 1

    # Ops pause one; a second wave of concurrent starts writes nothing at all, so the pause stands.
    await client.get_schedule_handle(expected[0]).pause(note="ops")
    again = await asyncio.gather(*(sync_schedules(c, settings=settings) for c in clients))
    assert {r.action for result in again for r in result} == {"unchanged"}
    after = {v.id: v for v in await list_schedules(client)}
    assert after[expected[0]].paused is True and after[expected[0]].note == "ops"
    assert {k: (v.cron, v.timezone, v.overlap) for k, v in after.items()} == {
        k: (v.cron, v.timezone, v.overlap) for k, v in views.items()
    }

    # A rollout that changes what the schedules start (here: the task queue) updates each one, still once each
    # in the listing, still paused where ops paused it.
    moved = settings.model_copy(update={"task_queue": f"{settings.task_queue}-v2"})
    rolled = await asyncio.gather(*(sync_schedules(c, settings=moved) for c in clients))
    for schedule_id in expected:
        actions = [r.action for result in rolled for r in result if r.schedule_id == schedule_id]
        assert "updated" in actions and set(actions) <= {"updated", "unchanged"}, (schedule_id, actions)
        description = await client.get_schedule_handle(schedule_id).describe()
        assert description.schedule.action.task_queue == moved.task_queue
        assert description.schedule.state.paused is (schedule_id == expected[0])
    assert sorted(await _listed_ids(client, len(expected))) == expected
