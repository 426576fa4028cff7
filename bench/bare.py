"""Bare Temporal workflows of the same shapes as crmflow's, the yardstick of every benchmark.

`python -m bench.bare ADDRESS TASK_QUEUE` runs their worker. Activities do no work: the bare figure is what the
engine alone costs for the shape (updates, activities, children), so the ratio shows what crmflow adds.
"""

from __future__ import annotations

import asyncio
import sys
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from datetime import timedelta

from temporalio import activity, workflow
from temporalio.client import Client
from temporalio.worker import Worker

TIMEOUT = timedelta(seconds=30)


@dataclass
class Step:
    """An update's payload and an activity's input: the case id and what happened."""

    case_id: str
    action: str


@activity.defn(name="bare.record")
def record(step: Step) -> str:
    """The write a real process would do (none here)."""
    return step.action


@workflow.defn(name="BareComplaint")
class BareComplaint:
    """Four updates (intake, acknowledge, resolve, accept), each answered after one activity."""

    def __init__(self) -> None:
        self._status = "new"
        self._opened = False

    @workflow.run
    async def run(self, case_id: str) -> str:
        await workflow.execute_activity(record, Step(case_id, "open"), start_to_close_timeout=TIMEOUT)
        self._opened = True
        self._status = "open"
        await workflow.wait_condition(lambda: self._status == "closed")
        await workflow.wait_condition(workflow.all_handlers_finished)
        return self._status

    @workflow.update
    async def intake(self, case_id: str) -> str:
        await workflow.wait_condition(lambda: self._opened)
        return self._status

    async def _step(self, action: str, status: str) -> str:
        await workflow.execute_activity(
            record, Step(workflow.info().workflow_id, action), start_to_close_timeout=TIMEOUT
        )
        self._status = status
        return status

    @workflow.update
    async def acknowledge(self) -> str:
        return await self._step("acknowledge", "in_progress")

    @workflow.update
    async def resolve(self) -> str:
        return await self._step("resolve", "resolved")

    @workflow.update
    async def accept(self) -> str:
        return await self._step("accept", "closed")


@workflow.defn(name="BareApproval")
class BareApproval:
    """An open task waiting for one decision update, which runs one activity (the decision's write)."""

    def __init__(self) -> None:
        self._decided = False

    @workflow.run
    async def run(self, task_id: str) -> str:
        await workflow.wait_condition(lambda: self._decided)
        await workflow.wait_condition(workflow.all_handlers_finished)
        return "decided"

    @workflow.update
    async def decide(self, outcome: str) -> str:
        await workflow.execute_activity(
            record, Step(workflow.info().workflow_id, outcome), start_to_close_timeout=TIMEOUT
        )
        self._decided = True
        return outcome


@workflow.defn(name="BareSelfAssessment")
class BareSelfAssessment:
    """A child per manager: one activity (create the task), then done."""

    @workflow.run
    async def run(self, manager: str) -> str:
        return await workflow.execute_activity(record, Step(manager, "task"), start_to_close_timeout=TIMEOUT)


@dataclass
class FanOut:
    """The fan-out's input: how many children, how many per run, and where the next run starts."""

    children: int
    batch: int = 200
    cursor: int = 0


@workflow.defn(name="BareFanOut")
class BareFanOut:
    """Start one child per manager, a batch per run (continue-as-new between), as the review cycle does."""

    @workflow.run
    async def run(self, data: FanOut) -> int:
        prefix = workflow.info().workflow_id
        end = min(data.children, data.cursor + data.batch)
        # All of a batch's starts in flight at once (the review cycle bounds its own at `concurrency`).
        await asyncio.gather(
            *(
                workflow.start_child_workflow(
                    BareSelfAssessment.run,
                    str(i),
                    id=f"{prefix}-{i}",
                    parent_close_policy=workflow.ParentClosePolicy.ABANDON,
                )
                for i in range(data.cursor, end)
            )
        )
        if end < data.children:
            workflow.continue_as_new(FanOut(data.children, data.batch, end))
        return end


WORKFLOWS = [BareComplaint, BareApproval, BareSelfAssessment, BareFanOut]


async def main(address: str, task_queue: str) -> None:
    client = await Client.connect(address)
    async with Worker(
        client,
        task_queue=task_queue,
        workflows=WORKFLOWS,
        activities=[record],
        activity_executor=ThreadPoolExecutor(max_workers=8),
    ):
        await asyncio.Event().wait()


if __name__ == "__main__":
    asyncio.run(main(sys.argv[1], sys.argv[2]))
