"""The human-task helper through a small probe workflow: decisions, reminders, escalation, delegation, recall."""

from __future__ import annotations

import asyncio
from datetime import UTC, datetime, timedelta

import pytest
from sqlalchemy import select
from temporalio.client import WorkflowUpdateFailedError
from temporalio.service import RPCError

from db.engine import SessionFactory
from db.models import AuditEvent, Notification, StaffRole, Task
from definitions.tasks import (
    ERR_CONFLICT,
    ERR_FORBIDDEN,
    ERR_INVALID,
    TaskActor,
    TaskCompleteInput,
    TaskDecisionInput,
    TaskDelegateInput,
    TaskRecallInput,
    TaskSpec,
    TaskUpdateResult,
)
from tests.factories import Factory
from tests.task_probe import approval, open_view, probe_worker, start_probe


def actor(staff, role: str = "manager") -> TaskActor:
    return TaskActor(role=role, staff_id=staff.id if staff is not None else None, label=f"{role}:test")


async def rows(sessions: SessionFactory, model, *where):
    async with sessions() as session:
        return (await session.scalars(select(model).where(*where).order_by(model.id))).all()


async def test_assignee_approves_and_row_records_it(time_env, sessions, factory: Factory, settings) -> None:
    org = await factory.org()
    async with probe_worker(time_env.client, sessions, settings.task_queue):
        handle = await start_probe(time_env.client, settings.task_queue, approval(org.l2.id, requester_id=org.l1.id))
        await open_view(handle)
        result = await handle.execute_update(
            "task.decide",
            TaskDecisionInput(task_key="approval", actor=actor(org.l2), decision="approve", comment="ok"),
            result_type=TaskUpdateResult,
        )
        assert (result.status, result.decided_by) == ("approved", org.l2.id)
        [outcome] = await handle.result()
    assert outcome.outcome == "approved" and outcome.decided_by == org.l2.id and outcome.comment == "ok"
    [task] = await rows(sessions, Task)
    assert (task.status, task.decision, task.decided_by, task.assignee_id) == (
        "approved",
        "approve",
        org.l2.id,
        org.l2.id,
    )
    assert [n.kind for n in await rows(sessions, Notification, Notification.recipient_id == org.l1.id)] == [
        "task.approved"
    ]


async def test_ignored_approval_escalates_two_levels_then_final_outcome(
    time_env, sessions, factory: Factory, settings
) -> None:
    org = await factory.org()
    top = await factory.staff(StaffRole.DIRECTOR, name="Top")
    async with factory.sessions() as session, session.begin():
        director = await session.get(type(org.director), org.director.id)
        director.supervisor_id = top.id
    spec = approval(
        org.l2.id,
        escalation_levels=2,
        final_outcome="reject",
        reminders_before=[timedelta(hours=1), timedelta(minutes=30)],
    )
    async with probe_worker(time_env.client, sessions, settings.task_queue):
        handle = await start_probe(time_env.client, settings.task_queue, spec)
        [outcome] = await handle.result()  # nobody answers: time skips through every window
    assert outcome.outcome == "rejected" and outcome.decided_by is None and outcome.escalation_level == 2
    [task] = await rows(sessions, Task)
    assert (task.assignee_id, task.escalation_level, task.status) == (org.director.id, 2, "rejected")
    actions = [a.action for a in await rows(sessions, AuditEvent, AuditEvent.entity_type == "task")]
    assert actions == ["task.opened"] + ["task.reminded"] * 2 + ["task.escalated"] + ["task.reminded"] * 2 + [
        "task.escalated"
    ] + ["task.reminded"] * 2 + ["task.rejected"]
    reminded = {n.recipient_id for n in await rows(sessions, Notification, Notification.kind == "task.reminder")}
    assert reminded == {org.l2.id, org.l1.id, org.director.id}
    escalated_to = [n.recipient_id for n in await rows(sessions, Notification, Notification.kind == "task.escalated")]
    assert escalated_to == [org.l1.id, org.director.id]


async def test_escalated_task_is_decided_by_new_assignee_not_old(
    time_env, sessions, factory: Factory, settings
) -> None:
    org = await factory.org()
    async with probe_worker(time_env.client, sessions, settings.task_queue):
        handle = await start_probe(time_env.client, settings.task_queue, approval(org.l2.id, escalation_levels=1))
        await open_view(handle)
        await time_env.sleep(timedelta(hours=4, minutes=1))
        view = await open_view(handle, level=1)
        assert view.assignee_id == org.l1.id
        with pytest.raises(WorkflowUpdateFailedError) as refused:
            await handle.execute_update(
                "task.decide", TaskDecisionInput(task_key="approval", actor=actor(org.l2), decision="approve")
            )
        assert refused.value.cause.type == ERR_FORBIDDEN
        await handle.execute_update(
            "task.decide", TaskDecisionInput(task_key="approval", actor=actor(org.l1), decision="reject")
        )
        [outcome] = await handle.result()
    assert (outcome.outcome, outcome.decided_by, outcome.escalation_level) == ("rejected", org.l1.id, 1)


async def test_delegate_decides_after_delegation(time_env, sessions, factory: Factory, settings) -> None:
    org = await factory.org()
    peer = await factory.staff(StaffRole.ACCOUNT_MANAGER_L2, supervisor_id=org.l1.id, name="Peer")
    async with probe_worker(time_env.client, sessions, settings.task_queue):
        handle = await start_probe(time_env.client, settings.task_queue, approval(org.l2.id))
        await open_view(handle)
        with pytest.raises(WorkflowUpdateFailedError) as refused:  # only the assignee delegates
            await handle.execute_update(
                "task.delegate", TaskDelegateInput(task_key="approval", actor=actor(peer), to_staff_id=peer.id)
            )
        assert refused.value.cause.type == ERR_FORBIDDEN
        await handle.execute_update(
            "task.delegate", TaskDelegateInput(task_key="approval", actor=actor(org.l2), to_staff_id=peer.id)
        )
        await handle.execute_update(
            "task.decide", TaskDecisionInput(task_key="approval", actor=actor(peer), decision="approve")
        )
        [outcome] = await handle.result()
    assert outcome.decided_by == peer.id
    [task] = await rows(sessions, Task)
    assert (task.delegate_id, task.assignee_id, task.status) == (peer.id, org.l2.id, "approved")
    assert [n.kind for n in await rows(sessions, Notification, Notification.recipient_id == peer.id)] == [
        "task.delegated"
    ]


async def test_requester_recalls_and_others_may_not(time_env, sessions, factory: Factory, settings) -> None:
    org = await factory.org()
    async with probe_worker(time_env.client, sessions, settings.task_queue):
        handle = await start_probe(time_env.client, settings.task_queue, approval(org.l1.id, requester_id=org.l2.id))
        await open_view(handle)
        with pytest.raises(WorkflowUpdateFailedError) as refused:
            await handle.execute_update("task.recall", TaskRecallInput(task_key="approval", actor=actor(org.l1)))
        assert refused.value.cause.type == ERR_FORBIDDEN
        await handle.execute_update(
            "task.recall", TaskRecallInput(task_key="approval", actor=actor(org.l2), comment="no longer needed")
        )
        [outcome] = await handle.result()
    assert (outcome.outcome, outcome.decided_by) == ("recalled", org.l2.id)
    [task] = await rows(sessions, Task)
    assert task.status == "recalled"


async def test_out_of_office_assignee_is_replaced_by_delegate(time_env, sessions, factory: Factory, settings) -> None:
    org = await factory.org()
    stand_in = await factory.staff(StaffRole.ACCOUNT_MANAGER_L2, supervisor_id=org.l1.id, name="Stand-in")
    away = await factory.staff(
        StaffRole.ACCOUNT_MANAGER_L2,
        supervisor_id=org.l1.id,
        name="Away",
        out_of_office_until=datetime.now(UTC) + timedelta(days=7),
        delegate_id=stand_in.id,
    )
    async with probe_worker(time_env.client, sessions, settings.task_queue):
        handle = await start_probe(time_env.client, settings.task_queue, approval(away.id))
        view = await open_view(handle)
        assert view.assignee_id == stand_in.id
        with pytest.raises(WorkflowUpdateFailedError) as refused:
            await handle.execute_update(
                "task.decide", TaskDecisionInput(task_key="approval", actor=actor(away), decision="approve")
            )
        assert refused.value.cause.type == ERR_FORBIDDEN
        await handle.execute_update(
            "task.decide", TaskDecisionInput(task_key="approval", actor=actor(stand_in), decision="approve")
        )
        await handle.result()
    [task] = await rows(sessions, Task)
    assert (task.assignee_id, task.original_assignee_id) == (stand_in.id, away.id)


async def test_form_task_validates_data_and_completes(time_env, sessions, factory: Factory, settings) -> None:
    org = await factory.org()
    form = {
        "fields": {
            "rating": {"type": "integer", "required": True, "min": 1, "max": 5},
            "summary": {"type": "string", "required": True, "min": 3},
        }
    }
    spec = TaskSpec(
        task_key="self-assessment",
        kind="form",
        title="Self-assessment",
        process_type="test",
        assignee_id=org.l2.id,
        form=form,
        due_in=timedelta(days=3),
    )
    async with probe_worker(time_env.client, sessions, settings.task_queue):
        handle = await start_probe(time_env.client, settings.task_queue, spec)
        await open_view(handle, "self-assessment")
        with pytest.raises(WorkflowUpdateFailedError) as refused:
            await handle.execute_update(
                "task.complete", TaskCompleteInput(task_key="self-assessment", actor=actor(org.l2), data={"rating": 9})
            )
        assert refused.value.cause.type == ERR_INVALID
        assert refused.value.cause.details[0] == {"rating": "must be at most 5", "summary": "is required"}
        with pytest.raises(WorkflowUpdateFailedError) as wrong_kind:
            await handle.execute_update(
                "task.decide", TaskDecisionInput(task_key="self-assessment", actor=actor(org.l2), decision="approve")
            )
        assert wrong_kind.value.cause.type == ERR_INVALID
        data = {"rating": 4, "summary": "good quarter"}
        await handle.execute_update(
            "task.complete", TaskCompleteInput(task_key="self-assessment", actor=actor(org.l2), data=data)
        )
        [outcome] = await handle.result()
    assert (outcome.outcome, outcome.data) == ("completed", data)


async def test_approval_chain_stops_at_first_rejection(time_env, sessions, factory: Factory, settings) -> None:
    org = await factory.org()
    supervisor_step = approval(org.l2.id, task_key="supervisor", assign_to="supervisor")
    director_step = approval(org.l2.id, task_key="director", assign_to="director")
    async with probe_worker(time_env.client, sessions, settings.task_queue):
        handle = await start_probe(time_env.client, settings.task_queue, supervisor_step, director_step, chain=True)
        view = await open_view(handle, "supervisor")
        assert view.assignee_id == org.l1.id
        await handle.execute_update(
            "task.decide", TaskDecisionInput(task_key="supervisor", actor=actor(org.l1), decision="approve")
        )
        view = await open_view(handle, "director")
        assert view.assignee_id == org.director.id
        await handle.execute_update(
            "task.decide",
            TaskDecisionInput(task_key="director", actor=actor(org.director, "director"), decision="reject"),
        )
        [outcome] = await handle.result()
    assert (outcome.task_key, outcome.outcome, outcome.decided_by) == ("director", "rejected", org.director.id)


async def test_chain_override_only_where_spec_allows(time_env, sessions, factory: Factory, settings) -> None:
    org = await factory.org()
    async with probe_worker(time_env.client, sessions, settings.task_queue):
        strict = await start_probe(time_env.client, settings.task_queue, approval(org.l2.id))
        await open_view(strict)
        with pytest.raises(WorkflowUpdateFailedError) as refused:
            await strict.execute_update(
                "task.decide",
                TaskDecisionInput(task_key="approval", actor=actor(org.director, "director"), decision="approve"),
            )
        assert refused.value.cause.type == ERR_FORBIDDEN
        await strict.execute_update(
            "task.decide", TaskDecisionInput(task_key="approval", actor=TaskActor(role="admin"), decision="approve")
        )
        await strict.result()
        lenient = await start_probe(
            time_env.client, settings.task_queue, approval(org.l2.id, allow_chain_override=True)
        )
        await open_view(lenient)
        await lenient.execute_update(
            "task.decide",
            TaskDecisionInput(task_key="approval", actor=actor(org.director, "director"), decision="approve"),
        )
        [outcome] = await lenient.result()
    assert outcome.decided_by == org.director.id


async def test_service_and_ops_can_never_decide(time_env, sessions, factory: Factory, settings) -> None:
    org = await factory.org()
    async with probe_worker(time_env.client, sessions, settings.task_queue):
        handle = await start_probe(time_env.client, settings.task_queue, approval(org.l2.id, escalation_levels=0))
        await open_view(handle)
        for role in ("service", "ops"):
            with pytest.raises(WorkflowUpdateFailedError) as refused:
                await handle.execute_update(
                    "task.decide",
                    TaskDecisionInput(
                        task_key="approval", actor=TaskActor(role=role, staff_id=org.l2.id), decision="approve"
                    ),
                )
            assert refused.value.cause.type == ERR_FORBIDDEN
        [outcome] = await handle.result()  # nobody decided: the default final outcome
    assert outcome.outcome == "expired"


async def test_racing_decisions_yield_exactly_one(local_env, sessions, factory: Factory, settings) -> None:
    org = await factory.org()
    async with probe_worker(local_env.client, sessions, settings.task_queue):
        handle = await start_probe(
            local_env.client, settings.task_queue, approval(org.l2.id, allow_chain_override=True)
        )
        await open_view(handle)
        decisions = [
            TaskDecisionInput(task_key="approval", actor=actor(org.l2), decision="approve"),
            TaskDecisionInput(task_key="approval", actor=actor(org.l1), decision="reject"),
            TaskDecisionInput(task_key="approval", actor=actor(org.director, "director"), decision="reject"),
        ]
        results = await asyncio.gather(
            *(handle.execute_update("task.decide", d) for d in decisions), return_exceptions=True
        )
        [outcome] = await handle.result()
        winners = [r for r in results if not isinstance(r, BaseException)]
        losers = [r for r in results if isinstance(r, BaseException)]
        assert len(winners) == 1, results
        assert all(isinstance(e, WorkflowUpdateFailedError) and e.cause.type == ERR_CONFLICT for e in losers), losers
        # Once decided, a further decision is refused by the validator (nothing written to history).
        with pytest.raises((WorkflowUpdateFailedError, RPCError)):
            await handle.execute_update("task.decide", decisions[0])
    [task] = await rows(sessions, Task)
    assert task.status == outcome.outcome and task.decided_by == outcome.decided_by
    decided = [a for a in await rows(sessions, AuditEvent, AuditEvent.action.in_(["task.approved", "task.rejected"]))]
    assert len(decided) == 1


async def test_hand_over_update_moves_rows_and_workflow_view(time_env, sessions, factory: Factory, settings) -> None:
    from definitions.tasks import TaskHandOverInput

    org = await factory.org()
    peer = await factory.staff(StaffRole.ACCOUNT_MANAGER_L2, supervisor_id=org.l1.id, name="Peer")
    async with probe_worker(time_env.client, sessions, settings.task_queue):
        held = await start_probe(time_env.client, settings.task_queue, approval(org.l2.id))
        delegated = await start_probe(time_env.client, settings.task_queue, approval(peer.id))
        await open_view(held)
        await open_view(delegated)
        await delegated.execute_update(
            "task.delegate", TaskDelegateInput(task_key="approval", actor=actor(peer), to_staff_id=org.l2.id)
        )
        async with sessions() as session, session.begin():
            (await session.get(type(org.l2), org.l2.id)).active = False
        leaving = TaskHandOverInput(staff_id=org.l2.id, actor=TaskActor(role="system", label="admin:test"))
        with pytest.raises(WorkflowUpdateFailedError):  # only the hand-over process (or an admin) sends it
            await held.execute_update("task.hand_over", leaving.model_copy(update={"actor": actor(org.l1)}))
        [moved] = await held.execute_update(
            "task.hand_over", leaving, id="handover-1", result_type=list[TaskUpdateResult]
        )
        assert (moved.assignee_id, moved.delegate_id) == (org.l1.id, None)
        # The same update id again (a retried send) is the same update: nothing moves or is written twice.
        again = await held.execute_update(
            "task.hand_over", leaving, id="handover-1", result_type=list[TaskUpdateResult]
        )
        assert [r.assignee_id for r in again] == [org.l1.id]
        [undelegated] = await delegated.execute_update("task.hand_over", leaving, result_type=list[TaskUpdateResult])
        assert (undelegated.assignee_id, undelegated.delegate_id) == (peer.id, None)
        assert (await open_view(held)).assignee_id == org.l1.id
        assert (await open_view(delegated)).delegate_id is None
        with pytest.raises(WorkflowUpdateFailedError):  # the former delegate may no longer act
            await delegated.execute_update(
                "task.decide", TaskDecisionInput(task_key="approval", actor=actor(org.l2), decision="approve")
            )
        await held.execute_update(
            "task.decide", TaskDecisionInput(task_key="approval", actor=actor(org.l1), decision="approve")
        )
        await delegated.execute_update(
            "task.decide", TaskDecisionInput(task_key="approval", actor=actor(peer), decision="approve")
        )
        assert [o.decided_by for o in await held.result()] == [org.l1.id]
    assert len(await rows(sessions, AuditEvent, AuditEvent.action == "task.handed_over")) == 1
    assert len(await rows(sessions, AuditEvent, AuditEvent.action == "task.delegation_removed")) == 1
    assert [n.recipient_id for n in await rows(sessions, Notification, Notification.kind == "task.handed_over")] == [
        org.l1.id
    ]


async def test_same_task_key_twice_fails_the_run_loudly(time_env, sessions, factory: Factory, settings) -> None:
    from temporalio.client import WorkflowFailureError

    org = await factory.org()
    spec = approval(org.l2.id, due_in="1h", escalation_levels=0)
    async with probe_worker(time_env.client, sessions, settings.task_queue):
        handle = await start_probe(time_env.client, settings.task_queue, spec, spec)
        with pytest.raises(WorkflowFailureError):
            await handle.result()


async def test_due_date_in_business_time_when_spec_has_a_calendar(
    time_env, sessions, factory: Factory, settings
) -> None:
    from definitions.calendar import BusinessCalendar, business_time_between

    org = await factory.org()
    calendar = BusinessCalendar(timezone="Asia/Shanghai", working_hours=["09:00-18:00"], weekdays=[1, 2, 3, 4, 5])
    async with probe_worker(time_env.client, sessions, settings.task_queue):
        handle = await start_probe(
            time_env.client, settings.task_queue, approval(org.l2.id, due_in="20h", calendar=calendar)
        )
        view = await open_view(handle)
        await handle.execute_update(
            "task.decide", TaskDecisionInput(task_key="approval", actor=TaskActor(role="admin"), decision="approve")
        )
        await handle.result()
    [task] = await rows(sessions, Task)
    start = (await handle.describe()).start_time
    # 20 working hours is at least two working days away, whatever the start, and exactly 20h of business time.
    assert view.due_at - start >= timedelta(hours=20 + 15)
    # (the workflow's first task runs a few milliseconds after the recorded start time)
    assert abs(business_time_between(start, task.due_at, calendar) - timedelta(hours=20)) < timedelta(seconds=5)


async def test_cancelled_process_closes_its_open_task(time_env, sessions, factory: Factory, settings) -> None:
    from temporalio.client import WorkflowFailureError

    org = await factory.org()
    async with probe_worker(time_env.client, sessions, settings.task_queue):
        handle = await start_probe(time_env.client, settings.task_queue, approval(org.l2.id))
        await open_view(handle)
        await handle.cancel()
        with pytest.raises(WorkflowFailureError):
            await handle.result()
    [task] = await rows(sessions, Task)
    assert task.status == "cancelled"
