"""Complaints over HTTP, end to end through a real worker on the local dev server."""

from __future__ import annotations

import asyncio

from sqlalchemy import func, select
from temporalio.testing import WorkflowEnvironment

from db.models import AuditEvent, Complaint

BODY = {"severity": "high", "category": "billing", "description": "charged twice", "channel": "email"}


async def _setup(factory):
    org = await factory.org()
    customer = await factory.customer(owner=org.l2)
    return org, customer


async def _create(api, org, customer, who: str = "service", **headers) -> dict:
    response = await api.post(
        "/v1/complaints", json={**BODY, "customer_id": customer.id}, headers={**org.headers(who), **headers}
    )
    assert response.status_code == 201, response.text
    return response.json()


async def test_complaint_lifecycle_create_acknowledge_resolve_accept(api, factory, sessions) -> None:
    org, customer = await _setup(factory)
    created = await _create(api, org, customer)
    assert created["status"] == created["stage"] == "open"
    assert created["owner_id"] == org.l2.id and created["escalation_level"] == 0
    assert created["respond_by"] and created["resolve_by"]
    assert created["process_id"] == f"complaint-{created['id']}"
    cid = created["id"]

    l2 = org.headers("l2")
    acked = await api.post(f"/v1/complaints/{cid}/acknowledge", json={"note": "on it"}, headers=l2)
    assert acked.status_code == 200, acked.text
    assert acked.json()["stage"] == "in_progress" and acked.json()["sla_response_met"] is True
    # The answer is the complaint as the action left it: what a read returns next (but for the time of the read).
    after_ack = (await api.get(f"/v1/complaints/{cid}", headers=l2)).json()
    assert {**acked.json(), "updated_at": None} == {**after_ack, "updated_at": None}

    resolved = await api.post(f"/v1/complaints/{cid}/resolve", json={"resolution": "refund issued"}, headers=l2)
    assert resolved.status_code == 200, resolved.text
    assert resolved.json()["stage"] == "resolved"

    accepted = await api.post(
        f"/v1/complaints/{cid}/customer-response",
        json={"accepted": True, "satisfaction": 5},
        headers=org.headers("service"),
    )
    assert accepted.status_code == 200, accepted.text
    closed = accepted.json()
    assert (closed["stage"], closed["close_reason"], closed["satisfaction"]) == ("closed", "accepted", 5)
    assert closed["sla_resolution_met"] is True and closed["resolution_seconds"] is not None
    after_accept = (await api.get(f"/v1/complaints/{cid}", headers=l2)).json()
    assert {**closed, "updated_at": None} == {**after_accept, "updated_at": None}

    fetched = await api.get(f"/v1/complaints/{cid}", headers=org.headers("ops"))
    assert fetched.status_code == 200 and fetched.json()["status"] == "closed"
    listed = await api.get(
        "/v1/complaints", params={"status": "closed", "customer_id": customer.id}, headers=org.headers("director")
    )
    assert [c["id"] for c in listed.json()["items"]] == [cid] and listed.json()["total"] == 1

    process = await api.get(f"/v1/processes/{created['process_id']}", headers=org.headers("ops"))
    assert process.status_code == 200, process.text
    assert process.json()["status"] == "completed" and process.json()["stage"] == "closed"

    async with sessions() as session:
        actions = (
            await session.scalars(select(AuditEvent.action).where(AuditEvent.entity_id == cid).order_by(AuditEvent.id))
        ).all()
    assert actions == ["complaint.opened", "complaint.acknowledged", "complaint.resolved", "complaint.accepted"]


async def test_same_idempotency_key_gives_one_complaint_and_one_process(
    api, factory, sessions, local_env: WorkflowEnvironment
) -> None:
    org, customer = await _setup(factory)
    first = await _create(api, org, customer, **{"Idempotency-Key": "ticket-42"})
    again = await api.post(
        "/v1/complaints",
        json={**BODY, "customer_id": customer.id},
        headers={**org.headers("service"), "Idempotency-Key": "ticket-42"},
    )
    assert again.status_code == 200, again.text
    assert again.json()["id"] == first["id"]

    different = await api.post(
        "/v1/complaints",
        json={**BODY, "customer_id": customer.id, "severity": "low"},
        headers={**org.headers("service"), "Idempotency-Key": "ticket-42"},
    )
    assert different.status_code == 409

    async with sessions() as session:
        assert await session.scalar(select(func.count()).select_from(Complaint)) == 1
    runs = [w async for w in local_env.client.list_workflows(f"WorkflowId = '{first['process_id']}'")]
    assert len(runs) == 1
    await local_env.client.get_workflow_handle(first["process_id"]).terminate()


async def test_action_in_the_wrong_stage_is_409(api, factory) -> None:
    org, customer = await _setup(factory)
    cid = (await _create(api, org, customer))["id"]
    l2 = org.headers("l2")
    resolve = await api.post(f"/v1/complaints/{cid}/resolve", json={"resolution": "x"}, headers=l2)
    assert resolve.status_code == 409, resolve.text
    assert "stage open" in resolve.json()["error"]["message"]
    resume = await api.post(f"/v1/complaints/{cid}/resume", headers=l2)
    assert resume.status_code == 409
    assert (await api.post(f"/v1/complaints/{cid}/acknowledge", headers=l2)).status_code == 200
    assert (await api.post(f"/v1/complaints/{cid}/acknowledge", headers=l2)).status_code == 409


async def test_wait_on_customer_then_customer_reply_resumes(api, factory) -> None:
    org, customer = await _setup(factory)
    cid = (await _create(api, org, customer))["id"]
    l1 = org.headers("l1")  # the supervisor may act on complaints of the team below
    assert (await api.post(f"/v1/complaints/{cid}/acknowledge", headers=l1)).status_code == 200
    waiting = await api.post(f"/v1/complaints/{cid}/wait-on-customer", json={"note": "need invoice"}, headers=l1)
    assert waiting.json()["stage"] == "waiting_on_customer"
    replied = await api.post(
        f"/v1/complaints/{cid}/customer-response",
        json={"accepted": False, "comment": "sent"},
        headers=org.headers("service"),
    )
    assert replied.status_code == 200, replied.text
    assert replied.json()["stage"] == "in_progress" and replied.json()["paused_seconds"] > 0
    reassigned = await api.post(f"/v1/complaints/{cid}/reassign", json={"owner_id": org.l1.id}, headers=l1)
    assert reassigned.status_code == 200 and reassigned.json()["owner_id"] == org.l1.id
    outside = await api.post(f"/v1/complaints/{cid}/reassign", json={"owner_id": org.director.id}, headers=l1)
    assert outside.status_code == 422


async def test_unknown_complaint_is_404(api, factory) -> None:
    org, _ = await _setup(factory)
    assert (await api.get("/v1/complaints/nope", headers=org.headers("admin"))).status_code == 404
    acked = await api.post(
        "/v1/complaints/00000000-0000-0000-0000-000000000000/acknowledge", headers=org.headers("admin")
    )
    assert acked.status_code == 404
    assert acked.json()["error"]["code"] == "not_found"
    assert (await api.get("/v1/processes/complaint-nope", headers=org.headers("ops"))).status_code == 404


async def test_bad_bodies_are_422_with_a_clear_message(api, factory) -> None:
    org, customer = await _setup(factory)
    service = org.headers("service")
    bad = await api.post(
        "/v1/complaints", json={**BODY, "customer_id": customer.id, "severity": "urgent"}, headers=service
    )
    assert bad.status_code == 422 and "severity" in bad.json()["error"]["message"]
    missing = await api.post("/v1/complaints", json={**BODY, "customer_id": 999999}, headers=service)
    assert missing.status_code == 422 and "customer 999999" in missing.json()["error"]["message"]
    cid = (await _create(api, org, customer))["id"]
    no_score = await api.post(f"/v1/complaints/{cid}/customer-response", json={"accepted": True}, headers=service)
    assert no_score.status_code == 422 and "satisfaction" in no_score.json()["error"]["message"]
    too_high = await api.post(
        f"/v1/complaints/{cid}/customer-response", json={"accepted": True, "satisfaction": 6}, headers=service
    )
    assert too_high.status_code == 422


async def test_authentication_and_roles(api, factory) -> None:
    org, customer = await _setup(factory)
    assert (await api.get("/v1/complaints")).status_code == 401
    assert (await api.post("/v1/complaints", json={**BODY, "customer_id": customer.id})).status_code == 401
    cid = (await _create(api, org, customer))["id"]

    ops_ack = await api.post(f"/v1/complaints/{cid}/acknowledge", headers=org.headers("ops"))
    assert ops_ack.status_code == 403
    assert (
        await api.post("/v1/complaints", json={**BODY, "customer_id": customer.id}, headers=org.headers("ops"))
    ).status_code == 403
    assert (await api.post(f"/v1/complaints/{cid}/acknowledge", headers=org.headers("service"))).status_code == 403

    # A manager of another team neither sees nor handles the complaint.
    other = await factory.staff(supervisor_id=org.l1.id)
    outsider = {"Authorization": f"Bearer {await factory.token('manager', other)}"}
    assert (await api.get(f"/v1/complaints/{cid}", headers=outsider)).status_code == 404
    assert (await api.post(f"/v1/complaints/{cid}/acknowledge", headers=outsider)).status_code == 404
    assert (await api.get("/v1/complaints", headers=outsider)).json()["items"] == []
    assert (await api.get(f"/v1/processes/complaint-{cid}", headers=outsider)).status_code == 404
    assert (
        await api.post("/v1/complaints", json={**BODY, "customer_id": customer.id}, headers=outsider)
    ).status_code == 422

    assert (await api.get(f"/v1/processes/complaint-{cid}", headers=org.headers("service"))).status_code == 403
    process = await api.get(f"/v1/processes/complaint-{cid}", headers=org.headers("l2"))
    assert process.status_code == 200, process.text
    state = process.json()["state"]
    assert state["stage"] == "open" and state["respond_by"] and state["next_escalation_at"]


async def _poll_inbox(api, headers: dict, workflow_id: str) -> dict:
    """The open task of `workflow_id` in the caller's inbox (the workflow opens it through an activity)."""
    loop = asyncio.get_running_loop()
    deadline = loop.time() + 20
    while loop.time() < deadline:
        inbox = await api.get("/v1/tasks", params={"status": "open"}, headers=headers)
        assert inbox.status_code == 200, inbox.text
        for task in inbox.json()["items"]:
            if task["workflow_id"] == workflow_id:
                return task
        await asyncio.sleep(0.05)
    raise AssertionError("the approval never reached the inbox")


async def test_compensation_approval_over_http(api, factory) -> None:
    org, customer = await _setup(factory)
    created = await _create(api, org, customer)
    cid, l2 = created["id"], org.headers("l2")
    assert (await api.post(f"/v1/complaints/{cid}/acknowledge", headers=l2)).status_code == 200
    pending = await api.post(
        f"/v1/complaints/{cid}/resolve", json={"resolution": "refund", "compensation_amount": "2500.00"}, headers=l2
    )
    assert pending.status_code == 200, pending.text
    assert pending.json()["stage"] == "pending_approval"
    # No customer response while approvers decide.
    early = await api.post(
        f"/v1/complaints/{cid}/customer-response",
        json={"accepted": True, "satisfaction": 5},
        headers=org.headers("service"),
    )
    assert early.status_code == 409

    task = await _poll_inbox(api, org.headers("l1"), created["process_id"])
    assert task["kind"] == "approval" and task["context"]["amount"] == "2500.00"
    decided = await api.post(
        f"/v1/tasks/{task['id']}/decision", json={"decision": "approve"}, headers=org.headers("l1")
    )
    assert decided.status_code == 200, decided.text

    loop = asyncio.get_running_loop()
    deadline = loop.time() + 20
    while (complaint := (await api.get(f"/v1/complaints/{cid}", headers=l2)).json())["stage"] != "resolved":
        assert loop.time() < deadline, complaint
        await asyncio.sleep(0.05)
    assert complaint["compensation_amount"] == "2500.00"
