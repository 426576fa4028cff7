"""Correct days (issue 13 point 8): runs date themselves in the company's time zone; KPIs reflect the period."""

from __future__ import annotations

import asyncio
import uuid
from datetime import UTC, datetime, timedelta

from temporalio.testing import WorkflowEnvironment

from crmflow.registry import ScheduleContext, scheduled_runs
from crmflow.settings import PACKAGED_DEFINITIONS_DIR
from definitions.loader import load_as
from definitions.reclaim import ReclaimDefinition
from definitions.review import period_bounds
from definitions.tiering import TieringDefinition
from tests.api.test_reviews import end_cycle, unique_period
from tests.factories import Factory
from workflows.reclaim import ReclaimWorkflow
from workflows.tiering import TieringCycleWorkflow

SHANGHAI = "Asia/Shanghai"


async def test_daily_and_monthly_runs_at_0130_shanghai_date_themselves_in_shanghai(
    time_env: WorkflowEnvironment, run_worker, factory: Factory, settings
) -> None:
    now = await time_env.get_current_time()
    # Skip to the next 17:30 UTC: 01:30 the next day in Shanghai, when the schedules fire.
    target = now.astimezone(UTC).replace(hour=17, minute=30, second=0, microsecond=0)
    if target <= now:
        target += timedelta(days=1)
    await time_env.sleep(target - now)
    shanghai_day = (target + timedelta(hours=8)).date()
    assert shanghai_day != target.date()

    runs = {run.schedule_id: run for _, run in scheduled_runs()}
    context = ScheduleContext(timezone=settings.timezone, definitions={})
    reclaim_input = runs["reclaim-daily"].build_input(load_as(PACKAGED_DEFINITIONS_DIR, ReclaimDefinition), context)
    tiering_input = runs["tiering-monthly"].build_input(load_as(PACKAGED_DEFINITIONS_DIR, TieringDefinition), context)
    assert reclaim_input.timezone == tiering_input.timezone == settings.timezone == SHANGHAI
    # No further skipping: the runs must happen at 01:30 Shanghai, not years later.
    with time_env.auto_time_skipping_disabled():
        async with run_worker(time_env.client):
            reclaimed = await time_env.client.execute_workflow(
                ReclaimWorkflow.run, reclaim_input, id=f"reclaim-{uuid.uuid4().hex[:8]}", task_queue=settings.task_queue
            )
            tiered = await time_env.client.execute_workflow(
                TieringCycleWorkflow.run,
                tiering_input,
                id=f"tiering-{uuid.uuid4().hex[:8]}",
                task_queue=settings.task_queue,
            )
    assert reclaimed.run_date == shanghai_day
    assert tiered.cycle_id == shanghai_day.isoformat()


async def test_review_kpis_count_what_was_held_at_the_end_of_the_period(api, factory: Factory, local_env) -> None:
    org = await factory.org()
    period = unique_period()
    start, end = period_bounds(period, SHANGHAI)
    during = start + timedelta(days=10)
    now = datetime.now(UTC)
    await factory.customer(org.l2, tier=2, created_at=during, owner_assigned_at=during)  # held then and now
    # Held at the end, reclaimed to the pool only afterwards: still counts for the period.
    await factory.customer(
        None,
        tier=2,
        status="pool",
        created_at=during,
        owner_assigned_at=during,
        previous_owner_id=org.l2.id,
        reclaimed_at=now - timedelta(days=1),
    )
    for _ in range(2):  # won after the period: today's state, not the period's
        await factory.customer(org.l2, tier=2, created_at=now, owner_assigned_at=now)

    response = await api.post("/v1/review-cycles", json={"period": period}, headers=org.headers("ops"))
    assert response.status_code == 202, response.text
    deadline = asyncio.get_running_loop().time() + 30
    while True:
        reviews = (
            await api.get("/v1/reviews", params={"period": period, "manager_id": org.l2.id}, headers=org.headers("ops"))
        ).json()["items"]
        if reviews and reviews[0]["kpis"]:
            break
        assert asyncio.get_running_loop().time() < deadline, reviews
        await asyncio.sleep(0.1)
    kpis = reviews[0]["kpis"]
    assert (kpis["customers_held"], kpis["new_customers"]) == (2, 1), kpis
    reviews = (await api.get("/v1/reviews", params={"period": period}, headers=org.headers("ops"))).json()["items"]
    await end_cycle(local_env.client, response.json()["workflow_id"], reviews)
