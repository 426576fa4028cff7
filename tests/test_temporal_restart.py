"""The Temporal dev server killed mid-process and started again on its SQLite file loses nothing."""

from __future__ import annotations

import signal

import httpx
import pytest

from api.app import create_app
from crmflow.devstack import start_temporal_dev_server, wait_for_temporal
from crmflow.ports import free_port
from worker import build_worker

BODY = {"severity": "low", "category": "billing", "description": "wrong invoice", "channel": "email"}


@pytest.fixture
def server_settings(settings, tmp_path):
    """Settings for a dev server of our own, persisted under tmp_path, on free ports."""
    return settings.model_copy(
        update={
            "temporal_address": f"127.0.0.1:{free_port()}",
            "temporal_ui_port": free_port(),
            "var_dir": tmp_path,
        }
    )


async def test_temporal_server_restart_loses_nothing(server_settings, sessions, factory) -> None:
    org = await factory.org()
    customer = await factory.customer(owner=org.l2)
    server = start_temporal_dev_server(server_settings)
    try:
        client = await wait_for_temporal(server_settings, server)
        app = create_app(server_settings, sessions=sessions, temporal=client)
        async with (
            build_worker(client, sessions, server_settings.task_queue),
            httpx.AsyncClient(
                transport=httpx.ASGITransport(app=app), base_url="http://crmflow.test", timeout=30
            ) as http,
        ):
            created = await http.post(
                "/v1/complaints", json={**BODY, "customer_id": customer.id}, headers=org.headers("service")
            )
            assert created.status_code == 201, created.text
        complaint_id = created.json()["id"]

        server.send_signal(signal.SIGKILL)
        server.wait()
        server = start_temporal_dev_server(server_settings)
        client = await wait_for_temporal(server_settings, server)
        app = create_app(server_settings, sessions=sessions, temporal=client)
        async with (
            build_worker(client, sessions, server_settings.task_queue),
            httpx.AsyncClient(
                transport=httpx.ASGITransport(app=app), base_url="http://crmflow.test", timeout=30
            ) as http,
        ):
            acked = await http.post(f"/v1/complaints/{complaint_id}/acknowledge", json={}, headers=org.headers("l2"))
            assert acked.status_code == 200, acked.text
            state = (await http.get(f"/v1/processes/complaint-{complaint_id}", headers=org.headers("ops"))).json()
            assert state["status"] == "running" and state["stage"] == "in_progress"
            assert acked.json()["respond_by"] == created.json()["respond_by"]  # the deadlines survived too
    finally:
        server.terminate()
        server.wait(timeout=15)
