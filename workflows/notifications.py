"""Notification delivery (DESIGN §3.7): one workflow per notification, one activity per channel.

Started by the activity that committed the notification (id `notification-<id>-<created ms>`, so a retried activity
starts nothing twice). Each channel is retried with the definition's backoff for a bounded time, then the
delivery is marked failed. Quiet hours are a durable timer: a held delivery sleeps here until they end and
then goes out in the person's digest.
"""

from __future__ import annotations

import asyncio
from datetime import timedelta
from typing import Any

from temporalio import workflow
from temporalio.common import RetryPolicy
from temporalio.exceptions import ActivityError

from workflows.options import activity_options

with workflow.unsafe.imports_passed_through():
    from activities.notifications import NotificationActivities
    from crmflow.registry import ProcessSpec
    from definitions.notifications import (
        ChannelPlan,
        DeliverInput,
        DeliveryOutcome,
        DeliveryStart,
        MarkFailedInput,
        NotificationsDefinition,
        PlanInput,
        RetryPlan,
    )

DB_TIMEOUT = timedelta(seconds=30)
# Plan and mark_failed only touch the database: retrying them until the database is back is safe.
DB_RETRY = RetryPolicy(initial_interval=timedelta(seconds=1), maximum_interval=timedelta(minutes=1))
DB_OPTIONS = activity_options(DB_TIMEOUT, DB_RETRY)


@workflow.defn
class NotificationDeliveryWorkflow:
    """Deliver one notification to each of its channels, exactly once each."""

    def __init__(self) -> None:
        self._state: dict[str, Any] = {"stage": "planning", "deliveries": {}}

    @workflow.query(name="status")
    def status(self) -> dict[str, Any]:
        return self._state

    @workflow.run
    async def run(self, start: DeliveryStart) -> DeliveryOutcome:
        self._state["notification_id"] = start.notification_id
        plan = await workflow.execute_activity_method(
            NotificationActivities.plan,
            PlanInput(
                notification_id=start.notification_id, now=workflow.now(), only_delivery_ids=start.only_delivery_ids
            ),
            **DB_OPTIONS,
        )
        # Channels go out side by side: a slow mail server does not delay the chat message.
        self._state.update(
            stage="delivering", deliveries={str(item.delivery_id): item.channel for item in plan.deliveries}
        )
        statuses = await asyncio.gather(*(self._deliver(item, plan.retry) for item in plan.deliveries))
        self._state["stage"] = "done"
        return DeliveryOutcome(
            notification_id=start.notification_id,
            statuses={item.delivery_id: status for item, status in zip(plan.deliveries, statuses)},
        )

    async def _deliver(self, item: ChannelPlan, retry: RetryPlan) -> str:
        if item.channel == "in_app":
            return "delivered"  # the feed row itself
        if item.hold_until is not None:
            wait = (item.hold_until - workflow.now()).total_seconds()
            if wait > 0:
                await workflow.sleep(wait)  # quiet hours: a durable timer, then the digest
        try:
            result = await workflow.execute_activity_method(
                NotificationActivities.deliver,
                DeliverInput(delivery_id=item.delivery_id),
                **activity_options(
                    retry.send_timeout,
                    RetryPolicy(
                        initial_interval=retry.initial_interval,
                        backoff_coefficient=retry.backoff,
                        maximum_interval=retry.maximum_interval,
                    ),
                    # The whole retry span is bounded: after it the delivery is failed and shows to ops.
                    schedule_to_close=retry.give_up_after,
                ),
            )
            return result.status
        except ActivityError as exc:
            cause = exc.cause
            error = getattr(cause, "message", None) or str(cause or exc)
            failed = await workflow.execute_activity_method(
                NotificationActivities.mark_failed,
                MarkFailedInput(delivery_id=item.delivery_id, error=error),
                **DB_OPTIONS,
            )
            return failed.status


SPEC = ProcessSpec(
    name="notifications",
    workflows=(NotificationDeliveryWorkflow,),
    activities=(NotificationActivities,),
    definition=NotificationsDefinition,
    process_types=("notification",),
    timeline_kinds=("notification",),
)
