"""Awards at review-cycle close and by hand, on the time-skipping server with real activities."""

from __future__ import annotations

from datetime import timedelta

from sqlalchemy import select
from temporalio.testing import WorkflowEnvironment

from crmflow.settings import PACKAGED_DEFINITIONS_DIR
from db.models import AuditEvent, IncentiveAward, IncentiveAwardLine, StaffRole
from definitions.incentives import IncentiveAwardsInput, IncentiveDefinition, awards_workflow_id
from definitions.loader import load_as
from definitions.review import period_bounds
from tests.factories import Factory
from tests.incentives.dataset import RULES
from tests.workflows import test_review as review_tests
from workflows.incentives import IncentiveAwardsWorkflow


async def test_the_review_cycle_computes_the_periods_awards_when_it_closes(
    time_env: WorkflowEnvironment, run_worker, factory: Factory, sessions, settings
) -> None:
    director = await factory.staff(StaffRole.DIRECTOR)
    l1 = await factory.staff(StaffRole.ACCOUNT_MANAGER_L1, supervisor_id=director.id)
    l2 = await factory.staff(StaffRole.ACCOUNT_MANAGER_L2, supervisor_id=l1.id)
    period = review_tests.unique_period()
    start, _ = period_bounds(period, review_tests.TZ)
    for day in range(3):
        await factory.customer(l2, owner_assigned_at=start + timedelta(days=day + 1), created_at=start)
    async with run_worker(time_env.client):
        handle = await review_tests.start_cycle(time_env.client, settings.task_queue, period, review_tests.definition())
        await handle.result()  # nobody answers: the reviews expire and the cycle closes
        assert (await handle.query("status"))["stage"] == "done"
    rules = load_as(PACKAGED_DEFINITIONS_DIR, IncentiveDefinition)
    async with sessions() as session:
        awards = {
            a.manager_id: a
            for a in await session.scalars(select(IncentiveAward).where(IncentiveAward.period == period))
        }
        assert set(awards) == {l1.id, l2.id}
        assert {a.rule_version for a in awards.values()} == {rules.rule_version}
        first = await session.scalar(
            select(IncentiveAwardLine).where(
                IncentiveAwardLine.award_id == awards[l2.id].id, IncentiveAwardLine.line_no == 1
            )
        )
        assert (first.metric, first.actual, first.target) == ("new_customers", 3.0, 20.0)
        audit = await session.scalar(
            select(AuditEvent).where(AuditEvent.action == "incentive_awards.computed", AuditEvent.entity_id == period)
        )
        assert audit.workflow_id == handle.id and audit.details["written"] == 2


async def test_awards_by_hand_keep_the_rules_pinned_at_start(
    time_env: WorkflowEnvironment, run_worker, factory: Factory, sessions, settings
) -> None:
    director = await factory.staff(StaffRole.DIRECTOR)
    manager = await factory.staff(StaffRole.ACCOUNT_MANAGER_L2, supervisor_id=director.id)
    period = review_tests.unique_period()
    async with run_worker(time_env.client):
        handle = await time_env.client.start_workflow(
            IncentiveAwardsWorkflow.run,
            IncentiveAwardsInput(
                period=period,
                timezone=review_tests.TZ,
                definition=RULES,
                scope_staff_id=director.id,
                started_by="ops:principal:1",
            ),
            id=awards_workflow_id(period, director.id),
            task_queue=settings.task_queue,
        )
        result = await handle.result()
        assert (result.awards, result.rule_version) == (1, "3:hand-made-rules")
        assert (await handle.query("status"))["stage"] == "done"
    async with sessions() as session:
        award = await session.scalar(select(IncentiveAward).where(IncentiveAward.period == period))
    assert (award.manager_id, award.rule_version, award.computed_by) == (
        manager.id,
        "3:hand-made-rules",
        "ops:principal:1",
    )
