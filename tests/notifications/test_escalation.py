"""Escalations that are seen: the deadline in force moves, the top of the chain is reminded until someone acts."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import select

from db.models import Notification
from tests.notifications.conftest import eventually

BODY = {"severity": "high", "category": "delivery", "description": "the order never arrived", "channel": "phone"}


async def _kinds(sessions, recipient_id: int, kind: str) -> list[Notification]:
    async with sessions() as session:
        return list(
            (
                await session.scalars(
                    select(Notification)
                    .where(Notification.recipient_id == recipient_id, Notification.kind == kind)
                    .order_by(Notification.id)
                )
            ).all()
        )


async def test_escalation_moves_the_deadline_and_the_top_is_reminded_until_someone_acts(
    stack, factory, smtp, sessions
) -> None:
    org = await factory.org()
    customer = await factory.customer(owner=org.l2, name="Delta Foods")
    created = await stack.http.post(
        "/v1/complaints", json={**BODY, "customer_id": customer.id}, headers=org.headers("service")
    )
    assert created.status_code == 201, created.text
    complaint = created.json()
    first_deadline = datetime.fromisoformat(complaint["respond_by"])
    assert complaint["original_respond_by"] == complaint["respond_by"]

    async def at_director() -> dict | None:
        got = (await stack.http.get(f"/v1/complaints/{complaint['id']}", headers=org.headers("director"))).json()
        return got if got["owner_id"] == org.director.id else None

    escalated = await eventually(at_director, what="escalation to the director")
    assert escalated["escalation_level"] == 2
    # The deadline in force is the director's window; the first one stays as history.
    assert datetime.fromisoformat(escalated["respond_by"]) > first_deadline
    assert datetime.fromisoformat(escalated["original_respond_by"]) == first_deadline
    # Every owner in the chain was told by email that it is theirs now.
    for staff in (org.l1, org.director):
        await eventually(
            lambda s=staff: [m for m in smtp.to(s.email) if m["X-Crmflow-Kind"] == "complaint.escalated"],
            what=f"the escalation mail to {staff.name}",
        )
    # Nobody above the director: they are reminded every window, by feed and by email.
    reminders = await eventually(lambda: _at_least(sessions, org.director.id, 2), what="two top reminders")
    assert all(r.details["phase"] == "respond" for r in reminders)
    await eventually(
        lambda: [m for m in smtp.to(org.director.email) if m["X-Crmflow-Kind"] == "complaint.escalation_reminder"],
        what="a reminder email",
    )
    feed = await stack.http.get("/v1/notifications", params={"kind": "complaint"}, headers=org.headers("director"))
    assert {"complaint.escalated", "complaint.escalation_reminder"} <= {n["kind"] for n in feed.json()["items"]}

    acked = await stack.http.post(
        f"/v1/complaints/{complaint['id']}/acknowledge", json={}, headers=org.headers("director")
    )
    assert acked.status_code == 200, acked.text
    status = (await stack.http.get(f"/v1/processes/complaint-{complaint['id']}", headers=org.headers("ops"))).json()
    assert status["stage"] == "in_progress"


async def _at_least(sessions, staff_id: int, count: int) -> list[Notification] | None:
    rows = await _kinds(sessions, staff_id, "complaint.escalation_reminder")
    return rows if len(rows) >= count else None
