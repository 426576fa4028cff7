"""Figures for the report and award pages: this quarter's customers, deals, complaints and overdue tasks."""

from __future__ import annotations

import uuid
from datetime import UTC, datetime, timedelta
from decimal import Decimal

from crmflow.settings import PACKAGED_DEFINITIONS_DIR
from db.models import Complaint, Task, Transaction
from db.repositories.incentives import compute_awards
from definitions.incentives import IncentiveDefinition
from definitions.loader import load_as
from definitions.review import period_bounds, quarter_of
from tests.web.conftest import World


async def fill_quarter(world: World) -> str:
    """Deals and complaints for both teams this quarter, overdue tasks, and the quarter's awards; the period."""
    now = datetime.now(UTC)
    period = quarter_of(now, world.settings.timezone)
    start, end = period_bounds(period, world.settings.timezone)
    moment = max(start + timedelta(hours=1), now - timedelta(days=1))
    plan = {
        "l1": (3, "120000", [("critical", "billing", True, True, 5), ("high", "delivery", True, False, 4)]),
        "l2": (1, "45000", [("high", "delivery", False, True, 2)]),
        "m2": (2, "80000", [("critical", "billing", True, True, 4)]),
    }
    for who, (won, amount, complaints) in plan.items():
        owner = world[who].staff
        customers = [await world.customer(owner, owner_assigned_at=moment, created_at=moment) for _ in range(won)]
        async with world.sessions() as session, session.begin():
            session.add(Transaction(customer_id=customers[0].id, amount=Decimal(amount), occurred_on=moment.date()))
            for severity, category, response, resolution, satisfaction in complaints:
                session.add(
                    Complaint(
                        id=str(uuid.uuid4()),
                        customer_id=customers[0].id,
                        severity=severity,
                        category=category,
                        description="report figures",
                        channel="phone",
                        status="closed",
                        owner_id=owner.id,
                        sla_response_met=response,
                        sla_resolution_met=resolution,
                        satisfaction=satisfaction,
                        created_at=moment,
                        closed_at=moment,
                    )
                )
            session.add(
                Task(
                    workflow_id=f"report-figures-{uuid.uuid4().hex[:8]}",
                    task_key="form",
                    process_type="review",
                    kind="form",
                    title="overdue",
                    status="open",
                    assignee_id=owner.id,
                    due_at=now - timedelta(days=2),
                    escalation_level=1,
                )
            )
    async with world.sessions() as session, session.begin():
        await compute_awards(
            session,
            load_as(PACKAGED_DEFINITIONS_DIR, IncentiveDefinition),
            period=period,
            start=start,
            end=end,
            timezone=world.settings.timezone,
            computed_by="test",
        )
    return period
