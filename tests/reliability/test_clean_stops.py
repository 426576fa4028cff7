"""Clean stops (issue 13 point 9): worker and API drain on SIGTERM within the grace period, also as PID 1."""

from __future__ import annotations

import asyncio
import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import httpx
import pytest
import yaml
from temporalio.api.enums.v1 import TaskQueueType
from temporalio.api.taskqueue.v1 import TaskQueue
from temporalio.api.workflowservice.v1 import DescribeTaskQueueRequest

from crmflow.ports import free_port

ROOT = Path(__file__).resolve().parents[2]


def _inner_pid(outer: subprocess.Popen[bytes]) -> int:
    """The child `unshare --fork` started: PID 1 of the new namespace, seen from here."""
    deadline = time.monotonic() + 10
    while time.monotonic() < deadline:
        children = Path(f"/proc/{outer.pid}/task/{outer.pid}/children").read_text().split()
        if children:
            return int(children[0])
        time.sleep(0.05)
    raise AssertionError("unshare started no child")


def _wait_for(check, seconds: float, what: str) -> None:
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        if check():
            return
        time.sleep(0.1)
    raise AssertionError(what)


@pytest.mark.parametrize("service", ["worker", "api"])
async def test_sigterm_to_pid_1_drains_and_exits_within_the_grace_period(service, local_env, settings) -> None:
    if subprocess.run(["unshare", "--pid", "--fork", "true"], capture_output=True).returncode != 0:
        pytest.skip("this machine cannot create PID namespaces")
    port = free_port()
    env = {
        **os.environ,
        "CRMFLOW_DATABASE_URL": settings.database_url,
        "CRMFLOW_TEMPORAL_ADDRESS": local_env.client.service_client.config.target_host,
        "CRMFLOW_TASK_QUEUE": settings.task_queue,
        "CRMFLOW_LOG_LEVEL": "INFO",
        "CRMFLOW_SCHEDULES_SYNC_ON_START": "false",
        "CRMFLOW_WORKER_METRICS_ADDRESS": "",
        "CRMFLOW_SHUTDOWN_GRACE_SECONDS": "3",
    }
    args = ["worker"] if service == "worker" else ["api", "--port", str(port)]
    outer = subprocess.Popen(
        ["unshare", "--pid", "--fork", "--kill-child", sys.executable, "-m", "crmflow", *args],
        env=env,
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
    )
    try:
        inner = _inner_pid(outer)
        if service == "api":

            def healthy() -> bool:
                try:
                    return httpx.get(f"http://127.0.0.1:{port}/healthz", timeout=1).status_code == 200
                except httpx.HTTPError:
                    return False

            await asyncio.to_thread(_wait_for, healthy, 60, "the API never answered")
        else:
            deadline = time.monotonic() + 60
            while not await _polling(local_env.client, settings.task_queue):
                assert time.monotonic() < deadline, "the worker never polled"
                await asyncio.sleep(0.2)
        os.kill(inner, signal.SIGTERM)
        started = time.monotonic()
        code = await asyncio.to_thread(outer.wait, 15)
        assert time.monotonic() - started < 3 + 5
        assert code == 0, outer.stdout.read().decode() if outer.stdout else code
    finally:
        if outer.poll() is None:
            outer.kill()
            outer.wait()


async def _polling(client, task_queue: str) -> bool:
    """Whether a worker polls the task queue (its workflow pollers show up on the server)."""
    response = await client.workflow_service.describe_task_queue(
        DescribeTaskQueueRequest(
            namespace=client.namespace,
            task_queue=TaskQueue(name=task_queue),
            task_queue_type=TaskQueueType.TASK_QUEUE_TYPE_WORKFLOW,
        )
    )
    return bool(response.pollers)


def test_compose_runs_api_and_worker_under_an_init_process() -> None:
    services = yaml.safe_load((ROOT / "docker-compose.yml").read_text())["services"]
    for name in ("api", "worker"):
        assert services[name].get("init") is True, name
        grace = services[name]["stop_grace_period"]
        assert grace.endswith("s") and int(grace[:-1]) > 20, name
