"""Find a process's human tasks in the database, whichever workflow takes their decisions (tests' helpers)."""

from __future__ import annotations

import asyncio

from sqlalchemy import select
from temporalio.client import WorkflowHandle, WorkflowQueryFailedError
from temporalio.service import RPCError

from db.models import Task
from definitions.tasks import TaskView


async def wait_for_open_task(
    sessions, workflow_id: str, *, level: int | None = None, kind: str = "approval", exclude: set[int] | None = None
) -> Task:
    """Poll until the process `workflow_id` has an open task of `kind` (at escalation `level`); activities run in
    real time while the test server skips timers."""
    deadline = asyncio.get_running_loop().time() + 20
    while True:
        async with sessions() as session:
            query = select(Task).where(Task.workflow_id == workflow_id, Task.status == "open", Task.kind == kind)
            if level is not None:
                query = query.where(Task.escalation_level == level)
            found = [
                t for t in (await session.scalars(query.order_by(Task.id))).all() if t.id not in (exclude or set())
            ]
        if found:
            return found[0]
        assert asyncio.get_running_loop().time() < deadline, f"no open {kind} task in {workflow_id}"
        await asyncio.sleep(0.05)


async def wait_for_closed_task(sessions, task_id: int) -> Task:
    """Poll until task `task_id` is no longer open (its decision was written)."""
    deadline = asyncio.get_running_loop().time() + 20
    while True:
        async with sessions() as session:
            task = await session.get(Task, task_id)
        if task is not None and task.status != "open":
            return task
        assert asyncio.get_running_loop().time() < deadline, f"task {task_id} never closed"
        await asyncio.sleep(0.05)


def approval_handle(process: WorkflowHandle, approval_workflow_id: str) -> WorkflowHandle:
    """A handle on the approval flow a process started (same client as the process's handle)."""
    return process._client.get_workflow_handle(approval_workflow_id)


async def task_holders(handle: WorkflowHandle) -> list[WorkflowHandle]:
    """The process and, once it started one, the approval flow holding its approval's tasks (from its status)."""
    try:
        state = await handle.query("status")
    except (RPCError, WorkflowQueryFailedError):  # a just-started child may not have run its first task yet
        return [handle]
    child = state.get("approval_workflow_id") if isinstance(state, dict) else None
    return [handle, approval_handle(handle, child)] if child else [handle]


async def open_task_and_holder(
    handle: WorkflowHandle, key: str, *, level: int | None = 0
) -> tuple[TaskView, WorkflowHandle]:
    """Poll the task lists until `key` is open (at escalation `level`, any when None): its view and holder."""
    deadline = asyncio.get_running_loop().time() + 20
    while True:
        views: list[TaskView] = []
        for holder in await task_holders(handle):
            try:
                found = await holder.query("task.list", result_type=list[TaskView])
            except (RPCError, WorkflowQueryFailedError):
                continue
            views.extend(found)
            match = next(
                (v for v in found if v.task_key == key and v.status == "open" and level in (None, v.escalation_level)),
                None,
            )
            if match is not None:
                return match, holder
        assert asyncio.get_running_loop().time() < deadline, f"task {key} never opened: {views}"
        await asyncio.sleep(0.05)
