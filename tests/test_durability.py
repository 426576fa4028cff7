"""A worker killed (SIGKILL) mid-process and started again loses nothing and duplicates nothing."""

from __future__ import annotations

import asyncio
import signal
import subprocess
from collections.abc import AsyncIterator, Callable

import httpx
import pytest
from sqlalchemy import func, select

from api.app import create_app
from db.models import AuditEvent, Complaint, Notification

BODY = {"severity": "high", "category": "billing", "description": "charged twice", "channel": "email"}


@pytest.fixture
def start_worker_process(crmflow_process) -> Callable[[], subprocess.Popen[bytes]]:
    """`crmflow worker` as a real OS process against the test database and dev server."""
    return lambda: crmflow_process("worker")


@pytest.fixture
async def http(local_env, sessions, settings) -> AsyncIterator[httpx.AsyncClient]:
    """The API without an in-process worker: only the worker processes run the workflows."""
    app = create_app(settings, sessions=sessions, temporal=local_env.client)
    async with httpx.AsyncClient(transport=httpx.ASGITransport(app=app), base_url="http://crmflow.test") as client:
        yield client


async def _answered(send):
    """Retry with the same Idempotency-Key while the bounded API answers 202/503 (no worker polling yet)."""
    deadline = asyncio.get_running_loop().time() + 90
    while True:
        response = await send()
        if response.status_code not in (202, 503) or asyncio.get_running_loop().time() > deadline:
            return response
        await asyncio.sleep(0.5)


async def test_killed_worker_loses_and_duplicates_nothing(http, factory, sessions, start_worker_process) -> None:
    org = await factory.org()
    customer = await factory.customer(owner=org.l2)
    first = start_worker_process()

    created = await _answered(
        lambda: http.post(
            "/v1/complaints",
            json={**BODY, "customer_id": customer.id},
            headers={**org.headers("service"), "Idempotency-Key": "crash-1"},
            timeout=60,
        )
    )
    assert created.status_code in (200, 201), created.text
    complaint_id = created.json()["id"]

    first.send_signal(signal.SIGKILL)
    first.wait()
    # Sent while no worker runs: the update waits in Temporal until a worker is back.
    acknowledging = asyncio.create_task(
        _answered(
            lambda: http.post(
                f"/v1/complaints/{complaint_id}/acknowledge",
                json={},
                headers={**org.headers("l2"), "Idempotency-Key": "ack-1"},
                timeout=60,
            )
        )
    )
    await asyncio.sleep(0)  # let the request reach Temporal before the next worker starts
    second = start_worker_process()
    acked = await acknowledging
    assert acked.status_code == 200, acked.text
    assert acked.json()["stage"] == "in_progress"

    replay = await http.post(
        "/v1/complaints",
        json={**BODY, "customer_id": customer.id},
        headers={**org.headers("service"), "Idempotency-Key": "crash-1"},
        timeout=60,
    )
    assert replay.status_code == 200 and replay.json()["id"] == complaint_id

    second.send_signal(signal.SIGKILL)
    second.wait()
    start_worker_process()
    resolved = await _answered(
        lambda: http.post(
            f"/v1/complaints/{complaint_id}/resolve",
            json={"resolution": "refunded"},
            headers={**org.headers("l2"), "Idempotency-Key": "resolve-1"},
            timeout=60,
        )
    )
    assert resolved.status_code == 200, resolved.text
    closed = await _answered(
        lambda: http.post(
            f"/v1/complaints/{complaint_id}/customer-response",
            json={"accepted": True, "satisfaction": 4},
            headers={**org.headers("service"), "Idempotency-Key": "close-1"},
            timeout=60,
        )
    )
    assert closed.status_code == 200 and closed.json()["stage"] == "closed"

    async with sessions() as session:
        assert await session.scalar(select(func.count()).select_from(Complaint)) == 1
        actions = (
            await session.execute(
                select(AuditEvent.action, func.count())
                .where(AuditEvent.entity_id == complaint_id)
                .group_by(AuditEvent.action)
            )
        ).all()
        notifications = (
            await session.execute(
                select(Notification.kind, Notification.recipient_id, func.count())
                .where(Notification.entity_id == complaint_id)
                .group_by(Notification.kind, Notification.recipient_id)
            )
        ).all()
    assert all(count == 1 for _, count in actions), actions
    assert {"complaint.opened", "complaint.acknowledged", "complaint.resolved", "complaint.accepted"} <= {
        action for action, _ in actions
    }, actions
    assert all(count == 1 for *_, count in notifications), notifications
