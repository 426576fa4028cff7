"""The task inbox and task actions over HTTP, with a probe workflow holding the tasks."""

from __future__ import annotations

import asyncio
from collections.abc import AsyncIterator
from datetime import timedelta

import pytest
from temporalio.client import WorkflowHandle

from definitions.tasks import TaskSpec
from tests.factories import Factory, Org
from tests.task_probe import approval, open_view, probe_worker, start_probe

FORM = {
    "fields": {
        "rating": {"type": "integer", "required": True, "min": 1, "max": 5},
        "summary": {"type": "string", "required": True, "min": 3, "max": 200},
        "follow_up": {"type": "boolean"},
    }
}


@pytest.fixture
async def probe(local_env, sessions, settings) -> AsyncIterator[str]:
    """A worker for the probe workflow on its own task queue (the API's worker does not know it)."""
    queue = f"{settings.task_queue}-probe"
    async with probe_worker(local_env.client, sessions, queue):
        yield queue


@pytest.fixture
async def org(factory: Factory) -> Org:
    return await factory.org()


async def open_task(local_env, queue: str, spec: TaskSpec, api) -> tuple[WorkflowHandle, int]:
    """Start a probe with one task and return its handle and the task row id."""
    handle = await start_probe(local_env.client, queue, spec)
    view = await open_view(handle, spec.task_key)
    return handle, view.task_id


async def test_inbox_per_role(api, probe, local_env, org: Org, factory: Factory) -> None:
    other_director = await factory.staff(name="Other director", role="director")
    other_manager = await factory.staff(supervisor_id=other_director.id, name="Other L2")
    other_token = await factory.token("manager", other_manager)
    _, mine = await open_task(local_env, probe, approval(org.l2.id, context={"amount": 500}), api)
    _, theirs = await open_task(local_env, probe, approval(other_manager.id, task_key="other"), api)

    async def ids(headers, **params) -> set[int]:
        response = await api.get("/v1/tasks", headers=headers, params=params)
        assert response.status_code == 200, response.text
        body = response.json()
        assert body["total"] == len(body["items"])
        return {item["id"] for item in body["items"]}

    assert await ids(org.headers("l2")) == {mine}
    assert await ids(org.headers("l1")) == set()  # not assigned to L1 ...
    assert await ids(org.headers("l1"), scope="team") == {mine}  # ... but in L1's team
    assert await ids(org.headers("director"), scope="team") == {mine}
    assert await ids({"Authorization": f"Bearer {other_token}"}) == {theirs}
    assert await ids(org.headers("ops")) == {mine, theirs}
    assert await ids(org.headers("admin"), status="open", kind="approval") == {mine, theirs}
    assert await ids(org.headers("admin"), kind="form") == set()
    assert await ids(org.headers("admin"), assignee_id=org.l2.id) == {mine}
    assert (await api.get("/v1/tasks", headers=org.headers("l2"), params={"scope": "all"})).status_code == 403
    assert (await api.get("/v1/tasks", headers=org.headers("service"))).status_code == 403
    assert (await api.get("/v1/tasks")).status_code == 401

    one = await api.get(f"/v1/tasks/{mine}", headers=org.headers("l2"))
    assert one.status_code == 200 and one.json()["context"] == {"amount": 500}
    assert one.json()["assignee_id"] == org.l2.id and one.json()["status"] == "open"
    assert (await api.get(f"/v1/tasks/{mine}", headers=org.headers("director"))).status_code == 200
    assert (await api.get(f"/v1/tasks/{theirs}", headers=org.headers("l1"))).status_code == 403
    assert (await api.get(f"/v1/tasks/{mine}", headers=org.headers("service"))).status_code == 403
    assert (await api.get("/v1/tasks/999999", headers=org.headers("admin"))).status_code == 404


async def test_decision_denials_then_one_decision(api, probe, local_env, org: Org) -> None:
    handle, task_id = await open_task(local_env, probe, approval(org.l2.id, requester_id=org.l1.id), api)
    url = f"/v1/tasks/{task_id}/decision"
    body = {"decision": "approve", "comment": "fine"}
    for who in ("l1", "director", "ops", "service"):  # supervisor without override, director, ops, service
        response = await api.post(url, headers=org.headers(who), json=body)
        assert response.status_code == 403, (who, response.text)
        assert response.json()["error"]["code"] == "forbidden"
    assert (await api.post(url, headers=org.headers("l2"), json={"decision": "maybe"})).status_code == 422
    assert (
        await api.post(f"/v1/tasks/{task_id}/complete", headers=org.headers("l2"), json={"data": {}})
    ).status_code == 422
    assert (await api.post("/v1/tasks/424242/decision", headers=org.headers("l2"), json=body)).status_code == 404

    decided = await api.post(url, headers=org.headers("l2"), json=body)
    assert decided.status_code == 200, decided.text
    assert decided.json()["status"] == "approved" and decided.json()["decided_by"] == org.l2.id
    again = await api.post(url, headers=org.headers("l2"), json=body)
    assert again.status_code == 409 and again.json()["error"]["code"] == "conflict"
    [outcome] = await handle.result()
    assert outcome.outcome == "approved"


async def test_racing_decisions_over_http_yield_exactly_one(api, probe, local_env, org: Org) -> None:
    handle, task_id = await open_task(local_env, probe, approval(org.l2.id, allow_chain_override=True), api)
    url = f"/v1/tasks/{task_id}/decision"
    responses = await asyncio.gather(
        api.post(url, headers=org.headers("l2"), json={"decision": "approve"}),
        api.post(url, headers=org.headers("l1"), json={"decision": "reject"}),
        api.post(url, headers=org.headers("director"), json={"decision": "reject"}),
    )
    codes = sorted(r.status_code for r in responses)
    assert codes == [200, 409, 409], [r.text for r in responses]
    [winner] = [r.json() for r in responses if r.status_code == 200]
    [outcome] = await handle.result()
    assert outcome.outcome == winner["status"] and outcome.decided_by == winner["decided_by"]


async def test_form_completion_is_validated(api, probe, local_env, org: Org) -> None:
    spec = TaskSpec(
        task_key="assessment",
        kind="form",
        title="Self-assessment",
        process_type="review",
        assignee_id=org.l2.id,
        form=FORM,
        due_in=timedelta(days=3),
    )
    handle, task_id = await open_task(local_env, probe, spec, api)
    url = f"/v1/tasks/{task_id}/complete"
    bad = await api.post(url, headers=org.headers("l2"), json={"data": {"rating": "five", "extra": 1}})
    assert bad.status_code == 422
    fields = {d["field"]: d["message"] for d in bad.json()["error"]["details"]}
    assert fields == {"data.rating": "must be an integer", "data.summary": "is required", "data.extra": "unknown field"}
    too_high = await api.post(url, headers=org.headers("l2"), json={"data": {"rating": 6, "summary": "ok!"}})
    assert too_high.status_code == 422 and "data.rating: must be at most 5" in too_high.json()["error"]["message"]
    assert (await api.post(url, headers=org.headers("l2"), json={})).status_code == 422
    assert (
        await api.post(f"/v1/tasks/{task_id}/decision", headers=org.headers("l2"), json={"decision": "approve"})
    ).status_code == 422
    assert (
        await api.post(url, headers=org.headers("l1"), json={"data": {"rating": 3, "summary": "x"}})
    ).status_code == 403

    data = {"rating": 4, "summary": "solid quarter", "follow_up": False}
    done = await api.post(url, headers=org.headers("l2"), json={"data": data})
    assert done.status_code == 200, done.text
    assert done.json()["status"] == "completed" and done.json()["data"] == data
    assert (await api.post(url, headers=org.headers("l2"), json={"data": data})).status_code == 409
    [outcome] = await handle.result()
    assert outcome.data == data


async def test_delegate_then_delegate_decides(api, probe, local_env, org: Org, factory: Factory) -> None:
    peer = await factory.staff(supervisor_id=org.l1.id, name="Peer")
    peer_headers = {"Authorization": f"Bearer {await factory.token('manager', peer)}"}
    _, task_id = await open_task(local_env, probe, approval(org.l2.id), api)
    url = f"/v1/tasks/{task_id}/delegate"
    assert (await api.post(url, headers=peer_headers, json={"to_staff_id": peer.id})).status_code == 403
    assert (await api.post(url, headers=org.headers("l2"), json={"to_staff_id": 999999})).status_code == 422
    assert (await api.post(url, headers=org.headers("l2"), json={"to_staff_id": org.l2.id})).status_code == 422
    delegated = await api.post(url, headers=org.headers("l2"), json={"to_staff_id": peer.id})
    assert delegated.status_code == 200 and delegated.json()["delegate_id"] == peer.id
    inbox = (await api.get("/v1/tasks", headers=peer_headers)).json()
    assert [t["id"] for t in inbox["items"]] == [task_id]
    decided = await api.post(f"/v1/tasks/{task_id}/decision", headers=peer_headers, json={"decision": "reject"})
    assert decided.status_code == 200 and decided.json()["decided_by"] == peer.id


async def test_recall_by_requester_only(api, probe, local_env, org: Org) -> None:
    handle, task_id = await open_task(local_env, probe, approval(org.l1.id, requester_id=org.l2.id), api)
    url = f"/v1/tasks/{task_id}/recall"
    assert (await api.post(url, headers=org.headers("l1"))).status_code == 403
    assert (await api.post(url, headers=org.headers("service"))).status_code == 403
    recalled = await api.post(url, headers=org.headers("l2"), json={"comment": "customer withdrew"})
    assert recalled.status_code == 200 and recalled.json()["status"] == "recalled"
    assert (await api.post(url, headers=org.headers("l2"))).status_code == 409
    [outcome] = await handle.result()
    assert outcome.outcome == "recalled"


async def test_deactivating_the_assignee_hands_the_task_up(api, probe, local_env, org: Org) -> None:
    handle, task_id = await open_task(local_env, probe, approval(org.l2.id), api)
    patched = await api.patch(f"/v1/staff/{org.l2.id}", headers=org.headers("admin"), json={"active": False})
    assert patched.status_code == 200, patched.text
    task = (await api.get(f"/v1/tasks/{task_id}", headers=org.headers("admin"))).json()
    assert task["assignee_id"] == org.l1.id and task["status"] == "open"
    assert [t["id"] for t in (await api.get("/v1/tasks", headers=org.headers("l1"))).json()["items"]] == [task_id]
    url = f"/v1/tasks/{task_id}/decision"
    # The deactivated assignee's token no longer authenticates (401), like their web session.
    assert (await api.post(url, headers=org.headers("l2"), json={"decision": "approve"})).status_code == 401
    decided = await api.post(url, headers=org.headers("l1"), json={"decision": "approve"})
    assert decided.status_code == 200, decided.text
    [outcome] = await handle.result()
    assert outcome.decided_by == org.l1.id
