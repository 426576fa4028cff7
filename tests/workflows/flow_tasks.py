"""Find a process's human tasks in the database, whichever workflow takes their decisions (tests' helpers)."""

from __future__ import annotations

import asyncio

from sqlalchemy import select

from db.models import Task


async def wait_for_open_task(sessions, workflow_id: str, *, level: int | None = None, kind: str = "approval",
                             exclude: set[int] | None = None) -> Task:
    """Poll until the process `workflow_id` has an open task of `kind` (at escalation `level`); activities run in
    real time while the test server skips timers."""
    deadline = asyncio.get_running_loop().time() + 20
    while True:
        async with sessions() as session:
            query = select(Task).where(Task.workflow_id == workflow_id, Task.status == "open", Task.kind == kind)
            if level is not None:
                query = query.where(Task.escalation_level == level)
            found = [t for t in (await session.scalars(query.order_by(Task.id))).all()
                     if t.id not in (exclude or set())]
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
