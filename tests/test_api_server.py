"""`crmflow api` over real HTTP: an API process killed mid-way and started again loses nothing."""

from __future__ import annotations

import asyncio
import signal
import subprocess

import httpx
import pytest

from crmflow.ports import free_port

BODY = {"severity": "normal", "category": "delivery", "description": "late parcel", "channel": "web"}


async def _wait_healthy(base_url: str, process: subprocess.Popen[bytes], timeout: float = 90) -> None:
    # Generous: a cold interpreter importing the app takes seconds, many more on a loaded 2-core machine.
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
def start_api(crmflow_process):
    """Start `crmflow api` as an OS process on a free port (the same port on every restart)."""
    port = free_port()

    async def _start() -> tuple[str, subprocess.Popen[bytes]]:
        process = crmflow_process("api", "--port", str(port))
        base_url = f"http://127.0.0.1:{port}"
        await _wait_healthy(base_url, process)
        return base_url, process

    return _start


async def test_killed_api_process_loses_nothing(local_env, run_worker, factory, start_api) -> None:
    org = await factory.org()
    customer = await factory.customer(owner=org.l2)
    headers = {**org.headers("service"), "Idempotency-Key": "api-crash-1"}
    async with run_worker(local_env.client):
        base_url, api = await start_api()
        async with httpx.AsyncClient(base_url=base_url, timeout=30) as client:
            assert (await client.get("/v1/complaints")).status_code == 401  # real HTTP, real auth
            created = await client.post("/v1/complaints", json={**BODY, "customer_id": customer.id}, headers=headers)
            assert created.status_code == 201, created.text

        api.send_signal(signal.SIGKILL)
        api.wait()
        base_url, _ = await start_api()
        async with httpx.AsyncClient(base_url=base_url, timeout=30) as client:
            again = await client.post("/v1/complaints", json={**BODY, "customer_id": customer.id}, headers=headers)
            assert again.status_code == 200 and again.json()["id"] == created.json()["id"]
            acked = await client.post(
                f"/v1/complaints/{created.json()['id']}/acknowledge", json={}, headers=org.headers("l2")
            )
            assert acked.status_code == 200 and acked.json()["stage"] == "in_progress"
            listed = await client.get(
                "/v1/complaints", params={"customer_id": customer.id}, headers=org.headers("director")
            )
            assert [c["id"] for c in listed.json()["items"]] == [created.json()["id"]]
