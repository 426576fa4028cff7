"""Audit events and notifications, written in the caller's transaction."""

from __future__ import annotations

from typing import Any

from sqlalchemy import select
from temporalio import activity
from sqlalchemy.ext.asyncio import AsyncSession

from db.models import AuditEvent, Notification


async def find_operation(session: AsyncSession, operation_key: str) -> AuditEvent | None:
    """The audit event that recorded an already applied operation, if any."""
    return await session.scalar(select(AuditEvent).where(AuditEvent.operation_key == operation_key))


async def applied_details(session: AsyncSession, operation_key: str) -> dict[str, Any]:
    """The details an already applied operation recorded (how a retried activity returns its first result)."""
    event = await find_operation(session, operation_key)
    return (event.details or {}) if event is not None else {}


def record_audit(
    session: AsyncSession,
    *,
    actor: str,
    action: str,
    entity_type: str,
    entity_id: object,
    customer_id: int | None = None,
    workflow_id: str | None = None,
    reason: str | None = None,
    details: dict[str, Any] | None = None,
    operation_key: str | None = None,
) -> AuditEvent:
    """Add an audit event to the session (committed with the change it describes)."""
    event = AuditEvent(
        actor=actor,
        action=action,
        entity_type=entity_type,
        entity_id=str(entity_id),
        customer_id=customer_id,
        workflow_id=workflow_id,
        reason=reason,
        details=details,
        operation_key=operation_key,
    )
    session.add(event)
    return event


def record_notification(
    session: AsyncSession,
    *,
    recipient_id: int | None,
    kind: str,
    subject: str,
    entity_type: str,
    entity_id: object,
    workflow_id: str | None = None,
    details: dict[str, Any] | None = None,
    operation_key: str | None = None,
) -> Notification:
    """Add a notification to the outbox; its delivery starts once the caller's transaction commits."""
    notification = Notification(
        recipient_id=recipient_id,
        kind=kind,
        subject=subject,
        entity_type=entity_type,
        entity_id=str(entity_id),
        workflow_id=workflow_id,
        details=details,
        operation_key=operation_key,
        source_key=_activity_key(),
    )
    session.add(notification)
    # ActivitiesBase.transaction starts a delivery workflow for each of these after the commit.
    session.info.setdefault(NEW_NOTIFICATIONS, []).append(notification)
    return notification


NEW_NOTIFICATIONS = "crmflow.new_notifications"
BULK_NOTIFICATIONS = "crmflow.bulk_notifications"


def mark_bulk_notifications(session: AsyncSession) -> None:
    """Say that set-based inserts wrote notifications (with `source_key`): their deliveries start after commit."""
    session.info[BULK_NOTIFICATIONS] = True


def _activity_key() -> str | None:
    """The running activity execution (workflow / run / activity id), or None outside an activity."""
    try:
        info = activity.info()
    except RuntimeError:
        return None
    return f"{info.workflow_id}/{info.workflow_run_id}/{info.activity_id}"
