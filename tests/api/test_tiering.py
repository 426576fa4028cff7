"""On-demand tier re-evaluation over HTTP (a real worker on the local dev server)."""

from __future__ import annotations

from datetime import timedelta
from decimal import Decimal

import httpx
from temporalio.testing import WorkflowEnvironment

from db.models import Customer, Transaction, utcnow
from tests.factories import Factory


async def big_spender(sessions, customer: Customer) -> None:
    async with sessions() as session, session.begin():
        for _ in range(12):
            session.add(
                Transaction(
                    customer_id=customer.id, amount=Decimal(100_000), occurred_on=utcnow().date() - timedelta(days=5)
                )
            )


async def test_reevaluation_starts_a_tier_change(
    api: httpx.AsyncClient, local_env: WorkflowEnvironment, factory: Factory, sessions
) -> None:
    org = await factory.org()
    customer = await factory.customer(org.l2, tier=2)
    await big_spender(sessions, customer)
    response = await api.post(f"/v1/customers/{customer.id}/tier-reevaluations", headers=org.headers("l2"))
    assert response.status_code == 202, response.text
    body = response.json()
    assert (body["outcome"], body["current_tier"], body["target_tier"]) == ("tier_change_started", 2, 1)
    assert body["score"] > 0.85 and body["tier_change_process_id"].startswith(f"tier-change-{customer.id}-")
    change = local_env.client.get_workflow_handle(body["tier_change_process_id"])
    try:
        # A second request while the change waits for approval reports it instead of starting another.
        again = await api.post(f"/v1/customers/{customer.id}/tier-reevaluations", headers=org.headers("director"))
        assert again.status_code == 202, again.text
        assert (again.json()["outcome"], again.json()["tier_change_process_id"]) == (
            "already_pending",
            body["tier_change_process_id"],
        )
    finally:
        await change.terminate("test finished")


async def test_no_change_and_cooldown(api: httpx.AsyncClient, factory: Factory, sessions) -> None:
    org = await factory.org()
    steady = await factory.customer(org.l2, tier=2)
    response = await api.post(f"/v1/customers/{steady.id}/tier-reevaluations", headers=org.headers("admin"))
    assert response.status_code == 202 and response.json()["outcome"] == "no_change"

    cooling = await factory.customer(org.l2, tier=2, tier_cooldown_until=utcnow() + timedelta(days=10))
    await big_spender(sessions, cooling)
    response = await api.post(f"/v1/customers/{cooling.id}/tier-reevaluations", headers=org.headers("l1"))
    assert response.status_code == 202, response.text
    assert response.json()["outcome"] == "cooldown" and response.json()["cooldown_until"] is not None


async def test_who_may_reevaluate(api: httpx.AsyncClient, factory: Factory) -> None:
    org = await factory.org()
    mine = await factory.customer(org.l1, tier=1)
    pooled = await factory.customer(None, tier=2, status="pool")
    path = f"/v1/customers/{mine.id}/tier-reevaluations"
    assert (await api.post(path, headers=org.headers("l2"))).status_code == 404  # above them: not visible
    assert (await api.post(path, headers=org.headers("ops"))).status_code == 403
    assert (await api.post(path, headers=org.headers("service"))).status_code == 403
    assert (await api.post("/v1/customers/999999/tier-reevaluations", headers=org.headers("admin"))).status_code == 404
    response = await api.post(f"/v1/customers/{pooled.id}/tier-reevaluations", headers=org.headers("admin"))
    assert response.status_code == 409 and "pool" in response.json()["error"]["message"]
