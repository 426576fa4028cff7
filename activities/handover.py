"""Staff hand-over activities: find the processes holding a leaver's tasks, and send each its update."""

from __future__ import annotations

import asyncio

from temporalio import activity
from temporalio.client import WorkflowUpdateFailedError, WorkflowUpdateRPCTimeoutOrCancelledError
from temporalio.exceptions import ApplicationError
from temporalio.service import RPCError, RPCStatusCode

from activities.base import ActivitiesBase
from db.repositories.tasks import workflows_holding_open_tasks
from definitions.handover import HandOverSend, HandOverSent
from definitions.tasks import TaskActor, TaskHandOverInput, TaskUpdateResult

HAND_OVER_UPDATE = "task.hand_over"  # answered by every process through workflows/human_task.py


class HandOverActivities(ActivitiesBase):
    """Reads the task rows; the rows themselves are moved by each owning process's own activity."""

    @activity.defn(name="handover.holders")
    async def holders(self, staff_id: int) -> list[str]:
        """Workflow ids of the processes with an open task held by or delegated to `staff_id`."""
        async with self.sessions() as session:
            return await workflows_holding_open_tasks(session, staff_id)

    @activity.defn(name="handover.send")
    async def send(self, data: HandOverSend) -> HandOverSent:
        """Send "task.hand_over" and wait for the process to move its rows; a process that does not answer
        in time fails this attempt, and the retry sends the same update id (Temporal runs it once)."""
        handle = activity.client().get_workflow_handle(data.workflow_id)
        update = TaskHandOverInput(
            staff_id=data.staff_id, actor=TaskActor(role="system", label=data.actor_label), reason=data.reason
        )
        try:
            moved = await asyncio.wait_for(
                handle.execute_update(HAND_OVER_UPDATE, update, id=data.update_id, result_type=list[TaskUpdateResult]),
                data.answer_timeout.total_seconds(),
            )
        except WorkflowUpdateFailedError as exc:
            # Refused (e.g. a process without tasks): the same update would be refused again.
            return HandOverSent(workflow_id=data.workflow_id, missed=f"refused: {exc.cause}")
        except RPCError as exc:
            if exc.status == RPCStatusCode.NOT_FOUND:  # the process has ended: nothing of it is still waiting
                return HandOverSent(workflow_id=data.workflow_id, missed=f"process closed: {exc.message}")
            raise
        except (TimeoutError, WorkflowUpdateRPCTimeoutOrCancelledError):
            raise ApplicationError(
                f"{data.workflow_id} did not take the hand-over within {data.answer_timeout.total_seconds():g}s",
                type="HandOverNotAnswered",
            ) from None
        return HandOverSent(workflow_id=data.workflow_id, moved_task_ids=[task.task_id for task in moved])
