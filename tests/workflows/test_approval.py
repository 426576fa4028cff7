"""The approval workflow (DESIGN §3.10) on a real worker and database: modes, routing, send back, 加签, timeouts."""

from __future__ import annotations

import asyncio
import uuid
from datetime import timedelta
from typing import Any

import pytest
from sqlalchemy import select
from temporalio.client import Client, WorkflowHandle, WorkflowUpdateFailedError
from temporalio.exceptions import ApplicationError
from temporalio.service import RPCError
from temporalio.testing import WorkflowEnvironment

from db.models import ApprovalRequest, AuditEvent, Staff, StaffRole, Task
from definitions.approval import (
    AddApproverInput,
    ApprovalDecisionInput,
    ApprovalInput,
    CommentInput,
    FlowDefinition,
    RecallApprovalInput,
    ResubmitInput,
    approval_workflow_id,
)
from definitions.tasks import TaskActor, TaskDelegateInput
from tests.factories import Factory
from workflows.approval import ApprovalWorkflow

FORM = {"fields": {"amount": {"type": "number", "required": True, "min": 0}, "note": {"type": "string"}}}


def flow(steps: list[dict], **extra: Any) -> FlowDefinition:
    return FlowDefinition.model_validate(
        {"flow": "trial", "version": 1, "title": "Trial", "subject": "customer", "form": FORM, "steps": steps, **extra}
    )


def staff_step(name: str, people: list[Staff], mode: Any = "any", **extra: Any) -> dict:
    return {"name": name, "approvers": {"staff": [p.email for p in people]}, "mode": mode, **extra}


def actor(staff: Staff | None, role: str = "manager") -> TaskActor:
    if staff is None:
        return TaskActor(role=role, label=f"{role}:principal:1")
    return TaskActor(role=role, staff_id=staff.id, label=f"{role}:staff:{staff.id}")


async def start(
    client: Client,
    queue: str,
    definition: FlowDefinition,
    requester: Staff,
    *,
    customer_id: int | None = None,
    amount: float = 100,
) -> WorkflowHandle:
    approval_id = str(uuid.uuid4())
    return await client.start_workflow(
        ApprovalWorkflow.run,
        ApprovalInput(
            approval_id=approval_id,
            flow=definition,
            title="Please approve",
            fields={"amount": amount},
            requester=actor(requester),
            customer_id=customer_id,
            subject_type="customer" if customer_id else "none",
        ),
        id=approval_workflow_id(approval_id),
        task_queue=queue,
    )


async def until(handle: WorkflowHandle, check, what: str = "", seconds: float = 30) -> dict:
    """Poll the state query until `check(state)` holds."""
    deadline = asyncio.get_running_loop().time() + seconds
    while True:
        state = await handle.query("status", result_type=dict)
        if state.get("status") != "starting" and check(state):
            return state
        assert asyncio.get_running_loop().time() < deadline, f"never reached {what}: {state}"
        await asyncio.sleep(0.05)


async def holders(handle: WorkflowHandle, count: int) -> dict[int, str]:
    """Wait for `count` open tasks; assignee id → task key."""
    state = await until(
        handle, lambda s: len([t for t in s["open_tasks"] if t["task_id"]]) == count, f"{count} open tasks"
    )
    return {t["assignee_id"]: t["task_key"] for t in state["open_tasks"]}


async def decide(handle: WorkflowHandle, who: Staff | None, decision: str, role: str = "manager", **extra: Any):
    return await handle.execute_update(
        ApprovalWorkflow.decide, ApprovalDecisionInput(actor=actor(who, role), decision=decision, **extra)
    )


async def refused(call, kind: str) -> ApplicationError:
    with pytest.raises(WorkflowUpdateFailedError) as info:
        await call
    cause = info.value.cause
    assert isinstance(cause, ApplicationError) and cause.type == kind, cause
    return cause


async def task_rows(sessions, workflow_id: str) -> list[Task]:
    async with sessions() as session:
        return list(await session.scalars(select(Task).where(Task.workflow_id == workflow_id).order_by(Task.id)))


async def actions(sessions, workflow_id: str) -> list[str]:
    async with sessions() as session:
        return list(
            await session.scalars(
                select(AuditEvent.action).where(AuditEvent.workflow_id == workflow_id).order_by(AuditEvent.id)
            )
        )


async def people(factory: Factory, n: int, boss: Staff) -> list[Staff]:
    return [await factory.staff(StaffRole.ACCOUNT_MANAGER_L1, supervisor_id=boss.id) for _ in range(n)]


async def test_all_mode_one_rejection_rejects_and_closes_the_rest(
    local_env: WorkflowEnvironment, run_worker, factory: Factory, sessions, settings
) -> None:
    org = await factory.org()
    a, b, c = await people(factory, 3, org.director)
    customer = await factory.customer(owner=org.l2)
    async with run_worker(local_env.client):
        handle = await start(
            local_env.client,
            settings.task_queue,
            flow([staff_step("finance", [a, b, c], "all")]),
            org.l2,
            customer_id=customer.id,
        )
        await holders(handle, 3)
        await decide(handle, a, "approve")
        state = await until(handle, lambda s: s["steps"][0]["approvers"][0]["vote"] == "approve", "a's vote")
        assert state["status"] == "pending"
        await decide(handle, b, "reject", comment="too expensive")
        result = await handle.result()
    assert result.status == "rejected" and "rejected by manager:staff:" in (result.outcome_reason or "")
    rows = {r.assignee_id: r for r in await task_rows(sessions, handle.id)}
    assert (rows[a.id].status, rows[b.id].status, rows[c.id].status) == ("approved", "rejected", "cancelled")
    assert rows[c.id].comment == f"decided by manager:staff:{b.id}"
    async with sessions() as session:
        row = await session.scalar(select(ApprovalRequest).where(ApprovalRequest.workflow_id == handle.id))
        timeline = list(
            await session.scalars(
                select(AuditEvent.action).where(AuditEvent.customer_id == customer.id).order_by(AuditEvent.id)
            )
        )
    assert row.status == "rejected" and row.decided_at is not None
    assert timeline[0] == "approval.submitted" and "approval.step_started" in timeline
    assert "task.rejected" in timeline and timeline[-1] == "approval.rejected"


async def test_any_mode_two_racing_decisions_give_exactly_one_winner(
    local_env: WorkflowEnvironment, run_worker, factory: Factory, sessions, settings
) -> None:
    org = await factory.org()
    a, b = await people(factory, 2, org.director)
    async with run_worker(local_env.client):
        handle = await start(local_env.client, settings.task_queue, flow([staff_step("either", [a, b])]), org.l2)
        await holders(handle, 2)
        outcomes = await asyncio.gather(
            decide(handle, a, "approve"), decide(handle, b, "reject"), return_exceptions=True
        )
        result = await handle.result()
    winners = [o for o in outcomes if not isinstance(o, BaseException)]
    losers = [o for o in outcomes if isinstance(o, BaseException)]
    assert len(winners) == 1 and len(losers) == 1, outcomes
    assert isinstance(losers[0], WorkflowUpdateFailedError) and losers[0].cause.type == "TaskConflict"
    assert result.status == ("approved" if outcomes[0] is winners[0] else "rejected")
    rows = await task_rows(sessions, handle.id)
    assert sorted(r.status for r in rows) == sorted([result.status, "cancelled"])
    loser_row = next(r for r in rows if r.status == "cancelled")
    assert loser_row.comment.startswith("decided by manager:staff:")


async def test_the_decisive_outcome_is_written_with_the_requests_events_in_one_activity(
    local_env: WorkflowEnvironment, run_worker, factory: Factory, sessions, settings
) -> None:
    org = await factory.org()
    async with run_worker(local_env.client):
        handle = await start(local_env.client, settings.task_queue, flow([staff_step("sign", [org.l1])]), org.l2)
        await holders(handle, 1)
        before = len(
            [e async for e in handle.fetch_history_events() if e.HasField("activity_task_scheduled_event_attributes")]
        )
        answer = await decide(handle, org.l1, "approve", comment="fine")
        # The update answers once the outcome is stored: by then the request is decided too.
        assert answer.status == "approved"
        rows = await task_rows(sessions, handle.id)
        assert [(r.status, r.decided_by, r.comment) for r in rows] == [("approved", org.l1.id, "fine")]
        result = await handle.result()
        scheduled = [
            e.activity_task_scheduled_event_attributes.activity_type.name
            async for e in handle.fetch_history_events()
            if e.HasField("activity_task_scheduled_event_attributes")
        ]
    assert result.status == "approved" and result.decided_by == org.l1.id and result.comment == "fine"
    assert scheduled[before:] == ["approval.record_events"]  # no task.record_outcome of its own
    assert (await actions(sessions, handle.id))[-3:] == ["task.approved", "approval.step_approved", "approval.approved"]


async def test_quorum_needs_n_approvals(
    local_env: WorkflowEnvironment, run_worker, factory: Factory, sessions, settings
) -> None:
    org = await factory.org()
    a, b, c = await people(factory, 3, org.director)
    async with run_worker(local_env.client):
        handle = await start(
            local_env.client, settings.task_queue, flow([staff_step("board", [a, b, c], {"quorum": 2})]), org.l2
        )
        await holders(handle, 3)
        await decide(handle, a, "approve")
        await decide(handle, c, "reject")
        state = await until(handle, lambda s: s["steps"][0]["approvers"][2]["vote"] == "reject", "c's vote")
        assert state["status"] == "pending"  # 1 approval, 1 rejection: 2 still reachable
        await decide(handle, b, "approve")
        result = await handle.result()
    assert result.status == "approved"
    rows = {r.assignee_id: r.status for r in await task_rows(sessions, handle.id)}
    assert rows == {a.id: "approved", b.id: "approved", c.id: "rejected"}


async def test_send_back_to_requester_then_resubmit_and_to_an_earlier_step(
    local_env: WorkflowEnvironment, run_worker, factory: Factory, sessions, settings
) -> None:
    org = await factory.org()
    steps = [
        {"name": "supervisor", "approvers": {"chain": {"of": "requester", "levels": 1}}},
        {
            "name": "director",
            "approvers": {"director": "requester"},
            "when": {"amount": {"gt": 1000}},
            "send_back_to": ["requester", "supervisor"],
        },
    ]
    async with run_worker(local_env.client):
        handle = await start(local_env.client, settings.task_queue, flow(steps), org.l2, amount=5000)
        assert list(await holders(handle, 1)) == [org.l1.id]
        await decide(handle, org.l1, "approve")
        assert list(await holders(handle, 1)) == [org.director.id]
        await refused(decide(handle, org.director, "send_back", "director", to_step="director"), "TaskInvalid")
        await decide(handle, org.director, "send_back", "director", to_step="supervisor", comment="check again")
        assert list(await holders(handle, 1)) == [org.l1.id]  # the supervisor step again
        await decide(handle, org.l1, "approve")
        await holders(handle, 1)
        await decide(handle, org.director, "send_back", "director", comment="amount too high")
        state = await until(handle, lambda s: s["status"] == "returned", "returned")
        assert state["open_tasks"] == []
        await refused(
            handle.execute_update(ApprovalWorkflow.resubmit, ResubmitInput(actor=actor(org.l1))), "TaskForbidden"
        )
        bad = await refused(
            handle.execute_update(ApprovalWorkflow.resubmit, ResubmitInput(actor=actor(org.l2), fields={"amount": -1})),
            "TaskInvalid",
        )
        assert "amount: must be at least 0" in str(bad)
        await handle.execute_update(
            ApprovalWorkflow.resubmit, ResubmitInput(actor=actor(org.l2), fields={"amount": 900}, comment="lowered")
        )
        assert list(await holders(handle, 1)) == [org.l1.id]
        await decide(handle, org.l1, "approve")
        result = await handle.result()
        state = await handle.query("status", result_type=dict)
    assert result.status == "approved"
    assert state["round"] == 2 and state["fields"] == {"amount": 900}
    assert [s["status"] for s in state["steps"]] == ["approved", "skipped"]
    done = await actions(sessions, handle.id)
    assert done.count("approval.step_sent_back") == 2 and "approval.resubmitted" in done
    assert "task.returned" in done


async def test_add_approver_before_and_after_oneself(
    local_env: WorkflowEnvironment, run_worker, factory: Factory, sessions, settings
) -> None:
    org = await factory.org()
    a, before, after = await people(factory, 3, org.director)
    async with run_worker(local_env.client):
        handle = await start(local_env.client, settings.task_queue, flow([staff_step("one", [a])]), org.l2)
        await holders(handle, 1)
        await refused(
            handle.execute_update(
                ApprovalWorkflow.add_approver, AddApproverInput(actor=actor(org.l1), staff_id=before.id)
            ),
            "TaskForbidden",
        )
        await handle.execute_update(
            ApprovalWorkflow.add_approver,
            AddApproverInput(actor=actor(a), staff_id=before.id, position="before", comment="ask them first"),
        )
        assert list(await holders(handle, 1)) == [before.id]
        await decide(handle, before, "approve")
        assert list(await holders(handle, 1)) == [a.id]  # back to the one who added
        await handle.execute_update(
            ApprovalWorkflow.add_approver, AddApproverInput(actor=actor(a), staff_id=after.id, position="after")
        )
        await decide(handle, a, "approve")
        assert list(await holders(handle, 1)) == [after.id]
        await decide(handle, after, "approve")
        result = await handle.result()
    assert result.status == "approved"
    rows = await task_rows(sessions, handle.id)
    assert [(r.assignee_id, r.status) for r in rows] == [
        (a.id, "cancelled"),
        (before.id, "approved"),
        (a.id, "approved"),
        (after.id, "approved"),
    ]
    assert (await actions(sessions, handle.id)).count("approval.approver_added") == 2


async def test_delegate_decides_and_requester_recalls(
    local_env: WorkflowEnvironment, run_worker, factory: Factory, sessions, settings
) -> None:
    org = await factory.org()
    a, deputy = await people(factory, 2, org.director)
    async with run_worker(local_env.client):
        handle = await start(local_env.client, settings.task_queue, flow([staff_step("one", [a])]), org.l2)
        key = (await holders(handle, 1))[a.id]
        await refused(decide(handle, deputy, "approve"), "TaskForbidden")
        await handle.execute_update(
            "task.delegate", TaskDelegateInput(task_key=key, actor=actor(a), to_staff_id=deputy.id)
        )
        await decide(handle, deputy, "approve", comment="on behalf of a")
        assert (await handle.result()).status == "approved"

        second = await start(local_env.client, settings.task_queue, flow([staff_step("one", [a])]), org.l2)
        await holders(second, 1)
        await refused(
            second.execute_update(ApprovalWorkflow.recall, RecallApprovalInput(actor=actor(a))), "TaskForbidden"
        )
        await second.execute_update(ApprovalWorkflow.comment, CommentInput(actor=actor(a), text="looking at it"))
        await refused(
            second.execute_update(ApprovalWorkflow.comment, CommentInput(actor=actor(deputy), text="hi")),
            "TaskForbidden",
        )
        recalled = await second.execute_update(
            ApprovalWorkflow.recall, RecallApprovalInput(actor=actor(org.l2), comment="not needed")
        )
        assert recalled.status == "recalled"
        result = await second.result()
    assert result.status == "recalled" and result.outcome_reason == "not needed"
    first_rows = await task_rows(sessions, handle.id)
    assert first_rows[0].decided_by == deputy.id and first_rows[0].delegate_id == deputy.id
    [row] = await task_rows(sessions, second.id)
    assert row.status == "cancelled" and row.comment == f"recalled by manager:staff:{org.l2.id}"
    assert "approval.commented" in await actions(sessions, second.id)


async def test_only_approvers_their_delegates_and_admin_decide(
    local_env: WorkflowEnvironment, run_worker, factory: Factory, sessions, settings
) -> None:
    org = await factory.org()
    a, b = await people(factory, 2, org.director)
    async with run_worker(local_env.client):
        handle = await start(local_env.client, settings.task_queue, flow([staff_step("both", [a, b], "all")]), org.l2)
        await holders(handle, 2)
        await refused(decide(handle, org.l2, "approve"), "TaskForbidden")  # the requester
        await refused(decide(handle, org.director, "approve", "director"), "TaskForbidden")  # above, not named
        await refused(decide(handle, None, "approve", "ops"), "TaskForbidden")
        await decide(handle, a, "approve")
        await refused(decide(handle, a, "approve"), "TaskForbidden")  # a's own task is closed
        await decide(handle, None, "approve", "admin")  # admin decides in b's place
        assert (await handle.result()).status == "approved"
    with pytest.raises(RPCError):  # a closed request takes no decision (the API answers 409)
        await decide(handle, b, "approve")


async def test_condition_routing_at_both_edges_of_the_threshold(
    local_env: WorkflowEnvironment, run_worker, factory: Factory, sessions, settings
) -> None:
    org = await factory.org()
    a, big = await people(factory, 2, org.director)
    definition = flow([staff_step("first", [a]), staff_step("large", [big], when={"amount": {"gt": 10000}})])
    async with run_worker(local_env.client):
        at = await start(local_env.client, settings.task_queue, definition, org.l2, amount=10000)
        above = await start(local_env.client, settings.task_queue, definition, org.l2, amount=10000.01)
        await holders(at, 1)
        await decide(at, a, "approve")
        await holders(above, 1)
        await decide(above, a, "approve")
        assert list(await holders(above, 1)) == [big.id]
        await decide(above, big, "approve")
        assert (await at.result()).status == "approved"
        assert (await above.result()).status == "approved"
        assert [s["status"] for s in (await at.query("status", result_type=dict))["steps"]] == ["approved", "skipped"]
        assert [s["status"] for s in (await above.query("status", result_type=dict))["steps"]] == [
            "approved",
            "approved",
        ]
    assert "approval.step_skipped" in await actions(sessions, at.id)


async def test_a_changed_flow_does_not_touch_a_running_approval(
    local_env: WorkflowEnvironment, run_worker, factory: Factory, sessions, settings
) -> None:
    org = await factory.org()
    a, finance = await people(factory, 2, org.director)
    v1 = flow([staff_step("first", [a])])
    v2 = flow([staff_step("first", [a]), staff_step("finance", [finance])], version=2)
    async with run_worker(local_env.client):
        old = await start(local_env.client, settings.task_queue, v1, org.l2)
        await holders(old, 1)
        new = await start(local_env.client, settings.task_queue, v2, org.l2)  # the operator changed the file
        await holders(new, 1)
        await decide(old, a, "approve")
        await decide(new, a, "approve")
        assert (await old.result()).status == "approved"  # v1 had one step
        assert list(await holders(new, 1)) == [finance.id]
        await decide(new, finance, "approve")
        await new.result()
    async with sessions() as session:
        versions = dict(
            (
                await session.execute(
                    select(ApprovalRequest.workflow_id, ApprovalRequest.flow_version).where(
                        ApprovalRequest.workflow_id.in_([old.id, new.id])
                    )
                )
            ).all()
        )
    assert versions == {old.id: 1, new.id: 2}


async def test_timeout_escalates_up_the_chain_then_reaches_the_final_outcome(
    time_env: WorkflowEnvironment, run_worker, factory: Factory, sessions, settings
) -> None:
    org = await factory.org()
    customer = await factory.customer(owner=org.l2)
    steps = [
        {
            "name": "supervisor",
            "approvers": {"chain": {"of": "requester", "levels": 1}},
            "due_in": "4h",
            "reminders_before": ["1h"],
            "escalation_levels": 1,
        }
    ]
    async with run_worker(time_env.client):
        handle = await start(
            time_env.client, settings.task_queue, flow(steps, final_outcome="reject"), org.l2, customer_id=customer.id
        )
        assert list(await holders(handle, 1)) == [org.l1.id]
        await time_env.sleep(timedelta(hours=4, minutes=1))
        state = await until(
            handle, lambda s: s["open_tasks"] and s["open_tasks"][0]["escalation_level"] == 1, "escalated"
        )
        assert state["open_tasks"][0]["assignee_id"] == org.director.id
        result = await handle.result()
    assert result.status == "rejected" and result.outcome_reason == "rejected by timeout"
    done = await actions(sessions, handle.id)
    assert done.index("task.escalated") < done.index("approval.step_timed_out") < done.index("approval.rejected")
    [row] = await task_rows(sessions, handle.id)
    assert (row.status, row.escalation_level, row.decided_by) == ("rejected", 1, None)
