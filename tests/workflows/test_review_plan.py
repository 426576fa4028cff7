"""Improvement plans on the time-skipping server: reminded before each due date, measured (KPI catalogue) when due,
and shown on the manager's next review."""

from __future__ import annotations

import uuid
from datetime import timedelta

from sqlalchemy import select
from temporalio.testing import WorkflowEnvironment

from api.routers.reviews import with_plans
from db.models import AuditEvent, Notification, Review, ReviewCycle, ReviewPlanItem, Transaction
from definitions.review import ImprovementPlanInput, ImprovementPlanStatus, PlanItem
from tests.factories import Factory
from workflows.review import ImprovementPlanWorkflow, plan_workflow_id


async def _review(sessions, manager_id: int, supervisor_id: int, period: str, end) -> Review:
    """An approved review row of `period` (the plan hangs off it)."""
    async with sessions() as session, session.begin():
        cycle = ReviewCycle(
            period=period,
            workflow_id=f"review-cycle-{period}-{uuid.uuid4().hex[:6]}",
            period_start=end - timedelta(days=90),
            period_end=end,
            status="completed",
        )
        session.add(cycle)
        await session.flush()
        review = Review(
            cycle_id=cycle.id,
            period=period,
            manager_id=manager_id,
            supervisor_id=supervisor_id,
            workflow_id=f"review-{period}-{manager_id}-{uuid.uuid4().hex[:6]}",
            status="approved",
            stage="done",
            rating=3,
            comment="follow-ups slipped",
        )
        session.add(review)
    return review


async def test_plan_items_are_reminded_measured_and_shown_on_the_next_review(
    time_env: WorkflowEnvironment, run_worker, factory: Factory, sessions, settings
) -> None:
    org = await factory.org()
    now = await time_env.get_current_time()
    period_end = now - timedelta(days=1)
    review = await _review(sessions, org.l2.id, org.l1.id, "2026Q3", period_end)
    # Inside the plan's window: one new customer (target 1: met) and 1 000 of revenue (target 5 000: missed).
    won = await factory.customer(org.l2, owner_assigned_at=now + timedelta(days=3))
    async with sessions() as session, session.begin():
        session.add(Transaction(customer_id=won.id, amount=1000, occurred_on=(now + timedelta(days=4)).date()))
    items = [
        PlanItem(metric="revenue", baseline=800, target=5000, due_on=(now + timedelta(days=60)).date()),
        PlanItem(metric="new_customers", baseline=0, target=1, due_on=(now + timedelta(days=30)).date()),
    ]
    async with run_worker(time_env.client):
        handle = await time_env.client.start_workflow(
            ImprovementPlanWorkflow.run,
            ImprovementPlanInput(
                review_id=review.id,
                manager_id=org.l2.id,
                period="2026Q3",
                period_end=period_end,
                items=items,
                reminder_before=timedelta(days=7),
            ),
            id=plan_workflow_id(review.workflow_id),
            task_queue=settings.task_queue,
            result_type=ImprovementPlanStatus,
        )
        result = await handle.result()
    # Measured by due date: the new-customers item (due first) met, revenue missed with the figure measured.
    assert [(o.status, o.measured_value) for o in result.items] == [("met", 1.0), ("missed", 1000.0)]
    assert result.open_items == 0
    async with sessions() as session:
        rows = (
            await session.scalars(
                select(ReviewPlanItem).where(ReviewPlanItem.review_id == review.id).order_by(ReviewPlanItem.position)
            )
        ).all()
        reminders = (
            await session.scalars(
                select(Notification).where(
                    Notification.kind == "review.plan_reminder", Notification.recipient_id == org.l2.id
                )
            )
        ).all()
        audit = (
            await session.scalars(
                select(AuditEvent.action).where(
                    AuditEvent.entity_type == "review", AuditEvent.entity_id == str(review.id)
                )
            )
        ).all()
    assert [(r.position, r.metric, r.status, r.measured_value) for r in rows] == [
        (1, "revenue", "missed", 1000.0),
        (2, "new_customers", "met", 1.0),
    ]
    # Each item reminded once, a week before it was due; measured on its due date (the server skipped there).
    assert all(r.reminded_at is not None and r.measured_at is not None for r in rows)
    assert len(reminders) == 2 and all("Improvement plan" in n.subject for n in reminders)
    assert "review.plan_added" in audit and "review.plan_item_met" in audit and "review.plan_item_missed" in audit

    # The manager's next review shows how each item went.
    following = await _review(sessions, org.l2.id, org.l1.id, "2026Q4", period_end + timedelta(days=90))
    async with sessions() as session:
        earlier, later = await with_plans(
            session, [await session.get(Review, review.id), await session.get(Review, following.id)]
        )
    assert [i.status for i in earlier.plan] == ["missed", "met"] and earlier.previous_plan == []
    assert later.plan == [] and [(i.metric, i.status, i.measured_value) for i in later.previous_plan] == [
        ("revenue", "missed", 1000.0),
        ("new_customers", "met", 1.0),
    ]
