"""Roles that reached too far (issue 13 point 5): review cycles, service reads, delegation."""

from __future__ import annotations

import asyncio

import pytest

from tests.api.test_reviews import end_cycle, unique_period
from tests.factories import Factory
from tests.task_probe import approval, open_view, probe_worker, start_probe


async def _reviews(api, headers, period: str, count: int) -> list[dict]:
    deadline = asyncio.get_running_loop().time() + 30
    while True:
        found = (await api.get("/v1/reviews", params={"period": period}, headers=headers)).json()["items"]
        if len(found) >= count:
            return found
        assert asyncio.get_running_loop().time() < deadline, found
        await asyncio.sleep(0.1)


async def test_a_director_starts_a_cycle_for_their_subtree_only_and_no_one_a_future_one(
    api, factory: Factory, local_env
) -> None:
    org = await factory.org()
    other_director = await factory.staff("director")
    stranger = await factory.staff(supervisor_id=other_director.id)
    period = unique_period()

    for who in ("ops", "director", "admin"):
        for future in ("2099Q4", "2999Q4"):  # the last accepted year: a later one is a pattern 422
            response = await api.post("/v1/review-cycles", json={"period": future}, headers=org.headers(who))
            assert response.status_code == 422, (who, response.text)
            assert "has not ended" in response.json()["error"]["message"]

    mine = await api.post("/v1/review-cycles", json={"period": period}, headers=org.headers("director"))
    assert mine.status_code == 202, mine.text
    assert mine.json()["workflow_id"] == f"review-cycle-{period}-s{org.director.id}"
    ops = org.headers("ops")
    found = await _reviews(api, ops, period, 2)
    await asyncio.sleep(0.5)  # nothing else may appear: the stranger is not in the director's subtree
    found = (await api.get("/v1/reviews", params={"period": period}, headers=ops)).json()["items"]
    assert {r["manager_id"] for r in found} == {org.l1.id, org.l2.id}

    company = await api.post("/v1/review-cycles", json={"period": period}, headers=ops)
    assert company.status_code == 202, company.text
    found = await _reviews(api, ops, period, 3)
    await asyncio.sleep(0.5)
    found = (await api.get("/v1/reviews", params={"period": period}, headers=ops)).json()["items"]
    assert sorted(r["manager_id"] for r in found) == sorted([org.l1.id, org.l2.id, stranger.id])  # once each

    await local_env.client.get_workflow_handle(mine.json()["workflow_id"]).terminate("test finished")
    await end_cycle(local_env.client, company.json()["workflow_id"], found)


async def test_service_reads_customers_but_not_follow_ups_or_transactions(api, factory: Factory) -> None:
    org = await factory.org()
    customer = await factory.customer(owner=org.l2)
    service = org.headers("service")
    assert (await api.get(f"/v1/customers/{customer.id}", headers=service)).status_code == 200
    for path in ("follow-ups", "transactions"):
        response = await api.get(f"/v1/customers/{customer.id}/{path}", headers=service)
        assert response.status_code == 403, (path, response.text)
        assert (await api.get(f"/v1/customers/{customer.id}/{path}", headers=org.headers("l2"))).status_code == 200
    recorded = await api.post(
        f"/v1/customers/{customer.id}/transactions",
        json={"amount": "10.00", "occurred_on": "2026-01-01"},
        headers=service,
    )
    assert recorded.status_code == 201, recorded.text


@pytest.fixture
async def probe(local_env, sessions, settings):
    queue = f"{settings.task_queue}-probe"
    async with probe_worker(local_env.client, sessions, queue):
        yield queue


async def test_delegation_stays_within_the_top_level_organisation(api, factory: Factory, local_env, probe) -> None:
    org = await factory.org()
    other_director = await factory.staff("director")
    outsider = await factory.staff(supervisor_id=other_director.id)
    colleague = await factory.staff(supervisor_id=org.l1.id)
    gone = await factory.staff(supervisor_id=org.l1.id, active=False)
    handle = await start_probe(local_env.client, probe, approval(org.l2.id))
    task_id = (await open_view(handle, "approval")).task_id

    for who in ("l2", "admin"):
        for target in (outsider.id, other_director.id, gone.id):
            response = await api.post(
                f"/v1/tasks/{task_id}/delegate", json={"to_staff_id": target}, headers=org.headers(who)
            )
            assert response.status_code == 422, (who, target, response.text)
    ok = await api.post(f"/v1/tasks/{task_id}/delegate", json={"to_staff_id": colleague.id}, headers=org.headers("l2"))
    assert ok.status_code == 200, ok.text
    assert ok.json()["delegate_id"] == colleague.id
    await handle.terminate("test finished")
