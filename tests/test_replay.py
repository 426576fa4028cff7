"""Replay safety: recorded histories of every workflow type must replay against the current code.

`make histories` (CRMFLOW_RECORD_HISTORIES=1) drives each process to a resting point through real activities
on the test database and rewrites tests/histories/<workflow type>.json in the format
`crmflow processes export` writes (WorkflowHistory.to_json()). A change that makes a workflow
nondeterministic for histories already in flight fails `test_recorded_histories_replay`; record fresh
histories only on purpose (e.g. after versioning a change with workflow.patched()). Before recording, rename a
history whose commands a patch changed to a variant (e.g. `<type>.before-perf.json`, recorded before the
performance patches) so that `make histories` does not overwrite the only replay of the old commands.
"""

from __future__ import annotations

import asyncio
import os
import uuid
from collections.abc import Awaitable, Callable
from datetime import timedelta
from decimal import Decimal
from pathlib import Path

import pytest
from temporalio.client import Client, WorkflowHistory, WorkflowUpdateFailedError
from temporalio.contrib.pydantic import pydantic_data_converter
from temporalio.testing import WorkflowEnvironment
from temporalio.worker import Replayer

from crmflow import inspection
from crmflow.settings import PACKAGED_DEFINITIONS_DIR
from sqlalchemy import select

from db.models import Staff, StaffRole, Task
from definitions.complaint import AcknowledgeRequest, CustomerResponseRequest, ResolveRequest
from definitions.loader import load_as
from definitions.reclaim import ReclaimDefinition, ReclaimInput
from definitions.incentives import IncentiveAwardsInput, IncentiveDefinition, awards_workflow_id
from definitions.review import ReviewCycleInput, period_bounds
from definitions.tasks import TaskActor, TaskCompleteInput, TaskDecisionInput, TaskView
from definitions.tiering import TieringCycleInput, TieringDefinition
from activities.base import DELIVERY_WORKFLOW, delivery_workflow_id
from db.repositories.audit import record_notification
from definitions.notifications import DeliveryStart
from tests.factories import Factory, worker_settings
from tests.workflows.flow_tasks import wait_for_closed_task, wait_for_open_task
from tests.notify_servers import SmtpSink
from tests.workflows import test_approval as approval_tests
from tests.workflows import test_complaint as complaint_tests
from tests.workflows import test_onboarding as onboarding_tests
from tests.workflows import test_review as review_tests
from tests.workflows import test_survey as survey_tests
from tests.workflows import test_targets as target_tests
from tests.workflows import test_tiering as tiering_tests
from tests.task_probe import open_view
from db.repositories.surveys import survey_workflow_id
from definitions.survey import SurveyAnswerInput, SurveyWaveInput
from workflows.survey import RECOVERY_TASK, SurveyWaveWorkflow, wave_workflow_id
from crmflow.registry import all_workflows
from definitions.approval import ApprovalDecisionInput, ResubmitInput
from worker import build_worker, workflow_runner
from workflows.approval import ApprovalWorkflow
from workflows.complaint import ComplaintWorkflow
from workflows.handover import StaffHandOverWorkflow, handover_workflow_id
from definitions.handover import HandOverDefinition, StaffHandOverInput
from workflows.incentives import IncentiveAwardsWorkflow
from workflows.reclaim import ReclaimWorkflow
from workflows.review import ReviewScheduleWorkflow
from workflows.tiering import TierChangeWorkflow, TieringCycleWorkflow, cycle_workflow_id, tier_change_workflow_id

HISTORIES = Path(__file__).parent / "histories"
RECORDING = os.environ.get("CRMFLOW_RECORD_HISTORIES") == "1"


def workflow_type(cls: type) -> str:
    """The registered name of a workflow class (what Temporal calls its type): crmflow keeps the class name."""
    return cls.__name__


def recorded() -> list[Path]:
    return sorted(HISTORIES.glob("*.json"))


@pytest.mark.skipif(RECORDING, reason="recording replaces the files this test reads")
@pytest.mark.parametrize("path", recorded(), ids=lambda p: p.stem)
async def test_recorded_histories_replay(path: Path) -> None:
    history = WorkflowHistory.from_json(f"recorded-{path.stem}", path.read_text(encoding="utf-8"))
    replayer = Replayer(
        workflows=all_workflows(), data_converter=pydantic_data_converter, workflow_runner=workflow_runner()
    )  # the sandbox the worker runs them in
    # raise_on_replay_failure: a nondeterminism error (or any workflow task failure) fails the test.
    result = await replayer.replay_workflow(history, raise_on_replay_failure=True)
    assert result.replay_failure is None


@pytest.mark.skipif(RECORDING, reason="recording replaces the files this test reads")
def test_every_workflow_type_has_a_recorded_history() -> None:
    missing = {workflow_type(cls) for cls in all_workflows()} - {p.stem.split(".")[0] for p in recorded()}
    assert not missing, f"no recorded history for {sorted(missing)}: run `make histories`"


# --- recording --------------------------------------------------------------------------------


def assignee(task: TaskView) -> Staff:
    """A stand-in for the staff member a task is assigned to (earlier recordings left other staff around)."""
    return Staff(id=task.assignee_id)


async def _save(client: Client, workflow_id: str, variant: str = "") -> Path:
    """Write the history of the latest run of `workflow_id` as tests/histories/<workflow type>[.variant].json."""
    description = await client.get_workflow_handle(workflow_id).describe()
    history = await client.get_workflow_handle(workflow_id, run_id=description.run_id).fetch_history()
    HISTORIES.mkdir(exist_ok=True)
    path = HISTORIES / f"{description.workflow_type}{'.' + variant if variant else ''}.json"
    path.write_text(history.to_json() + "\n", encoding="utf-8")
    return path


async def _record_complaint(
    env: WorkflowEnvironment, factory: Factory, task_queue: str, *, started_as_the_api_does: bool = False
) -> str:
    """Critical complaint: response SLA breached and escalated, then acknowledged, resolved, accepted."""
    org = await factory.org()
    customer = await factory.customer(owner=org.l2)
    actor = complaint_tests.ACTOR
    owner_id = org.l2.id if started_as_the_api_does else None  # the API sets the intake's search attributes
    handle = await complaint_tests._start(env.client, task_queue, customer.id, severity="critical", owner_id=owner_id)
    await env.sleep(timedelta(hours=1, minutes=1))
    await complaint_tests._until(handle, lambda s: s.escalation_level == 1)
    await handle.execute_update(ComplaintWorkflow.acknowledge, AcknowledgeRequest(actor=actor))
    await handle.execute_update(ComplaintWorkflow.resolve, ResolveRequest(actor=actor, resolution="refunded"))
    await handle.execute_update(
        ComplaintWorkflow.customer_response, CustomerResponseRequest(actor=actor, accepted=True, satisfaction=5)
    )
    return handle.id


async def _record_approval(client: Client, factory: Factory, task_queue: str, *, board: bool = False) -> str:
    """Finance 会签 (all): one signer sends it back, the requester amends it, both sign; with `board`, a board step
    follows whose condition fails, so it is skipped."""
    org = await factory.org()
    first, second = await approval_tests.people(factory, 2, org.director)
    steps = [approval_tests.staff_step("finance", [first, second], "all")]
    if board:
        steps.append({**approval_tests.staff_step("board", [org.director]), "when": {"amount": {"gt": 1000}}})
    handle = await approval_tests.start(client, task_queue, approval_tests.flow(steps), org.l2)
    await approval_tests.holders(handle, 2)
    await approval_tests.decide(handle, first, "send_back", comment="amount too high")
    await approval_tests.until(handle, lambda s: s["status"] == "returned", "returned")
    await handle.execute_update(
        ApprovalWorkflow.resubmit, ResubmitInput(actor=approval_tests.actor(org.l2), fields={"amount": 50})
    )
    await approval_tests.holders(handle, 2)
    await approval_tests.decide(handle, first, "approve")
    await approval_tests.decide(handle, second, "approve")
    return handle.id


async def _record_approval_batched(client: Client, factory: Factory, task_queue: str) -> Path:
    """Finance 会签 (all), then a board step whose condition fails: sent back, amended, both sign, the board is
    skipped (the events of a settled step, and the outcome of the task that settled it, wait for the run's next
    write: approval-batched-records, -start-step, -outcome-with-events)."""
    workflow_id = await _record_approval(client, factory, task_queue, board=True)
    await client.get_workflow_handle(workflow_id).result()
    return await _save(client, workflow_id, "outcome-with-events")


@pytest.mark.skipif(
    os.environ.get("CRMFLOW_RECORD_APPROVAL_HISTORIES") != "1",
    reason="set CRMFLOW_RECORD_APPROVAL_HISTORIES=1 to record the outcome-with-events approval variant only",
)
async def test_record_approval_batched_history(
    local_env: WorkflowEnvironment, run_worker, factory: Factory, settings
) -> None:
    """ApprovalWorkflow.outcome-with-events beside the variants recorded before its patches: all must replay."""
    async with run_worker(local_env.client):
        path = await _record_approval_batched(local_env.client, factory, settings.task_queue)
    history = WorkflowHistory.from_json(path.stem, path.read_text(encoding="utf-8"))
    replayer = Replayer(
        workflows=all_workflows(), data_converter=pydantic_data_converter, workflow_runner=workflow_runner()
    )
    await replayer.replay_workflow(history, raise_on_replay_failure=True)


async def _record_survey(env: WorkflowEnvironment, factory: Factory, task_queue: str) -> list[str]:
    """A hand-started wave for one customer; the contact answers CSAT 2; the owner completes the recovery task."""
    org = await factory.org()
    customer = await survey_tests._customer_with_contact(factory, org.l2)
    wave_id = f"replay-{uuid.uuid4().hex[:6]}"
    await env.client.execute_workflow(
        SurveyWaveWorkflow.run,
        SurveyWaveInput(
            definition=survey_tests.DEFINITION, wave_id=wave_id, customer_ids=[customer.id], trigger="manual"
        ),
        id=wave_workflow_id(wave_id),
        task_queue=task_queue,
    )
    handle = env.client.get_workflow_handle(survey_workflow_id(customer.id, wave_id))
    await survey_tests.invited(handle)
    await handle.execute_update("survey.answer", SurveyAnswerInput(answers={"csat": 2, "nps": 5}))
    task = await open_view(handle, RECOVERY_TASK)
    await handle.execute_update(
        "task.complete",
        TaskCompleteInput(
            task_key=RECOVERY_TASK,
            actor=TaskActor(role="manager", staff_id=task.assignee_id),
            data={"actions": "called"},
        ),
    )
    await handle.result()
    return [wave_workflow_id(wave_id), handle.id]


async def _record_complaint_top_reminders(env: WorkflowEnvironment, factory: Factory, task_queue: str) -> Path:
    """Critical complaint nobody acknowledges: escalated twice (deadlines move), the director reminded, then acked."""
    org = await factory.org()
    customer = await factory.customer(owner=org.l2)
    actor = complaint_tests.ACTOR
    handle = await complaint_tests._start(env.client, task_queue, customer.id, severity="critical")
    await env.sleep(timedelta(hours=2, minutes=2))
    # The second escalation's timer starts only once the first escalation's activity is done; under load that can be
    # after the skip above, so time moves on a minute at a time until it has fired.
    for _ in range(120):
        if (await handle.query(ComplaintWorkflow.status)).escalation_level == 2:
            break
        await env.sleep(timedelta(minutes=1))
    await complaint_tests._until(handle, lambda s: s.escalation_level == 2)
    await env.sleep(timedelta(hours=2, minutes=2))  # two reminders to the director at the top
    await handle.execute_update(ComplaintWorkflow.acknowledge, AcknowledgeRequest(actor=actor))
    await handle.execute_update(ComplaintWorkflow.resolve, ResolveRequest(actor=actor, resolution="refunded"))
    await handle.execute_update(
        ComplaintWorkflow.customer_response, CustomerResponseRequest(actor=actor, accepted=True, satisfaction=3)
    )
    await handle.result()
    return await _save(env.client, handle.id, "top-reminders")


async def _decide_open_approvals(client: Client, sessions, workflow_id: str, deciders: list[Staff]) -> None:
    """Approve the process's open approval tasks one after another, wherever their updates are taken."""
    for who in deciders:
        task = await wait_for_open_task(sessions, workflow_id)
        actor = TaskActor(
            role="director" if who.role == StaffRole.DIRECTOR else "manager", staff_id=who.id, label=f"staff:{who.id}"
        )
        await client.get_workflow_handle(task.decided_in).execute_update(
            "task.decide", TaskDecisionInput(task_key=task.task_key, actor=actor, decision="approve")
        )
        await wait_for_closed_task(sessions, task.id)


async def _record_complaint_compensation(
    env: WorkflowEnvironment, factory: Factory, sessions, task_queue: str, variant: str
) -> list[Path]:
    """Compensation of 20 000: the supervisor, then the director approve; resolved, then accepted."""
    org = await factory.org()
    customer = await factory.customer(owner=org.l2)
    actor = complaint_tests.ACTOR
    handle = await complaint_tests._start(env.client, task_queue, customer.id)
    await handle.execute_update(ComplaintWorkflow.acknowledge, AcknowledgeRequest(actor=actor))
    await handle.execute_update(
        ComplaintWorkflow.resolve,
        ResolveRequest(actor=actor, resolution="refunded", compensation_amount=Decimal("20000")),
    )
    await _decide_open_approvals(env.client, sessions, handle.id, [org.l1, org.director])
    await complaint_tests._until(handle, lambda s: s.stage == "resolved")
    await handle.execute_update(
        ComplaintWorkflow.customer_response, CustomerResponseRequest(actor=actor, accepted=True, satisfaction=4)
    )
    await handle.result()
    written = [await _save(env.client, handle.id, variant)]
    async with sessions() as session:
        children = set(
            await session.scalars(
                select(Task.handler_workflow_id).where(
                    Task.workflow_id == handle.id, Task.handler_workflow_id.is_not(None)
                )
            )
        )
    for child in sorted(children):
        written.append(await _save(env.client, child, variant))
    return written


@pytest.mark.skipif(
    os.environ.get("CRMFLOW_RECORD_COMPLAINT_SLIM_HISTORY") != "1",
    reason="set CRMFLOW_RECORD_COMPLAINT_SLIM_HISTORY=1 to record the slim complaint variant only",
)
async def test_record_complaint_slim_history(
    time_env: WorkflowEnvironment, run_worker, factory: Factory, settings
) -> None:
    """ComplaintWorkflow.slim (patch complaint-slim-history: changed columns only, upserts only of changed values),
    started as the API starts it, beside ComplaintWorkflow recorded before the patch: both must replay."""
    async with run_worker(time_env.client):
        workflow_id = await _record_complaint(time_env, factory, settings.task_queue, started_as_the_api_does=True)
        await time_env.client.get_workflow_handle(workflow_id).result()
        path = await _save(time_env.client, workflow_id, "slim")
    replayer = Replayer(
        workflows=all_workflows(), data_converter=pydantic_data_converter, workflow_runner=workflow_runner()
    )
    await replayer.replay_workflow(
        WorkflowHistory.from_json(path.stem, path.read_text(encoding="utf-8")), raise_on_replay_failure=True
    )


@pytest.mark.skipif(
    os.environ.get("CRMFLOW_RECORD_FLOW_HISTORIES") != "1",
    reason="set CRMFLOW_RECORD_FLOW_HISTORIES=1 to record the approval-flow variants only",
)
async def test_record_flow_histories(
    time_env: WorkflowEnvironment, local_env: WorkflowEnvironment, run_worker, factory: Factory, sessions, settings
) -> None:
    """The processes whose approval runs on its flow (an ApprovalWorkflow child), as variants beside the
    histories recorded before (ComplaintWorkflow.compensation-before-flows, *.before-flows): both must replay."""
    queue = settings.task_queue
    async with run_worker(time_env.client):
        await _record_complaint_compensation(time_env, factory, sessions, queue, "compensation")
        await _save(time_env.client, await _record_onboarding(time_env, factory, queue), "tier1-flow")
        await _record_onboarding_intake(time_env, factory, queue)
    async with run_worker(local_env.client):
        _, change_id = await _record_tiering(local_env.client, factory, sessions, queue)
        await _save(local_env.client, change_id, "flow")


@pytest.mark.skipif(
    os.environ.get("CRMFLOW_RECORD_FLOW_HISTORIES") != "1",
    reason="set CRMFLOW_RECORD_FLOW_HISTORIES=1 to record the approval-flow variants only",
)
async def test_record_review_flow_histories(
    time_env: WorkflowEnvironment, local_env: WorkflowEnvironment, run_worker, factory: Factory, sessions, settings
) -> None:
    """AccountReviewWorkflow.flow and ApprovalWorkflow.review, beside AccountReviewWorkflow (the form task), and
    an ImprovementPlanWorkflow whose two items are reminded and measured (time skipped to their due dates)."""
    async with run_worker(local_env.client):
        await _record_review_approval(local_env.client, factory, sessions, settings.task_queue)
    async with run_worker(time_env.client):
        plan_id = await _record_review_plan(time_env, factory, sessions, settings.task_queue)
        await time_env.client.get_workflow_handle(plan_id).result()  # both items reminded and measured
        await _save(time_env.client, plan_id)


@pytest.mark.skipif(
    os.environ.get("CRMFLOW_RECORD_REVIEW_BATCH_HISTORIES") != "1",
    reason="set CRMFLOW_RECORD_REVIEW_BATCH_HISTORIES=1 to record the batch-KPI review variants only",
)
async def test_record_review_batch_histories(
    time_env: WorkflowEnvironment, run_worker, factory: Factory, settings
) -> None:
    """ReviewCycleWorkflow.batch-kpis and AccountReviewWorkflow.batch-kpis (the batch computes the KPIs, each review
    moves its stage with its task's opening: PATCH_BATCH_KPIS), beside the histories recorded before the patch."""
    async with run_worker(time_env.client):
        cycle_id, review_id, _ = await _record_reviews(time_env, factory, settings.task_queue)
        for workflow_id in (cycle_id, review_id):
            await _save(time_env.client, workflow_id, "batch-kpis")


async def _record_review_plan(env: WorkflowEnvironment, factory: Factory, sessions, task_queue: str) -> str:
    from tests.workflows.test_review_plan import _review
    from definitions.review import ImprovementPlanInput, PlanItem
    from workflows.review import ImprovementPlanWorkflow, plan_workflow_id

    org = await factory.org()
    now = await env.get_current_time()
    review = await _review(sessions, org.l2.id, org.l1.id, "2026Q3", now - timedelta(days=1))
    items = [
        PlanItem(metric="new_customers", baseline=0, target=1, due_on=(now + timedelta(days=30)).date()),
        PlanItem(metric="revenue", baseline=800, target=5000, due_on=(now + timedelta(days=60)).date()),
    ]
    handle = await env.client.start_workflow(
        ImprovementPlanWorkflow.run,
        ImprovementPlanInput(
            review_id=review.id,
            manager_id=org.l2.id,
            period="2026Q3",
            period_end=now - timedelta(days=1),
            items=items,
            reminder_before=timedelta(days=7),
        ),
        id=plan_workflow_id(review.workflow_id),
        task_queue=task_queue,
    )
    return handle.id


async def _until_accepted(send, attempts: int = 50) -> None:
    """Send an update until the workflow takes it: the task row is written just before the workflow sees it open."""
    for attempt in range(attempts):
        try:
            await send()
            return
        except WorkflowUpdateFailedError:
            if attempt == attempts - 1:
                raise
            await asyncio.sleep(0.1)


async def _record_review_approval(client: Client, factory: Factory, sessions, task_queue: str) -> list[Path]:
    """A review whose supervisor decides on the review-approval flow: rejected once, then approved with a
    rating and a comment (the decision form's fields); saved with its last approval child."""
    org = await factory.org()
    period = review_tests.unique_period()
    cycle = await review_tests.start_cycle(client, task_queue, period, review_tests.definition())
    review_id = f"review-{period}-{org.l2.id}"
    review = client.get_workflow_handle(review_id)
    answer = {"summary": "steady quarter", "next_quarter_goals": "two new key accounts", "self_rating": 4}
    decider = TaskActor(role="manager", staff_id=org.l1.id, label=f"manager:staff:{org.l1.id}")
    decisions = [
        ApprovalDecisionInput(actor=decider, decision="reject", comment="add the revenue figures"),
        ApprovalDecisionInput(
            actor=decider, decision="approve", comment="good", fields={"rating": 4, "comment": "good quarter"}
        ),
    ]
    child = ""
    for round_no, decision in enumerate(decisions, start=1):
        key = f"self-assessment-{round_no}"
        await review_tests.open_task(review, key)
        await review.execute_update(
            "task.complete", TaskCompleteInput(task_key=key, actor=review_tests.actor(org.l2), data=answer)
        )
        task = await wait_for_open_task(sessions, review_id)
        child = task.decided_in
        # Awaited within this pass of the loop, so the closure sees this round's values.
        handle = client.get_workflow_handle(child)
        await _until_accepted(lambda: handle.execute_update("approval.decide", decision))  # noqa: B023
    await review.result()
    written = [await _save(client, review_id, "flow"), await _save(client, child, "review")]
    for staff_id in (org.l1.id,):
        await client.get_workflow_handle(f"review-{period}-{staff_id}").terminate("recording finished")
    await cycle.terminate("recording finished")
    return written


async def _record_notification_delivery(client: Client, sessions, task_queue: str) -> str:
    """One notification delivered in-app and by email to a real SMTP server."""
    staff = await Factory(sessions).staff(StaffRole.ACCOUNT_MANAGER_L2)
    async with sessions() as session, session.begin():
        note = record_notification(
            session, recipient_id=staff.id, kind="task.reminder", subject="Reminder", entity_type="task", entity_id="0"
        )
    handle = await client.start_workflow(
        DELIVERY_WORKFLOW, DeliveryStart(notification_id=note.id), id=delivery_workflow_id(note), task_queue=task_queue
    )
    return handle.id


async def _record_onboarding(env: WorkflowEnvironment, factory: Factory, task_queue: str) -> str:
    """Tier 1 onboarding: the director approves, the L1 completes the kickoff form."""
    await factory.org()
    async with onboarding_tests.onboarding(
        env.client, task_queue, factory, declared_annual_value=Decimal("2500000")
    ) as (handle, _):
        approval = await onboarding_tests.open_task(handle, "approval")
        await onboarding_tests.decide(handle, assignee(approval), "approve")
        kickoff = await onboarding_tests.open_task(handle, "kickoff")
        await onboarding_tests.complete(handle, "kickoff", assignee(kickoff), {"notes": "kickoff done"})
        await handle.result()
        return handle.id


async def _record_onboarding_intake(env: WorkflowEnvironment, factory: Factory, task_queue: str) -> Path:
    """Update-with-start onboarding: the process creates its customer (tier 1), the director approves, kickoff."""
    await factory.org()
    async with onboarding_tests.intake(env.client, task_queue, industry="energy") as (handle, _):
        approval = await onboarding_tests.open_task(handle, "approval")
        await onboarding_tests.decide(handle, assignee(approval), "approve")
        kickoff = await onboarding_tests.open_task(handle, "kickoff")
        await onboarding_tests.complete(handle, "kickoff", assignee(kickoff), {"notes": "kickoff done"})
        await handle.result()
        return await _save(env.client, handle.id, "creates-customer")


async def _record_reclaim(env: WorkflowEnvironment, factory: Factory, task_queue: str) -> str:
    """A daily reclaim run that warns one owner and reclaims one customer."""
    org = await factory.org()
    now = await env.get_current_time()
    await factory.customer(
        org.l2, tier=2, owner_assigned_at=now - timedelta(days=300), last_follow_up_at=now - timedelta(days=26)
    )
    await factory.customer(
        org.l2, tier=2, owner_assigned_at=now - timedelta(days=300), last_follow_up_at=now - timedelta(days=31)
    )
    handle = await env.client.start_workflow(
        ReclaimWorkflow.run,
        ReclaimInput(definition=load_as(PACKAGED_DEFINITIONS_DIR, ReclaimDefinition)),
        id=f"reclaim-recording-{uuid.uuid4().hex[:6]}",
        task_queue=task_queue,
    )
    return handle.id


async def _record_reviews(env: WorkflowEnvironment, factory: Factory, task_queue: str) -> list[str]:
    """The launcher, and a cycle of two reviews: the L2's goes through a rework round (updates with their
    actors) to approval; the L1's nobody answers, so it climbs to the director and expires; the cycle sums up."""
    director = await factory.staff(StaffRole.DIRECTOR)
    l1 = await factory.staff(StaffRole.ACCOUNT_MANAGER_L1, supervisor_id=director.id)
    l2 = await factory.staff(StaffRole.ACCOUNT_MANAGER_L2, supervisor_id=l1.id)
    period = review_tests.unique_period()
    # approval_flow=None: this recording keeps the supervisor's form task of reviews started before the flow.
    cycle = await review_tests.start_cycle(
        env.client, task_queue, period, review_tests.definition(escalation_levels=2, approval_flow=None)
    )
    review = env.client.get_workflow_handle(f"review-{period}-{l2.id}")
    answer = {"summary": "steady quarter", "next_quarter_goals": "two new key accounts", "self_rating": 4}
    steps = [
        ("self-assessment-1", l2, answer),
        ("approval-1", l1, {"approved": False, "comment": "add the revenue figures"}),
        ("self-assessment-2", l2, {**answer, "achievements": "revenue up 12%"}),
        ("approval-2", l1, {"approved": True, "rating": 4, "comment": "good"}),
    ]
    for key, who, data in steps:
        await review_tests.open_task(review, key)
        await review.execute_update(
            "task.complete", TaskCompleteInput(task_key=key, actor=review_tests.actor(who), data=data)
        )
    await cycle.result()
    ids = [cycle.id, f"review-{period}-{l2.id}"]

    launch_period = review_tests.unique_period()
    launcher = await env.client.start_workflow(
        ReviewScheduleWorkflow.run,
        ReviewCycleInput(definition=review_tests.definition(), timezone=review_tests.TZ, period=launch_period),
        id=f"review-schedule-recording-{uuid.uuid4().hex[:6]}",
        task_queue=task_queue,
    )
    launched = await launcher.result()
    await env.client.get_workflow_handle(launched.workflow_id).terminate("recording finished")
    return [*ids, launcher.id]


async def _record_incentives(env: WorkflowEnvironment, factory: Factory, task_queue: str) -> str:
    """A period's awards computed by hand for an org of two managers (one with a customer won in the period)."""
    org = await factory.org()
    period = review_tests.unique_period()
    start, _ = period_bounds(period, review_tests.TZ)
    await factory.customer(org.l2, owner_assigned_at=start + timedelta(days=3))
    handle = await env.client.start_workflow(
        IncentiveAwardsWorkflow.run,
        IncentiveAwardsInput(
            period=period, timezone=review_tests.TZ, definition=load_as(PACKAGED_DEFINITIONS_DIR, IncentiveDefinition)
        ),
        id=awards_workflow_id(period),
        task_queue=task_queue,
    )
    return handle.id


async def _record_targets(env: WorkflowEnvironment, factory: Factory, sessions, task_queue: str) -> list[str]:
    """One manager's targets: a counter-proposal, agreement, an off-pace check-in answered and acknowledged."""
    from definitions.targets import AcceptInput, ProposeInput
    from workflows.targets import TargetWorkflow

    org = await factory.org()
    definition = target_tests.definition(checkpoints=[30])
    handle = await target_tests.start_target(env, task_queue, org.l2, definition, days=40)
    as_l1, as_l2 = target_tests.actor(org.l1), target_tests.actor(org.l2)
    await handle.execute_update(
        TargetWorkflow.propose, ProposeInput(actor=as_l1, values={"new_customers": 9, "revenue": 9000})
    )
    await handle.execute_update(
        TargetWorkflow.counter,
        ProposeInput(actor=as_l2, values={"new_customers": 6, "revenue": 8000}, reason="smaller region"),
    )
    await handle.execute_update(TargetWorkflow.accept, AcceptInput(actor=as_l1, reason="fair"))
    await env.sleep(timedelta(days=30, hours=1))
    await target_tests.open_task(handle, "checkin-30")
    await handle.execute_update(
        "task.complete",
        TaskCompleteInput(task_key="checkin-30", actor=as_l2, data={"cause": "slow start", "actions": "more visits"}),
    )
    await target_tests.open_task(handle, "acknowledge-30")
    await handle.execute_update(
        "task.complete", TaskCompleteInput(task_key="acknowledge-30", actor=as_l1, data={"comment": "ok"})
    )
    await handle.result()
    return [handle.id]


async def _record_target_change(client: Client, factory: Factory, task_queue: str) -> Path:
    """Agreed targets whose manager asks for a change the supervisor approves; a short period then closes them.

    On the real dev server: the time-skipping server stops skipping once a child (the approval) has closed.
    """
    from datetime import UTC, datetime

    from definitions.approval import ApprovalDecisionInput, approval_workflow_id
    from definitions.targets import AcceptInput, ChangeRequestInput, ProposeInput, TargetInput, target_workflow_id
    from workflows.targets import TargetWorkflow

    org = await factory.org()
    as_l1, as_l2 = target_tests.actor(org.l1), target_tests.actor(org.l2)
    period, start = target_tests.unique_period(), datetime.now(UTC)
    handle = await client.start_workflow(
        TargetWorkflow.run,
        TargetInput(
            definition=target_tests.definition(checkpoints=[]),
            period=period,
            timezone="UTC",
            staff_id=org.l2.id,
            period_start=start,
            period_end=start + timedelta(seconds=20),
        ),
        id=target_workflow_id(period, org.l2.id),
        task_queue=task_queue,
    )

    async def opened():
        return (await target_tests.status(handle)).target_set_id

    await target_tests.poll(opened)
    await handle.execute_update(
        TargetWorkflow.propose, ProposeInput(actor=as_l1, values={"new_customers": 9, "revenue": 9000})
    )
    await handle.execute_update(TargetWorkflow.accept, AcceptInput(actor=as_l2))
    change = await handle.execute_update(
        TargetWorkflow.request_change,
        ChangeRequestInput(
            actor=as_l2,
            metric="revenue",
            value=7500,
            reason="one account moved away",
            flow=target_tests.CHANGE_FLOW.model_dump(mode="json"),
        ),
    )
    approval = client.get_workflow_handle(approval_workflow_id(change.approval_id))

    async def approved():
        try:
            await approval.execute_update("approval.decide", ApprovalDecisionInput(actor=as_l1, decision="approve"))
            return True
        except Exception:  # noqa: BLE001 - the step has not opened its task yet
            return False

    await target_tests.poll(approved)
    await approval.result()

    async def settled():
        return (await target_tests.status(handle)).pending_change is None

    await target_tests.poll(settled)
    await handle.result()
    return await _save(client, handle.id, "change")


async def _record_target_runs(client: Client, factory: Factory, sessions, task_queue: str) -> list[str]:
    """The quarterly launcher with the cycle it starts, and a daily progress run."""
    from db.models import ACCOUNT_MANAGER_ROLES
    from definitions.targets import ProgressRunInput, TargetCycleInput, target_workflow_id
    from sqlalchemy import select
    from workflows.targets import TargetProgressWorkflow, TargetScheduleWorkflow

    await factory.org()
    definition = target_tests.definition(checkpoints=[30])
    env_client = client
    period = target_tests.unique_period()
    cycle_input = TargetCycleInput(definition=definition, timezone="UTC", period=period, started_by="recording")
    launcher = await env_client.start_workflow(
        TargetScheduleWorkflow.run,
        cycle_input,
        id=f"targets-schedule-recording-{uuid.uuid4().hex[:6]}",
        task_queue=task_queue,
    )
    launched = await launcher.result()
    cycle = env_client.get_workflow_handle(launched.workflow_id)
    await cycle.result()
    async with sessions() as session:
        managers = (await session.scalars(select(Staff.id).where(Staff.role.in_(ACCOUNT_MANAGER_ROLES)))).all()
    for staff_id in managers:  # the cycle's targets would wait for weeks: not part of the recording
        try:
            await env_client.get_workflow_handle(target_workflow_id(period, staff_id)).terminate("recording finished")
        except Exception:  # noqa: BLE001 - inactive staff got none
            pass
    progress = await env_client.start_workflow(
        TargetProgressWorkflow.run,
        ProgressRunInput(definition=definition, timezone="UTC"),
        id=f"targets-progress-recording-{uuid.uuid4().hex[:6]}",
        task_queue=task_queue,
    )
    await progress.result()
    return [launcher.id, cycle.id, progress.id]


async def _record_tiering(client: Client, factory: Factory, sessions, task_queue: str) -> list[str]:
    """A monthly cycle proposing one upgrade; the director approves and both managers complete the handover."""
    org = await factory.org()
    customer = await factory.customer(org.l2, tier=2)
    await tiering_tests.big_spender(sessions, customer)
    definition = load_as(PACKAGED_DEFINITIONS_DIR, TieringDefinition)
    cycle_id = f"recording-{uuid.uuid4().hex[:8]}"
    cycle = await client.start_workflow(
        TieringCycleWorkflow.run,
        TieringCycleInput(definition=definition, as_of=tiering_tests.AS_OF, cycle_id=cycle_id),
        id=cycle_workflow_id(cycle_id),
        task_queue=task_queue,
    )
    await cycle.result()
    change = client.get_workflow_handle_for(TierChangeWorkflow.run, tier_change_workflow_id(customer.id, cycle_id))
    approval = await tiering_tests.open_task(change, "approval")
    await tiering_tests.decide(change, assignee(approval), "approve")
    out = await tiering_tests.open_task(change, "handover-out")
    into = await tiering_tests.open_task(change, "handover-in")
    await change.execute_update(
        "task.complete",
        TaskCompleteInput(
            task_key="handover-out", actor=tiering_tests.actor(assignee(out)), data={"notes": "prefers email"}
        ),
    )
    await change.execute_update(
        "task.complete",
        TaskCompleteInput(
            task_key="handover-in", actor=tiering_tests.actor(assignee(into)), data={"acknowledged": True}
        ),
    )
    await change.result()
    return [cycle.id, change.id]


async def _record_handover(env: WorkflowEnvironment, factory: Factory, task_queue: str) -> str:
    """A signer leaves with an approval task open: the hand-over process has that approval move it to their boss."""
    org = await factory.org()
    [signer] = await approval_tests.people(factory, 1, org.director)
    handle = await approval_tests.start(
        env.client, task_queue, approval_tests.flow([approval_tests.staff_step("sign", [signer])]), org.l2
    )
    await approval_tests.holders(handle, 1)
    async with factory.sessions() as session, session.begin():
        (await session.get(Staff, signer.id)).active = False
    handover = await env.client.start_workflow(
        StaffHandOverWorkflow.run,
        StaffHandOverInput(
            staff_id=signer.id,
            actor_label="admin:replay",
            definition=load_as(PACKAGED_DEFINITIONS_DIR, HandOverDefinition),
        ),
        id=handover_workflow_id(signer.id),
        task_queue=task_queue,
    )
    await handover.result()
    await handle.terminate("recorded")
    return handover.id


async def drive_every_process(
    time_env: WorkflowEnvironment,
    local_env: WorkflowEnvironment,
    run_worker,
    factory: Factory,
    sessions,
    settings,
    visit: Callable[[Client, str], Awaitable[object]],
) -> None:
    """Drive one run of every workflow type to a resting point, then `visit` each while its worker still runs."""
    queue = settings.task_queue
    async with run_worker(time_env.client):
        # Targets first: their month-long skip of the server's clock would also run every later recording's timers.
        ids = [
            *await _record_targets(time_env, factory, sessions, queue),
            await _record_complaint(time_env, factory, queue),
            await _record_onboarding(time_env, factory, queue),
            await _record_reclaim(time_env, factory, queue),
            *await _record_reviews(time_env, factory, queue),
            await _record_approval(time_env.client, factory, queue),
            await _record_handover(time_env, factory, queue),
            await _record_incentives(time_env, factory, queue),
            *await _record_survey(time_env, factory, queue),
            await _record_review_plan(time_env, factory, sessions, queue),
        ]
        for workflow_id in ids:
            await visit(time_env.client, workflow_id)
    # The real dev server for tiering: the cycle abandons its children (see tests/workflows/test_tiering.py).
    async with run_worker(local_env.client):
        for workflow_id in await _record_tiering(local_env.client, factory, sessions, queue):
            await visit(local_env.client, workflow_id)
    # A notification delivered in-app and by email to a real SMTP server, on the dev server.
    sink = SmtpSink().start()
    try:
        mail = settings.model_copy(update={"smtp_host": "127.0.0.1", "smtp_port": sink.port})
        async with build_worker(local_env.client, sessions, queue, mail):
            await visit(local_env.client, await _record_notification_delivery(local_env.client, sessions, queue))
    finally:
        sink.stop()
    # Last, on the dev server: the target cycle opens targets (and notifies) for every manager recorded so far.
    async with run_worker(local_env.client):
        for workflow_id in await _record_target_runs(local_env.client, factory, sessions, queue):
            await visit(local_env.client, workflow_id)


@pytest.mark.skipif(not RECORDING, reason="set CRMFLOW_RECORD_HISTORIES=1 (make histories) to record")
async def test_record_histories(
    time_env: WorkflowEnvironment, local_env: WorkflowEnvironment, run_worker, factory: Factory, sessions, settings
) -> None:
    written: list[Path] = []

    async def save(client: Client, workflow_id: str) -> None:
        written.append(await _save(client, workflow_id))

    await drive_every_process(time_env, local_env, run_worker, factory, sessions, settings, save)
    async with build_worker(local_env.client, sessions, settings.task_queue, settings):
        written.append(await _record_target_change(local_env.client, Factory(sessions), settings.task_queue))
    async with build_worker(time_env.client, sessions, settings.task_queue, worker_settings(time_env.client)):
        written.append(await _record_complaint_top_reminders(time_env, Factory(sessions), settings.task_queue))
    async with run_worker(time_env.client):  # compensation approved by its flow: the complaint and its approval
        written.extend(
            await _record_complaint_compensation(
                time_env, Factory(sessions), sessions, settings.task_queue, "compensation"
            )
        )
        written.append(await _record_onboarding_intake(time_env, Factory(sessions), settings.task_queue))
    assert {p.stem.split(".")[0] for p in written} == {workflow_type(cls) for cls in all_workflows()}
    replayer = Replayer(
        workflows=all_workflows(), data_converter=pydantic_data_converter, workflow_runner=workflow_runner()
    )  # the sandbox the worker runs them in
    for path in written:
        history = WorkflowHistory.from_json(path.stem, path.read_text(encoding="utf-8"))
        await replayer.replay_workflow(history, raise_on_replay_failure=True)


@pytest.mark.skipif(RECORDING, reason="the recording run drives the same processes")
async def test_every_registered_workflow_type_answers_its_state(
    time_env: WorkflowEnvironment, local_env: WorkflowEnvironment, run_worker, factory: Factory, sessions, settings
) -> None:
    states: dict[str, dict] = {}

    async def inspect(client: Client, workflow_id: str) -> None:
        view = await inspection.process_view(client, await inspection.describe_process(client, workflow_id))
        assert view.state is not None, f"{view.type} ({workflow_id}) answered no state"
        states[view.type] = view.state

    await drive_every_process(time_env, local_env, run_worker, factory, sessions, settings, inspect)
    assert set(states) == {workflow_type(cls) for cls in all_workflows()}
