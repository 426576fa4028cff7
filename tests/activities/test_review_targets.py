"""The review's target / actual / attainment table comes from the agreed targets and the KPI catalogue."""

from __future__ import annotations

from datetime import timedelta
from decimal import Decimal

from activities.review import targets_of_review
from db.models import StaffRole, TargetSet, Transaction
from definitions.review import period_bounds
from tests.factories import Factory

TZ = "Asia/Shanghai"


async def test_a_review_shows_target_actual_and_attainment_per_metric(sessions, factory: Factory) -> None:
    director = await factory.staff(StaffRole.DIRECTOR)
    manager = await factory.staff(StaffRole.ACCOUNT_MANAGER_L2, supervisor_id=director.id)
    other = await factory.staff(StaffRole.ACCOUNT_MANAGER_L2, supervisor_id=director.id)
    start, end = period_bounds("2026Q2", TZ)
    won = await factory.customer(manager, owner_assigned_at=start + timedelta(days=3), created_at=start)
    await factory.customer(manager, owner_assigned_at=start + timedelta(days=40), created_at=start)
    async with sessions() as session, session.begin():
        session.add(
            Transaction(customer_id=won.id, amount=Decimal("6000"), occurred_on=(start + timedelta(days=5)).date())
        )
        session.add(
            TargetSet(
                period="2026Q2",
                staff_id=manager.id,
                workflow_id="target-2026Q2-x",
                status="closed",
                metrics=["new_customers", "revenue", "complaints"],
                agreed_version=1,
                agreed_values={"new_customers": 4, "revenue": 5000, "complaints": 2},
                period_start=start,
                period_end=end,
            )
        )
    async with sessions() as session:
        lines = {line["metric"]: line for line in await targets_of_review(session, manager.id, "2026Q2", start, end)}
        assert await targets_of_review(session, other.id, "2026Q2", start, end) == []  # no targets, no table
    assert (
        lines["new_customers"]["target"],
        lines["new_customers"]["actual"],
        lines["new_customers"]["attainment"],
    ) == (4, 2, 0.5)
    assert lines["revenue"]["actual"] == 6000 and lines["revenue"]["attainment"] == 1.2
    # Fewer complaints than allowed is better than the target: none of two allowed is 200 %.
    assert lines["complaints"]["actual"] == 0 and lines["complaints"]["attainment"] == 2.0
    assert lines["complaints"]["direction"] == "lower" and lines["revenue"]["unit"] == "currency"
