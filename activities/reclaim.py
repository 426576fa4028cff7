"""Follow-up / reclaim activities (DESIGN §3.5): set-based warnings and reclaims, one transaction each."""

from __future__ import annotations

from temporalio import activity

from activities.base import ActivitiesBase, operation_key
from db.repositories.contacts import remind_due_contacts
from db.repositories.pool import reclaim_lapsed, warn_lapsing
from definitions.reclaim import ReclaimStepInput, ReclaimStepResult


class ReclaimActivities(ActivitiesBase):
    """The daily run's two statements-worth of work; both idempotent under retries.

    Idempotency comes from natural keys rather than the `once()` marker: warnings are unique per
    customer and clock start, reclaims only touch customers still active, and every audit row and
    notification carries an operation key derived from this activity's stable key.
    """

    @activity.defn(name="reclaim.warn")
    async def warn(self, data: ReclaimStepInput) -> ReclaimStepResult:
        """Warn owners of customers whose follow-up lapses within the warning days, and remind them of
        contacts falling due (DESIGN §3.9): both counted from the same next-contact dates.

        The reminders ride on this step rather than a new activity so the daily workflow's commands
        stay as recorded (old runs replay unchanged); their own keys keep them apart from the warnings.
        """
        key, workflow_id = operation_key(), activity.info().workflow_id
        async with self.transaction() as session:
            count = await warn_lapsing(
                session,
                definition=data.definition,
                now=data.now,
                run_key=key,
                workflow_id=workflow_id,
            )
            reminded = await remind_due_contacts(
                session,
                definition=data.definition,
                now=data.now,
                run_key=key,
                workflow_id=workflow_id,
            )
        return ReclaimStepResult(count=count, reminded=reminded)

    @activity.defn(name="reclaim.reclaim")
    async def reclaim(self, data: ReclaimStepInput) -> ReclaimStepResult:
        """Return lapsed, non-exempt customers to the public pool."""
        async with self.transaction() as session:
            count = await reclaim_lapsed(
                session,
                definition=data.definition,
                now=data.now,
                run_key=operation_key(),
                workflow_id=activity.info().workflow_id,
            )
        return ReclaimStepResult(count=count)
