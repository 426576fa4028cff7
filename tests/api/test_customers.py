"""Customers over HTTP: onboarding through a real worker, dedupe, role visibility, follow-ups, transactions."""

from __future__ import annotations

import asyncio
from collections.abc import AsyncIterator
from datetime import UTC, datetime, timedelta

import httpx
import pytest
from sqlalchemy import select
from temporalio.testing import WorkflowEnvironment

from db.models import AuditEvent, Customer, StaffRole
from tests.factories import Factory, Org

BODY = {"name": "Acme Trading", "region": "east", "industry": "retail", "declared_annual_value": "120000"}


@pytest.fixture
async def started(local_env: WorkflowEnvironment) -> AsyncIterator[list[str]]:
    """Workflow ids the test started; still running ones are terminated so ids can be reused next test."""
    ids: list[str] = []
    yield ids
    for workflow_id in ids:
        try:
            await local_env.client.get_workflow_handle(workflow_id).terminate("test finished")
        except Exception:  # noqa: BLE001 - already finished
            pass


async def onboard(api: httpx.AsyncClient, org: Org, started: list[str], who: str = "service", **body) -> dict:
    response = await api.post("/v1/customers", json={**BODY, **body}, headers=org.headers(who))
    assert response.status_code == 201, response.text
    started.append(response.json()["process_id"])
    return response.json()


async def until(check, what: str):
    """Poll an async check with a deadline (the worker runs in real time)."""
    deadline = asyncio.get_running_loop().time() + 20
    while True:
        value = await check()
        if value:
            return value
        assert asyncio.get_running_loop().time() < deadline, f"never happened: {what}"
        await asyncio.sleep(0.1)


async def inbox_task(api: httpx.AsyncClient, org: Org, who: str, customer_id: int, key: str) -> dict:
    """Poll the caller's inbox until the process opened `key` for the customer."""

    async def find() -> dict | None:
        response = await api.get(
            "/v1/tasks", params={"customer_id": customer_id, "status": "open"}, headers=org.headers(who)
        )
        assert response.status_code == 200, response.text
        return next((t for t in response.json()["items"] if t["task_key"] == key), None)

    return await until(find, f"{key} in the inbox of {who}")


async def act(api: httpx.AsyncClient, org: Org, who: str, path: str, body: dict) -> dict:
    """POST a task action, retrying while the workflow has not yet seen its own task open (409 not ready)."""

    async def attempt() -> dict | None:
        response = await api.post(path, json=body, headers=org.headers(who))
        if response.status_code == 409 and "being opened" in response.text:
            return None
        assert response.status_code == 200, response.text
        return response.json()

    return await until(attempt, f"{path} accepted")


async def test_tier_1_onboarding_over_http_is_approved_kicked_off_and_activated(
    api: httpx.AsyncClient, factory: Factory, sessions, started
) -> None:
    org = await factory.org()
    created = await onboard(api, org, started, who="l1", external_ref="CRM-1", declared_annual_value="3000000")
    # The process created the row (update-with-start): its id names the process, not the other way round.
    assert created["status"] == "pending" and created["process_id"].startswith("onboarding-")
    assert created["tier"] == 1 and created["owner_id"] is None
    assert created["external_ref"] == "CRM-1" and created["name"] == "Acme Trading"
    customer_id = created["id"]

    approval = await inbox_task(api, org, "director", customer_id, "approval")
    assert approval["kind"] == "approval"
    fetched = (await api.get(f"/v1/customers/{customer_id}", headers=org.headers("l1"))).json()
    assert (fetched["tier"], fetched["owner_id"], fetched["status"]) == (1, org.l1.id, "pending")
    denied = await api.post(
        f"/v1/tasks/{approval['id']}/decision", json={"decision": "approve"}, headers=org.headers("l1")
    )
    assert denied.status_code == 403
    await act(api, org, "director", f"/v1/tasks/{approval['id']}/decision", {"decision": "approve"})

    kickoff = await inbox_task(api, org, "l1", customer_id, "kickoff")
    await act(api, org, "l1", f"/v1/tasks/{kickoff['id']}/complete", {"data": {"notes": "kicked off"}})

    async def active() -> dict | None:
        body = (await api.get(f"/v1/customers/{customer_id}", headers=org.headers("director"))).json()
        return body if body["status"] == "active" else None

    body = await until(active, "customer active")
    assert body["activated_at"] is not None and body["owner_id"] == org.l1.id

    async def finished() -> dict | None:
        response = await api.get(f"/v1/processes/{created['process_id']}", headers=org.headers("ops"))
        return response.json() if response.status_code == 200 and response.json()["status"] == "completed" else None

    process = await until(finished, "process completed")
    assert (process["process_type"], process["stage"]) == ("onboarding", "active")
    assert (process["customer_id"], process["manager_id"]) == (str(customer_id), str(org.l1.id))
    async with sessions() as session:
        actions = set(await session.scalars(select(AuditEvent.action).where(AuditEvent.customer_id == customer_id)))
    assert {"customer.created", "customer.tier_set", "customer.assigned", "customer.activated"} <= actions


async def test_duplicates_are_refused_with_the_existing_id(api: httpx.AsyncClient, factory: Factory, started) -> None:
    org = await factory.org()
    first = await onboard(api, org, started, external_ref="EXT-9")
    by_ref = await api.post(
        "/v1/customers", json={**BODY, "name": "Other name", "external_ref": "EXT-9"}, headers=org.headers("service")
    )
    assert by_ref.status_code == 409
    error = by_ref.json()["error"]
    assert error["code"] == "conflict"
    assert error["details"]["existing_customer_id"] == first["id"] and error["details"]["field"] == "external_ref"

    by_name = await api.post("/v1/customers", json={**BODY, "name": "  ACME   trading "}, headers=org.headers("l1"))
    assert by_name.status_code == 409
    assert by_name.json()["error"]["details"] == {
        "existing_customer_id": first["id"],
        "field": "name and region",
        "status": "pending",
    }

    elsewhere = await onboard(api, org, started, region="west")
    assert elsewhere["id"] != first["id"]


async def test_concurrent_duplicate_posts_create_one_customer(
    api: httpx.AsyncClient, factory: Factory, sessions, started
) -> None:
    org = await factory.org()
    body = {**BODY, "name": "Racing Co"}
    responses = await asyncio.gather(
        *[api.post("/v1/customers", json=body, headers=org.headers("service")) for _ in range(3)]
    )
    codes = sorted(r.status_code for r in responses)
    assert codes == [201, 409, 409], [r.text for r in responses]
    winner = next(r.json() for r in responses if r.status_code == 201)
    started.append(winner["process_id"])
    for loser in (r for r in responses if r.status_code == 409):
        assert loser.json()["error"]["details"]["existing_customer_id"] == winner["id"]
    async with sessions() as session:
        assert len(list(await session.scalars(select(Customer.id).where(Customer.name == "Racing Co")))) == 1


async def test_create_validation_and_roles(api: httpx.AsyncClient, factory: Factory) -> None:
    org = await factory.org()
    for bad in (
        {"region": "east"},  # no name
        {**BODY, "name": "   "},
        {**BODY, "declared_annual_value": "-5"},
        {**BODY, "declared_annual_value": "abc"},
        {**BODY, "colour": "red"},
        {**BODY, "region": ""},
    ):
        response = await api.post("/v1/customers", json=bad, headers=org.headers("service"))
        assert response.status_code == 422, (bad, response.text)
        assert response.json()["error"]["code"] == "invalid"
    ops = await api.post("/v1/customers", json=BODY, headers=org.headers("ops"))
    assert ops.status_code == 403
    anonymous = await api.post("/v1/customers", json=BODY)
    assert anonymous.status_code == 401


async def test_roles_see_their_own_customers_only(api: httpx.AsyncClient, factory: Factory) -> None:
    org = await factory.org()
    outsider = await factory.staff(StaffRole.ACCOUNT_MANAGER_L2, name="Outsider")
    mine = await factory.customer(owner=org.l2, tier=2)
    l1s = await factory.customer(owner=org.l1, tier=1)
    theirs = await factory.customer(owner=outsider, tier=2, status="pending")
    pooled = await factory.customer(owner=None, status="pool")

    async def ids(who: str, **params) -> list[int]:
        response = await api.get("/v1/customers", params=params, headers=org.headers(who))
        assert response.status_code == 200, response.text
        assert response.json()["total"] == len(response.json()["items"]) or "limit" in params
        return sorted(c["id"] for c in response.json()["items"])

    assert await ids("l2") == [mine.id]
    assert await ids("l1") == sorted([mine.id, l1s.id])
    assert await ids("director") == sorted([mine.id, l1s.id])
    assert await ids("ops") == sorted([mine.id, l1s.id, theirs.id, pooled.id])
    assert await ids("admin", tier=1) == [l1s.id]
    assert await ids("admin", status="pending") == [theirs.id]
    assert await ids("admin", owner_id=outsider.id) == [theirs.id]
    page = await api.get("/v1/customers", params={"limit": 2, "offset": 1}, headers=org.headers("ops"))
    assert page.json()["total"] == 4 and len(page.json()["items"]) == 2

    assert (await api.get(f"/v1/customers/{mine.id}", headers=org.headers("l1"))).status_code == 200
    hidden = await api.get(f"/v1/customers/{theirs.id}", headers=org.headers("l2"))
    assert hidden.status_code == 404 and hidden.json()["error"]["code"] == "not_found"
    assert (await api.get(f"/v1/customers/{l1s.id}", headers=org.headers("l2"))).status_code == 404
    assert (await api.get("/v1/customers/999999", headers=org.headers("ops"))).status_code == 404
    for params in ({"tier": 3}, {"status": "lost"}, {"limit": 0}, {"offset": -1}):
        assert (await api.get("/v1/customers", params=params, headers=org.headers("ops"))).status_code == 422


async def test_follow_ups_reset_the_clock_and_are_listed(api: httpx.AsyncClient, factory: Factory, sessions) -> None:
    org = await factory.org()
    customer = await factory.customer(owner=org.l2)
    url = f"/v1/customers/{customer.id}/follow-ups"
    earlier = (datetime.now(UTC) - timedelta(days=2)).isoformat()

    first = await api.post(
        url, json={"channel": "visit", "note": "site tour", "occurred_at": earlier}, headers=org.headers("l2")
    )
    assert first.status_code == 201, first.text
    assert first.json()["staff_id"] == org.l2.id and first.json()["channel"] == "visit"
    second = await api.post(url, json={"channel": "phone", "note": "called"}, headers=org.headers("l1"))
    assert second.status_code == 201
    async with sessions() as session:
        row = await session.get(Customer, customer.id)
        assert row.last_follow_up_at is not None
        assert abs((row.last_follow_up_at - datetime.now(UTC)).total_seconds()) < 60
        audited = await session.scalar(
            select(AuditEvent).where(
                AuditEvent.customer_id == customer.id, AuditEvent.action == "customer.follow_up_recorded"
            )
        )
        assert audited is not None and audited.actor.startswith("manager:")
    # An older follow-up recorded later does not move the clock back.
    await api.post(url, json={"channel": "email", "occurred_at": earlier}, headers=org.headers("l2"))
    async with sessions() as session:
        assert (await session.get(Customer, customer.id)).last_follow_up_at > datetime.now(UTC) - timedelta(minutes=1)

    listed = await api.get(url, headers=org.headers("director"))
    assert listed.status_code == 200 and listed.json()["total"] == 3
    assert listed.json()["items"][0]["channel"] == "phone"  # newest first

    future = (datetime.now(UTC) + timedelta(days=1)).isoformat()
    for bad in (
        {"channel": "pigeon"},
        {"note": "no channel"},
        {"channel": "phone", "occurred_at": future},
        {"channel": "phone", "occurred_at": "2026-01-01T10:00:00"},
    ):
        response = await api.post(url, json=bad, headers=org.headers("l2"))
        assert response.status_code == 422, (bad, response.text)
    assert (await api.post(url, json={"channel": "phone"}, headers=org.headers("ops"))).status_code == 403
    outsider = await factory.staff(StaffRole.ACCOUNT_MANAGER_L2)
    stranger = await factory.token("manager", outsider)
    hidden = await api.post(url, json={"channel": "phone"}, headers={"Authorization": f"Bearer {stranger}"})
    assert hidden.status_code == 404
    assert (await api.get(url, headers={"Authorization": f"Bearer {stranger}"})).status_code == 404
    rejected = await factory.customer(owner=org.l2, status="rejected")
    refused = await api.post(
        f"/v1/customers/{rejected.id}/follow-ups", json={"channel": "phone"}, headers=org.headers("l2")
    )
    assert refused.status_code == 409


async def test_transactions_are_recorded_once_per_external_ref(api: httpx.AsyncClient, factory: Factory) -> None:
    org = await factory.org()
    customer = await factory.customer(owner=org.l2)
    url = f"/v1/customers/{customer.id}/transactions"
    created = await api.post(
        url,
        json={"amount": "1250.50", "occurred_on": "2026-01-15", "external_ref": "INV-1"},
        headers=org.headers("service"),
    )
    assert created.status_code == 201, created.text
    assert created.json()["amount"] in ("1250.50", 1250.5)
    again = await api.post(
        url, json={"amount": "99", "occurred_on": "2026-01-16", "external_ref": "INV-1"}, headers=org.headers("l2")
    )
    assert again.status_code == 409
    assert again.json()["error"]["details"]["existing_transaction_id"] == created.json()["id"]
    no_ref = await api.post(url, json={"amount": 10, "occurred_on": "2026-02-01"}, headers=org.headers("l2"))
    assert no_ref.status_code == 201

    listed = await api.get(url, headers=org.headers("l1"))
    assert listed.status_code == 200 and listed.json()["total"] == 2
    assert [t["occurred_on"] for t in listed.json()["items"]] == ["2026-02-01", "2026-01-15"]

    tomorrow_plus = (datetime.now(UTC) + timedelta(days=5)).date().isoformat()
    for bad in (
        {"amount": 0, "occurred_on": "2026-01-01"},
        {"amount": -3, "occurred_on": "2026-01-01"},
        {"amount": "1.234", "occurred_on": "2026-01-01"},
        {"amount": 5, "occurred_on": "yesterday"},
        {"amount": 5},
        {"amount": 5, "occurred_on": tomorrow_plus},
    ):
        response = await api.post(url, json=bad, headers=org.headers("l2"))
        assert response.status_code == 422, (bad, response.text)
    assert (
        await api.post(url, json={"amount": 1, "occurred_on": "2026-01-01"}, headers=org.headers("ops"))
    ).status_code == 403
    assert (
        await api.post(
            "/v1/customers/424242/transactions",
            json={"amount": 1, "occurred_on": "2026-01-01"},
            headers=org.headers("service"),
        )
    ).status_code == 404


async def test_a_duplicate_post_answers_409_and_starts_no_process(
    api: httpx.AsyncClient, factory: Factory, local_env: WorkflowEnvironment, started
) -> None:
    """The API never writes the row, so no crash can leave one without its process; a duplicate starts nothing."""
    org = await factory.org()
    first = await onboard(api, org, started, name="Orphan Ltd")
    retry = await api.post("/v1/customers", json={**BODY, "name": "Orphan Ltd"}, headers=org.headers("service"))
    assert retry.status_code == 409
    assert retry.json()["error"]["details"]["existing_customer_id"] == first["id"]
    description = await local_env.client.get_workflow_handle(first["process_id"]).describe()
    assert description.status is not None and description.status.name == "RUNNING"
    await inbox_task(api, org, "l2", first["id"], "kickoff")  # the first process runs on undisturbed
