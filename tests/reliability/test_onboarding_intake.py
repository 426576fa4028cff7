"""Every write to a row a process owns happens in Temporal (issue 13 point 2): onboarding is update-with-start,
its first activity creates the customer; the API inserts, scores and deletes nothing."""

from __future__ import annotations

import asyncio

import httpx
from sqlalchemy import func, select

from api.app import create_app
from db.models import Customer
from worker import build_worker

DEADLINE = 2.0


def _client(app) -> httpx.AsyncClient:
    return httpx.AsyncClient(transport=httpx.ASGITransport(app=app), base_url="http://crmflow.test", timeout=60)


async def _customers(sessions, name: str) -> list[Customer]:
    async with sessions() as session:
        return list(await session.scalars(select(Customer).where(Customer.name == name)))


async def test_with_the_worker_stopped_the_api_writes_no_customer_and_the_process_creates_it_once(
    local_env, sessions, settings, factory
) -> None:
    settings = settings.model_copy(update={"temporal_deadline_seconds": DEADLINE})
    app = create_app(settings, sessions=sessions, temporal=local_env.client)
    org = await factory.org()
    body = {"name": "Outage Trading", "region": "east", "industry": "banking", "declared_annual_value": "10"}
    headers = {**org.headers("service"), "Idempotency-Key": "onboard-outage-1"}
    async with _client(app) as api:
        accepted = await api.post("/v1/customers", json=body, headers=headers)
        # Durably started, not answered: 202 with the process, and no row written by the API.
        assert accepted.status_code == 202, accepted.text
        process_id = accepted.json()["process_id"]
        assert accepted.headers["location"] == f"/v1/processes/{process_id}"
        assert await _customers(sessions, body["name"]) == []

        async with build_worker(local_env.client, sessions, settings.task_queue):
            deadline = asyncio.get_running_loop().time() + 60
            while not (rows := await _customers(sessions, body["name"])):
                assert asyncio.get_running_loop().time() < deadline, "the process never created the customer"
                await asyncio.sleep(0.2)
            # The retry with the same key answers the customer the process created, never a second one.
            again = await api.post("/v1/customers", json=body, headers=headers)
            assert again.status_code in (200, 201), again.text
            created = again.json()
            assert created["id"] == rows[0].id and created["process_id"] == process_id
            assert created["tier"] == 1 and created["status"] == "pending"  # banking: tier 1, by the process
            # A different request for the same customer is a duplicate, answered with the existing id.
            duplicate = await api.post("/v1/customers", json=body, headers=org.headers("service"))
            assert duplicate.status_code == 409
            assert duplicate.json()["error"]["details"]["existing_customer_id"] == rows[0].id
            await local_env.client.get_workflow_handle(process_id).terminate("test finished")
    async with sessions() as session:
        assert (
            await session.scalar(select(func.count()).select_from(Customer).where(Customer.name == body["name"])) == 1
        )


async def test_concurrent_onboardings_of_one_customer_create_it_once(local_env, sessions, settings, factory) -> None:
    app = create_app(settings, sessions=sessions, temporal=local_env.client)
    org = await factory.org()
    body = {"name": "Racing Noodles", "region": "east"}
    async with _client(app) as api, build_worker(local_env.client, sessions, settings.task_queue):
        answers = await asyncio.gather(
            *(api.post("/v1/customers", json=body, headers=org.headers("service")) for _ in range(4))
        )
        statuses = sorted(a.status_code for a in answers)
        assert statuses == [201, 409, 409, 409], [a.text for a in answers]
        [created] = [a.json() for a in answers if a.status_code == 201]
        assert all(
            a.json()["error"]["details"]["existing_customer_id"] == created["id"]
            for a in answers
            if a.status_code == 409
        )
        await local_env.client.get_workflow_handle(created["process_id"]).terminate("test finished")
    assert [c.id for c in await _customers(sessions, body["name"])] == [created["id"]]
