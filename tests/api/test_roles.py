"""Role × endpoint matrix (DESIGN §2): who may read and do what, denials checked as carefully as grants."""

from __future__ import annotations

from collections.abc import AsyncIterator
from dataclasses import dataclass, field
from typing import Any

import pytest

from db.models import StaffRole
from tests.factories import Factory
from tests.task_probe import approval, open_view, probe_worker, start_probe

ROLES = ("admin", "ops", "service", "director", "l1", "l2", "other", "none")
HUMANS = ("admin", "ops", "director", "l1", "l2", "other")
DENIED = (403, 404)  # outside one's view: refused, or not disclosed at all


@dataclass
class Case:
    """One endpoint and the status each role must get (roles left out are not checked)."""

    method: str
    path: str
    expect: dict[str, int | tuple[int, ...]]
    json: dict[str, Any] | None = None
    params: dict[str, Any] = field(default_factory=dict)


def expect(**by_role: int | tuple[int, ...]) -> dict[str, int | tuple[int, ...]]:
    return by_role


def each(roles: tuple[str, ...], status: int | tuple[int, ...]) -> dict[str, int | tuple[int, ...]]:
    return {role: status for role in roles}


@pytest.fixture
async def probe_queue(local_env, sessions, settings) -> AsyncIterator[str]:
    queue = f"{settings.task_queue}-probe"
    async with probe_worker(local_env.client, sessions, queue):
        yield queue


async def test_role_endpoint_matrix(api, local_env, probe_queue, factory: Factory) -> None:
    org = await factory.org()
    other_director = await factory.staff(StaffRole.DIRECTOR, name="Other director")
    other = await factory.staff(StaffRole.ACCOUNT_MANAGER_L2, supervisor_id=other_director.id, name="Other L2")
    tokens = dict(org.tokens, other=await factory.token("manager", other))
    ours = await factory.customer(org.l2, name="Ours Ltd")
    theirs = await factory.customer(other, name="Theirs Ltd")
    handle = await start_probe(local_env.client, probe_queue, approval(org.l2.id, requester_id=org.l1.id))
    task_id = (await open_view(handle)).task_id
    their_handle = await start_probe(local_env.client, probe_queue, approval(other.id))
    their_task = (await open_view(their_handle)).task_id

    cases = [
        Case("GET", "/healthz", each(ROLES, 200)),
        Case("GET", "/v1/definitions", {**each(ROLES, 200), "none": 401}),
        # staff: humans read (their subtree), only admin writes, service sees none
        Case("GET", "/v1/staff", {**each(HUMANS, 200), "service": 403, "none": 401}),
        Case(
            "GET",
            f"/v1/staff/{org.l2.id}",
            {**each(("admin", "ops", "director", "l1", "l2"), 200), "other": DENIED, "service": 403, "none": 401},
        ),
        Case(
            "POST",
            "/v1/staff",
            {**each(("ops", "service", "director", "l1", "l2", "other"), 403), "none": 401},
            json={"name": "New", "email": "new-matrix@example.test", "role": "account_manager_l2"},
        ),
        Case(
            "PATCH",
            f"/v1/staff/{org.l2.id}",
            {**each(("ops", "service", "director", "l1", "l2"), 403), "none": 401},
            json={"region": "west"},
        ),
        # customers: managers see their own and their subtree's; another team's customer is out of view
        Case(
            "GET",
            f"/v1/customers/{ours.id}",
            {**each(("admin", "ops", "service", "director", "l1", "l2"), 200), "other": DENIED, "none": 401},
        ),
        Case(
            "GET",
            f"/v1/customers/{theirs.id}",
            {**each(("admin", "ops", "other"), 200), **each(("director", "l1", "l2"), DENIED), "none": 401},
        ),
        Case("POST", "/v1/customers", {"ops": 403, "none": 401}, json={"name": "Matrix Co", "region": "east"}),
        # complaints: ops only read; an integration files them
        Case(
            "POST",
            "/v1/complaints",
            {"ops": 403, "none": 401},
            json={
                "customer_id": ours.id,
                "severity": "normal",
                "category": "billing",
                "description": "matrix",
                "channel": "email",
            },
        ),
        Case("GET", "/v1/complaints", {**each(("admin", "ops", "director", "l1", "l2"), 200), "none": 401}),
        # tasks: the inbox is for humans; service sees no task
        Case("GET", "/v1/tasks", {**each(HUMANS, 200), "service": 403, "none": 401}),
        Case(
            "GET",
            f"/v1/tasks/{task_id}",
            {**each(("admin", "ops", "director", "l1", "l2"), 200), "other": 403, "service": 403, "none": 401},
        ),
        Case(
            "GET",
            f"/v1/tasks/{their_task}",
            {**each(("admin", "ops", "other"), 200), **each(("director", "l1", "l2", "service"), 403)},
        ),
        Case(
            "POST",
            f"/v1/tasks/{their_task}/decision",
            each(("l2", "l1", "director", "ops", "service"), 403),
            json={"decision": "approve"},
        ),
        Case(
            "POST",
            f"/v1/tasks/{task_id}/delegate",
            each(("l1", "director", "other", "ops", "service"), 403),
            json={"to_staff_id": org.l1.id},
        ),
        Case("POST", f"/v1/tasks/{task_id}/recall", each(("l2", "director", "other", "ops", "service"), 403)),
        Case(
            "POST",
            f"/v1/tasks/{task_id}/decision",
            {**each(("ops", "service", "director", "l1", "other"), 403), "none": 401},
            json={"decision": "approve"},
        ),
        # processes: inspection is for humans
        Case("GET", f"/v1/processes/{handle.id}", {"service": 403, "none": 401}),
    ]

    mismatches: list[str] = []
    for case in cases:
        for role, wanted in case.expect.items():
            headers = {} if role == "none" else {"Authorization": f"Bearer {tokens[role]}"}
            response = await api.request(case.method, case.path, headers=headers, json=case.json, params=case.params)
            allowed = wanted if isinstance(wanted, tuple) else (wanted,)
            if response.status_code not in allowed:
                mismatches.append(
                    f"{role:8} {case.method} {case.path}: {response.status_code} (want {wanted}) {response.text[:160]}"
                )
            elif response.status_code >= 400 and role != "none" and "error" not in response.json():
                mismatches.append(f"{role:8} {case.method} {case.path}: error without the error shape")
    assert not mismatches, "\n".join(mismatches)

    # The grants the denials above protect: the assignee decides; their own team's lists stay scoped.
    decided = await api.post(f"/v1/tasks/{task_id}/decision", headers=org.headers("l2"), json={"decision": "approve"})
    assert decided.status_code == 200, decided.text
    assert (
        await api.post(f"/v1/tasks/{task_id}/decision", headers=org.headers("l2"), json={"decision": "approve"})
    ).status_code == 409
    listed = await api.get("/v1/customers", headers=org.headers("l2"))
    assert listed.status_code == 200
    assert {c["id"] for c in listed.json()["items"]} == {ours.id}
    listed = await api.get("/v1/customers", headers=org.headers("director"))
    assert {c["id"] for c in listed.json()["items"]} == {ours.id}
    listed = await api.get("/v1/customers", headers=org.headers("ops"))
    assert {c["id"] for c in listed.json()["items"]} == {ours.id, theirs.id}


async def test_revoked_and_unknown_tokens_are_refused(api, factory: Factory, sessions) -> None:
    from datetime import UTC, datetime

    from sqlalchemy import update

    from db.models import Principal
    from db.repositories.staff import forget_access, hash_token

    org = await factory.org()
    assert (await api.get("/v1/tasks", headers=org.headers("admin"))).status_code == 200
    async with sessions() as session, session.begin():
        await session.execute(
            update(Principal)
            .where(Principal.token_hash == hash_token(org.tokens["admin"]))
            .values(revoked_at=datetime.now(UTC))
        )
    forget_access()  # revoked around the repositories, as another process would: skip the cache's few seconds
    revoked = await api.get("/v1/tasks", headers=org.headers("admin"))
    assert revoked.status_code == 401 and revoked.json()["error"]["code"] == "unauthorized"
    assert (await api.get("/v1/tasks", headers={"Authorization": "Bearer not-a-token"})).status_code == 401
    assert (await api.get("/v1/tasks", headers={"Authorization": "Basic abc"})).status_code == 401
