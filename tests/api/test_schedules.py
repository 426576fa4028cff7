"""Schedules: sync is idempotent; GET lists them; pause/unpause/trigger are for ops and admin only."""

from __future__ import annotations

import asyncio

import pytest
from sqlalchemy import func, select
from temporalio.client import ScheduleOverlapPolicy

from crmflow.registry import scheduled_runs
from crmflow.schedules import list_schedules, sync_schedules
from db.models import Review, ReviewCycle
from tests.factories import Factory


@pytest.fixture
async def synced(api, local_env, settings):
    """The three schedules, created for this test's task queue, deleted afterwards (the server is shared)."""
    results = await sync_schedules(local_env.client, settings=settings)
    yield results
    for _, run in scheduled_runs():
        try:
            await local_env.client.get_schedule_handle(run.schedule_id).delete()
        except Exception:  # noqa: BLE001 - not created
            pass


ALL = {"review-quarterly", "tiering-monthly", "reclaim-daily", "survey-waves", "targets-open", "targets-progress"}


async def test_sync_twice_gives_the_same_schedules(synced, local_env, settings) -> None:
    assert [(r.schedule_id, r.action) for r in synced] == [
        ("reclaim-daily", "created"),
        ("review-quarterly", "created"),
        ("survey-waves", "created"),
        ("targets-open", "created"),
        ("targets-progress", "created"),
        ("tiering-monthly", "created"),
    ]
    first = {v.id: v for v in await list_schedules(local_env.client)}
    again = await sync_schedules(local_env.client, settings=settings)
    assert [r.action for r in again] == ["unchanged"] * 6  # nothing rewritten
    second = {v.id: v for v in await list_schedules(local_env.client)}
    assert first.keys() == second.keys() == ALL
    review = second["review-quarterly"]
    assert review.cron == ["0 1 1 1,4,7,10 *"] and review.timezone == settings.timezone
    assert review.workflow_type == "ReviewScheduleWorkflow" and review.overlap == ScheduleOverlapPolicy.SKIP.name
    assert review.catchup_window_seconds == 7 * 86400
    assert second["reclaim-daily"].overlap == ScheduleOverlapPolicy.BUFFER_ONE.name
    assert [v.next_runs for v in first.values()] == [v.next_runs for v in second.values()]
    # A sync never unpauses what ops paused.
    await local_env.client.get_schedule_handle("tiering-monthly").pause(note="ops")
    await sync_schedules(local_env.client, settings=settings)
    assert {v.id: v.paused for v in await list_schedules(local_env.client)}["tiering-monthly"] is True


async def test_schedule_endpoints_are_for_ops_and_admin(api, synced, factory: Factory) -> None:
    org = await factory.org()
    for who in ("l2", "service"):
        assert (await api.get("/v1/schedules", headers=org.headers(who))).status_code == 403
    for who in ("l2", "director", "service"):
        for action in ("pause", "unpause", "trigger"):
            response = await api.post(f"/v1/schedules/reclaim-daily/{action}", headers=org.headers(who))
            assert response.status_code == 403, (who, action)
    for who in ("ops", "admin", "director"):
        listed = await api.get("/v1/schedules", headers=org.headers(who))
        assert listed.status_code == 200
        assert {s["id"] for s in listed.json()["items"]} == ALL
    paused = await api.post(
        "/v1/schedules/reclaim-daily/pause", json={"note": "maintenance"}, headers=org.headers("ops")
    )
    assert paused.status_code == 200 and paused.json()["paused"] is True
    assert "maintenance" in paused.json()["note"]
    unpaused = await api.post("/v1/schedules/reclaim-daily/unpause", headers=org.headers("admin"))
    assert unpaused.status_code == 200 and unpaused.json()["paused"] is False
    for path in ("/v1/schedules/nope/pause", "/v1/schedules/nope/unpause", "/v1/schedules/nope/trigger"):
        response = await api.post(path, headers=org.headers("ops"))
        assert response.status_code == 404 and response.json()["error"]["code"] == "not_found"


async def test_triggering_the_review_schedule_twice_makes_one_cycle(
    api, synced, factory: Factory, sessions, local_env
) -> None:
    org = await factory.org()

    async def cycle_state():
        async with sessions() as session:
            cycles = (await session.scalars(select(ReviewCycle))).all()
            reviews = await session.scalar(select(func.count()).select_from(Review))
        return cycles, reviews

    assert (await api.post("/v1/schedules/review-quarterly/trigger", headers=org.headers("ops"))).status_code == 202
    deadline = asyncio.get_running_loop().time() + 30
    while True:
        cycles, reviews = await cycle_state()
        if reviews == 2:  # one per active manager: the L1 and the L2
            break
        assert asyncio.get_running_loop().time() < deadline, "the triggered cycle never fanned out"
        await asyncio.sleep(0.1)
    assert (await api.post("/v1/schedules/review-quarterly/trigger", headers=org.headers("admin"))).status_code == 202

    async def second_launch_done():
        view = (await api.get("/v1/schedules", headers=org.headers("ops"))).json()["items"]
        review = next(s for s in view if s["id"] == "review-quarterly")
        return len(review["recent_runs"]) == 2 and not review["running"]

    deadline = asyncio.get_running_loop().time() + 30
    while not await second_launch_done():
        assert asyncio.get_running_loop().time() < deadline, "the second trigger never ran"
        await asyncio.sleep(0.1)
    cycles, reviews = await cycle_state()
    assert len(cycles) == 1 and reviews == 2
    period = cycles[0].period
    for workflow_id in (f"review-cycle-{period}", f"review-{period}-{org.l1.id}", f"review-{period}-{org.l2.id}"):
        await local_env.client.get_workflow_handle(workflow_id).terminate("test finished")
