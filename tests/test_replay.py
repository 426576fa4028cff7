"""Replay safety: recorded histories of every workflow type must replay against the current code.

`make histories` (CRMFLOW_RECORD_HISTORIES=1) drives each process to a resting point through real activities
on the test database and rewrites tests/histories/<workflow type>.json in the format
`crmflow processes export` writes (WorkflowHistory.to_json()). A change that makes a workflow
nondeterministic for histories already in flight fails `test_recorded_histories_replay`; record fresh
histories only on purpose (e.g. after versioning a change with workflow.patched()).
"""

from __future__ import annotations

import os
import uuid
from datetime import timedelta
from decimal import Decimal
from pathlib import Path

import pytest
from temporalio.client import Client, WorkflowHistory
from temporalio.contrib.pydantic import pydantic_data_converter
from temporalio.testing import WorkflowEnvironment
from temporalio.worker import Replayer
from temporalio.workflow import _Definition

from crmflow.settings import PACKAGED_DEFINITIONS_DIR
from db.models import Staff, StaffRole
from definitions.complaint import AcknowledgeRequest, CustomerResponseRequest, ResolveRequest
from definitions.loader import load_as
from definitions.reclaim import ReclaimDefinition, ReclaimInput
from definitions.review import ReviewCycleInput
from definitions.tasks import TaskCompleteInput, TaskView
from definitions.tiering import TieringCycleInput, TieringDefinition
from activities.base import DELIVERY_WORKFLOW, delivery_workflow_id
from db.repositories.audit import record_notification
from definitions.notifications import DeliveryStart
from tests.factories import Factory, worker_settings
from tests.notify_servers import SmtpSink
from tests.workflows import test_complaint as complaint_tests
from tests.workflows import test_onboarding as onboarding_tests
from tests.workflows import test_review as review_tests
from tests.workflows import test_tiering as tiering_tests
from worker import WORKFLOWS, build_worker
from workflows.complaint import ComplaintWorkflow
from workflows.reclaim import ReclaimWorkflow
from workflows.review import ReviewScheduleWorkflow
from workflows.tiering import TierChangeWorkflow, TieringCycleWorkflow, cycle_workflow_id, tier_change_workflow_id

HISTORIES = Path(__file__).parent / "histories"
RECORDING = os.environ.get("CRMFLOW_RECORD_HISTORIES") == "1"


def workflow_type(cls: type) -> str:
    """The registered name of a workflow class (what Temporal calls its type)."""
    return _Definition.must_from_class(cls).name or cls.__name__


def recorded() -> list[Path]:
    return sorted(HISTORIES.glob("*.json"))


@pytest.mark.skipif(RECORDING, reason="recording replaces the files this test reads")
@pytest.mark.parametrize("path", recorded(), ids=lambda p: p.stem)
async def test_recorded_histories_replay(path: Path) -> None:
    history = WorkflowHistory.from_json(f"recorded-{path.stem}", path.read_text(encoding="utf-8"))
    replayer = Replayer(workflows=list(WORKFLOWS), data_converter=pydantic_data_converter)
    # raise_on_replay_failure: a nondeterminism error (or any workflow task failure) fails the test.
    result = await replayer.replay_workflow(history, raise_on_replay_failure=True)
    assert result.replay_failure is None


@pytest.mark.skipif(RECORDING, reason="recording replaces the files this test reads")
def test_every_workflow_type_has_a_recorded_history() -> None:
    missing = {workflow_type(cls) for cls in WORKFLOWS} - {p.stem.split(".")[0] for p in recorded()}
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


async def _record_complaint(env: WorkflowEnvironment, factory: Factory, task_queue: str) -> Path:
    """Critical complaint: response SLA breached and escalated, then acknowledged, resolved, accepted."""
    org = await factory.org()
    customer = await factory.customer(owner=org.l2)
    actor = complaint_tests.ACTOR
    handle = await complaint_tests._start(env.client, task_queue, customer.id, severity="critical")
    await env.sleep(timedelta(hours=1, minutes=1))
    await complaint_tests._until(handle, lambda s: s.escalation_level == 1)
    await handle.execute_update(ComplaintWorkflow.acknowledge, AcknowledgeRequest(actor=actor))
    await handle.execute_update(ComplaintWorkflow.resolve, ResolveRequest(actor=actor, resolution="refunded"))
    await handle.execute_update(ComplaintWorkflow.customer_response,
                                CustomerResponseRequest(actor=actor, accepted=True, satisfaction=5))
    await handle.result()
    return await _save(env.client, handle.id)


async def _record_complaint_top_reminders(env: WorkflowEnvironment, factory: Factory, task_queue: str) -> Path:
    """Critical complaint nobody acknowledges: escalated twice (deadlines move), the director reminded, then acked."""
    org = await factory.org()
    customer = await factory.customer(owner=org.l2)
    actor = complaint_tests.ACTOR
    handle = await complaint_tests._start(env.client, task_queue, customer.id, severity="critical")
    await env.sleep(timedelta(hours=2, minutes=2))
    await complaint_tests._until(handle, lambda s: s.escalation_level == 2)
    await env.sleep(timedelta(hours=2, minutes=2))  # two reminders to the director at the top
    await handle.execute_update(ComplaintWorkflow.acknowledge, AcknowledgeRequest(actor=actor))
    await handle.execute_update(ComplaintWorkflow.resolve, ResolveRequest(actor=actor, resolution="refunded"))
    await handle.execute_update(ComplaintWorkflow.customer_response,
                                CustomerResponseRequest(actor=actor, accepted=True, satisfaction=3))
    await handle.result()
    return await _save(env.client, handle.id, "top-reminders")


async def _record_notification_delivery(client: Client, sessions, task_queue: str, smtp_port: int) -> Path:
    """One notification delivered in-app and by email to a real SMTP server."""
    staff = await Factory(sessions).staff(StaffRole.ACCOUNT_MANAGER_L2)
    async with sessions() as session, session.begin():
        note = record_notification(session, recipient_id=staff.id, kind="task.reminder", subject="Reminder",
                                   entity_type="task", entity_id="0")
    handle = await client.start_workflow(DELIVERY_WORKFLOW, DeliveryStart(notification_id=note.id),
                                         id=delivery_workflow_id(note), task_queue=task_queue)
    await handle.result()
    return await _save(client, handle.id)


async def _record_onboarding(env: WorkflowEnvironment, factory: Factory, task_queue: str) -> Path:
    """Tier 1 onboarding: the director approves, the L1 completes the kickoff form."""
    await factory.org()
    async with onboarding_tests.onboarding(env.client, task_queue, factory,
                                           declared_annual_value=Decimal("2500000")) as (handle, _):
        approval = await onboarding_tests.open_task(handle, "approval")
        await onboarding_tests.decide(handle, assignee(approval), "approve")
        kickoff = await onboarding_tests.open_task(handle, "kickoff")
        await onboarding_tests.complete(handle, "kickoff", assignee(kickoff), {"notes": "kickoff done"})
        await handle.result()
        return await _save(env.client, handle.id)


async def _record_reclaim(env: WorkflowEnvironment, factory: Factory, task_queue: str) -> Path:
    """A daily reclaim run that warns one owner and reclaims one customer."""
    org = await factory.org()
    now = await env.get_current_time()
    await factory.customer(org.l2, tier=2, owner_assigned_at=now - timedelta(days=300),
                           last_follow_up_at=now - timedelta(days=26))
    await factory.customer(org.l2, tier=2, owner_assigned_at=now - timedelta(days=300),
                           last_follow_up_at=now - timedelta(days=31))
    handle = await env.client.start_workflow(
        ReclaimWorkflow.run, ReclaimInput(definition=load_as(PACKAGED_DEFINITIONS_DIR, ReclaimDefinition)),
        id=f"reclaim-recording-{uuid.uuid4().hex[:6]}", task_queue=task_queue,
    )
    await handle.result()
    return await _save(env.client, handle.id)


async def _record_reviews(env: WorkflowEnvironment, factory: Factory, task_queue: str) -> list[Path]:
    """The launcher, and a cycle of two reviews: the L2's goes through a rework round (updates with their
    actors) to approval; the L1's nobody answers, so it climbs to the director and expires; the cycle sums up."""
    director = await factory.staff(StaffRole.DIRECTOR)
    l1 = await factory.staff(StaffRole.ACCOUNT_MANAGER_L1, supervisor_id=director.id)
    l2 = await factory.staff(StaffRole.ACCOUNT_MANAGER_L2, supervisor_id=l1.id)
    period = review_tests.unique_period()
    cycle = await review_tests.start_cycle(env.client, task_queue, period,
                                           review_tests.definition(escalation_levels=2))
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
        await review.execute_update("task.complete", TaskCompleteInput(
            task_key=key, actor=review_tests.actor(who), data=data))
    await cycle.result()
    paths = [await _save(env.client, cycle.id), await _save(env.client, f"review-{period}-{l2.id}")]

    launch_period = review_tests.unique_period()
    launcher = await env.client.start_workflow(
        ReviewScheduleWorkflow.run,
        ReviewCycleInput(definition=review_tests.definition(), timezone=review_tests.TZ, period=launch_period),
        id=f"review-schedule-recording-{uuid.uuid4().hex[:6]}", task_queue=task_queue,
    )
    launched = await launcher.result()
    await env.client.get_workflow_handle(launched.workflow_id).terminate("recording finished")
    paths.append(await _save(env.client, launcher.id))
    return paths


async def _record_tiering(client: Client, factory: Factory, sessions, task_queue: str) -> list[Path]:
    """A monthly cycle proposing one upgrade; the director approves and both managers complete the handover."""
    org = await factory.org()
    customer = await factory.customer(org.l2, tier=2)
    await tiering_tests.big_spender(sessions, customer)
    definition = load_as(PACKAGED_DEFINITIONS_DIR, TieringDefinition)
    cycle_id = f"recording-{uuid.uuid4().hex[:8]}"
    cycle = await client.start_workflow(
        TieringCycleWorkflow.run, TieringCycleInput(definition=definition, as_of=tiering_tests.AS_OF,
                                                    cycle_id=cycle_id),
        id=cycle_workflow_id(cycle_id), task_queue=task_queue,
    )
    await cycle.result()
    change = client.get_workflow_handle_for(TierChangeWorkflow.run, tier_change_workflow_id(customer.id, cycle_id))
    approval = await tiering_tests.open_task(change, "approval")
    await tiering_tests.decide(change, assignee(approval), "approve")
    out = await tiering_tests.open_task(change, "handover-out")
    into = await tiering_tests.open_task(change, "handover-in")
    await change.execute_update("task.complete", TaskCompleteInput(
        task_key="handover-out", actor=tiering_tests.actor(assignee(out)), data={"notes": "prefers email"}))
    await change.execute_update("task.complete", TaskCompleteInput(
        task_key="handover-in", actor=tiering_tests.actor(assignee(into)), data={"acknowledged": True}))
    await change.result()
    return [await _save(client, cycle.id), await _save(client, change.id)]


@pytest.mark.skipif(not RECORDING, reason="set CRMFLOW_RECORD_HISTORIES=1 (make histories) to record")
async def test_record_histories(
    time_env: WorkflowEnvironment, local_env: WorkflowEnvironment, run_worker, factory: Factory, sessions, settings
) -> None:
    queue = settings.task_queue
    written: list[Path] = []
    async with run_worker(time_env.client):
        written.append(await _record_complaint(time_env, factory, queue))
        written.append(await _record_onboarding(time_env, factory, queue))
        written.append(await _record_reclaim(time_env, factory, queue))
        written.extend(await _record_reviews(time_env, factory, queue))
    # The real dev server for tiering: the cycle abandons its children (see tests/workflows/test_tiering.py).
    async with run_worker(local_env.client):
        written.extend(await _record_tiering(local_env.client, factory, sessions, queue))
    written.extend(await _record_notification_histories(time_env, local_env, sessions, settings))

    assert {p.stem.split(".")[0] for p in written} == {workflow_type(cls) for cls in WORKFLOWS}
    replayer = Replayer(workflows=list(WORKFLOWS), data_converter=pydantic_data_converter)
    for path in written:
        history = WorkflowHistory.from_json(path.stem, path.read_text(encoding="utf-8"))
        await replayer.replay_workflow(history, raise_on_replay_failure=True)


async def _record_notification_histories(time_env, local_env, sessions, settings) -> list[Path]:
    """The delivery workflow (dev server, real SMTP server) and the complaint's top-of-chain reminders."""
    sink = SmtpSink().start()
    try:
        mail = settings.model_copy(update={"smtp_host": "127.0.0.1", "smtp_port": sink.port})
        async with build_worker(local_env.client, sessions, settings.task_queue, mail):
            delivery = await _record_notification_delivery(local_env.client, sessions, settings.task_queue, sink.port)
    finally:
        sink.stop()
    async with build_worker(time_env.client, sessions, settings.task_queue, worker_settings(time_env.client)):
        complaint = await _record_complaint_top_reminders(time_env, Factory(sessions), settings.task_queue)
    return [delivery, complaint]


@pytest.mark.skipif(os.environ.get("CRMFLOW_RECORD_HISTORIES") != "notifications",
                    reason="set CRMFLOW_RECORD_HISTORIES=notifications to record only the notification histories")
async def test_record_notification_histories(time_env, local_env, sessions, settings) -> None:
    written = await _record_notification_histories(time_env, local_env, sessions, settings)
    replayer = Replayer(workflows=list(WORKFLOWS), data_converter=pydantic_data_converter)
    for path in written:
        history = WorkflowHistory.from_json(path.stem, path.read_text(encoding="utf-8"))
        await replayer.replay_workflow(history, raise_on_replay_failure=True)
