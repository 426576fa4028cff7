"""A batch's KPIs, computed set-based with its review rows, equal each manager's own KPI computation."""

from __future__ import annotations

import uuid
from datetime import timedelta
from decimal import Decimal

from sqlalchemy import select
from temporalio.testing import ActivityEnvironment

from activities.review import ReviewActivities
from db.models import Complaint, FollowUp, Review, Staff, StaffRole, TargetSet, Transaction
from definitions.review import (
    AtRiskRules,
    BatchKpisRequest,
    ComputeKpisInput,
    OpenBatchInput,
    OpenCycleInput,
    period_bounds,
)
from tests.factories import Factory
from tests.workflows.test_review import unique_period

TZ = "Asia/Shanghai"
RULES = AtRiskRules(no_follow_up_days=30, low_satisfaction_below=3.0)


async def _seed(factory: Factory, sessions, period: str):
    """Five managers under one director: varied holdings, revenue, complaints, follow-ups, losses and targets."""
    start, end = period_bounds(period, TZ)
    inside, before = start + timedelta(days=10), start - timedelta(days=40)
    director = await factory.staff(StaffRole.DIRECTOR)
    busy, losing, quiet, untargeted, receiving = [
        await factory.staff(StaffRole.ACCOUNT_MANAGER_L2, supervisor_id=director.id) for _ in range(5)
    ]
    held = [await factory.customer(busy, owner_assigned_at=before, created_at=before) for _ in range(3)]
    won = await factory.customer(busy, owner_assigned_at=inside, created_at=before)
    await factory.customer(busy, owner_assigned_at=end + timedelta(days=2), created_at=before)  # after the period
    # Lost during the period (now held by another manager), and one reclaimed to the pool.
    await factory.customer(
        receiving, previous_owner_id=losing.id, owner_assigned_at=inside, created_at=before - timedelta(days=90)
    )
    await factory.customer(
        None,
        previous_owner_id=losing.id,
        status="pool",
        reclaimed_at=inside + timedelta(days=5),
        owner_assigned_at=before,
        created_at=before,
    )
    unhappy = await factory.customer(losing, owner_assigned_at=before, created_at=before)
    steady = [await factory.customer(untargeted, owner_assigned_at=before, created_at=before) for _ in range(2)]
    day = (inside + timedelta(hours=12)).date()
    async with sessions() as session, session.begin():
        session.add_all(
            [
                Transaction(customer_id=held[0].id, amount=Decimal("1500"), occurred_on=day),
                Transaction(customer_id=won.id, amount=Decimal("250.5"), occurred_on=day),
                Transaction(
                    customer_id=held[1].id, amount=Decimal("999"), occurred_on=(end + timedelta(days=5)).date()
                ),
                Transaction(customer_id=steady[0].id, amount=Decimal("80"), occurred_on=day),
            ]
        )
        complaints = [
            (held[0], 5, True, True, inside + timedelta(days=2)),
            (held[1], 4, True, False, inside + timedelta(days=3)),
            (unhappy, 1, False, None, inside + timedelta(days=4)),
            (unhappy, 2, True, True, None),
            (steady[1], None, True, None, None),
        ]
        for customer, satisfaction, response_met, resolution_met, closed_at in complaints:
            session.add(
                Complaint(
                    id=str(uuid.uuid4()),
                    customer_id=customer.id,
                    severity="normal",
                    category="billing",
                    description="x",
                    channel="phone",
                    status="closed" if closed_at else "open",
                    created_at=inside,
                    closed_at=closed_at,
                    satisfaction=satisfaction,
                    sla_response_met=response_met,
                    sla_resolution_met=resolution_met,
                )
            )
        for customer, staff in ((held[0], busy), (won, busy), (steady[0], untargeted), (unhappy, losing)):
            session.add(
                FollowUp(
                    customer_id=customer.id, staff_id=staff.id, channel="call", occurred_at=end - timedelta(days=3)
                )
            )
        for staff, agreed in (
            (busy, {"new_customers": 4, "revenue": 1000, "complaints": 1}),
            (losing, {"customers_reclaimed": 0, "avg_satisfaction": 4, "sla_response": 0.9}),
            (quiet, {"revenue": 500}),
        ):
            session.add(
                TargetSet(
                    period=period,
                    staff_id=staff.id,
                    workflow_id=f"target-{period}-{staff.id}",
                    status="closed",
                    metrics=list(agreed),
                    agreed_version=1,
                    agreed_values=agreed,
                    period_start=start,
                    period_end=end,
                )
            )
    return director, [busy, losing, quiet, untargeted, receiving]


async def _open_cycle(env: ActivityEnvironment, activities: ReviewActivities, period: str, director: Staff) -> int:
    """The director's cycle row for the period; its id."""
    start, end = period_bounds(period, TZ)
    cycle = await env.run(
        activities.open_cycle,
        OpenCycleInput(
            period=period,
            period_start=start,
            period_end=end,
            workflow_id=f"review-cycle-{period}-s{director.id}",
            started_by="test",
            definition_version="1:test",
            scope_staff_id=director.id,
        ),
    )
    return cycle.cycle_id


def _first_batch(cycle_id: int, period: str, director: Staff, **kpis: int) -> OpenBatchInput:
    """The cycle's first batch of up to 50 managers, with their KPIs computed set-based."""
    start, end = period_bounds(period, TZ)
    return OpenBatchInput(
        cycle_id=cycle_id,
        period=period,
        after_manager_id=0,
        limit=50,
        scope_staff_id=director.id,
        kpis=BatchKpisRequest(period_start=start, period_end=end, at_risk=RULES, **kpis),
    )


async def test_batch_kpis_equal_each_managers_own_computation(sessions, factory: Factory) -> None:
    period = unique_period()
    start, end = period_bounds(period, TZ)
    director, managers = await _seed(factory, sessions, period)
    activities = ReviewActivities(sessions)
    env = ActivityEnvironment()
    cycle_id = await _open_cycle(env, activities, period, director)
    batch = await env.run(activities.open_batch, _first_batch(cycle_id, period, director, at_risk_ids=100))
    assert sorted(ref.manager_id for ref in batch.reviews) == sorted(m.id for m in managers)
    async with sessions() as session:
        rows = {r.manager_id: r for r in await session.scalars(select(Review).where(Review.cycle_id == cycle_id))}
    from_batch = {m: (rows[m].kpis, rows[m].at_risk_customer_ids) for m in rows}

    # Each manager's own computation (the per-review activity) on the same rows: the same figures, row and input.
    for ref in batch.reviews:
        own = await env.run(
            activities.compute_kpis,
            ComputeKpisInput(
                review_id=ref.review_id, manager_id=ref.manager_id, period_start=start, period_end=end, at_risk=RULES
            ),
        )
        async with sessions() as session:
            row = await session.get(Review, ref.review_id)
        assert (row.kpis, row.at_risk_customer_ids) == from_batch[ref.manager_id]
        assert ref.kpis is not None
        assert ref.kpis.kpis == own.kpis and ref.kpis.at_risk_customer_ids == own.at_risk_customer_ids
        assert ref.kpis.shown() == {**own.kpis.model_dump(), "at_risk_customers": len(own.at_risk_customer_ids)}

    # The data was varied enough to mean something: figures, empty rates, losses and target tables all differ.
    busy, losing, quiet, untargeted, _ = (from_batch[m.id][0] for m in managers)
    assert busy["revenue"] == 1750.5 and busy["new_customers"] == 1 and busy["customers_held"] == 4
    assert busy["average_satisfaction"] == 4.5 and busy["sla_compliance"] == 0.5
    assert [line["metric"] for line in busy["targets"]] == ["new_customers", "revenue", "complaints"]
    assert losing["customers_lost"] == 2 and losing["at_risk_customers"] == 1
    assert {line["metric"] for line in losing["targets"]} == {"customers_reclaimed", "avg_satisfaction", "sla_response"}
    assert quiet["customers_held"] == 0 and quiet["retention"] is None and quiet["targets"][0]["actual"] == 0
    assert untargeted["targets"] == [] and untargeted["revenue"] == 80


async def test_a_retried_batch_keeps_the_kpis_its_rows_have(sessions, factory: Factory) -> None:
    period = unique_period()
    start, end = period_bounds(period, TZ)
    director, managers = await _seed(factory, sessions, period)
    activities = ReviewActivities(sessions)
    env = ActivityEnvironment()
    cycle_id = await _open_cycle(env, activities, period, director)
    request = _first_batch(cycle_id, period, director)
    first = await env.run(activities.open_batch, request)
    async with sessions() as session, session.begin():  # data arriving after the batch opened
        busy = managers[0]
        customer = await session.scalar(select(FollowUp.customer_id).where(FollowUp.staff_id == busy.id))
        session.add(
            Transaction(customer_id=customer, amount=Decimal("5"), occurred_on=(start + timedelta(days=1)).date())
        )
    again = await env.run(activities.open_batch, request)
    assert again.reviews == first.reviews
    assert all(ref.kpis is not None and ref.kpis.at_risk_customer_ids == [] for ref in again.reviews)
