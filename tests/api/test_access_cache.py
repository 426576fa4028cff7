"""The briefly cached access view (active flag and subtree) and token actor never outlive a change made through
crmflow: a supervisor change, a new report, a deactivation and a revoked token take effect on the next request;
a change made by another process, within ACCESS_CACHE_SECONDS."""

from __future__ import annotations

import asyncio
from datetime import UTC, datetime, timedelta

from sqlalchemy import update

from api import deps
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


async def test_deactivation_refuses_the_next_request(api, factory: Factory) -> None:
    org = await factory.org()
    assert (await api.get("/v1/customers", headers=org.headers("l2"))).status_code == 200
    assert hash_token(org.tokens["l2"]) in deps._token_actors  # the next request would not look the token up
    gone = await api.patch(f"/v1/staff/{org.l2.id}", headers=org.headers("admin"), json={"active": False})
    assert gone.status_code == 200, gone.text
    assert (await api.get("/v1/customers", headers=org.headers("l2"))).status_code == 401


async def test_a_token_revoked_by_another_process_is_refused_once_its_cached_actor_lapses(
    api, factory: Factory, sessions, monkeypatch
) -> None:
    monkeypatch.setattr(deps, "ACCESS_CACHE_SECONDS", 0.5)
    monkeypatch.setattr(staff_repo, "ACCESS_CACHE_SECONDS", 0.5)
    org = await factory.org()
    assert (await api.get("/v1/customers", headers=org.headers("l1"))).status_code == 200
    # Another process (the CLI, a second API) revokes it: no cache of ours is told.
    async with sessions() as session, session.begin():
        await session.execute(
            update(Principal)
            .where(Principal.token_hash == hash_token(org.tokens["l1"]))
            .values(revoked_at=datetime.now(UTC))
        )
    await asyncio.sleep(0.6)
    refused = await api.get("/v1/customers", headers=org.headers("l1"))
    assert refused.status_code == 401 and "revoked" in refused.json()["error"]["message"]


async def test_a_token_is_never_cached_past_its_expiry(api, factory: Factory, sessions) -> None:
    org = await factory.org()
    async with sessions() as session, session.begin():
        await session.execute(
            update(Principal)
            .where(Principal.token_hash == hash_token(org.tokens["ops"]))
            .values(expires_at=datetime.now(UTC) + timedelta(seconds=1))
        )
    assert (await api.get("/v1/customers", headers=org.headers("ops"))).status_code == 200
    await asyncio.sleep(1.1)
    expired = await api.get("/v1/customers", headers=org.headers("ops"))
    assert expired.status_code == 401 and "expired" in expired.json()["error"]["message"]
