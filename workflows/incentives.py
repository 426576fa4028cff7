"""Incentives (DESIGN §3.8): a period's awards, computed at review-cycle close or on an operator's request.

The review cycle calls the `incentives.compute_awards` activity itself when its reviews are done (cycle close);
`IncentiveAwardsWorkflow` (`incentive-awards-<period>`) is the same step started by hand (API / CLI), e.g. to
recompute a period after a correction, with the rules snapshot pinned at its start.
"""

from __future__ import annotations

from datetime import timedelta
from typing import Any

from temporalio import workflow
from temporalio.common import RetryPolicy

from workflows.options import ActivityOptions, activity_options

with workflow.unsafe.imports_passed_through():
    from activities.incentives import IncentiveActivities
    from crmflow.registry import ProcessSpec
    from crmflow.temporal import SA_PERIOD, SA_PROCESS_TYPE, SA_STAGE
    from definitions.incentives import (
        ComputeAwardsInput,
        ComputeAwardsResult,
        IncentiveAwardsInput,
        IncentiveDefinition,
    )
    from definitions.review import period_bounds

PROCESS = "incentives"
# One set-based run over every manager of the period: generous, bounded, retried.
ACTIVITY_OPTIONS: ActivityOptions = activity_options(
    timedelta(minutes=30), RetryPolicy(maximum_interval=timedelta(minutes=5), maximum_attempts=10)
)


@workflow.defn
class IncentiveAwardsWorkflow:
    """Compute (or recompute) a period's awards under the rules pinned at start."""

    def __init__(self) -> None:
        self._state: dict[str, Any] = {"stage": "computing"}

    @workflow.query(name="status")
    def status(self) -> dict[str, Any]:
        return self._state

    @workflow.run
    async def run(self, data: IncentiveAwardsInput) -> ComputeAwardsResult:
        start, end = period_bounds(data.period, data.timezone)
        workflow.upsert_search_attributes(
            [
                SA_PROCESS_TYPE.value_set(PROCESS),
                SA_PERIOD.value_set(data.period),
                SA_STAGE.value_set("computing"),
            ]
        )
        self._state = {"stage": "computing", "period": data.period, "rule_version": data.definition.rule_version}
        result: ComputeAwardsResult = await workflow.execute_activity_method(
            IncentiveActivities.compute_awards,
            ComputeAwardsInput(
                period=data.period,
                period_start=start,
                period_end=end,
                timezone=data.timezone,
                scope_staff_id=data.scope_staff_id,
                definition=data.definition,
                started_by=data.started_by,
                replace=data.replace,
            ),
            **ACTIVITY_OPTIONS,
        )
        self._state.update(stage="done", awards=result.awards, skipped=result.skipped)
        workflow.upsert_search_attributes([SA_STAGE.value_set("done")])
        return result


SPEC = ProcessSpec(
    name=PROCESS,
    workflows=(IncentiveAwardsWorkflow,),
    activities=(IncentiveActivities,),
    definition=IncentiveDefinition,
    timeline_kinds=("incentive_awards", "incentive_award"),
    history_fields=frozenset({"period", "replace"}),
)
