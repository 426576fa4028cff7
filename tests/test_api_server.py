"""`crmflow api` over real HTTP: an API process killed mid-way and started again loses nothing."""

from __future__ import annotations

import asyncio
import os
import signal
import socket
import subprocess
import sys

import httpx
import pytest

BODY = {"severity": "normal", "category": "delivery", "description": "late parcel", "channel": "web"}


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


async def _wait_healthy(base_url: str, process: subprocess.Popen[bytes], timeout: float = 30) -> None:
    loop = asyncio.get_running_loop()
    deadline = loop.time() + timeout
    async with httpx.AsyncClient(base_url=base_url) as client:
        while True:
            assert process.poll() is None, "crmflow api exited"
            try:
                if (await client.get("/healthz")).status_code == 200:
                    return
            except httpx.TransportError:
                pass
            assert loop.time() < deadline, "crmflow api did not come up"
            await asyncio.sleep(0.1)


@pytest.fixture
def start_api(local_env, settings):
    """Start `crmflow api` as an OS process on a free port against the test database and dev server."""
    port = _free_port()
    env = {
        **os.environ,
        "CRMFLOW_DATABASE_URL": settings.database_url,
        "CRMFLOW_TEMPORAL_ADDRESS": local_env.client.service_client.config.target_host,
        "CRMFLOW_TASK_QUEUE": settings.task_queue,
        "CRMFLOW_LOG_LEVEL": "WARNING",
    }
    processes: list[subprocess.Popen[bytes]] = []

    async def _start() -> tuple[str, subprocess.Popen[bytes]]:
        process = subprocess.Popen([sys.executable, "-m", "crmflow", "api", "--port", str(port)], env=env,
                                   stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        processes.append(process)
        base_url = f"http://127.0.0.1:{port}"
        await _wait_healthy(base_url, process)
        return base_url, process

    yield _start
    for process in processes:
        if process.poll() is None:
            process.kill()
            process.wait()


async def test_killed_api_process_loses_nothing(local_env, run_worker, factory, start_api) -> None:
    org = await factory.org()
    customer = await factory.customer(owner=org.l2)
    headers = {**org.headers("service"), "Idempotency-Key": "api-crash-1"}
    async with run_worker(local_env.client):
        base_url, api = await start_api()
        async with httpx.AsyncClient(base_url=base_url, timeout=30) as client:
            assert (await client.get("/v1/complaints")).status_code == 401  # real HTTP, real auth
            created = await client.post("/v1/complaints", json={**BODY, "customer_id": customer.id},
                                        headers=headers)
            assert created.status_code == 201, created.text

        api.send_signal(signal.SIGKILL)
        api.wait()
        base_url, _ = await start_api()
        async with httpx.AsyncClient(base_url=base_url, timeout=30) as client:
            again = await client.post("/v1/complaints", json={**BODY, "customer_id": customer.id}, headers=headers)
            assert again.status_code == 200 and again.json()["id"] == created.json()["id"]
            acked = await client.post(f"/v1/complaints/{created.json()['id']}/acknowledge", json={},
                                      headers=org.headers("l2"))
            assert acked.status_code == 200 and acked.json()["stage"] == "in_progress"
            listed = await client.get("/v1/complaints", params={"customer_id": customer.id},
                                      headers=org.headers("director"))
            assert [c["id"] for c in listed.json()["items"]] == [created.json()["id"]]
