"""Staff administration over HTTP: who may read and write, validation, deactivation hand-over, revoked tokens."""

from __future__ import annotations

from collections.abc import AsyncIterator

import httpx
import pytest
from sqlalchemy import select

from api.app import create_app
from crmflow.settings import Settings
from db.engine import SessionFactory
from db.models import AuditEvent, Staff, StaffRole, Task
from db.repositories.staff import revoke_principal
from crmflow.ports import free_port
from tests.factories import Factory, Org


@pytest.fixture
async def http(sessions: SessionFactory, settings: Settings) -> AsyncIterator[httpx.AsyncClient]:
    """The API without Temporal behind it (staff administration needs none)."""
    app = create_app(settings, sessions=sessions)
    async with httpx.AsyncClient(transport=httpx.ASGITransport(app=app), base_url="http://crmflow.test") as client:
        yield client


@pytest.fixture
async def org(factory: Factory) -> Org:
    return await factory.org()


def ids(response: httpx.Response) -> set[int]:
    return {item["id"] for item in response.json()["items"]}


# --- reading -------------------------------------------------------------------------------


async def test_admin_and_ops_read_everyone(http: httpx.AsyncClient, org: Org, factory: Factory) -> None:
    other = await factory.staff(StaffRole.DIRECTOR, name="Other director")
    for who in ("admin", "ops"):
        response = await http.get("/v1/staff", headers=org.headers(who))
        assert response.status_code == 200, response.text
        assert ids(response) == {org.director.id, org.l1.id, org.l2.id, other.id}
        assert response.json()["total"] == 4


async def test_directors_and_managers_read_their_subtree_only(
    http: httpx.AsyncClient, org: Org, factory: Factory
) -> None:
    other = await factory.staff(StaffRole.DIRECTOR, name="Other director")
    assert ids(await http.get("/v1/staff", headers=org.headers("director"))) == {org.director.id, org.l1.id, org.l2.id}
    assert ids(await http.get("/v1/staff", headers=org.headers("l1"))) == {org.l1.id, org.l2.id}
    assert ids(await http.get("/v1/staff", headers=org.headers("l2"))) == {org.l2.id}

    assert (await http.get(f"/v1/staff/{org.l2.id}", headers=org.headers("director"))).json()["name"] == "L2"
    for who, hidden in (("director", other.id), ("l1", org.director.id), ("l2", org.l1.id)):
        response = await http.get(f"/v1/staff/{hidden}", headers=org.headers(who))
        assert response.status_code == 404, (who, response.text)
        assert response.json()["error"]["code"] == "not_found"


async def test_list_filters_and_paging(http: httpx.AsyncClient, org: Org) -> None:
    response = await http.get("/v1/staff", params={"role": "account_manager_l2"}, headers=org.headers("admin"))
    assert ids(response) == {org.l2.id}
    response = await http.get("/v1/staff", params={"supervisor_id": org.director.id}, headers=org.headers("admin"))
    assert ids(response) == {org.l1.id}
    page = (await http.get("/v1/staff", params={"limit": 2, "offset": 2}, headers=org.headers("admin"))).json()
    assert (len(page["items"]), page["total"]) == (1, 3)
    bad = await http.get("/v1/staff", params={"role": "boss"}, headers=org.headers("admin"))
    assert bad.status_code == 422


async def test_service_and_anonymous_callers_are_refused(http: httpx.AsyncClient, org: Org) -> None:
    assert (await http.get("/v1/staff", headers=org.headers("service"))).status_code == 403
    assert (await http.get(f"/v1/staff/{org.l2.id}", headers=org.headers("service"))).status_code == 403
    assert (await http.get("/v1/staff")).status_code == 401
    assert (await http.get("/v1/staff", headers={"Authorization": "Bearer nope"})).status_code == 401


async def test_unknown_id_is_404(http: httpx.AsyncClient, org: Org) -> None:
    assert (await http.get("/v1/staff/999999", headers=org.headers("admin"))).status_code == 404
    response = await http.patch("/v1/staff/999999", json={"capacity": 3}, headers=org.headers("admin"))
    assert response.status_code == 404


# --- writing -------------------------------------------------------------------------------


async def test_admin_creates_staff_and_it_is_audited(
    http: httpx.AsyncClient, org: Org, sessions: SessionFactory
) -> None:
    body = {
        "name": "New L2",
        "email": "New.L2@Example.test",
        "role": "account_manager_l2",
        "supervisor_id": org.l1.id,
        "region": "north",
        "capacity": 30,
    }
    response = await http.post("/v1/staff", json=body, headers=org.headers("admin"))
    assert response.status_code == 201, response.text
    created = response.json()
    assert created["email"] == "new.l2@example.test"
    assert (created["supervisor_id"], created["capacity"], created["active"]) == (org.l1.id, 30, True)
    # the new L2 is now inside the L1's subtree
    assert created["id"] in ids(await http.get("/v1/staff", headers=org.headers("l1")))
    async with sessions() as session:
        event = await session.scalar(select(AuditEvent).where(AuditEvent.action == "staff.created"))
    assert event is not None and event.entity_id == str(created["id"]) and event.actor.startswith("admin:")


@pytest.mark.parametrize("who", ["ops", "director", "l1", "l2", "service"])
async def test_only_admins_write(http: httpx.AsyncClient, org: Org, who: str) -> None:
    body = {"name": "X", "email": f"x-{who}@example.test", "role": "account_manager_l2"}
    assert (await http.post("/v1/staff", json=body, headers=org.headers(who))).status_code == 403
    patch = await http.patch(f"/v1/staff/{org.l2.id}", json={"capacity": 1}, headers=org.headers(who))
    assert patch.status_code == 403


@pytest.mark.parametrize(
    ("body", "status", "message"),
    [
        ({"role": "ceo"}, 422, "role"),
        ({"capacity": -1}, 422, "capacity"),
        ({"email": "not-an-email"}, 422, "email"),
        ({"name": ""}, 422, "name"),
        ({"salary": 1}, 422, "salary"),
        ({"supervisor_id": 999999}, 422, "supervisor 999999 does not exist"),
        ({"delegate_id": 999999}, 422, "delegate 999999 does not exist"),
        ({"email": "STAFF-TAKEN@example.test"}, 409, "already exists"),
    ],
)
async def test_create_validation(
    http: httpx.AsyncClient, org: Org, factory: Factory, body: dict, status: int, message: str
) -> None:
    await factory.staff(email="staff-taken@example.test")
    full = {"name": "Someone", "email": "someone@example.test", "role": "account_manager_l2", **body}
    response = await http.post("/v1/staff", json=full, headers=org.headers("admin"))
    assert response.status_code == status, response.text
    assert message in response.json()["error"]["message"]


async def test_supervisor_cycles_are_refused(http: httpx.AsyncClient, org: Org) -> None:
    admin = org.headers("admin")
    response = await http.patch(f"/v1/staff/{org.director.id}", json={"supervisor_id": org.l2.id}, headers=admin)
    assert response.status_code == 409
    assert "cycle" in response.json()["error"]["message"]
    response = await http.patch(f"/v1/staff/{org.l1.id}", json={"supervisor_id": org.l1.id}, headers=admin)
    assert response.status_code == 409
    response = await http.patch(f"/v1/staff/{org.l1.id}", json={"delegate_id": org.l1.id}, headers=admin)
    assert response.status_code == 422


async def test_patch_changes_only_what_is_sent_and_null_clears(http: httpx.AsyncClient, org: Org) -> None:
    admin = org.headers("admin")
    response = await http.patch(
        f"/v1/staff/{org.l2.id}",
        json={"capacity": 12, "delegate_id": org.l1.id, "out_of_office_until": "2030-01-01T09:00:00+08:00"},
        headers=admin,
    )
    assert response.status_code == 200, response.text
    data = response.json()
    assert (data["capacity"], data["delegate_id"], data["name"]) == (12, org.l1.id, "L2")
    assert data["out_of_office_until"].startswith("2030-01-01T01:00:00")
    cleared = (await http.patch(f"/v1/staff/{org.l2.id}", json={"delegate_id": None}, headers=admin)).json()
    assert (cleared["delegate_id"], cleared["capacity"]) == (None, 12)
    refused = await http.patch(f"/v1/staff/{org.l2.id}", json={"name": None}, headers=admin)
    assert refused.status_code == 422 and "cannot be null" in refused.json()["error"]["message"]


async def test_deactivating_with_temporal_unreachable_moves_no_row_in_the_api_and_answers_503(
    org: Org, sessions: SessionFactory, settings: Settings
) -> None:
    # Nothing listens on that port: the hand-over process cannot be started.
    app = create_app(
        settings.model_copy(
            update={
                "temporal_address": f"127.0.0.1:{free_port()}",
                "temporal_envconfig": False,
                "temporal_deadline_seconds": 1.0,
            }
        ),
        sessions=sessions,
    )
    async with sessions() as session, session.begin():
        open_task = Task(
            workflow_id="test-handover-1",
            task_key="approval",
            process_type="complaint",
            kind="approval",
            title="Approve compensation",
            assignee_id=org.l2.id,
        )
        session.add(open_task)
    async with httpx.AsyncClient(transport=httpx.ASGITransport(app=app), base_url="http://crmflow.test") as http:
        response = await http.patch(f"/v1/staff/{org.l2.id}", json={"active": False}, headers=org.headers("admin"))
    assert response.status_code == 503, response.text
    assert response.headers["Retry-After"] and "send the same request again" in response.json()["error"]["message"]
    async with sessions() as session:
        kept = await session.get(Task, open_task.id)
        staff = await session.get(Staff, org.l2.id)
        actions = set((await session.scalars(select(AuditEvent.action))).all())
    # The deactivation stands; the row is the process's to move (a retry of the request starts the hand-over).
    assert staff.active is False and kept.assignee_id == org.l2.id
    assert "staff.deactivated" in actions and "task.handed_over" not in actions


async def test_inactive_staff_cannot_become_supervisor_or_delegate(http: httpx.AsyncClient, org: Org) -> None:
    admin = org.headers("admin")
    assert (await http.patch(f"/v1/staff/{org.l2.id}", json={"active": False}, headers=admin)).status_code == 200
    body = {"name": "Y", "email": "y@example.test", "role": "account_manager_l2", "supervisor_id": org.l2.id}
    response = await http.post("/v1/staff", json=body, headers=admin)
    assert response.status_code == 409 and "inactive" in response.json()["error"]["message"]


async def test_a_revoked_token_is_refused(http: httpx.AsyncClient, org: Org, sessions: SessionFactory) -> None:
    headers = org.headers("ops")
    assert (await http.get("/v1/staff", headers=headers)).status_code == 200
    async with sessions() as session, session.begin():
        from db.models import Principal
        from db.repositories.staff import hash_token

        principal = await session.scalar(select(Principal).where(Principal.token_hash == hash_token(org.tokens["ops"])))
        await revoke_principal(session, principal.id, actor="test")
    response = await http.get("/v1/staff", headers=headers)
    assert response.status_code == 401
    assert "revoked" in response.json()["error"]["message"]


async def test_staff_rows_match_the_database(http: httpx.AsyncClient, org: Org, sessions: SessionFactory) -> None:
    data = (await http.get(f"/v1/staff/{org.l1.id}", headers=org.headers("admin"))).json()
    async with sessions() as session:
        row = await session.get(Staff, org.l1.id)
    assert (data["email"], data["role"], data["supervisor_id"]) == (row.email, row.role, row.supervisor_id)


async def test_deactivation_hands_a_running_task_to_the_supervisor_who_can_then_decide(
    api: httpx.AsyncClient, local_env, sessions: SessionFactory, settings: Settings, org: Org
) -> None:
    from tests.task_probe import approval, open_view, probe_worker, start_probe

    queue = f"{settings.task_queue}-staff-probe"
    async with probe_worker(local_env.client, sessions, queue):
        handle = await start_probe(local_env.client, queue, approval(org.l2.id))
        task_id = (await open_view(handle)).task_id

        response = await api.patch(f"/v1/staff/{org.l2.id}", json={"active": False}, headers=org.headers("admin"))
        assert response.status_code == 200, response.text
        async with sessions() as session:
            assert (await session.get(Task, task_id)).assignee_id == org.l1.id

        body = {"decision": "approve", "comment": "handed over"}
        refused = await api.post(f"/v1/tasks/{task_id}/decision", headers=org.headers("l2"), json=body)
        # A deactivated staff member's token (like their web session) no longer authenticates at all.
        assert refused.status_code == 401, refused.text
        decided = await api.post(f"/v1/tasks/{task_id}/decision", headers=org.headers("l1"), json=body)
        assert decided.status_code == 200, decided.text
        [outcome] = await handle.result()
    assert (outcome.outcome, outcome.decided_by) == ("approved", org.l1.id)
