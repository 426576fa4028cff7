"""Caps hold under concurrency on every database (issue 13 point 7): 7 parallel claims against 5 a day."""

from __future__ import annotations

import asyncio
from collections import Counter

from sqlalchemy import func, select

from db.models import Customer, PoolClaim
from tests.api.test_pool import pooled
from tests.factories import Factory


async def test_seven_parallel_claims_by_one_manager_against_five_a_day(api, factory: Factory, sessions) -> None:
    org = await factory.org()
    customers = [await pooled(factory, org, former=org.l1) for _ in range(7)]

    async def claim(customer_id: int):
        return await api.post(f"/v1/pool/{customer_id}/claim", headers=org.headers("l2"))

    responses = await asyncio.gather(*(claim(c.id) for c in customers))
    assert Counter(r.status_code for r in responses) == {200: 5, 409: 2}, [r.text for r in responses]
    assert all("daily claim limit" in r.json()["error"]["message"] for r in responses if r.status_code == 409)
    async with sessions() as session:
        assert (
            await session.scalar(select(func.count()).select_from(PoolClaim).where(PoolClaim.staff_id == org.l2.id))
            == 5
        )
        assert (
            await session.scalar(select(func.count()).select_from(Customer).where(Customer.owner_id == org.l2.id)) == 5
        )
