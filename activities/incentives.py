"""Incentive activities: a period's awards, computed set-based at cycle close and stored line by line."""

from __future__ import annotations

import asyncio

from temporalio import activity
from temporalio.exceptions import ApplicationError

from activities.base import DATA_ERROR, ActivitiesBase, operation_key
from db.repositories.incentives import UnknownMetric, compute_awards
from definitions.incentives import ComputeAwardsInput, ComputeAwardsResult, IncentiveDefinition
from definitions.loader import DefinitionError, load_as


class IncentiveActivities(ActivitiesBase):
    """Writes awards; run once per period and scope (a retry finds its own audit row and writes nothing)."""

    @activity.defn(name="incentives.compute_awards")
    async def compute_awards(self, data: ComputeAwardsInput) -> ComputeAwardsResult:
        """Every eligible manager's award for the period, under the pinned rules (or those in force)."""
        definition = data.definition or await self._rules_in_force()
        key = operation_key()
        async with self.once(key) as (session, applied):
            if applied:
                return ComputeAwardsResult(
                    period=data.period, rule_version=definition.rule_version, awards=0, skipped=0, total_points=0.0
                )
            try:
                run = await compute_awards(
                    session,
                    definition,
                    period=data.period,
                    start=data.period_start,
                    end=data.period_end,
                    timezone=data.timezone,
                    scope_staff_id=data.scope_staff_id,
                    computed_by=data.started_by,
                    replace=data.replace,
                    operation_key=key,
                    workflow_id=activity.info().workflow_id,
                )
            except UnknownMetric as exc:
                raise ApplicationError(str(exc), type=DATA_ERROR, non_retryable=True) from None
        return ComputeAwardsResult(
            period=data.period,
            rule_version=definition.rule_version,
            awards=run.written,
            skipped=run.skipped,
            total_points=run.total_points,
        )

    async def _rules_in_force(self) -> IncentiveDefinition:
        try:
            # A review cycle recorded before awards existed carries no rules snapshot: the file in force decides.
            return await asyncio.to_thread(load_as, self.settings.definitions_dir, IncentiveDefinition)
        except DefinitionError as exc:
            raise ApplicationError(
                f"the incentive rules cannot be loaded: {exc}", type=DATA_ERROR, non_retryable=True
            ) from None
