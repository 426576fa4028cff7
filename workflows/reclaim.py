"""Follow-up and reclaim (DESIGN §3.5, 客户公海): the daily run that warns owners, then reclaims to the pool."""

from __future__ import annotations

from datetime import date, timedelta
from typing import Any

from temporalio import workflow
from temporalio.common import RetryPolicy

from workflows.options import ActivityOptions, activity_options

with workflow.unsafe.imports_passed_through():
    from activities.reclaim import ReclaimActivities
    from crmflow.registry import ProcessSpec, ScheduledRun
    from crmflow.temporal import SA_PERIOD, SA_PROCESS_TYPE, SA_STAGE
    from definitions.base import local_date
    from definitions.reclaim import ReclaimDefinition, ReclaimInput, ReclaimResult, ReclaimStepInput
    from temporalio.client import ScheduleOverlapPolicy

PROCESS = "reclaim"
# Set-based statements over every held customer: generous, but bounded, and retried.
ACTIVITY_OPTIONS: ActivityOptions = activity_options(
    timedelta(minutes=30), RetryPolicy(maximum_interval=timedelta(minutes=5), maximum_attempts=10)
)


def workflow_id_for(run_date: date) -> str:
    """One reclaim run per day."""
    return f"{PROCESS}-{run_date.isoformat()}"


@workflow.defn
class ReclaimWorkflow:
    """Warn first (so a customer lapsing today is warned before it goes), then reclaim."""

    def __init__(self) -> None:
        self._state: dict[str, Any] = {"stage": "warning"}

    @workflow.query(name="status")
    def status(self) -> dict[str, Any]:
        return self._state

    @workflow.run
    async def run(self, data: ReclaimInput) -> ReclaimResult:
        # `now` is the workflow's clock, fixed once, so both steps (and their retries) agree on it.
        now = workflow.now()
        # The schedule fires in the company's time zone, so the run dates itself there (01:30 in Shanghai is
        # still yesterday in UTC). Versioned: runs recorded before the time zone was passed keep the UTC date.
        if data.run_date is None and data.timezone and workflow.patched("dates-in-company-timezone"):
            run_date = local_date(now, data.timezone)
        else:
            run_date = data.run_date or now.date()
        workflow.upsert_search_attributes(
            [
                SA_PROCESS_TYPE.value_set(PROCESS),
                SA_PERIOD.value_set(run_date.isoformat()),
                SA_STAGE.value_set("warning"),
            ]
        )
        self._state = {"stage": "warning", "run_date": run_date.isoformat()}
        step = ReclaimStepInput(definition=data.definition, now=now)
        warned = await workflow.execute_activity_method(ReclaimActivities.warn, step, **ACTIVITY_OPTIONS)
        self._state.update(stage="reclaiming", warned=warned.count, reminded=warned.reminded)
        workflow.upsert_search_attributes([SA_STAGE.value_set("reclaiming")])
        reclaimed = await workflow.execute_activity_method(ReclaimActivities.reclaim, step, **ACTIVITY_OPTIONS)
        self._state.update(stage="done", reclaimed=reclaimed.count)
        workflow.upsert_search_attributes([SA_STAGE.value_set("done")])
        return ReclaimResult(
            run_date=run_date, warned=warned.count, reclaimed=reclaimed.count, reminded=warned.reminded
        )


SPEC = ProcessSpec(
    name=PROCESS,
    workflows=(ReclaimWorkflow,),
    activities=(ReclaimActivities,),
    definition=ReclaimDefinition,
    schedules=(
        # BUFFER_ONE: the daily run is short and computes against "now"; if yesterday's run is still going,
        # running once right after it (not skipping a whole day) keeps warnings and reclaims on time, while
        # never piling up more than one extra run.
        ScheduledRun(
            schedule_id="reclaim-daily",
            workflow=ReclaimWorkflow,
            workflow_id="reclaim-daily",
            overlap=ScheduleOverlapPolicy.BUFFER_ONE,
            build_input=lambda definition, context: ReclaimInput(
                definition=definition, timezone=definition.schedule.timezone or context.timezone
            ),
            description="Daily follow-up warnings and reclaim to the public pool",
        ),
    ),
    timeline_kinds=("reclaim",),
    timeline_actions=frozenset({"customer.reclaimed"}),
)
