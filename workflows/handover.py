"""Staff hand-over: a deactivated staff member's open tasks move up their chain, each through its own process.

The API only starts this process (durable as soon as Temporal accepts the start, with or without a worker);
this process sends "task.hand_over" to every process holding one of the leaver's open tasks, again and again
with backoff until each answers, and each of those moves its own row through an activity (workflows/human_task.py).
"""

from __future__ import annotations

import asyncio
from datetime import timedelta
from typing import Any

from temporalio import workflow
from temporalio.common import RetryPolicy
from temporalio.exceptions import ActivityError

from workflows.options import ActivityOptions, activity_options

with workflow.unsafe.imports_passed_through():
    from activities.handover import HandOverActivities
    from crmflow.registry import ProcessSpec
    from crmflow.temporal import SA_MANAGER_ID, SA_PROCESS_TYPE, SA_STAGE
    from definitions.handover import (
        HandOverDefinition,
        HandOverSend,
        HandOverSent,
        StaffHandOverInput,
        StaffHandOverResult,
    )

PROCESS = "handover"
_READ_OPTIONS: ActivityOptions = activity_options(
    timedelta(seconds=30), RetryPolicy(maximum_interval=timedelta(minutes=1))
)


def handover_workflow_id(staff_id: int) -> str:
    """One hand-over per staff member at a time: a second deactivation request joins the running one."""
    return f"{PROCESS}-staff-{staff_id}"


@workflow.defn
class StaffHandOverWorkflow:
    """Find the processes holding the leaver's open tasks, then hand over in each (concurrently)."""

    def __init__(self) -> None:
        self._state: dict[str, Any] = {"stage": "finding"}

    @workflow.query(name="status")
    def status(self) -> dict[str, Any]:
        return self._state

    @workflow.run
    async def run(self, data: StaffHandOverInput) -> StaffHandOverResult:
        workflow.upsert_search_attributes(
            [
                SA_PROCESS_TYPE.value_set(PROCESS),
                SA_MANAGER_ID.value_set(str(data.staff_id)),
                SA_STAGE.value_set("finding"),
            ]
        )
        self._state = {"stage": "finding", "staff_id": data.staff_id}
        holders = await workflow.execute_activity_method(HandOverActivities.holders, data.staff_id, **_READ_OPTIONS)
        self._state.update(stage="handing_over", processes=len(holders))
        workflow.upsert_search_attributes([SA_STAGE.value_set("handing_over")])
        sent = await asyncio.gather(*(self._send(data, workflow_id) for workflow_id in holders))
        self._state.update(
            stage="done",
            moved=sum(len(s.moved_task_ids) for s in sent),
            missed=[s.workflow_id for s in sent if s.missed],
        )
        workflow.upsert_search_attributes([SA_STAGE.value_set("done")])
        return StaffHandOverResult(staff_id=data.staff_id, sent=list(sent))

    async def _send(self, data: StaffHandOverInput, workflow_id: str) -> HandOverSent:
        retry = data.definition.retry
        # The update id names this hand-over run: every retry of the send is the same update to that process.
        update_id = f"{PROCESS}:{workflow.info().workflow_id}:{workflow.info().run_id}"
        try:
            return await workflow.execute_activity_method(
                HandOverActivities.send,
                HandOverSend(
                    workflow_id=workflow_id,
                    staff_id=data.staff_id,
                    actor_label=data.actor_label,
                    reason=data.definition.reason,
                    update_id=update_id,
                    answer_timeout=retry.answer_timeout,
                ),
                **activity_options(
                    # A little longer than one answer wait, so the activity reports the timeout itself.
                    retry.answer_timeout + timedelta(seconds=10),
                    RetryPolicy(initial_interval=retry.initial_interval, maximum_interval=retry.maximum_interval),
                    schedule_to_close=retry.give_up_after,
                ),
            )
        except ActivityError as exc:  # gave up after give_up_after: recorded in the result, the others go on
            return HandOverSent(workflow_id=workflow_id, missed=f"not answered: {exc.cause or exc}")


SPEC = ProcessSpec(
    name=PROCESS,
    workflows=(StaffHandOverWorkflow,),
    activities=(HandOverActivities,),
    definition=HandOverDefinition,
    process_types=(PROCESS,),
    timeline_kinds=(PROCESS,),
)
