"""A deployed worker stops cleanly on SIGTERM (what `docker compose stop` and a rollout send)."""

from __future__ import annotations

import asyncio
import signal

from temporalio.api.enums.v1 import TaskQueueType
from temporalio.api.taskqueue.v1 import TaskQueue
from temporalio.api.workflowservice.v1 import DescribeTaskQueueRequest
from temporalio.testing import WorkflowEnvironment

from crmflow.settings import Settings


async def _pollers(env: WorkflowEnvironment, task_queue: str) -> int:
    response = await env.client.workflow_service.describe_task_queue(
        DescribeTaskQueueRequest(
            namespace=env.client.namespace,
            task_queue=TaskQueue(name=task_queue),
            task_queue_type=TaskQueueType.TASK_QUEUE_TYPE_WORKFLOW,
        )
    )
    return len(response.pollers)


async def test_worker_drains_and_exits_zero_on_sigterm(
    crmflow_process, local_env: WorkflowEnvironment, settings: Settings
) -> None:
    process = crmflow_process("worker")
    for _ in range(200):
        if await _pollers(local_env, settings.task_queue) or process.poll() is not None:
            break
        await asyncio.sleep(0.1)
    assert process.poll() is None and await _pollers(local_env, settings.task_queue) >= 1
    process.send_signal(signal.SIGTERM)
    for _ in range(300):
        if process.poll() is not None:
            break
        await asyncio.sleep(0.1)
    # A clean exit, not death by the signal (which would be -15).
    assert process.returncode == 0
