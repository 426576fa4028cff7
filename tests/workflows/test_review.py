"""The quarterly review in the time-skipping environment, with real activities on the test database."""

from __future__ import annotations

import asyncio
import uuid
from datetime import timedelta

from sqlalchemy import func, select
from temporalio.api.enums.v1 import EventType
from temporalio.client import Client, WorkflowHandle
from temporalio.testing import WorkflowEnvironment

from crmflow.settings import PACKAGED_DEFINITIONS_DIR
from db.models import AuditEvent, FollowUp, Review, ReviewCycle, Staff, StaffRole, Task, Transaction
from definitions.loader import load_as
from definitions.review import (
    AccountReviewResult,
    ReviewCycleInput,
    ReviewDefinition,
    ReviewLaunchResult,
    period_bounds,
)
from definitions.tasks import TaskActor, TaskCompleteInput, TaskView
from tests.factories import Factory
from workflows.review import ReviewCycleWorkflow, ReviewScheduleWorkflow, cycle_workflow_id

DEFINITION = load_as(PACKAGED_DEFINITIONS_DIR, ReviewDefinition)
TZ = "Asia/Shanghai"


def definition(**changes) -> ReviewDefinition:
    """The packaged definition with short, test-friendly windows."""
    base = {
        "self_assessment_due": timedelta(days=2),
        "approval_due": timedelta(days=1),
        "reminders_before": [],
        "escalation_levels": 1,
        "completion_check_interval": timedelta(days=1),
    }
    return DEFINITION.model_copy(update={**base, **changes})


def unique_period() -> str:
    """A period no other test (or earlier run on the shared server) used."""
    return f"{1970 + uuid.uuid4().int % 1030}Q{1 + uuid.uuid4().int % 4}"  # real quarters (1970–2999)


async def start_cycle(client: Client, task_queue: str, period: str, defn: ReviewDefinition) -> WorkflowHandle:
    return await client.start_workflow(
        ReviewCycleWorkflow.run,
        ReviewCycleInput(definition=defn, timezone=TZ, period=period, started_by="test"),
        id=cycle_workflow_id(period),
        task_queue=task_queue,
    )


async def poll(check, timeout: float = 30):
    """Await `check()` until it returns something truthy (activities run in real time)."""
    deadline = asyncio.get_running_loop().time() + timeout
    while True:
        value = await check()
        if value:
            return value
        assert asyncio.get_running_loop().time() < deadline, "condition never became true"
        await asyncio.sleep(0.05)


async def open_task(handle: WorkflowHandle, key: str) -> TaskView:
    async def found():
        try:
            views = await handle.query("task.list", result_type=list[TaskView])
        except Exception:  # noqa: BLE001 - the child may not have run its first task yet
            return None
        return next((v for v in views if v.task_key == key and v.status == "open" and v.task_id), None)

    return await poll(found)


def actor(staff: Staff) -> TaskActor:
    return TaskActor(role="manager", staff_id=staff.id, label=f"manager:staff:{staff.id}")


async def test_fan_out_crosses_continue_as_new(
    local_env: WorkflowEnvironment, run_worker, factory: Factory, sessions, settings
) -> None:
    # On the real dev server: the time-skipping test server stops skipping time for good once a child
    # whose parent run continued as new closes, which would stall every later test sharing it.
    time_env = local_env
    director = await factory.staff(StaffRole.DIRECTOR)
    managers = [await factory.staff(StaffRole.ACCOUNT_MANAGER_L2, supervisor_id=director.id) for _ in range(5)]
    await factory.staff(StaffRole.ACCOUNT_MANAGER_L2, supervisor_id=director.id, active=False)
    period = unique_period()
    async with run_worker(time_env.client):
        handle = await start_cycle(
            time_env.client, settings.task_queue, period, definition(batch_size=2, concurrency=2)
        )
        first_run = handle.result_run_id
        review_ids = {f"review-{period}-{m.id}" for m in managers}

        async def all_started():
            found = set()
            for workflow_id in review_ids:
                try:
                    await time_env.client.get_workflow_handle(workflow_id).describe()
                    found.add(workflow_id)
                except Exception:  # noqa: BLE001 - not started yet
                    pass
            return found == review_ids

        await poll(all_started)
        for workflow_id in review_ids:  # settled: every review waits on its first task, no activity in flight
            review = time_env.client.get_workflow_handle(workflow_id)
            await open_task(review, "self-assessment-1")
            # The batch computed the KPIs: the review's one activity before its task opens the task (and moves
            # the review's stage with it).
            activities = [
                e.activity_task_scheduled_event_attributes.activity_type.name
                async for e in review.fetch_history_events()
                if e.event_type == EventType.EVENT_TYPE_ACTIVITY_TASK_SCHEDULED
            ]
            assert activities == ["review.open_task"]
        # Five reviews across three runs (2 + 2 + 1): each batch ended its run by continuing as new.
        runs, run_id = [], first_run
        while run_id:
            events = [
                e async for e in time_env.client.get_workflow_handle(handle.id, run_id=run_id).fetch_history_events()
            ]
            runs.append(events)
            last = events[-1]
            run_id = (
                last.workflow_execution_continued_as_new_event_attributes.new_execution_run_id
                if last.event_type == EventType.EVENT_TYPE_WORKFLOW_EXECUTION_CONTINUED_AS_NEW
                else None
            )
        starts = [
            sum(e.event_type == EventType.EVENT_TYPE_START_CHILD_WORKFLOW_EXECUTION_INITIATED for e in run)
            for run in runs
        ]
        assert starts == [2, 2, 1]
        assert all(len(run) < 60 for run in runs)
        for workflow_id in [handle.id, *review_ids]:
            await time_env.client.get_workflow_handle(workflow_id).terminate("test finished")
    async with sessions() as session:
        reviews = (await session.scalars(select(Review).where(Review.period == period))).all()
        cycle = await session.scalar(select(ReviewCycle).where(ReviewCycle.period == period))
    assert sorted(r.manager_id for r in reviews) == sorted(m.id for m in managers)
    assert {r.workflow_id for r in reviews} == review_ids
    assert {r.supervisor_id for r in reviews} == {director.id}
    assert all(r.kpis is not None and r.stage == "self_assessment" for r in reviews)
    assert cycle.manager_count == 5 and cycle.status == "running"


async def test_second_start_for_the_same_period_makes_no_second_cycle(
    time_env: WorkflowEnvironment, run_worker, factory: Factory, sessions, settings
) -> None:
    director = await factory.staff(StaffRole.DIRECTOR)
    manager = await factory.staff(StaffRole.ACCOUNT_MANAGER_L2, supervisor_id=director.id)
    period = unique_period()
    launch = ReviewCycleInput(definition=definition(), timezone=TZ, period=period)

    async def launch_once() -> ReviewLaunchResult:
        return await time_env.client.execute_workflow(
            ReviewScheduleWorkflow.run,
            launch,
            id=f"review-schedule-{uuid.uuid4().hex[:6]}",
            task_queue=settings.task_queue,
        )

    async with run_worker(time_env.client):
        results = [await launch_once(), await launch_once()]
        assert [r.started for r in results] == [True, False]
        assert {r.workflow_id for r in results} == {f"review-cycle-{period}"}
        review = time_env.client.get_workflow_handle(f"review-{period}-{manager.id}")
        await open_task(review, "self-assessment-1")
        # Once the cycle is closed, a third launch for that period is still refused by the id.
        await time_env.client.get_workflow_handle(f"review-cycle-{period}").terminate("test: close the cycle")
        await review.terminate("test finished")
        assert not (await launch_once()).started
    async with sessions() as session:
        assert (
            await session.scalar(select(func.count()).select_from(ReviewCycle).where(ReviewCycle.period == period)) == 1
        )
        assert await session.scalar(select(func.count()).select_from(Review).where(Review.period == period)) == 1


async def test_overdue_review_climbs_the_chain_and_the_cycle_sums_up_per_team(
    time_env: WorkflowEnvironment, run_worker, factory: Factory, sessions, settings
) -> None:
    director = await factory.staff(StaffRole.DIRECTOR)
    l1 = await factory.staff(StaffRole.ACCOUNT_MANAGER_L1, supervisor_id=director.id)
    l2 = await factory.staff(StaffRole.ACCOUNT_MANAGER_L2, supervisor_id=l1.id)
    period = unique_period()
    async with run_worker(time_env.client):
        handle = await start_cycle(time_env.client, settings.task_queue, period, definition(escalation_levels=2))
        result = await handle.result()
    assert result.reviews == 2
    async with sessions() as session:
        cycle = await session.scalar(select(ReviewCycle).where(ReviewCycle.period == period))
        reviews = {r.manager_id: r for r in await session.scalars(select(Review).where(Review.period == period))}
        task = await session.scalar(select(Task).where(Task.workflow_id == f"review-{period}-{l2.id}"))
    # Nobody answered: the L2's self-assessment went to the L1, then to the director, then expired.
    assert task.status == "expired" and task.escalation_level == 2 and task.assignee_id == director.id
    assert {r.status for r in reviews.values()} == {"overdue"}
    assert cycle.status == "completed" and cycle.completed_at is not None
    teams = cycle.summary["teams"]
    assert teams[str(l1.id)]["reviews"] == 1 and teams[str(director.id)]["by_status"] == {"overdue": 1}


async def test_launcher_computes_the_quarter_just_ended(
    time_env: WorkflowEnvironment, run_worker, factory: Factory, settings
) -> None:
    launch = ReviewCycleInput(definition=definition(), timezone=TZ)
    async with run_worker(time_env.client):
        handle = await time_env.client.start_workflow(
            ReviewScheduleWorkflow.run,
            launch,
            id=f"review-schedule-{uuid.uuid4().hex[:6]}",
            task_queue=settings.task_queue,
        )
        result = await handle.result()
        started = (await handle.describe()).start_time
        cycle = time_env.client.get_workflow_handle(result.workflow_id)

        async def cycle_closed():  # nobody to review: the cycle finishes on its own
            return (await cycle.describe()).status.name == "COMPLETED"

        await poll(cycle_closed)
    local = started.astimezone(__import__("zoneinfo").ZoneInfo(TZ))
    quarter = (local.month - 1) // 3 + 1
    expected = f"{local.year - 1}Q4" if quarter == 1 else f"{local.year}Q{quarter - 1}"
    assert result.period == expected


async def test_review_kpis_rework_loop_and_approval(
    time_env: WorkflowEnvironment, run_worker, factory: Factory, sessions, settings
) -> None:
    org = await factory.org()
    period = unique_period()
    start, end = period_bounds(period, TZ)
    inside = start + timedelta(days=10)
    customers = [await factory.customer(org.l2, owner_assigned_at=start - timedelta(days=30)) for _ in range(3)]
    new_customer = await factory.customer(org.l2, owner_assigned_at=inside)
    async with sessions() as session, session.begin():
        session.add(
            Transaction(customer_id=customers[0].id, amount=1500, occurred_on=(inside + timedelta(hours=12)).date())
        )
        session.add(
            Transaction(customer_id=customers[1].id, amount=500, occurred_on=(inside + timedelta(hours=12)).date())
        )
        session.add(Transaction(customer_id=customers[1].id, amount=999, occurred_on=(end + timedelta(days=5)).date()))
        for customer in (customers[0], customers[1], new_customer):
            session.add(
                FollowUp(
                    customer_id=customer.id, staff_id=org.l2.id, channel="call", occurred_at=end - timedelta(days=3)
                )
            )
    review_id = f"review-{period}-{org.l2.id}"
    async with run_worker(time_env.client):
        cycle = await start_cycle(
            time_env.client, settings.task_queue, period, definition(max_rework_rounds=2, approval_flow=None)
        )
        review = time_env.client.get_workflow_handle(review_id, result_type=AccountReviewResult)
        await open_task(review, "self-assessment-1")
        answer = {"summary": "good", "next_quarter_goals": "more", "self_rating": 4}
        await review.execute_update(
            "task.complete", TaskCompleteInput(task_key="self-assessment-1", actor=actor(org.l2), data=answer)
        )
        await open_task(review, "approval-1")
        await review.execute_update(
            "task.complete",
            TaskCompleteInput(
                task_key="approval-1", actor=actor(org.l1), data={"approved": False, "comment": "add numbers"}
            ),
        )
        rework = await open_task(review, "self-assessment-2")
        assert rework.assignee_id == org.l2.id
        await review.execute_update(
            "task.complete",
            TaskCompleteInput(
                task_key="self-assessment-2", actor=actor(org.l2), data={**answer, "achievements": "revenue 2000"}
            ),
        )
        await open_task(review, "approval-2")
        await review.execute_update(
            "task.complete",
            TaskCompleteInput(
                task_key="approval-2", actor=actor(org.l1), data={"approved": True, "rating": 4, "comment": "well done"}
            ),
        )
        outcome = await review.result()
        assert outcome.status == "approved" and outcome.rating == 4 and outcome.rework_rounds == 1
        # The L1's own review is not part of this test: nothing may stay running on the shared server.
        l1_review = time_env.client.get_workflow_handle(f"review-{period}-{org.l1.id}")
        await open_task(l1_review, "self-assessment-1")
        await l1_review.terminate("test finished")
        await cycle.terminate("test finished")
    async with sessions() as session:
        row = await session.scalar(select(Review).where(Review.workflow_id == review_id))
        tasks = (await session.scalars(select(Task).where(Task.workflow_id == review_id).order_by(Task.id))).all()
        audit = (await session.scalars(select(AuditEvent.action).where(AuditEvent.workflow_id == review_id))).all()
    assert row.status == "approved" and row.rating == 4 and row.rework_rounds == 1 and row.decided_by == org.l1.id
    assert row.self_assessment["achievements"] == "revenue 2000"
    kpis = row.kpis
    assert kpis["customers_held"] == 4 and kpis["new_customers"] == 1 and kpis["revenue"] == 2000
    assert kpis["follow_up_coverage"] == 0.75 and kpis["retention"] == 1.0
    assert kpis["at_risk_customers"] == 1 and row.at_risk_customer_ids == [customers[2].id]
    assert [t.task_key for t in tasks] == ["self-assessment-1", "approval-1", "self-assessment-2", "approval-2"]
    assert tasks[1].context["self_assessment"] == answer and tasks[2].context["feedback"] == "add numbers"
    assert "review.done" in audit and audit.count("review.self_assessment") == 2


async def test_rework_rounds_are_bounded(
    time_env: WorkflowEnvironment, run_worker, factory: Factory, sessions, settings
) -> None:
    director = await factory.staff(StaffRole.DIRECTOR)
    manager = await factory.staff(StaffRole.ACCOUNT_MANAGER_L2, supervisor_id=director.id)
    period = unique_period()
    review_id = f"review-{period}-{manager.id}"
    answer = {"summary": "s", "next_quarter_goals": "g", "self_rating": 2}
    async with run_worker(time_env.client):
        cycle = await start_cycle(
            time_env.client, settings.task_queue, period, definition(max_rework_rounds=1, approval_flow=None)
        )
        review = time_env.client.get_workflow_handle(review_id, result_type=AccountReviewResult)
        for round_no in (1, 2):
            await open_task(review, f"self-assessment-{round_no}")
            await review.execute_update(
                "task.complete",
                TaskCompleteInput(task_key=f"self-assessment-{round_no}", actor=actor(manager), data=answer),
            )
            await open_task(review, f"approval-{round_no}")
            await review.execute_update(
                "task.complete",
                TaskCompleteInput(
                    task_key=f"approval-{round_no}",
                    actor=TaskActor(role="director", staff_id=director.id),
                    data={"approved": False, "comment": f"no {round_no}"},
                ),
            )
        outcome = await review.result()
        await cycle.terminate("test finished")
    assert outcome.status == "not_approved" and outcome.rework_rounds == 2
    async with sessions() as session:
        row = await session.scalar(select(Review).where(Review.workflow_id == review_id))
    assert row.status == "not_approved" and row.comment == "no 2"


async def test_at_risk_customers_get_tier_reevaluations_when_the_switch_is_on(
    time_env: WorkflowEnvironment, run_worker, factory: Factory, sessions, settings
) -> None:
    from definitions.loader import load_definition

    director = await factory.staff(StaffRole.DIRECTOR)
    manager = await factory.staff(StaffRole.ACCOUNT_MANAGER_L2, supervisor_id=director.id)
    at_risk = await factory.customer(manager)  # never followed up
    period = unique_period()
    defn = definition(at_risk=DEFINITION.at_risk.model_copy(update={"start_tier_reevaluations": True}))
    tiering = load_definition(PACKAGED_DEFINITIONS_DIR, "tiering").model_dump(mode="json")
    async with run_worker(time_env.client):
        cycle = await time_env.client.start_workflow(
            ReviewCycleWorkflow.run,
            ReviewCycleInput(definition=defn, timezone=TZ, period=period, tiering_definition=tiering),
            id=cycle_workflow_id(period),
            task_queue=settings.task_queue,
        )
        review = time_env.client.get_workflow_handle(f"review-{period}-{manager.id}")
        await open_task(review, "self-assessment-1")
        evaluation = time_env.client.get_workflow_handle(f"tiering-review-{period}-{at_risk.id}")

        async def evaluated():
            return (await evaluation.describe()).status.name == "COMPLETED"

        await poll(evaluated)
        change = (await evaluation.result()).get("tier_change_process_id")
        if change:  # leave nothing running on the shared server
            await time_env.client.get_workflow_handle(change).terminate("test finished")
        await review.terminate("test finished")
        await cycle.terminate("test finished")
    async with sessions() as session:
        reasons = (
            await session.scalars(
                select(AuditEvent.reason).where(AuditEvent.workflow_id == f"review-{period}-{manager.id}")
            )
        ).all()
    assert any(r and f"tiering-review-{period}-{at_risk.id}" in r for r in reasons)
