"""Notifications (DESIGN §3.7, §4): my feed, read / read-all, my preferences; delivery records for ops.

Routes stay thin: rules live in crmflow.notify.service and db.repositories.notifications (the pages use them too).
"""

from __future__ import annotations

from typing import Annotated, Literal

from fastapi import APIRouter, Query, Request

from api.auth import Actor
from api.deps import AdminActor, CurrentActor, Inspector, Session, Temporal, current_definition
from api.errors import ApiError, not_found
from api.schemas.common import IdPath, IdQuery
from api.schemas.notifications import (
    DeliveryOut,
    DeliveryPageOut,
    NotificationOut,
    NotificationPage,
    PreferencesIn,
    PreferencesOut,
    ReadAllOut,
    RetryOut,
)
from crmflow.notify.render import KNOWN_KINDS
from crmflow.notify.service import (
    NotificationRuleError,
    notification_for,
    preferences_view,
    retry_delivery,
    update_preferences,
)
from db.models import DeliveryStatus, Notification, NotificationDelivery, Staff
from db.repositories.notifications import link_for, list_deliveries, list_feed, mark_all_read, mark_read, unread_count
from definitions.notifications import NotificationsDefinition

router = APIRouter(tags=["notifications"])

DeliveryStatusName = Literal["pending", "sending", "delivered", "failed", "held"]


def _staff_of(actor: Actor) -> int:
    if actor.staff_id is None:
        raise ApiError(403, "notifications belong to staff members; this principal is not linked to one")
    return actor.staff_id


def _rule(exc: NotificationRuleError) -> ApiError:
    return ApiError(exc.status, exc.message)


def _out(request: Request, notification: Notification) -> NotificationOut:
    return NotificationOut(
        id=notification.id,
        kind=notification.kind,
        subject=notification.subject,
        entity_type=notification.entity_type,
        entity_id=notification.entity_id,
        link=link_for(request.app.state.settings.public_url, notification),
        created_at=notification.created_at,
        read_at=notification.read_at,
        details=notification.details,
    )


def _delivery(delivery: NotificationDelivery, notification: Notification) -> DeliveryOut:
    return DeliveryOut(
        id=delivery.id,
        notification_id=delivery.notification_id,
        recipient_id=delivery.recipient_id,
        kind=notification.kind,
        subject=notification.subject,
        channel=delivery.channel,
        status=delivery.status,
        target=delivery.target,
        message_id=delivery.message_id,
        attempts=delivery.attempts,
        uncertain_resends=delivery.uncertain_resends,
        manual_retries=delivery.manual_retries,
        last_error=delivery.last_error,
        delivered_at=delivery.delivered_at,
        failed_at=delivery.failed_at,
        hold_until=delivery.hold_until,
        created_at=delivery.created_at,
        updated_at=delivery.updated_at,
    )


# ---- ops: delivery records (declared before /{notification_id}) -----------------------------------------


@router.get("/v1/notifications/deliveries", response_model=DeliveryPageOut, operation_id="list_notification_deliveries")
async def deliveries(
    session: Session,
    _: Inspector,
    status: Annotated[DeliveryStatusName | None, Query(description="e.g. failed")] = None,
    channel: Annotated[Literal["in_app", "email", "webhook"] | None, Query()] = None,
    notification_id: IdQuery = None,
    cursor: Annotated[str | None, Query(max_length=200)] = None,
    limit: Annotated[int, Query(ge=1, le=200)] = 50,
) -> DeliveryPageOut:
    """Delivery records, newest first (ops/admin); `status=failed` lists what needs a retry."""
    try:
        page = await list_deliveries(
            session, status=status, channel=channel, notification_id=notification_id, cursor=cursor, limit=limit
        )
    except ValueError:
        raise ApiError(400, "invalid cursor (use next_cursor from the previous page)") from None
    return DeliveryPageOut(
        items=[_delivery(d, n) for d, n in page.items],
        next_cursor=page.next_cursor,
        counts={s: page.counts.get(s, 0) for s in DeliveryStatus.ALL},
    )


@router.post(
    "/v1/notifications/deliveries/{delivery_id}/retry",
    response_model=RetryOut,
    status_code=202,
    operation_id="retry_notification_delivery",
)
async def retry(delivery_id: IdPath, request: Request, session: Session, temporal: Temporal, _: Inspector) -> RetryOut:
    """Send a failed delivery again (ops/admin); 409 unless it is failed."""
    try:
        started = await retry_delivery(
            session, temporal, delivery_id=delivery_id, task_queue=request.app.state.settings.task_queue
        )
    except NotificationRuleError as exc:
        raise _rule(exc) from None
    notification = await session.get(Notification, started.delivery.notification_id)
    assert notification is not None
    return RetryOut(delivery=_delivery(started.delivery, notification), workflow_id=started.workflow_id)


# ---- my feed ------------------------------------------------------------------------------------------


@router.get("/v1/notifications", response_model=NotificationPage, operation_id="list_my_notifications")
async def my_notifications(
    request: Request,
    session: Session,
    actor: CurrentActor,
    kind: Annotated[str | None, Query(max_length=64, description="a kind, or a family such as `complaint`")] = None,
    unread: Annotated[bool, Query(description="only unread ones")] = False,
    cursor: Annotated[str | None, Query(max_length=200)] = None,
    limit: Annotated[int, Query(ge=1, le=200)] = 50,
) -> NotificationPage:
    """My notifications: unread first, newest first; with the unread count."""
    try:
        page = await list_feed(
            session, staff_id=_staff_of(actor), kind=kind, unread_only=unread, cursor=cursor, limit=limit
        )
    except ValueError:
        raise ApiError(400, "invalid cursor (use next_cursor from the previous page)") from None
    return NotificationPage(
        items=[_out(request, n) for n in page.items], next_cursor=page.next_cursor, unread=page.unread
    )


@router.post("/v1/notifications/read-all", response_model=ReadAllOut, operation_id="read_all_my_notifications")
async def read_all(session: Session, actor: CurrentActor) -> ReadAllOut:
    """Mark every notification of mine read."""
    staff_id = _staff_of(actor)
    marked = await mark_all_read(session, staff_id=staff_id)
    await session.commit()
    return ReadAllOut(marked=marked, unread=await unread_count(session, staff_id=staff_id))


@router.get("/v1/notifications/{notification_id}", response_model=NotificationOut, operation_id="get_my_notification")
async def one(notification_id: IdPath, request: Request, session: Session, actor: CurrentActor) -> NotificationOut:
    """One notification of mine (403 for anyone else's)."""
    try:
        notification = await notification_for(session, notification_id=notification_id, staff_id=actor.staff_id)
    except NotificationRuleError as exc:
        raise _rule(exc) from None
    return _out(request, notification)


@router.post(
    "/v1/notifications/{notification_id}/read", response_model=NotificationOut, operation_id="read_my_notification"
)
async def read(notification_id: IdPath, request: Request, session: Session, actor: CurrentActor) -> NotificationOut:
    """Mark one notification of mine read (idempotent)."""
    try:
        notification = await notification_for(session, notification_id=notification_id, staff_id=actor.staff_id)
    except NotificationRuleError as exc:
        raise _rule(exc) from None
    await mark_read(session, notification=notification)
    await session.commit()
    return _out(request, notification)


# ---- preferences --------------------------------------------------------------------------------------


async def _view(request: Request, session: Session, staff_id: int) -> PreferencesOut:
    definition = await current_definition(request, NotificationsDefinition)
    view = await preferences_view(
        session, staff_id=staff_id, definition=definition, settings=request.app.state.settings, kinds=KNOWN_KINDS
    )
    return PreferencesOut.model_validate(view)


async def _put(request: Request, session: Session, staff_id: int, body: PreferencesIn) -> PreferencesOut:
    try:
        await update_preferences(
            session, staff_id=staff_id, document=body.model_dump(), settings=request.app.state.settings
        )
    except NotificationRuleError as exc:
        raise _rule(exc) from None
    except ValueError as exc:
        raise ApiError(422, str(exc)) from None
    await session.commit()
    return await _view(request, session, staff_id)


@router.get("/v1/me/preferences", response_model=PreferencesOut, operation_id="get_my_preferences")
async def my_preferences(request: Request, session: Session, actor: CurrentActor) -> PreferencesOut:
    """My language, timezone, channels per kind, quiet hours and chat webhook (defaults filled in)."""
    return await _view(request, session, _staff_of(actor))


@router.put("/v1/me/preferences", response_model=PreferencesOut, operation_id="put_my_preferences")
async def put_my_preferences(
    request: Request, session: Session, actor: CurrentActor, body: PreferencesIn
) -> PreferencesOut:
    """Replace my preferences (fields left out go back to the defaults)."""
    return await _put(request, session, _staff_of(actor), body)


async def _staff(session: Session, staff_id: int) -> int:
    if await session.get(Staff, staff_id) is None:
        raise not_found("staff member", staff_id)
    return staff_id


@router.get("/v1/staff/{staff_id}/preferences", response_model=PreferencesOut, operation_id="get_staff_preferences")
async def staff_preferences(staff_id: IdPath, request: Request, session: Session, _: AdminActor) -> PreferencesOut:
    """A staff member's notification preferences (admin)."""
    return await _view(request, session, await _staff(session, staff_id))


@router.put("/v1/staff/{staff_id}/preferences", response_model=PreferencesOut, operation_id="put_staff_preferences")
async def put_staff_preferences(
    staff_id: IdPath, request: Request, session: Session, _: AdminActor, body: PreferencesIn
) -> PreferencesOut:
    """Replace a staff member's notification preferences (admin)."""
    return await _put(request, session, await _staff(session, staff_id), body)
