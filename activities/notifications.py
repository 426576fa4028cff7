"""Notification delivery activities (DESIGN §3.7): plan the channels, send one channel, mark a failure.

Exactly-once per channel: a delivery is committed as `sending` before the send and `delivered` right after
the receiver accepted it (before the SMTP session is even closed). A retry that finds `sending` knows an
earlier attempt died mid-send: it sends again with the same Message-ID / Idempotency-Key (receivers that
deduplicate on it see one message) and counts it in `uncertain_resends`. What remains: a worker killed in
the instant between the server's "250 OK" and that commit makes the email arrive twice, with one Message-ID.
"""

from __future__ import annotations

from datetime import datetime
from typing import Any

import structlog
from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession
from temporalio import activity
from temporalio.exceptions import ApplicationError

from activities.base import ActivitiesBase
from crmflow.notify.channels import ChannelError, OutgoingMessage, mail_domain, send_email, send_webhook
from crmflow.notify.render import format_when, render, zone
from crmflow.settings import WebhookEndpoint
from db.models import Complaint, DeliveryStatus, Notification, NotificationDelivery, Staff, utcnow
from db.repositories.notifications import EffectivePreferences, get_preferences, template_context
from db.repositories.surveys import external_context
from definitions.loader import load_as
from definitions.notifications import (
    ChannelPlan,
    DeliverInput,
    DeliverResult,
    DeliveryPlan,
    MarkFailedInput,
    NotificationsDefinition,
    PlanInput,
    RetryPlan,
    quiet_release,
)

log = structlog.get_logger(__name__)

_OPEN = (DeliveryStatus.PENDING, DeliveryStatus.SENDING, DeliveryStatus.HELD)


class NotificationActivities(ActivitiesBase):
    """Everything the delivery workflow does to the world; each activity one short transaction per step."""

    def definition(self) -> NotificationsDefinition:
        return load_as(self.settings.definitions_dir, NotificationsDefinition)

    def _webhook_for(self, prefs: EffectivePreferences) -> tuple[str, WebhookEndpoint] | None:
        """The person's own robot, else their chosen named endpoint, else the default one (settings)."""
        settings = self.settings
        if prefs.webhook_url:
            return "personal", WebhookEndpoint(
                url=prefs.webhook_url, format=prefs.webhook_format or "generic", secret=settings.webhook_secret or None
            )
        name = prefs.webhook_endpoint or settings.webhook_default
        if name and name in settings.webhook_endpoints:
            return name, settings.webhook_endpoints[name]
        return None

    @activity.defn(name="notifications.plan")
    async def plan(self, data: PlanInput) -> DeliveryPlan:
        """Create the delivery records of a notification (once) and say which to send now and which to hold."""
        definition = self.definition()
        retry = RetryPlan(**definition.retry.model_dump())
        async with self.transaction() as session:
            notification = await session.get(Notification, data.notification_id)
            if notification is not None and notification.recipient_id is None:
                return await self._plan_external(session, notification, data, retry)
            if notification is None or notification.recipient_id is None:
                return DeliveryPlan(retry=retry)
            recipient = await session.get(Staff, notification.recipient_id)
            if recipient is None:
                return DeliveryPlan(retry=retry)
            prefs = await get_preferences(
                session, staff_id=recipient.id, definition=definition, default_timezone=self.settings.timezone
            )
            existing = {
                d.channel: d
                for d in await session.scalars(
                    select(NotificationDelivery).where(NotificationDelivery.notification_id == notification.id)
                )
            }
            if not data.only_delivery_ids:
                await self._create_deliveries(session, notification, recipient, prefs, definition, existing, data.now)
            rows = (
                existing.values()
                if not data.only_delivery_ids
                else [d for d in existing.values() if d.id in data.only_delivery_ids]
            )
            plans = [
                ChannelPlan(delivery_id=d.id, channel=d.channel, hold_until=d.hold_until)
                for d in sorted(rows, key=lambda d: d.id)
                if d.status in _OPEN
            ]
            return DeliveryPlan(deliveries=plans, retry=retry)

    async def _plan_external(
        self,
        session: AsyncSession,
        notification: Notification,
        data: PlanInput,
        retry: RetryPlan,
    ) -> DeliveryPlan:
        """A message to someone outside the staff (a customer's contact, DESIGN §3.9): one email, no quiet hours."""
        address = (notification.details or {}).get("to_email")
        existing = await session.scalar(
            select(NotificationDelivery).where(
                NotificationDelivery.notification_id == notification.id, NotificationDelivery.channel == "email"
            )
        )
        if existing is None and not data.only_delivery_ids:
            if not address or not self.settings.smtp_host:
                return DeliveryPlan(retry=retry)  # no address, or email is off here: nothing to send
            existing = NotificationDelivery(
                notification_id=notification.id,
                recipient_id=None,
                channel="email",
                message_id=f"n{notification.id}.email@{mail_domain(self.settings)}",
                target=address,
                attempts=0,
                uncertain_resends=0,
                manual_retries=0,
                status=DeliveryStatus.PENDING,
            )
            session.add(existing)
            await session.flush()
        if (
            existing is None
            or existing.status not in _OPEN
            or (data.only_delivery_ids and existing.id not in data.only_delivery_ids)
        ):
            return DeliveryPlan(retry=retry)
        return DeliveryPlan(deliveries=[ChannelPlan(delivery_id=existing.id, channel="email")], retry=retry)

    async def _create_deliveries(
        self,
        session: AsyncSession,
        notification: Notification,
        recipient: Staff,
        prefs: EffectivePreferences,
        definition: NotificationsDefinition,
        existing: dict[str, NotificationDelivery],
        now: datetime,
    ) -> None:
        domain = mail_domain(self.settings)
        severity = await self._severity(session, notification)
        release = None
        if not definition.is_urgent(notification.kind, severity):
            release = quiet_release(
                now, zone(prefs.timezone, self.settings.timezone), prefs.quiet_start, prefs.quiet_end
            )
        for channel in ["in_app", *prefs.channels_for(notification.kind, definition)]:
            if channel in existing:
                continue
            target: str | None = None
            if channel == "email":
                if not self.settings.smtp_host or not recipient.email:
                    continue  # email is off here, or the person has no address
                target = recipient.email
            elif channel == "webhook":
                found = self._webhook_for(prefs)
                if found is None:
                    continue
                target = found[0]
            row = NotificationDelivery(
                notification_id=notification.id,
                recipient_id=recipient.id,
                channel=channel,
                message_id=f"n{notification.id}.{channel}@{domain}",
                target=target,
                attempts=0,
                uncertain_resends=0,
                manual_retries=0,
            )
            if channel == "in_app":
                # The feed row is the in-app message: it was delivered when the outbox committed.
                row.status, row.delivered_at = DeliveryStatus.DELIVERED, notification.created_at
            elif release is not None:
                row.status, row.hold_until = DeliveryStatus.HELD, release
                row.digest_key = f"{recipient.id}/{channel}/{release.isoformat()}"
            else:
                row.status = DeliveryStatus.PENDING
            session.add(row)
            existing[channel] = row
        await session.flush()

    async def _severity(self, session: AsyncSession, notification: Notification) -> str | None:
        severity = (notification.details or {}).get("severity")
        if severity is None and notification.entity_type == "complaint":
            complaint = await session.get(Complaint, notification.entity_id)
            severity = complaint.severity if complaint else None
        return severity

    @activity.defn(name="notifications.deliver")
    async def deliver(self, data: DeliverInput) -> DeliverResult:
        """Send one delivery (or the digest it leads) over its channel; delivered is recorded once."""
        definition = self.definition()
        async with self.transaction() as session:
            row = await session.get(NotificationDelivery, data.delivery_id, with_for_update=True)
            if row is None:
                raise ApplicationError(f"delivery {data.delivery_id} does not exist", non_retryable=True)
            if row.status in (DeliveryStatus.DELIVERED, DeliveryStatus.FAILED):
                return DeliverResult(delivery_id=row.id, status=row.status)
            group = [row]
            if row.digest_key is not None:
                group = await self._claim_digest(session, row)
                if not group:
                    return DeliverResult(delivery_id=row.id, status=row.status)  # another delivery leads
            for member in group:
                if member.status == DeliveryStatus.SENDING:
                    member.uncertain_resends += 1  # an earlier attempt died mid-send: this is a resend
                member.status = DeliveryStatus.SENDING
                member.attempts += 1
            message, endpoint = await self._message(session, row, group, definition)
            ids = [m.id for m in group]
        # Committed "sending": from here until "delivered" commits, a crash means "maybe sent".

        async def accepted() -> None:
            async with self.transaction() as session:
                await self._set(session, ids, status=DeliveryStatus.DELIVERED, delivered_at=utcnow(), last_error=None)

        try:
            if row.channel == "email":
                await send_email(self.settings, message, on_accepted=accepted)
            elif row.channel == "webhook":
                assert endpoint is not None
                await send_webhook(endpoint, message, timeout=self.settings.webhook_timeout, on_accepted=accepted)
            else:
                await accepted()
        except ChannelError as exc:
            # Surely not sent: back to pending; maybe sent: stays "sending", so the retry counts as a resend.
            # Either way Temporal retries with the definition's backoff.
            status = DeliveryStatus.SENDING if exc.maybe_sent else DeliveryStatus.PENDING
            async with self.transaction() as session:
                await self._set(session, ids, status=status, last_error=str(exc)[:2000])
            log.warning("notifications.send_failed", delivery_id=row.id, channel=row.channel, error=str(exc))
            raise ApplicationError(str(exc), type="ChannelError") from exc
        log.info(
            "notifications.delivered",
            delivery_id=row.id,
            channel=row.channel,
            message_id=message.message_id,
            digest=len(group) > 1 or row.digest_key is not None,
        )
        return DeliverResult(delivery_id=row.id, status=DeliveryStatus.DELIVERED, sent=True)

    async def _claim_digest(self, session: AsyncSession, row: NotificationDelivery) -> list[NotificationDelivery]:
        """The held deliveries of one digest, claimed by the lowest delivery id among them; [] for the others."""
        if row.status == DeliveryStatus.SENDING and row.digest_leader_id not in (None, row.id):
            return []
        held = list(
            await session.scalars(
                select(NotificationDelivery)
                .where(
                    NotificationDelivery.digest_key == row.digest_key,
                    (NotificationDelivery.status == DeliveryStatus.HELD)
                    | (
                        (NotificationDelivery.status == DeliveryStatus.SENDING)
                        & (NotificationDelivery.digest_leader_id == row.id)
                    ),
                )
                .order_by(NotificationDelivery.id)
                .with_for_update()
            )
        )
        if not held or held[0].id != row.id:
            return []
        for member in held:
            member.digest_leader_id = row.id
        return held

    async def _message(
        self,
        session: AsyncSession,
        row: NotificationDelivery,
        group: list[NotificationDelivery],
        definition: NotificationsDefinition,
    ) -> tuple[OutgoingMessage, WebhookEndpoint | None]:
        notification = await session.get(Notification, row.notification_id)
        assert notification is not None
        if row.recipient_id is None:
            return await self._external_message(session, row, notification), None
        recipient = await session.get(Staff, row.recipient_id)
        if recipient is None:
            raise ApplicationError(f"staff {row.recipient_id} does not exist", non_retryable=True)
        prefs = await get_preferences(
            session, staff_id=recipient.id, definition=definition, default_timezone=self.settings.timezone
        )
        tz = zone(prefs.timezone, self.settings.timezone)
        lang = prefs.language

        def when(value: datetime | None) -> str:
            return format_when(value, tz, lang)

        context = await template_context(
            session,
            notification=notification,
            recipient=recipient,
            language=lang,
            public_url=self.settings.public_url,
            format_when=when,
        )
        kind, message_id = notification.kind, row.message_id
        if row.digest_key is not None:
            items: list[dict[str, Any]] = []
            for member in group:
                member_note = await session.get(Notification, member.notification_id)
                assert member_note is not None
                member_context = await template_context(
                    session,
                    notification=member_note,
                    recipient=recipient,
                    language=lang,
                    public_url=self.settings.public_url,
                    format_when=when,
                )
                items.append(
                    {
                        "subject": render(member_note.kind, lang, member_context).subject,
                        "deadline": member_context["deadline"],
                        "link": member_context["link"],
                    }
                )
            context = {**context, "items": items, "link": f"{self.settings.public_url.rstrip('/')}/notifications"}
            kind = "digest"
            message_id = f"digest.{row.id}.{row.channel}@{mail_domain(self.settings)}"
        rendered = render(kind, lang, context)
        endpoint = None
        if row.channel == "webhook":
            found = self._webhook_for(prefs)
            if found is None:
                raise ApplicationError("the recipient's webhook is no longer configured", type="ChannelError")
            endpoint = found[1]
        message = OutgoingMessage(
            message_id=message_id,
            kind=notification.kind if kind != "digest" else "digest",
            subject=rendered.subject,
            text=rendered.text,
            html=rendered.html,
            markdown=rendered.markdown,
            link=context["link"],
            language=lang,
            recipient_name=recipient.name,
            recipient_email=recipient.email,
            data={
                "notification_id": notification.id,
                "entity_type": notification.entity_type,
                "entity_id": notification.entity_id,
                "recipient_id": recipient.id,
                "notification_ids": [m.notification_id for m in group],
            },
        )
        return message, endpoint

    async def _external_message(
        self,
        session: AsyncSession,
        row: NotificationDelivery,
        notification: Notification,
    ) -> OutgoingMessage:
        """A message to a customer's contact, in their language; its context comes from the subject's own module."""
        context = await external_context(session, notification=notification, settings=self.settings)
        if context is None:
            raise ApplicationError(
                f"{notification.entity_type} {notification.entity_id} no longer exists", non_retryable=True
            )
        lang = context["language"]
        rendered = render(notification.kind, lang, context)
        return OutgoingMessage(
            message_id=row.message_id,
            kind=notification.kind,
            subject=rendered.subject,
            text=rendered.text,
            html=rendered.html,
            markdown=rendered.markdown,
            link=context["link"],
            language=lang,
            recipient_name=context["recipient"],
            recipient_email=row.target,
            data={
                "notification_id": notification.id,
                "entity_type": notification.entity_type,
                "entity_id": notification.entity_id,
            },
        )

    async def _set(self, session: AsyncSession, ids: list[int], **values: Any) -> None:
        for delivery_id in ids:
            member = await session.get(NotificationDelivery, delivery_id)
            if member is not None and member.status != DeliveryStatus.DELIVERED:
                for name, value in values.items():
                    setattr(member, name, value)

    @activity.defn(name="notifications.mark_failed")
    async def mark_failed(self, data: MarkFailedInput) -> DeliverResult:
        """Retries ran out: the delivery (and a digest's members) is failed, for ops to see and retry."""
        async with self.transaction() as session:
            row = await session.get(NotificationDelivery, data.delivery_id)
            if row is None:
                raise ApplicationError(f"delivery {data.delivery_id} does not exist", non_retryable=True)
            ids = [row.id]
            if row.digest_key is not None:
                ids += list(
                    await session.scalars(
                        select(NotificationDelivery.id).where(
                            NotificationDelivery.digest_leader_id == row.id, NotificationDelivery.id != row.id
                        )
                    )
                )
            # The channel's own last error says more than Temporal's "retries exhausted".
            await self._set(
                session,
                ids,
                status=DeliveryStatus.FAILED,
                failed_at=utcnow(),
                last_error=(row.last_error or data.error or "")[:2000] or None,
            )
            log.error("notifications.failed", delivery_id=row.id, channel=row.channel, error=data.error)
            return DeliverResult(delivery_id=row.id, status=DeliveryStatus.FAILED)
