"""Notifications: the in-app feed, delivery records, preferences, and what a template needs to name things.

The API routes and the web pages call these (keyword-only) functions; none of them commits.
"""

from __future__ import annotations

import base64
import json
from dataclasses import dataclass, field
from datetime import datetime, time
from typing import Any

from sqlalchemy import and_, case, func, or_, select, update
from sqlalchemy.ext.asyncio import AsyncSession

from db.models import Complaint, Customer, DeliveryStatus, Notification, NotificationDelivery, NotificationPreference
from db.models import Staff, Task, utcnow
from definitions.notifications import CHANNELS, LANGUAGES, NotificationsDefinition, parse_hhmm
from db.repositories.contacts import reminder_due_at

SEVERITY_LABELS = {
    "en": {"critical": "critical", "high": "high", "normal": "normal", "low": "low"},
    "zh-CN": {"critical": "紧急", "high": "高", "normal": "普通", "low": "低"},
}
PHASE_LABELS = {"en": {"respond": "respond to", "resolve": "resolve"}, "zh-CN": {"respond": "响应", "resolve": "解决"}}
PHASE_DONE = {"en": {"respond": "acknowledged", "resolve": "resolved"}, "zh-CN": {"respond": "响应", "resolve": "解决"}}
OUTCOME_LABELS = {
    "en": {
        "approved": "approved",
        "rejected": "rejected",
        "expired": "expired",
        "completed": "completed",
        "recalled": "recalled",
    },
    "zh-CN": {
        "approved": "已通过",
        "rejected": "被驳回",
        "expired": "已过期",
        "completed": "已完成",
        "recalled": "已撤回",
    },
}


# ---- preferences ---------------------------------------------------------------------------------


@dataclass(frozen=True)
class EffectivePreferences:
    """A person's preferences with the definition's and settings' defaults filled in."""

    staff_id: int
    language: str
    timezone: str
    channels: dict[str, list[str]]  # the person's own choices per kind (others follow the definition)
    quiet_start: time | None
    quiet_end: time | None
    webhook_url: str | None
    webhook_format: str | None
    webhook_endpoint: str | None

    def channels_for(self, kind: str, definition: NotificationsDefinition) -> list[str]:
        chosen = self.channels.get(kind) or self.channels.get("*")
        return list(chosen) if chosen is not None else definition.channels_for(kind)


async def get_preferences(
    session: AsyncSession,
    *,
    staff_id: int,
    definition: NotificationsDefinition,
    default_timezone: str,
) -> EffectivePreferences:
    """The person's effective preferences (defaults where they chose nothing)."""
    row = await session.get(NotificationPreference, staff_id)
    return EffectivePreferences(
        staff_id=staff_id,
        language=(row.language if row and row.language else definition.default_language),
        timezone=(row.timezone if row and row.timezone else default_timezone),
        channels=dict(row.channels or {}) if row else {},
        quiet_start=parse_hhmm(row.quiet_start) if row and row.quiet_start else None,
        quiet_end=parse_hhmm(row.quiet_end) if row and row.quiet_end else None,
        webhook_url=row.webhook_url if row else None,
        webhook_format=row.webhook_format if row else None,
        webhook_endpoint=row.webhook_endpoint if row else None,
    )


async def set_preferences(session: AsyncSession, *, staff_id: int, changes: dict[str, Any]) -> NotificationPreference:
    """Store the given fields (already validated by the caller); absent fields keep their value."""
    row = await session.get(NotificationPreference, staff_id)
    if row is None:
        row = NotificationPreference(staff_id=staff_id)
        session.add(row)
    for name, value in changes.items():
        setattr(row, name, value)
    await session.flush()
    return row


# ---- feed ----------------------------------------------------------------------------------------------


def encode_cursor(values: list[Any]) -> str:
    return base64.urlsafe_b64encode(json.dumps(values).encode()).decode().rstrip("=")


def decode_cursor(cursor: str) -> list[Any]:
    """The values of a cursor; ValueError when it was not made by encode_cursor."""
    try:
        values = json.loads(base64.urlsafe_b64decode(cursor + "=" * (-len(cursor) % 4)))
    except (ValueError, UnicodeDecodeError) as exc:
        raise ValueError("invalid cursor") from exc
    if not isinstance(values, list):
        raise ValueError("invalid cursor")
    return values


@dataclass
class FeedPage:
    items: list[Notification]
    next_cursor: str | None
    unread: int


async def unread_count(session: AsyncSession, *, staff_id: int) -> int:
    return (
        await session.scalar(
            select(func.count())
            .select_from(Notification)
            .where(Notification.recipient_id == staff_id, Notification.read_at.is_(None))
        )
        or 0
    )


async def list_feed(
    session: AsyncSession,
    *,
    staff_id: int,
    kind: str | None = None,
    unread_only: bool = False,
    cursor: str | None = None,
    limit: int = 50,
) -> FeedPage:
    """The person's notifications: unread first, newest first within each; keyset pagination by (read, id)."""
    is_read = case((Notification.read_at.is_(None), 0), else_=1)
    query = select(Notification).where(Notification.recipient_id == staff_id)
    if kind:
        # "complaint" matches every complaint.* kind; a full kind matches itself.
        query = query.where(or_(Notification.kind == kind, Notification.kind.like(f"{kind}.%")))
    if unread_only:
        query = query.where(Notification.read_at.is_(None))
    if cursor:
        read_flag, last_id = decode_cursor(cursor)
        if read_flag not in (0, 1) or not isinstance(last_id, int):
            raise ValueError("invalid cursor")
        query = query.where(or_(is_read > read_flag, and_(is_read == read_flag, Notification.id < last_id)))
    rows = list((await session.scalars(query.order_by(is_read, Notification.id.desc()).limit(limit + 1))).all())
    next_cursor = None
    if len(rows) > limit:
        rows = rows[:limit]
        last = rows[-1]
        next_cursor = encode_cursor([0 if last.read_at is None else 1, last.id])
    return FeedPage(items=rows, next_cursor=next_cursor, unread=await unread_count(session, staff_id=staff_id))


async def mark_read(session: AsyncSession, *, notification: Notification) -> Notification:
    if notification.read_at is None:
        notification.read_at = utcnow()
    await session.flush()
    return notification


async def mark_all_read(session: AsyncSession, *, staff_id: int) -> int:
    """Mark every unread notification of the person read; how many changed."""
    result = await session.execute(
        update(Notification)
        .where(Notification.recipient_id == staff_id, Notification.read_at.is_(None))
        .values(read_at=utcnow())
    )
    return result.rowcount or 0


# ---- deliveries ------------------------------------------------------------------------------------


@dataclass
class DeliveryPage:
    items: list[tuple[NotificationDelivery, Notification]]
    next_cursor: str | None
    counts: dict[str, int] = field(default_factory=dict)


async def list_deliveries(
    session: AsyncSession,
    *,
    status: str | None = None,
    channel: str | None = None,
    notification_id: int | None = None,
    cursor: str | None = None,
    limit: int = 50,
) -> DeliveryPage:
    """Delivery records, newest first (ops: `status=failed`)."""
    query = select(NotificationDelivery, Notification).join(
        Notification, Notification.id == NotificationDelivery.notification_id
    )
    if status:
        query = query.where(NotificationDelivery.status == status)
    if channel:
        query = query.where(NotificationDelivery.channel == channel)
    if notification_id is not None:
        query = query.where(NotificationDelivery.notification_id == notification_id)
    if cursor:
        (last_id,) = decode_cursor(cursor)
        if not isinstance(last_id, int):
            raise ValueError("invalid cursor")
        query = query.where(NotificationDelivery.id < last_id)
    rows = [tuple(r) for r in (await session.execute(query.order_by(NotificationDelivery.id.desc()).limit(limit + 1)))]
    next_cursor = None
    if len(rows) > limit:
        rows = rows[:limit]
        next_cursor = encode_cursor([rows[-1][0].id])
    counts = dict(
        (s, c)
        for s, c in await session.execute(
            select(NotificationDelivery.status, func.count()).group_by(NotificationDelivery.status)
        )
    )
    return DeliveryPage(items=rows, next_cursor=next_cursor, counts=counts)  # type: ignore[arg-type]


async def delivery_counts(session: AsyncSession) -> list[tuple[str, str, int]]:
    """(channel, status, count) of every delivery record (the metric)."""
    return [
        tuple(r)
        for r in await session.execute(  # type: ignore[misc]
            select(NotificationDelivery.channel, NotificationDelivery.status, func.count()).group_by(
                NotificationDelivery.channel, NotificationDelivery.status
            )
        )
    ]


async def reset_for_retry(session: AsyncSession, *, delivery: NotificationDelivery) -> NotificationDelivery:
    """A failed delivery back to pending for an ops retry (its Message-ID stays: it is the same message)."""
    delivery.status = DeliveryStatus.PENDING
    delivery.failed_at = None
    delivery.manual_retries += 1
    delivery.hold_until = None
    delivery.digest_key = None
    delivery.digest_leader_id = None
    await session.flush()
    return delivery


# ---- what templates name ---------------------------------------------------------------------------


def link_for(public_url: str, notification: Notification) -> str:
    """The page of the notification's subject."""
    base = public_url.rstrip("/")
    if notification.entity_type == "complaint":
        return f"{base}/complaints/{notification.entity_id}"
    if notification.entity_type == "task":
        return f"{base}/tasks/{notification.entity_id}"
    if notification.entity_type == "customer":
        return f"{base}/customers/{notification.entity_id}"
    return f"{base}/notifications"


async def _name(session: AsyncSession, staff_id: Any) -> str | None:
    if not isinstance(staff_id, int):
        return None
    staff = await session.get(Staff, staff_id)
    return staff.name if staff else None


def _when(value: Any) -> datetime | None:
    if isinstance(value, datetime):
        return value
    if isinstance(value, str):
        try:
            return datetime.fromisoformat(value)
        except ValueError:
            return None
    return None


async def template_context(
    session: AsyncSession,
    *,
    notification: Notification,
    recipient: Staff,
    language: str,
    public_url: str,
    format_when: Any,
) -> dict[str, Any]:
    """Everything a kind's template may name: customer, complaint or task, deadline (recipient's zone), link."""
    details = notification.details or {}
    lang = language if language in LANGUAGES else "en"
    customer_name: str | None = None
    complaint: dict[str, Any] | None = None
    task: dict[str, Any] | None = None
    deadline: datetime | None = None
    phase = details.get("phase") or "respond"
    if notification.entity_type == "complaint":
        row = await session.get(Complaint, notification.entity_id)
        if row is not None:
            customer = await session.get(Customer, row.customer_id)
            customer_name = customer.name if customer else None
            description = (row.description or "").strip()
            complaint = {
                "severity": row.severity,
                "severity_label": SEVERITY_LABELS[lang].get(row.severity, row.severity),
                "category": row.category,
                "status": row.status,
                "description": description[:140] + ("…" if len(description) > 140 else ""),
            }
            if "phase" not in details:
                phase = "respond" if row.status == "open" else "resolve"
            deadline = row.respond_by if phase == "respond" else row.resolve_by
    elif notification.entity_type == "task":
        row_task = await session.get(Task, int(notification.entity_id)) if notification.entity_id.isdigit() else None
        if row_task is not None:
            task = {"title": row_task.title, "kind": row_task.kind, "status": row_task.status}
            deadline = row_task.due_at
            if row_task.customer_id is not None:
                customer = await session.get(Customer, row_task.customer_id)
                customer_name = customer.name if customer else None
    elif notification.entity_type == "customer" and notification.entity_id.isdigit():
        customer = await session.get(Customer, int(notification.entity_id))
        customer_name = customer.name if customer else None
        if notification.kind == "contact.reminder":  # the next-contact date it reminded of (set-based rows)
            deadline = await reminder_due_at(session, notification.operation_key)
    # The deadline the step itself recorded wins (e.g. the new window of an escalation, a reminder's due date).
    for key in ("deadline", "respond_by" if phase == "respond" else "resolve_by", "due_at"):
        if _when(details.get(key)) is not None:
            deadline = _when(details.get(key))
            break
    other_id = next(
        (
            details.get(k)
            for k in ("previous_owner_id", "from", "to", "decided_by", "assignee_id")
            if isinstance(details.get(k), int) and details.get(k) != recipient.id
        ),
        None,
    )
    if notification.kind == "complaint.escalated":
        other_id = details.get("previous_owner_id")
    elif notification.kind in ("complaint.sla_breached", "complaint.director_alert"):
        other_id = details.get("owner_id") if details.get("owner_id") != recipient.id else None
    outcome = notification.kind.rsplit(".", 1)[-1].removeprefix("compensation_")
    fraction = details.get("fraction")
    return {
        "recipient": recipient.name,
        "customer": customer_name,
        "complaint": complaint
        or {"severity_label": "", "category": "", "description": "", "severity": "", "status": ""},
        "task": task,
        "deadline": format_when(deadline),
        "deadline_at": deadline,
        "phase": phase,
        "phase_label": PHASE_LABELS[lang].get(phase, phase),
        "phase_done": PHASE_DONE[lang].get(phase, phase),
        "level": details.get("escalation_level", ""),
        "fraction": int(float(fraction) * 100) if fraction is not None else "",
        "other": await _name(session, other_id),
        "outcome": outcome,
        "outcome_label": OUTCOME_LABELS[lang].get(outcome, outcome),
        "amount": details.get("amount"),
        "subject": notification.subject,
        "subject_zh": None,
        "link": link_for(public_url, notification),
        "items": [],
    }


def valid_channels(values: list[str]) -> list[str]:
    """Channels named in a preference, checked (ValueError names the unknown one)."""
    unknown = [v for v in values if v not in CHANNELS]
    if unknown:
        raise ValueError(f"unknown channel {unknown[0]!r} (known: {', '.join(CHANNELS)})")
    return list(dict.fromkeys(values))
