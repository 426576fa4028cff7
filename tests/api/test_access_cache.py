"""The briefly cached access view (active flag and subtree) never outlives a change made through crmflow:
a supervisor change, a new report, a deactivation and a revoked token take effect on the next request."""

from __future__ import annotations

from datetime import UTC, datetime

from sqlalchemy import update

from db.models import Principal
from db.repositories import staff as staff_repo
from db.repositories.staff import hash_token
from tests.factories import Factory


async def _customer_ids(api, headers) -> set[int]:
    answer = await api.get("/v1/customers", headers=headers, params={"limit": 200})
    assert answer.status_code == 200, answer.text
    return {c["id"] for c in answer.json()["items"]}


async def test_a_supervisor_change_is_seen_at_once_though_views_are_cached(api, factory: Factory) -> None:
    org = await factory.org()
    other = await factory.staff(name="Other L1")
    theirs = await factory.customer(owner=org.l2)
    assert theirs.id in await _customer_ids(api, org.headers("l1"))
    # The view is cached now: a second request reuses it.
    assert org.l1.id in staff_repo._access_views
    moved = await api.patch(f"/v1/staff/{org.l2.id}", headers=org.headers("admin"), json={"supervisor_id": other.id})
    assert moved.status_code == 200, moved.text
    assert theirs.id not in await _customer_ids(api, org.headers("l1"))


async def test_deactivation_and_revocation_refuse_the_next_request(api, factory: Factory, sessions) -> None:
    org = await factory.org()
    assert (await api.get("/v1/customers", headers=org.headers("l2"))).status_code == 200
    gone = await api.patch(f"/v1/staff/{org.l2.id}", headers=org.headers("admin"), json={"active": False})
    assert gone.status_code == 200, gone.text
    assert (await api.get("/v1/customers", headers=org.headers("l2"))).status_code == 401
    # Revoked by another process (no cache of ours is told): the token is looked up on every request.
    assert (await api.get("/v1/customers", headers=org.headers("l1"))).status_code == 200
    async with sessions() as session, session.begin():
        await session.execute(
            update(Principal)
            .where(Principal.token_hash == hash_token(org.tokens["l1"]))
            .values(revoked_at=datetime.now(UTC))
        )
    assert (await api.get("/v1/customers", headers=org.headers("l1"))).status_code == 401
