"""Review cycles by hand (ops/admin/director, idempotent per period) and role-filtered reviews."""

from __future__ import annotations

import asyncio
import uuid

from sqlalchemy import func, select
from temporalio.client import Client
from temporalio.service import RPCError, RPCStatusCode

from db.models import Task
from tests.factories import Factory


def unique_period() -> str:
    # Past quarters only (future ones are refused) within the accepted years, 1970 onwards.
    return f"{1970 + uuid.uuid4().int % 50}Q{1 + uuid.uuid4().int % 4}"


async def end_cycle(client: Client, cycle_workflow_id: str, reviews: list[dict]) -> None:
    """Terminate a test's cycle, then its reviews (the dev server is shared). The cycle goes first, so it starts
    no more; a review whose row the batch wrote may have no workflow yet."""
    await client.get_workflow_handle(cycle_workflow_id).terminate("test finished")
    for review in reviews:
        try:
            await client.get_workflow_handle(review["workflow_id"]).terminate("test finished")
        except RPCError as exc:
            if exc.status != RPCStatusCode.NOT_FOUND:
                raise


async def test_start_a_cycle_once_per_period_and_list_reviews_by_role(
    api, factory: Factory, local_env, sessions
) -> None:
    org = await factory.org()
    other_director = await factory.staff("director")
    stranger = await factory.staff(supervisor_id=other_director.id)
    period = unique_period()

    for who in ("l1", "l2", "service"):
        response = await api.post("/v1/review-cycles", json={"period": period}, headers=org.headers(who))
        assert response.status_code == 403, who
    bad = await api.post("/v1/review-cycles", json={"period": "2026Q5"}, headers=org.headers("ops"))
    assert bad.status_code == 422
    first = await api.post("/v1/review-cycles", json={"period": period}, headers=org.headers("ops"))
    assert first.status_code == 202, first.text
    assert first.json() == {"period": period, "workflow_id": f"review-cycle-{period}", "started": True}
    again = await api.post("/v1/review-cycles", json={"period": period}, headers=org.headers("admin"))
    assert again.status_code == 200 and again.json()["started"] is False

    deadline = asyncio.get_running_loop().time() + 30
    while True:
        everything = (await api.get("/v1/reviews", params={"period": period}, headers=org.headers("ops"))).json()[
            "items"
        ]
        if len(everything) == 3:  # L1, L2 and the other director's manager
            break
        assert asyncio.get_running_loop().time() < deadline, everything
        await asyncio.sleep(0.1)

    def managers(who: str):
        return api.get("/v1/reviews", params={"period": period}, headers=org.headers(who))

    assert {r["manager_id"] for r in (await managers("l2")).json()["items"]} == {org.l2.id}
    assert {r["manager_id"] for r in (await managers("l1")).json()["items"]} == {org.l1.id, org.l2.id}
    assert {r["manager_id"] for r in (await managers("director")).json()["items"]} == {org.l1.id, org.l2.id}
    admin_page = (await managers("admin")).json()
    assert {r["manager_id"] for r in admin_page["items"]} == {org.l1.id, org.l2.id, stranger.id}
    assert (admin_page["total"], admin_page["limit"], admin_page["offset"]) == (3, 100, 0)
    second = (
        await api.get("/v1/reviews", params={"period": period, "limit": 2, "offset": 2}, headers=org.headers("admin"))
    ).json()
    assert (len(second["items"]), second["total"]) == (1, 3)  # the total counts every page, not this one
    assert (await api.get("/v1/reviews", headers=org.headers("service"))).status_code == 403
    assert (await api.get("/v1/reviews", params={"period": "bad"}, headers=org.headers("ops"))).status_code == 422

    cycles = await api.get("/v1/review-cycles", params={"period": period}, headers=org.headers("ops"))
    assert cycles.status_code == 200
    assert cycles.json()["total"] == 1
    [cycle] = cycles.json()["items"]
    assert cycle["workflow_id"] == f"review-cycle-{period}" and cycle["started_by"].startswith("ops:")
    assert cycle["manager_count"] == 3

    ids = [review["workflow_id"] for review in everything]

    async def tasks_opened() -> int:
        async with sessions() as session:
            return await session.scalar(select(func.count()).select_from(Task).where(Task.workflow_id.in_(ids)))

    deadline = asyncio.get_running_loop().time() + 30
    while await tasks_opened() < 3:  # settle (no activity in flight), then stop: the server is shared
        assert asyncio.get_running_loop().time() < deadline, "self-assessments never opened"
        await asyncio.sleep(0.1)
    for review in everything:
        await local_env.client.get_workflow_handle(review["workflow_id"]).terminate("test finished")
    await local_env.client.get_workflow_handle(f"review-cycle-{period}").terminate("test finished")


async def test_cycle_summaries_show_only_the_teams_in_view(api, factory: Factory, sessions) -> None:
    from db.models import ReviewCycle, utcnow

    org = await factory.org()
    other = await factory.staff("director")
    now = utcnow()
    teams = {
        str(org.director.id): {"supervisor_id": org.director.id, "reviews": 1, "by_status": {"approved": 1}},
        str(other.id): {"supervisor_id": other.id, "reviews": 4, "by_status": {"overdue": 4}},
    }
    async with sessions() as session, session.begin():
        session.add(
            ReviewCycle(
                period="2001Q1",
                workflow_id="review-cycle-2001Q1",
                period_start=now,
                period_end=now,
                status="completed",
                summary={"period": "2001Q1", "reviews": 5, "teams": teams},
            )
        )
    everything = (await api.get("/v1/review-cycles", headers=org.headers("ops"))).json()["items"]
    assert everything[0]["summary"]["reviews"] == 5 and len(everything[0]["summary"]["teams"]) == 2
    mine = (await api.get("/v1/review-cycles", headers=org.headers("director"))).json()["items"]
    assert mine[0]["summary"]["reviews"] == 1 and list(mine[0]["summary"]["teams"]) == [str(org.director.id)]
    assert (await api.get("/v1/review-cycles", headers=org.headers("service"))).status_code == 403
