"""Targets on the time-skipping server with real activities: negotiation, the director at the deadline,
checkpoints and check-ins, a change that needs approval, the fan-out and the daily progress."""

from __future__ import annotations

import asyncio
import uuid
from datetime import UTC, datetime, timedelta
from decimal import Decimal

import pytest
from sqlalchemy import func, select
from temporalio.client import WorkflowHandle, WorkflowUpdateFailedError
from temporalio.testing import WorkflowEnvironment

from crmflow.settings import PACKAGED_DEFINITIONS_DIR
from db.models import (
    AuditEvent,
    Staff,
    StaffRole,
    TargetCheckIn,
    TargetProgress,
    TargetSet,
    TargetVersion,
    Task,
    Transaction,
)
from definitions.approval import ApprovalDecisionInput, ApprovalResult, approval_workflow_id
from definitions.loader import load_as, load_flow
from definitions.targets import (
    AcceptInput,
    ChangeRequestInput,
    ProgressRunInput,
    ProposeInput,
    TargetCycleInput,
    TargetInput,
    TargetResult,
    TargetsDefinition,
    TargetStatus,
    target_workflow_id,
)
from definitions.tasks import TaskActor, TaskCompleteInput, TaskView
from tests.factories import Factory
from workflows.targets import TargetCycleWorkflow, TargetProgressWorkflow, TargetWorkflow

DEFINITION = load_as(PACKAGED_DEFINITIONS_DIR, TargetsDefinition)
CHANGE_FLOW = load_flow(PACKAGED_DEFINITIONS_DIR, "target-change")
TZ = "UTC"


def definition(**changes) -> TargetsDefinition:
    base = {
        "metrics": ["new_customers", "revenue"],
        "negotiation_due": timedelta(days=2),
        "director_decision_due": timedelta(days=1),
        "checkin_due": timedelta(days=3),
        "acknowledge_due": timedelta(days=2),
        "reminders_before": [],
        "escalation_levels": 0,
        "max_counter_rounds": 2,
    }
    return DEFINITION.model_copy(update={**base, **changes})


def unique_period() -> str:
    return f"{1000 + uuid.uuid4().int % 8000}Q{1 + uuid.uuid4().int % 4}"


def actor(staff: Staff, role: str = "manager") -> TaskActor:
    return TaskActor(role=role, staff_id=staff.id, label=f"{role}:staff:{staff.id}")


async def poll(check, timeout: float = 30):
    deadline = asyncio.get_running_loop().time() + timeout
    while True:
        value = await check()
        if value:
            return value
        assert asyncio.get_running_loop().time() < deadline, "condition never became true"
        await asyncio.sleep(0.05)


async def start_target(
    env: WorkflowEnvironment,
    queue: str,
    staff: Staff,
    defn: TargetsDefinition,
    *,
    start: datetime | None = None,
    days: int = 90,
) -> WorkflowHandle:
    """Start one target workflow; its period begins now on the server's clock (which earlier tests moved on)."""
    client = env.client
    start = start or (await env.get_current_time()).replace(microsecond=0)
    period = unique_period()
    assert start is not None
    handle = await client.start_workflow(
        TargetWorkflow.run,
        TargetInput(
            definition=defn,
            period=period,
            timezone=TZ,
            staff_id=staff.id,
            period_start=start,
            period_end=start + timedelta(days=days),
            opened_by="test",
        ),
        id=target_workflow_id(period, staff.id),
        task_queue=queue,
        result_type=TargetResult,
    )

    async def opened():
        state = await handle.query("status", result_type=TargetStatus)
        return state if state.target_set_id else None

    await poll(opened)
    return handle


async def status(handle: WorkflowHandle) -> TargetStatus:
    return await handle.query("status", result_type=TargetStatus)


async def open_task(handle: WorkflowHandle, key: str) -> TaskView:
    async def found():
        views = await handle.query("task.list", result_type=list[TaskView])
        return next((v for v in views if v.task_key == key and v.status == "open" and v.task_id), None)

    return await poll(found)


async def refused(call) -> str:
    with pytest.raises(WorkflowUpdateFailedError) as failure:
        await call
    return failure.value.cause.type


async def test_counter_proposals_are_bounded_and_the_manager_accepts(
    time_env: WorkflowEnvironment, run_worker, factory: Factory, sessions, settings
) -> None:
    org = await factory.org()  # director ← l1 ← l2
    other = await factory.staff(StaffRole.ACCOUNT_MANAGER_L1, supervisor_id=org.director.id)
    async with run_worker(time_env.client):
        handle = await start_target(time_env, settings.task_queue, org.l2, definition())
        propose = lambda who, values, reason=None: handle.execute_update(  # noqa: E731
            TargetWorkflow.propose, ProposeInput(actor=actor(who), values=values, reason=reason)
        )
        counter = lambda values, reason="too high for my region": handle.execute_update(  # noqa: E731
            TargetWorkflow.counter, ProposeInput(actor=actor(org.l2), values=values, reason=reason)
        )
        # Only the supervisor proposes; the manager cannot accept before a proposal, nor can a stranger.
        assert await refused(propose(org.l2, {"new_customers": 5, "revenue": 100})) == "TaskForbidden"
        assert await refused(propose(other, {"new_customers": 5, "revenue": 100})) == "TaskForbidden"
        assert (
            await refused(handle.execute_update(TargetWorkflow.accept, AcceptInput(actor=actor(org.l2))))
            == "TaskConflict"
        )
        assert await refused(propose(org.l1, {"new_customers": 5})) == "TaskInvalid"  # every metric needed
        await propose(org.l1, {"new_customers": 20, "revenue": 50000}, "growth plan")
        assert await refused(counter({"new_customers": 12, "revenue": 40000}, reason="")) == "TaskInvalid"
        await counter({"new_customers": 12, "revenue": 40000})
        assert await refused(counter({"new_customers": 10, "revenue": 40000})) == "TaskConflict"  # not their turn
        await propose(org.l1, {"new_customers": 16, "revenue": 45000})
        await counter({"new_customers": 14, "revenue": 42000}, reason="two big accounts churn")
        await propose(org.l1, {"new_customers": 15, "revenue": 44000}, "meet halfway")
        # Two counter-proposals were the limit: the manager may only accept now.
        assert await refused(counter({"new_customers": 14, "revenue": 43000})) == "TaskConflict"
        assert (
            await refused(handle.execute_update(TargetWorkflow.accept, AcceptInput(actor=actor(org.l1))))
            == "TaskForbidden"
        )
        result = await handle.execute_update(TargetWorkflow.accept, AcceptInput(actor=actor(org.l2), reason="ok"))
        assert result.status == "agreed" and result.version == 5
        state = await status(handle)
        await handle.terminate("test finished")
    assert state.agreed_version == 5 and state.agreed_values == {"new_customers": 15, "revenue": 44000}
    async with sessions() as session:
        row = await session.get(TargetSet, state.target_set_id)
        versions = (
            await session.scalars(
                select(TargetVersion).where(TargetVersion.target_set_id == row.id).order_by(TargetVersion.version)
            )
        ).all()
        actions = (
            await session.scalars(
                select(AuditEvent.action).where(AuditEvent.workflow_id == handle.id).order_by(AuditEvent.id)
            )
        ).all()
    assert row.status == "agreed" and row.agreed_version == 5 and row.counter_rounds == 2
    assert row.supervisor_id == org.l1.id and row.director_id == org.director.id
    assert [(v.kind, v.status) for v in versions] == [
        ("proposal", "superseded"),
        ("counter", "superseded"),
        ("proposal", "superseded"),
        ("counter", "superseded"),
        ("proposal", "agreed"),
    ]
    assert versions[1].reason == "too high for my region" and versions[1].author_id == org.l2.id
    assert actions == [
        "target.opened",
        "target.proposed",
        "target.countered",
        "target.proposed",
        "target.countered",
        "target.proposed",
        "target.agreed",
    ]


async def test_the_director_decides_when_there_is_no_agreement_by_the_deadline(
    time_env: WorkflowEnvironment, run_worker, factory: Factory, sessions, settings
) -> None:
    org = await factory.org()
    async with run_worker(time_env.client):
        handle = await start_target(time_env, settings.task_queue, org.l2, definition())
        await handle.execute_update(
            TargetWorkflow.propose, ProposeInput(actor=actor(org.l1), values={"new_customers": 20, "revenue": 50000})
        )
        await handle.execute_update(
            TargetWorkflow.counter,
            ProposeInput(actor=actor(org.l2), values={"new_customers": 8, "revenue": 30000}, reason="market is down"),
        )
        await time_env.sleep(timedelta(days=2, hours=1))  # past the negotiation deadline
        task = await open_task(handle, "director-decision")
        assert task.assignee_id == org.director.id
        # Negotiating is over: the supervisor can no longer accept the counter-proposal.
        assert (
            await refused(handle.execute_update(TargetWorkflow.accept, AcceptInput(actor=actor(org.l1))))
            == "TaskConflict"
        )
        with pytest.raises(WorkflowUpdateFailedError):  # only the director (or an admin) fills the decision
            await handle.execute_update(
                "task.complete",
                TaskCompleteInput(
                    task_key="director-decision", actor=actor(org.l1), data={"new_customers": 12, "revenue": 40000}
                ),
            )
        await handle.execute_update(
            "task.complete",
            TaskCompleteInput(
                task_key="director-decision",
                actor=actor(org.director, "director"),
                data={"new_customers": 12, "revenue": 40000, "comment": "between the two"},
            ),
        )
        state = await poll(lambda: _agreed(handle))
        await handle.terminate("test finished")
    assert state.agreed_values == {"new_customers": 12, "revenue": 40000} and state.agreed_version == 3
    async with sessions() as session:
        version = await session.scalar(
            select(TargetVersion).where(TargetVersion.target_set_id == state.target_set_id, TargetVersion.version == 3)
        )
        actions = (await session.scalars(select(AuditEvent.action).where(AuditEvent.workflow_id == handle.id))).all()
    assert version.kind == "director" and version.status == "agreed" and version.author_id == org.director.id
    assert version.reason == "between the two"
    assert "target.director" in actions and "target.decided" in actions and "target.agreed" in actions


async def _agreed(handle: WorkflowHandle) -> TargetStatus | None:
    state = await status(handle)
    return state if state.status == "agreed" else None


async def test_nobody_deciding_pins_the_supervisors_last_proposal(
    time_env: WorkflowEnvironment, run_worker, factory: Factory, sessions, settings
) -> None:
    org = await factory.org()
    async with run_worker(time_env.client):
        handle = await start_target(time_env, settings.task_queue, org.l2, definition(), days=3)
        await handle.execute_update(
            TargetWorkflow.propose, ProposeInput(actor=actor(org.l1), values={"new_customers": 9, "revenue": 9000})
        )
        result = await handle.result()  # deadline, the director's task expires, the short period ends
    assert result.status == "closed" and result.agreed_version == 1
    async with sessions() as session:
        row = await session.get(TargetSet, result.target_set_id)
        task = await session.scalar(select(Task).where(Task.workflow_id == handle.id))
    assert row.agreed_values == {"new_customers": 9, "revenue": 9000} and row.status == "closed"
    assert task.task_key == "director-decision" and task.status == "expired"


async def test_an_off_pace_target_opens_a_check_in_at_the_checkpoint_that_the_supervisor_acknowledges(
    time_env: WorkflowEnvironment, run_worker, factory: Factory, sessions, settings
) -> None:
    org = await factory.org()
    start = (await time_env.get_current_time()).replace(microsecond=0)
    # By day 30 of 90: 3 new customers (pace 1.0 against 9) but revenue 1 000 of 9 000 (pace 0.33).
    for offset in (3, 10, 20):
        customer = await factory.customer(
            org.l2, owner_assigned_at=start + timedelta(days=offset), created_at=start - timedelta(days=1)
        )
    async with sessions() as session, session.begin():
        session.add(
            Transaction(
                customer_id=customer.id, amount=Decimal("1000"), occurred_on=(start + timedelta(days=12)).date()
            )
        )
    async with run_worker(time_env.client):
        handle = await start_target(
            time_env, settings.task_queue, org.l2, definition(checkpoints=[30, 60]), start=start
        )
        await handle.execute_update(
            TargetWorkflow.propose, ProposeInput(actor=actor(org.l1), values={"new_customers": 9, "revenue": 9000})
        )
        await handle.execute_update(TargetWorkflow.accept, AcceptInput(actor=actor(org.l2)))
        await time_env.sleep(timedelta(days=30, hours=1))
        task = await open_task(handle, "checkin-30")
        assert task.assignee_id == org.l2.id
        with pytest.raises(WorkflowUpdateFailedError):  # cause and actions are required
            await handle.execute_update(
                "task.complete",
                TaskCompleteInput(task_key="checkin-30", actor=actor(org.l2), data={"cause": "two deals slipped"}),
            )
        await handle.execute_update(
            "task.complete",
            TaskCompleteInput(
                task_key="checkin-30",
                actor=actor(org.l2),
                data={"cause": "two deals slipped", "actions": "weekly calls with both", "help_needed": "a demo"},
            ),
        )
        ack = await open_task(handle, "acknowledge-30")
        assert ack.assignee_id == org.l1.id
        await handle.execute_update(
            "task.complete",
            TaskCompleteInput(task_key="acknowledge-30", actor=actor(org.l1), data={"comment": "let's review weekly"}),
        )

        async def acknowledged():
            async with sessions() as session:
                row = await session.scalar(select(TargetCheckIn).where(TargetCheckIn.checkpoint_day == 30))
                return row if row is not None and row.status == "acknowledged" else None

        checkin = await poll(acknowledged)
        state = await status(handle)
        await handle.terminate("test finished")
    assert state.checkins == [30]
    assert [o["metric"] for o in checkin.off_pace] == ["revenue"]
    assert checkin.response["help_needed"] == "a demo" and checkin.acknowledged_by == org.l1.id
    assert checkin.acknowledgement == "let's review weekly"
    async with sessions() as session:
        snapshots = {
            p.metric: p
            for p in await session.scalars(
                select(TargetProgress).where(TargetProgress.target_set_id == state.target_set_id)
            )
        }
    assert snapshots["new_customers"].actual == 3 and snapshots["new_customers"].pace == pytest.approx(1.0, abs=0.01)
    assert snapshots["revenue"].actual == 1000 and snapshots["revenue"].pace == pytest.approx(0.3333, abs=0.01)
    assert snapshots["revenue"].elapsed_share == pytest.approx(1 / 3, abs=0.001)
    assert snapshots["revenue"].day == (start + timedelta(days=30)).date()


async def test_a_target_on_pace_opens_no_check_in(
    time_env: WorkflowEnvironment, run_worker, factory: Factory, sessions, settings
) -> None:
    org = await factory.org()
    start = (await time_env.get_current_time()).replace(microsecond=0)
    for offset in (3, 10, 20):
        await factory.customer(
            org.l2, owner_assigned_at=start + timedelta(days=offset), created_at=start - timedelta(days=1)
        )
    async with run_worker(time_env.client):
        handle = await start_target(
            time_env,
            settings.task_queue,
            org.l2,
            definition(metrics=["new_customers"], checkpoints=[30]),
            start=start,
            days=60,
        )
        await handle.execute_update(
            TargetWorkflow.propose, ProposeInput(actor=actor(org.l1), values={"new_customers": 6})
        )
        await handle.execute_update(TargetWorkflow.accept, AcceptInput(actor=actor(org.l2)))
        result = await handle.result()
    assert result.status == "closed" and result.checkins == []
    async with sessions() as session:
        assert await session.scalar(select(func.count()).select_from(TargetCheckIn)) == 0
        snapshot = await session.scalar(
            select(TargetProgress).where(TargetProgress.target_set_id == result.target_set_id)
        )
    assert snapshot.actual == 3 and snapshot.pace == pytest.approx(1.0, abs=0.01)


async def test_changing_an_agreed_target_needs_the_approval_of_the_flow(
    time_env: WorkflowEnvironment, run_worker, factory: Factory, sessions, settings
) -> None:
    org = await factory.org()
    async with run_worker(time_env.client):
        handle = await start_target(time_env, settings.task_queue, org.l2, definition(checkpoints=[]))
        change = lambda metric, value, who=org.l2: handle.execute_update(  # noqa: E731
            TargetWorkflow.request_change,
            ChangeRequestInput(
                actor=actor(who),
                metric=metric,
                value=value,
                reason="a key account went bankrupt",
                flow=CHANGE_FLOW.model_dump(mode="json"),
            ),
        )
        assert await refused(change("revenue", 7000)) == "TaskConflict"  # nothing agreed yet
        await handle.execute_update(
            TargetWorkflow.propose, ProposeInput(actor=actor(org.l1), values={"new_customers": 9, "revenue": 10000})
        )
        await handle.execute_update(TargetWorkflow.accept, AcceptInput(actor=actor(org.l2)))
        assert await refused(change("revenue", 7000, who=org.l1)) == "TaskForbidden"  # the manager asks
        assert await refused(change("nps", 7)) == "TaskInvalid"
        requested = await change("revenue", 7000)  # −30 %: supervisor, then the director
        assert await refused(change("new_customers", 8)) == "TaskConflict"  # one change at a time
        approval = time_env.client.get_workflow_handle(
            approval_workflow_id(requested.approval_id), result_type=ApprovalResult
        )

        async def decide(who: Staff, role: str) -> None:
            async def decided():
                try:
                    await approval.execute_update(
                        "approval.decide",
                        ApprovalDecisionInput(actor=actor(who, role), decision="approve", comment="fine"),
                    )
                    return True
                except WorkflowUpdateFailedError:
                    return False  # that step has not reached them yet

            await poll(decided)

        await decide(org.l1, "manager")
        assert (await status(handle)).agreed_values["revenue"] == 10000  # not yet: the director must sign too
        await decide(org.director, "director")
        assert (await approval.result()).status == "approved"

        async def changed():
            state = await status(handle)
            return state if state.pending_change is None else None

        state = await poll(changed)
        # A small change needs the supervisor only, who rejects it: nothing changes.
        small = await change("new_customers", 8)
        small_approval = time_env.client.get_workflow_handle(
            approval_workflow_id(small.approval_id), result_type=ApprovalResult
        )

        async def rejected():
            try:
                await small_approval.execute_update(
                    "approval.decide", ApprovalDecisionInput(actor=actor(org.l1), decision="reject", comment="keep it")
                )
                return True
            except WorkflowUpdateFailedError:
                return False

        await poll(rejected)
        assert (await small_approval.result()).status == "rejected"
        final = await poll(changed)
        await handle.terminate("test finished")
    assert state.agreed_values == {"new_customers": 9, "revenue": 7000} and state.agreed_version == 2
    assert final.agreed_values == {"new_customers": 9, "revenue": 7000}
    async with sessions() as session:
        versions = {
            v.version: v
            for v in await session.scalars(
                select(TargetVersion).where(TargetVersion.target_set_id == state.target_set_id)
            )
        }
        row = await session.get(TargetSet, state.target_set_id)
        actions = (
            await session.scalars(
                select(AuditEvent.action).where(AuditEvent.entity_type == "target").order_by(AuditEvent.id)
            )
        ).all()
    assert [(versions[n].kind, versions[n].status) for n in (1, 2, 3)] == [
        ("proposal", "superseded"),
        ("change", "agreed"),
        ("change", "rejected"),
    ]
    assert versions[2].approval_id == requested.approval_id and versions[2].reason == "a key account went bankrupt"
    assert row.agreed_version == 2 and row.agreed_values["revenue"] == 7000
    assert actions.count("target.change_requested") == 2 and "target.changed" in actions
    assert "target.change_rejected" in actions


async def test_the_cycle_opens_one_target_setting_per_active_manager_once(
    time_env: WorkflowEnvironment, run_worker, factory: Factory, sessions, settings
) -> None:
    director = await factory.staff(StaffRole.DIRECTOR)
    managers = [await factory.staff(StaffRole.ACCOUNT_MANAGER_L2, supervisor_id=director.id) for _ in range(3)]
    await factory.staff(StaffRole.ACCOUNT_MANAGER_L2, supervisor_id=director.id, active=False)
    period = unique_period()
    data = TargetCycleInput(definition=definition(), timezone=TZ, period=period, started_by="test")
    async with run_worker(time_env.client):
        first = await time_env.client.execute_workflow(
            TargetCycleWorkflow.run, data, id=f"tc-{uuid.uuid4().hex[:8]}", task_queue=settings.task_queue
        )
        again = await time_env.client.execute_workflow(
            TargetCycleWorkflow.run, data, id=f"tc-{uuid.uuid4().hex[:8]}", task_queue=settings.task_queue
        )

        async def all_open():
            async with sessions() as session:
                return (
                    await session.scalar(select(func.count()).select_from(TargetSet).where(TargetSet.period == period))
                    == 3
                )

        await poll(all_open)
        for manager in managers:
            await time_env.client.get_workflow_handle(target_workflow_id(period, manager.id)).terminate("done")
    assert (first.opened, again.opened) == (3, 0)


async def test_the_daily_run_stores_one_snapshot_per_agreed_target(
    time_env: WorkflowEnvironment, run_worker, factory: Factory, sessions, settings
) -> None:
    org = await factory.org()
    start = datetime(2026, 4, 1, tzinfo=UTC)
    await factory.customer(org.l2, owner_assigned_at=start + timedelta(days=5), created_at=start)
    async with sessions() as session, session.begin():
        for staff, values in ((org.l2, {"new_customers": 4, "revenue": 1000}), (org.l1, {"new_customers": 2})):
            session.add(
                TargetSet(
                    period="2026Q2",
                    staff_id=staff.id,
                    workflow_id=f"t-{uuid.uuid4().hex}",
                    status="agreed",
                    metrics=list(values),
                    agreed_version=1,
                    agreed_values=values,
                    period_start=start,
                    period_end=datetime(2026, 7, 1, tzinfo=UTC),
                )
            )
        session.add(
            TargetSet(
                period="2026Q2",
                staff_id=org.director.id,
                workflow_id=f"t-{uuid.uuid4().hex}",
                status="negotiating",
                metrics=["revenue"],
                period_start=start,
                period_end=datetime(2026, 7, 1, tzinfo=UTC),
            )
        )
    as_of = start + timedelta(days=45, hours=3)
    run = ProgressRunInput(definition=definition(progress_chunk=1), timezone=TZ, as_of=as_of)
    async with run_worker(time_env.client):
        for _ in range(2):  # twice the same day: the day's rows are replaced, not doubled
            result = await time_env.client.execute_workflow(
                TargetProgressWorkflow.run, run, id=f"tp-{uuid.uuid4().hex[:8]}", task_queue=settings.task_queue
            )
    assert result.target_sets == 2 and result.snapshots == 3
    async with sessions() as session:
        rows = (
            await session.scalars(select(TargetProgress).order_by(TargetProgress.target_set_id, TargetProgress.metric))
        ).all()
    assert len(rows) == 3 and {r.day for r in rows} == {as_of.date()}
    by_metric = {(r.metric, r.target): r for r in rows}
    assert by_metric[("new_customers", 4)].actual == 1 and by_metric[("new_customers", 2)].actual == 0
    assert by_metric[("new_customers", 4)].elapsed_share == pytest.approx(45.125 / 91, abs=0.001)


async def test_the_quarterly_launcher_opens_next_quarter_once(
    time_env: WorkflowEnvironment, run_worker, factory: Factory, sessions, settings
) -> None:
    # Last in the module: the cycle it starts abandons its children, which this test then closes.
    from workflows.targets import TargetScheduleWorkflow

    manager = await factory.staff(StaffRole.ACCOUNT_MANAGER_L2)
    period = unique_period()
    data = TargetCycleInput(definition=definition(), timezone=TZ, period=period, started_by="test")
    async with run_worker(time_env.client):
        results = [
            await time_env.client.execute_workflow(
                TargetScheduleWorkflow.run,
                data,
                id=f"targets-schedule-{uuid.uuid4().hex[:8]}",
                task_queue=settings.task_queue,
            )
            for _ in range(2)
        ]
        assert [r.started for r in results] == [True, False]
        assert {r.workflow_id for r in results} == {f"target-cycle-{period}"}
        await time_env.client.get_workflow_handle(f"target-cycle-{period}").result()
        await _target_set(sessions, manager.id, period)
        await time_env.client.get_workflow_handle(target_workflow_id(period, manager.id)).terminate("done")


async def _target_set(sessions, staff_id: int, period: str) -> TargetSet:
    async def found():
        async with sessions() as session:
            return await session.scalar(
                select(TargetSet).where(TargetSet.staff_id == staff_id, TargetSet.period == period)
            )

    return await poll(found)


def test_next_period_is_the_quarter_after_the_one_containing_the_moment() -> None:
    from definitions.targets import next_period

    assert next_period(datetime(2026, 12, 15, 2, tzinfo=UTC), "Asia/Shanghai") == "2027Q1"
    assert next_period(datetime(2026, 3, 31, 17, tzinfo=UTC), "Asia/Shanghai") == "2026Q3"  # already 1 April there
