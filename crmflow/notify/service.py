"""Notification services shared by the API routes and the web pages (one set of rules for both)."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from sqlalchemy.ext.asyncio import AsyncSession
from temporalio.client import Client
from temporalio.common import WorkflowIDReusePolicy
from temporalio.exceptions import WorkflowAlreadyStartedError

from activities.base import DELIVERY_WORKFLOW, delivery_workflow_id
from crmflow.settings import Settings
from db.models import DeliveryStatus, Notification, NotificationDelivery
from db.repositories.notifications import (
    EffectivePreferences,
    get_preferences,
    reset_for_retry,
    set_preferences,
    valid_channels,
)
from definitions.notifications import DeliveryStart, NotificationsDefinition


class NotificationRuleError(Exception):
    """A request the notification rules refuse; `status` is the HTTP status it maps to."""

    def __init__(self, status: int, message: str) -> None:
        super().__init__(message)
        self.status = status
        self.message = message


def may_read(notification: Notification, staff_id: int | None) -> bool:
    """Only the recipient reads or marks a notification (not admin, not their supervisor)."""
    return staff_id is not None and notification.recipient_id == staff_id


async def notification_for(session: AsyncSession, *, notification_id: int, staff_id: int | None) -> Notification:
    """The caller's own notification; 404 when it does not exist, 403 when it is someone else's."""
    notification = await session.get(Notification, notification_id)
    if notification is None:
        raise NotificationRuleError(404, f"notification {notification_id} not found")
    if not may_read(notification, staff_id):
        raise NotificationRuleError(403, "only its recipient may read or mark a notification")
    return notification


@dataclass
class RetryStarted:
    delivery: NotificationDelivery
    workflow_id: str


async def retry_delivery(
    session: AsyncSession,
    temporal: Client,
    *,
    delivery_id: int,
    task_queue: str,
) -> RetryStarted:
    """Ops retry of a failed delivery: back to pending, then a delivery workflow for just that channel."""
    delivery = await session.get(NotificationDelivery, delivery_id)
    if delivery is None:
        raise NotificationRuleError(404, f"delivery {delivery_id} not found")
    if delivery.status != DeliveryStatus.FAILED:
        raise NotificationRuleError(409, f"only a failed delivery can be retried (this one is {delivery.status})")
    await reset_for_retry(session, delivery=delivery)
    await session.commit()
    # One workflow per retry action: a repeated POST after this one started is refused by its status above.
    notification = await session.get(Notification, delivery.notification_id)
    assert notification is not None
    workflow_id = f"{delivery_workflow_id(notification)}-retry-{delivery.id}-{delivery.manual_retries}"
    try:
        await temporal.start_workflow(
            DELIVERY_WORKFLOW,
            DeliveryStart(notification_id=delivery.notification_id, only_delivery_ids=[delivery.id]),
            id=workflow_id,
            task_queue=task_queue,
            id_reuse_policy=WorkflowIDReusePolicy.REJECT_DUPLICATE,
        )
    except WorkflowAlreadyStartedError:
        pass
    return RetryStarted(delivery=delivery, workflow_id=workflow_id)


async def preferences_view(
    session: AsyncSession,
    *,
    staff_id: int,
    definition: NotificationsDefinition,
    settings: Settings,
    kinds: list[str],
) -> dict[str, Any]:
    """A person's preferences as the API and pages show them."""
    prefs: EffectivePreferences = await get_preferences(
        session, staff_id=staff_id, definition=definition, default_timezone=settings.timezone
    )
    known = sorted(set(kinds) | set(definition.channels) | set(prefs.channels) - {"*"})
    return {
        "staff_id": staff_id,
        "language": prefs.language,
        "timezone": prefs.timezone,
        "channels": prefs.channels,
        "effective_channels": {
            kind: ["in_app", *[c for c in prefs.channels_for(kind, definition) if c != "in_app"]] for kind in known
        },
        "default_channels": definition.default_channels,
        "quiet_hours": (
            {"start": _hhmm(prefs.quiet_start), "end": _hhmm(prefs.quiet_end)}
            if prefs.quiet_start and prefs.quiet_end
            else None
        ),
        "never_held": sorted(set(definition.urgent_kinds) | set(definition.urgent_if_critical)),
        "webhook": {"url": prefs.webhook_url, "format": prefs.webhook_format or "generic"}
        if prefs.webhook_url
        else None,
        "webhook_endpoint": prefs.webhook_endpoint,
        "available_endpoints": sorted(settings.webhook_endpoints),
    }


async def update_preferences(
    session: AsyncSession,
    *,
    staff_id: int,
    document: dict[str, Any],
    settings: Settings,
) -> None:
    """Replace a person's preference document (validated shape) after checking names against this server."""
    endpoint = document.get("webhook_endpoint")
    if endpoint is not None and endpoint not in settings.webhook_endpoints:
        known = ", ".join(sorted(settings.webhook_endpoints)) or "none configured"
        raise NotificationRuleError(422, f"unknown webhook endpoint {endpoint!r} (known: {known})")
    channels = {kind: valid_channels(list(values)) for kind, values in (document.get("channels") or {}).items()}
    quiet = document.get("quiet_hours")
    webhook = document.get("webhook")
    await set_preferences(
        session,
        staff_id=staff_id,
        changes={
            "language": document.get("language"),
            "timezone": document.get("timezone"),
            "channels": channels,
            "quiet_start": quiet["start"] if quiet else None,
            "quiet_end": quiet["end"] if quiet else None,
            "webhook_url": webhook["url"] if webhook else None,
            "webhook_format": webhook["format"] if webhook else None,
            "webhook_endpoint": endpoint,
        },
    )


def _hhmm(value: Any) -> str:
    return value.strftime("%H:%M:%S" if value.second else "%H:%M")
