"""The public pool over HTTP: listing, claiming within the caps, and who may do what."""

from __future__ import annotations

from datetime import timedelta

import httpx
from sqlalchemy import select

from db.models import AuditEvent, Customer, PoolClaim, Staff, StaffRole, utcnow
from tests.factories import Factory, Org


async def pooled(factory: Factory, org: Org, *, tier: int = 2, days_in_pool: int = 40, former=None) -> Customer:
    """A customer reclaimed `days_in_pool` days ago from `former` (the L2 manager by default)."""
    return await factory.customer(
        None,
        tier=tier,
        status="pool",
        previous_owner_id=(former or org.l2).id,
        reclaimed_at=utcnow() - timedelta(days=days_in_pool),
    )


async def claim(api: httpx.AsyncClient, org: Org, who: str, customer_id: int, body: dict | None = None):
    return await api.post(f"/v1/pool/{customer_id}/claim", json=body, headers=org.headers(who))


async def test_list_and_claim_for_oneself(api: httpx.AsyncClient, factory: Factory, sessions) -> None:
    org = await factory.org()
    customer = await pooled(factory, org)
    await factory.customer(org.l2, tier=2)  # held, not in the pool

    listing = await api.get("/v1/pool", headers=org.headers("l2"))
    assert listing.status_code == 200, listing.text
    assert [c["id"] for c in listing.json()["items"]] == [customer.id] and listing.json()["total"] == 1
    assert (await api.get("/v1/pool?tier=1", headers=org.headers("ops"))).json()["total"] == 0

    response = await claim(api, org, "l2", customer.id)
    assert response.status_code == 200, response.text
    assert (response.json()["owner_id"], response.json()["status"]) == (org.l2.id, "active")
    async with sessions() as session:
        row = await session.get(Customer, customer.id)
        assert row.owner_assigned_at is not None
        assert await session.scalar(select(PoolClaim.staff_id).where(PoolClaim.customer_id == customer.id)) == org.l2.id
        assert (
            await session.scalar(select(AuditEvent.action).where(AuditEvent.customer_id == customer.id))
            == "customer.claimed"
        )

    again = await claim(api, org, "l2", customer.id)
    assert again.status_code == 409 and "not in the public pool" in again.json()["error"]["message"]


async def test_caps_refuse_with_409(api: httpx.AsyncClient, factory: Factory, sessions) -> None:
    org = await factory.org()
    # The former owner may not claim it back within 30 days of the reclaim.
    recent = await pooled(factory, org, days_in_pool=3)
    response = await claim(api, org, "l2", recent.id)
    assert response.status_code == 409 and "former owner" in response.json()["error"]["message"]

    # A tier 1 customer needs an L1 manager.
    key_account = await pooled(factory, org, tier=1, former=org.l1)
    response = await claim(api, org, "l2", key_account.id)
    assert response.status_code == 409 and "account_manager_l1" in response.json()["error"]["message"]

    # Claims per day (5 in the packaged definition).
    async with sessions() as session, session.begin():
        for _ in range(5):
            session.add(PoolClaim(customer_id=recent.id, staff_id=org.l2.id, claimed_by="test", claimed_at=utcnow()))
    free = await pooled(factory, org)
    response = await claim(api, org, "l2", free.id)
    assert response.status_code == 409 and "daily claim limit" in response.json()["error"]["message"]

    # Max customers held: the manager's capacity.
    other = await factory.staff(StaffRole.ACCOUNT_MANAGER_L2, supervisor_id=org.l1.id, capacity=1)
    await factory.customer(other, tier=2)
    response = await claim(api, org, "director", free.id, {"staff_id": other.id})
    assert response.status_code == 409 and "limit 1" in response.json()["error"]["message"]
    async with sessions() as session, session.begin():
        (await session.get(Staff, other.id)).capacity = 2
    response = await claim(api, org, "director", free.id, {"staff_id": other.id})
    assert response.status_code == 200 and response.json()["owner_id"] == other.id


async def test_who_may_claim(api: httpx.AsyncClient, factory: Factory) -> None:
    org = await factory.org()
    customer = await pooled(factory, org)
    outsider = await factory.staff(StaffRole.ACCOUNT_MANAGER_L2)  # no supervisor: outside the director's team

    assert (await claim(api, org, "ops", customer.id)).status_code == 403
    assert (await claim(api, org, "service", customer.id)).status_code == 403
    assert (await api.get("/v1/pool", headers=org.headers("service"))).status_code == 403
    response = await claim(api, org, "l1", customer.id, {"staff_id": org.l2.id})
    assert response.status_code == 403 and "only for themselves" in response.json()["error"]["message"]
    assert (await claim(api, org, "director", customer.id, {"staff_id": outsider.id})).status_code == 403
    assert (await claim(api, org, "admin", customer.id)).status_code == 422  # must name the manager
    assert (await claim(api, org, "admin", 999_999, {"staff_id": org.l2.id})).status_code == 404
    assert (await claim(api, org, "admin", customer.id, {"staff_id": "x"})).status_code == 422
    assert (await api.post(f"/v1/pool/{customer.id}/claim")).status_code == 401

    response = await claim(api, org, "admin", customer.id, {"staff_id": outsider.id})
    assert response.status_code == 200 and response.json()["owner_id"] == outsider.id
