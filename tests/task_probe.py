"""A tiny workflow that runs human tasks through HumanTaskMixin, for the task tests (workflow and API)."""

from __future__ import annotations

import asyncio
import uuid
from datetime import timedelta

from pydantic import BaseModel
from temporalio import workflow
from temporalio.client import Client, WorkflowHandle
from temporalio.worker import Worker

# The sandbox imports this module to run the probe: everything that is not workflow code passes through.
with workflow.unsafe.imports_passed_through():
    from db.engine import SessionFactory
    from definitions.tasks import TaskOutcome, TaskSpec, TaskView
    from tests.factories import worker_settings
    from worker import build_activities
    from workflows.human_task import HumanTaskMixin
    from workflows.notifications import NotificationDeliveryWorkflow


class ProbeInput(BaseModel):
    specs: list[TaskSpec]
    chain: bool = False


@workflow.defn(name="test.human_task_probe")
class ProbeWorkflow(HumanTaskMixin):
    """Runs the given tasks (one after the other, or as an approval chain) and returns their outcomes."""

    @workflow.run
    async def run(self, data: ProbeInput) -> list[TaskOutcome]:
        if data.chain:
            outcomes = [await self.run_approval_chain(data.specs)]
        else:
            outcomes = [await self.run_task(spec) for spec in data.specs]
        await workflow.wait_condition(workflow.all_handlers_finished)
        return outcomes


def probe_worker(client: Client, sessions: SessionFactory, task_queue: str) -> Worker:
    """A worker for the probe plus every real activity (the task activities among them), and the delivery
    workflow their notifications start."""
    return Worker(
        client,
        task_queue=task_queue,
        workflows=[ProbeWorkflow, NotificationDeliveryWorkflow],
        activities=build_activities(sessions, worker_settings(client)),
    )


def approval(assignee: int, **fields) -> TaskSpec:
    fields.setdefault("task_key", "approval")
    fields.setdefault("title", "Approve it")
    fields.setdefault("due_in", timedelta(hours=4))
    fields.setdefault("process_type", "test")
    return TaskSpec(kind="approval", assignee_id=assignee, **fields)


async def start_probe(client: Client, task_queue: str, *specs: TaskSpec, chain: bool = False) -> WorkflowHandle:
    return await client.start_workflow(
        ProbeWorkflow.run,
        ProbeInput(specs=list(specs), chain=chain),
        id=f"probe-{uuid.uuid4().hex[:8]}",
        task_queue=task_queue,
    )


async def open_view(handle: WorkflowHandle, task_key: str = "approval", level: int | None = None) -> TaskView:
    """Poll the workflow's task query until the task is open (and at `level`), with a deadline."""
    loop = asyncio.get_running_loop()
    deadline = loop.time() + 20
    while loop.time() < deadline:
        for view in await handle.query("task.list", result_type=list[TaskView]):
            if view.task_key == task_key and view.status == "open" and level in (None, view.escalation_level):
                return view
        await asyncio.sleep(0.05)
    raise AssertionError(f"task {task_key} never opened")
