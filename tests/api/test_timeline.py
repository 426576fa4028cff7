"""GET /v1/customers/{id}/timeline: processes, tasks, decisions and changes of a customer, in order, by role."""

from __future__ import annotations

from collections.abc import AsyncIterator
from datetime import timedelta

import httpx
import pytest

from api.app import create_app
from db.models import ReclaimWarning, StaffRole, Task, TierProposal, utcnow
from db.repositories.audit import record_audit
from tests.factories import Factory, Org
from tests.task_probe import approval, open_view, probe_worker, start_probe

COMPLAINT = {"severity": "high", "category": "billing", "description": "charged twice", "channel": "email"}


@pytest.fixture
async def probe(local_env, sessions, settings) -> AsyncIterator[str]:
    """A worker for the task probe workflow (stands in for any process that opens a customer's task)."""
    queue = f"{settings.task_queue}-probe"
    async with probe_worker(local_env.client, sessions, queue):
        yield queue


async def _history(api, factory: Factory, sessions, local_env, probe: str):
    """A customer with a complaint (opened, acknowledged), a follow-up, a decided task, a proposal, a reclaim."""
    org = await factory.org()
    customer = await factory.customer(owner=org.l2)
    l2 = org.headers("l2")

    created = await api.post(
        "/v1/complaints", json={**COMPLAINT, "customer_id": customer.id}, headers=org.headers("service")
    )
    assert created.status_code == 201, created.text
    complaint = created.json()
    acked = await api.post(
        f"/v1/complaints/{complaint['id']}/acknowledge", json={"note": "calling them now"}, headers=l2
    )
    assert acked.status_code == 200, acked.text

    follow_up = await api.post(
        f"/v1/customers/{customer.id}/follow-ups", json={"channel": "phone", "note": "apologised"}, headers=l2
    )
    assert follow_up.status_code == 201, follow_up.text

    handle = await start_probe(
        local_env.client,
        probe,
        approval(org.l2.id, customer_id=customer.id, title="Approve the refund", process_type="complaint"),
    )
    task_id = (await open_view(handle)).task_id
    decided = await api.post(
        f"/v1/tasks/{task_id}/decision", json={"decision": "approve", "comment": "fair refund"}, headers=l2
    )
    assert decided.status_code == 200, decided.text
    await handle.result()

    async with sessions() as session, session.begin():
        session.add(
            TierProposal(
                cycle_id="tiering-2026-11",
                customer_id=customer.id,
                from_tier=2,
                to_tier=1,
                score=87.5,
                status="proposed",
            )
        )
    async with sessions() as session, session.begin():
        record_audit(
            session,
            actor="system:reclaim",
            action="customer.reclaimed",
            entity_type="customer",
            entity_id=customer.id,
            customer_id=customer.id,
            workflow_id="reclaim-daily",
            reason="no follow-up for 30 days (tier 2)",
        )
    return org, customer, complaint, task_id, handle.id


async def test_timeline_orders_every_source_with_who_and_why(api, factory, sessions, local_env, probe) -> None:
    org, customer, complaint, task_id, probe_id = await _history(api, factory, sessions, local_env, probe)

    response = await api.get(f"/v1/customers/{customer.id}/timeline", headers=org.headers("l2"))
    assert response.status_code == 200, response.text
    page = response.json()
    items = page["items"]
    assert page["customer_id"] == customer.id and page["has_more"] is False and page["next_offset"] is None
    assert [i["at"] for i in items] == sorted(i["at"] for i in items)  # ISO UTC strings sort like times

    def first(predicate) -> int:
        return next(n for n, item in enumerate(items) if predicate(item))

    opened = first(lambda i: i["action"] == "complaint.opened")
    acked = first(lambda i: i["kind"] == "complaint" and i["why"] == "calling them now")
    followed = first(lambda i: i["kind"] == "follow_up")
    task_opened = first(lambda i: i["action"] == "task.opened")
    approved = first(lambda i: i["action"] == "task.approved")
    proposed = first(lambda i: i["source"] == "tier_proposal")
    reclaimed = first(lambda i: i["kind"] == "reclaim")
    assert opened < acked < followed < task_opened < approved < proposed < reclaimed

    assert items[opened]["complaint_id"] == complaint["id"]
    assert items[opened]["process_id"] == complaint["process_id"]
    assert items[acked]["who"] == f"manager:staff:{org.l2.id}" and items[acked]["who_staff_id"] == org.l2.id
    decision = items[approved]
    assert (decision["task_id"], decision["process_id"]) == (task_id, probe_id)
    assert decision["who_staff_id"] == org.l2.id and decision["why"] == "fair refund"
    assert "Approve the refund" in decision["what"]
    assert items[proposed]["kind"] == "tier_change" and items[proposed]["why"] == "score 87.50"
    assert "tier 2 → 1" in items[proposed]["what"]
    assert items[reclaimed]["why"] == "no follow-up for 30 days (tier 2)"
    assert items[reclaimed]["who"] == "system:reclaim"

    # Pages are slices of the same order.
    second = await api.get(
        f"/v1/customers/{customer.id}/timeline", params={"limit": 2, "offset": 1}, headers=org.headers("ops")
    )
    assert second.status_code == 200
    assert [i["action"] for i in second.json()["items"]] == [i["action"] for i in items[1:3]]
    assert second.json()["has_more"] is True and second.json()["next_offset"] == 3


async def test_timeline_follows_the_customer_view(api, factory: Factory) -> None:
    org: Org = await factory.org()
    customer = await factory.customer(owner=org.l2)
    other_team_l2 = await factory.staff(StaffRole.ACCOUNT_MANAGER_L2)
    outsider = {"Authorization": f"Bearer {await factory.token('manager', other_team_l2)}"}
    path = f"/v1/customers/{customer.id}/timeline"

    for who in ("l2", "l1", "director", "ops", "admin"):  # owner, its supervisors, read-all roles
        response = await api.get(path, headers=org.headers(who))
        assert response.status_code == 200, (who, response.text)
    denied = await api.get(path, headers=outsider)
    assert denied.status_code == 404 and denied.json()["error"]["code"]  # existence not disclosed
    assert (await api.get(path, headers=org.headers("service"))).status_code == 403
    assert (await api.get(path)).status_code == 401
    assert (await api.get("/v1/customers/999999/timeline", headers=org.headers("ops"))).status_code == 404
    assert (await api.get(path, params={"limit": 0}, headers=org.headers("ops"))).status_code == 422


async def test_rows_without_audit_events_still_appear(sessions, settings, factory: Factory) -> None:
    """Tasks written outside a process (imports, old data) and reclaim warnings come from their rows."""
    org = await factory.org()
    customer = await factory.customer(owner=org.l2)
    start = utcnow() - timedelta(days=40)
    async with sessions() as session, session.begin():
        session.add(
            Task(
                workflow_id="legacy-1",
                task_key="approval",
                process_type="tiering",
                kind="approval",
                title="Approve tier 1",
                status="rejected",
                assignee_id=org.l2.id,
                customer_id=customer.id,
                decision="reject",
                comment="revenue is one-off",
                decided_by=org.l1.id,
                created_at=start,
                decided_at=start + timedelta(hours=2),
            )
        )
        session.add(
            ReclaimWarning(
                customer_id=customer.id,
                owner_id=org.l2.id,
                tier=2,
                clock_started_at=start,
                lapse_days=30,
                run_key="reclaim-run-1",
                created_at=start + timedelta(days=25),
            )
        )
    app = create_app(settings, sessions=sessions)
    async with httpx.AsyncClient(transport=httpx.ASGITransport(app=app), base_url="http://crmflow.test") as http:
        response = await http.get(f"/v1/customers/{customer.id}/timeline", headers=org.headers("director"))
    assert response.status_code == 200, response.text
    items = response.json()["items"]
    assert [(i["source"], i["action"]) for i in items] == [
        ("task", "task.opened"),
        ("task", "task.rejected"),
        ("reclaim_warning", "reclaim.warning"),
    ]
    rejected = items[1]
    assert (rejected["who_staff_id"], rejected["why"], rejected["process_id"]) == (
        org.l1.id,
        "revenue is one-off",
        "legacy-1",
    )
    assert items[2]["kind"] == "reclaim" and "30 days" in items[2]["what"]
