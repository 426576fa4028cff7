"""Quiet hours hold a normal notification and send it afterwards in a digest; a critical escalation goes at once."""

from __future__ import annotations

from datetime import datetime, timedelta
from zoneinfo import ZoneInfo

from sqlalchemy import select

from db.models import Notification, NotificationDelivery
from tests.notifications.conftest import eventually

BODY = {"category": "service", "description": "nobody called back", "channel": "phone"}


async def _email_rows(sessions, staff_id: int, kind: str) -> list[NotificationDelivery]:
    async with sessions() as session:
        return list(
            (
                await session.scalars(
                    select(NotificationDelivery)
                    .join(Notification, Notification.id == NotificationDelivery.notification_id)
                    .where(
                        Notification.recipient_id == staff_id,
                        Notification.kind == kind,
                        NotificationDelivery.channel == "email",
                    )
                )
            ).all()
        )


async def test_quiet_hours_hold_a_normal_notice_and_let_a_critical_escalation_through(
    stack, factory, smtp, sessions
) -> None:
    org = await factory.org()
    tz = ZoneInfo("Asia/Shanghai")
    now = datetime.now(tz)
    quiet = {
        "start": (now - timedelta(hours=1)).strftime("%H:%M:%S"),
        "end": (now + timedelta(seconds=12)).strftime("%H:%M:%S"),
    }
    put = await stack.http.put(
        "/v1/me/preferences",
        json={"timezone": "Asia/Shanghai", "language": "en", "quiet_hours": quiet},
        headers=org.headers("l2"),
    )
    assert put.status_code == 200, put.text
    calm = await factory.customer(owner=org.l2, name="Quiet Meadow Co")
    urgent = await factory.customer(owner=org.l2, name="Burning Barn Inc")
    for customer, severity in ((calm, "normal"), (urgent, "critical")):
        created = await stack.http.post(
            "/v1/complaints",
            json={**BODY, "severity": severity, "customer_id": customer.id},
            headers=org.headers("service"),
        )
        assert created.status_code == 201, created.text

    # The critical complaint's assignment reaches L2 during quiet hours...
    critical = await eventually(
        lambda: [m for m in smtp.to(org.l2.email) if "Burning Barn Inc" in m["Subject"]],
        what="the critical complaint mail",
    )
    assert critical[0]["X-Crmflow-Kind"] == "complaint.assigned"
    # ...while the normal one waits: held until quiet hours end, nothing sent for it yet.
    [held] = [r for r in await _email_rows(sessions, org.l2.id, "complaint.assigned") if r.status == "held"]
    assert held.hold_until is not None and held.hold_until > datetime.now(tz)
    assert not [m for m in smtp.to(org.l2.email) if "Quiet Meadow Co" in m.get_body(("plain",)).get_content()]

    # When quiet hours end, one digest carries what was held (the normal complaint among it).
    digests = await eventually(
        lambda: [m for m in smtp.to(org.l2.email) if m["X-Crmflow-Kind"] == "digest"],
        timeout=90,
        what="the digest after quiet hours",
    )
    assert len(digests) == 1
    text = digests[0].get_body(("plain",)).get_content()
    assert "Quiet Meadow Co" in text and "while you were away" in digests[0]["Subject"]
    assert "Burning Barn Inc" not in digests[0]["Subject"]

    async def all_delivered() -> bool:
        return {r.status for r in await _email_rows(sessions, org.l2.id, "complaint.assigned")} == {"delivered"}

    await eventually(all_delivered, what="the held delivery recorded as delivered by the digest")
