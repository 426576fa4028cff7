"""Notifications reach people: email over a real SMTP server and signed webhooks to a real HTTP receiver."""

from __future__ import annotations

from sqlalchemy import select

from db.models import Notification, NotificationDelivery
from tests.notifications.conftest import eventually

BODY = {"severity": "high", "category": "billing", "description": "charged twice for March", "channel": "email"}


async def _complaint(stack, org, customer, **extra) -> dict:
    created = await stack.http.post(
        "/v1/complaints", json={**BODY, **extra, "customer_id": customer.id}, headers=org.headers("service"), timeout=30
    )
    assert created.status_code == 201, created.text
    return created.json()


async def test_an_escalation_reaches_the_new_owner_by_email_and_webhook(stack, factory, smtp, receiver) -> None:
    org = await factory.org()
    customer = await factory.customer(owner=org.l2, name="Acme Trading")
    complaint = await _complaint(stack, org, customer)

    mails = await eventually(
        lambda: [m for m in smtp.to(org.l1.email) if m["X-Crmflow-Kind"] == "complaint.escalated"],
        what="the escalation email to L1",
    )
    mail = mails[0]
    assert "Acme Trading" in mail["Subject"]
    text = mail.get_body(("plain",)).get_content()
    html = mail.get_body(("html",)).get_content()
    assert "Acme Trading" in text and "charged twice" in text
    assert f"https://crm.example.test/complaints/{complaint['id']}" in text and complaint["id"] in html
    assert "<html" in html and "Acme Trading" in html
    assert mail["Message-ID"].startswith("<n") and mail["Message-ID"].endswith(".email@localhost>")
    assert mail["Content-Language"] in ("zh-CN", "en")

    hooks = await eventually(
        lambda: [h for h in receiver.received if h["kind"] == "complaint.escalated"], what="the escalation webhook"
    )
    assert hooks[0]["recipient"] == "L1" and hooks[0]["key"] == hooks[0]["id"]
    assert hooks[0]["link"].endswith(complaint["id"]) and receiver.rejected == []
    # The previous owner hears that it moved on, by email too.
    await eventually(
        lambda: [m for m in smtp.to(org.l2.email) if m["X-Crmflow-Kind"] == "complaint.sla_breached"],
        what="the breach email to L2",
    )


async def _deliveries(sessions, **where) -> list[NotificationDelivery]:
    async with sessions() as session:
        query = select(NotificationDelivery).join(Notification, Notification.id == NotificationDelivery.notification_id)
        for name, value in where.items():
            column = (
                getattr(Notification, name) if name in ("kind", "recipient_id") else getattr(NotificationDelivery, name)
            )
            query = query.where(column == value)
        return list((await session.scalars(query.order_by(NotificationDelivery.id))).all())


async def test_mail_waits_while_the_smtp_server_is_down_and_arrives_once_it_is_back(
    stack, factory, smtp, sessions
) -> None:
    smtp.stop()
    org = await factory.org()
    customer = await factory.customer(owner=org.l2, name="Blue Harbour Ltd")
    await _complaint(stack, org, customer)
    # The assignment mail is retried while the server is down: attempts and the error are on the record.
    pending = await eventually(
        lambda: _pending_with_error(sessions, org.l2.id), what="a failed attempt on record", timeout=8
    )
    assert "Connect call failed" in pending.last_error
    smtp.start()
    mails = await eventually(
        lambda: [m for m in smtp.to(org.l2.email) if m["X-Crmflow-Kind"] == "complaint.assigned"],
        what="the assignment mail after the server came back",
    )
    assert len(mails) == 1 and "Blue Harbour Ltd" in mails[0]["Subject"]
    delivered = await eventually(lambda: _delivered(sessions, org.l2.id), what="the delivery record")
    assert delivered.attempts >= 2 and delivered.delivered_at is not None


async def _pending_with_error(sessions, staff_id: int) -> NotificationDelivery | None:
    rows = await _deliveries(sessions, kind="complaint.assigned", recipient_id=staff_id, channel="email")
    return next((r for r in rows if r.last_error and r.status in ("pending", "sending")), None)


async def _delivered(sessions, staff_id: int) -> NotificationDelivery | None:
    rows = await _deliveries(sessions, kind="complaint.assigned", recipient_id=staff_id, channel="email")
    return next((r for r in rows if r.status == "delivered"), None)


async def test_a_webhook_that_keeps_failing_ends_failed_and_ops_can_retry_it(
    stack, factory, receiver, sessions
) -> None:
    receiver.fail_with = 500
    org = await factory.org()
    customer = await factory.customer(owner=org.l2, name="Cedar Logistics")
    await _complaint(stack, org, customer, severity="low")

    async def failed() -> list[dict]:
        page = await stack.http.get(
            "/v1/notifications/deliveries", params={"status": "failed"}, headers=org.headers("ops")
        )
        assert page.status_code == 200, page.text
        return [d for d in page.json()["items"] if d["kind"] == "complaint.assigned" and d["channel"] == "webhook"]

    # Retries give up 10 s after the first attempt (conftest); under a loaded machine the attempts themselves lag.
    items = await eventually(failed, what="the failed webhook delivery", timeout=45)
    delivery = items[0]
    assert delivery["attempts"] >= 2 and "500" in delivery["last_error"] and delivery["failed_at"]
    metrics = await stack.http.get("/metrics", headers=org.headers("ops"))
    assert 'crmflow_notification_deliveries{channel="webhook",status="failed"} 1.0' in metrics.text

    # Only ops and admin see and retry deliveries; only failed ones can be retried.
    for who in ("l2", "director", "service"):
        assert (await stack.http.get("/v1/notifications/deliveries", headers=org.headers(who))).status_code == 403
        denied = await stack.http.post(f"/v1/notifications/deliveries/{delivery['id']}/retry", headers=org.headers(who))
        assert denied.status_code == 403 and denied.json()["error"]["code"] == "forbidden"
    assert (
        await stack.http.post("/v1/notifications/deliveries/999999/retry", headers=org.headers("ops"))
    ).status_code == 404

    receiver.fail_with = None
    retried = await stack.http.post(f"/v1/notifications/deliveries/{delivery['id']}/retry", headers=org.headers("ops"))
    assert retried.status_code == 202, retried.text
    assert retried.json()["delivery"]["status"] == "pending"
    hooks = await eventually(
        lambda: [h for h in receiver.received if h["kind"] == "complaint.assigned"], what="the retried webhook"
    )
    assert len(hooks) == 1 and hooks[0]["key"] == delivery["message_id"]
    done = await eventually(lambda: _status(sessions, delivery["id"], "delivered"), what="delivered after the retry")
    assert done.manual_retries == 1
    again = await stack.http.post(f"/v1/notifications/deliveries/{delivery['id']}/retry", headers=org.headers("ops"))
    assert again.status_code == 409
    bad = await stack.http.get("/v1/notifications/deliveries", params={"status": "lost"}, headers=org.headers("ops"))
    assert bad.status_code == 422 and "error" in bad.json()


async def _status(sessions, delivery_id: int, status: str) -> NotificationDelivery | None:
    async with sessions() as session:
        row = await session.get(NotificationDelivery, delivery_id)
        return row if row is not None and row.status == status else None
