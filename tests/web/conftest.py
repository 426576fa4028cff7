"""The web workspace over real HTTP: one uvicorn server, worker and database per test module."""

from __future__ import annotations

import asyncio
import os
import re
import uuid
from collections.abc import AsyncIterator
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from pathlib import Path

import httpx
import pytest
import uvicorn
from sqlalchemy import func, select

from api.app import create_app
from crmflow.registry import scheduled_runs
from crmflow.schedules import sync_schedules
from crmflow.settings import Settings
from db.engine import SessionFactory, create_engine, create_session_factory
from db.migrate import upgrade
from db.models import Customer, CustomerStatus, Principal, Staff, StaffRole
from db.repositories.audit import record_audit
from db.repositories.staff import create_principal
from tests.conftest import _drop_postgres, _fresh_postgres
from crmflow.ports import free_port
from web.security import hash_password
from worker import build_worker

PASSWORD = "correct horse battery"
# Rows of this module get ids far from those of the other modules: the Temporal dev server is shared per
# test worker, and search attributes (customer, manager) must not match another module's processes.
ID_BASE = 880_000 + os.getpid() % 1000 * 100


async def _next_id(session, model) -> int:
    """Past the highest id (rows the app inserts itself follow on), and never below ID_BASE."""
    return max(ID_BASE, (await session.scalar(select(func.max(model.id))) or 0) + 1)


SCREENSHOTS = Path(__file__).resolve().parents[2] / "test-output" / "screenshots"


@dataclass
class Person:
    """Someone who signs in: their email, principal, staff record (if any) and API token."""

    email: str
    principal_id: int
    staff: Staff | None
    token: str

    @property
    def headers(self) -> dict[str, str]:
        return {"Authorization": f"Bearer {self.token}"}


@dataclass
class World:
    """Two teams: director → l1 → l2 (east) and director2 → m2 (north), plus admin, ops and service."""

    base_url: str
    sessions: SessionFactory
    settings: Settings
    people: dict[str, Person] = field(default_factory=dict)

    def __getitem__(self, who: str) -> Person:
        return self.people[who]

    async def customer(self, owner: Staff | None, **fields) -> Customer:
        fields.setdefault("name", f"Customer {uuid.uuid4().hex[:6]}")
        fields.setdefault("region", owner.region if owner else "east")
        fields.setdefault("status", CustomerStatus.ACTIVE)
        async with self.sessions() as session, session.begin():
            customer = Customer(id=await _next_id(session, Customer), owner_id=owner.id if owner else None, **fields)
            session.add(customer)
        return customer

    async def complaint(self, customer: Customer, **fields) -> dict:
        """Open a complaint the way an integration does (service token, real HTTP)."""
        body = {
            "customer_id": customer.id,
            "severity": "high",
            "category": "delivery",
            "description": "parcel <b>late</b> & damaged",
            "channel": "web",
            **fields,
        }
        async with httpx.AsyncClient(base_url=self.base_url, timeout=30) as client:
            response = await client.post("/v1/complaints", json=body, headers=self["service"].headers)
        assert response.status_code == 201, response.text
        return response.json()


async def _person(
    sessions: SessionFactory, password_hash: str, *, role: str, email: str, staff: Staff | None = None
) -> Person:
    async with sessions() as session, session.begin():
        principal, token = await create_principal(
            session, name=email.split("@")[0], role=role, staff_id=staff.id if staff else None
        )
        principal.email = email
        principal.password_hash = password_hash
    return Person(email, principal.id, staff, token)


async def _staff(
    sessions: SessionFactory, role: StaffRole, name: str, email: str, supervisor: Staff | None, region: str
) -> Staff:
    async with sessions() as session, session.begin():
        staff = Staff(
            id=await _next_id(session, Staff),
            role=role,
            name=name,
            email=email,
            region=region,
            supervisor_id=supervisor.id if supervisor else None,
        )
        session.add(staff)
    return staff


async def _wait_up(base_url: str) -> None:
    async with httpx.AsyncClient(base_url=base_url) as client:
        for _ in range(300):
            try:
                if (await client.get("/healthz")).status_code == 200:
                    return
            except httpx.TransportError:
                pass
            await asyncio.sleep(0.05)
    raise AssertionError("the web server did not come up")


@pytest.fixture(scope="module")
def web_definitions_dir() -> Path | None:
    """The definitions folder the app reads (None: the packaged one); a test module may override this fixture."""
    return None


@pytest.fixture(scope="module")
async def world(
    local_env, tmp_path_factory: pytest.TempPathFactory, web_definitions_dir: Path | None
) -> AsyncIterator[World]:
    """A migrated database of its own, a worker, and the app served by uvicorn on a free port."""
    base = os.environ.get("CRMFLOW_TEST_DATABASE_URL")
    url = (
        _fresh_postgres(base, f"web{uuid.uuid4().hex[:4]}")
        if base
        else f"sqlite:///{tmp_path_factory.mktemp('webdb') / 'crmflow.db'}"
    )
    upgrade(url)
    settings = Settings(
        database_url=url,
        task_queue=f"crmflow-web-{uuid.uuid4().hex[:8]}",
        log_json=False,
        var_dir=tmp_path_factory.mktemp("webvar"),
        web_secret="test-secret-" + uuid.uuid4().hex,
        **({"definitions_dir": web_definitions_dir} if web_definitions_dir else {}),
    )
    engine = create_engine(url)
    sessions = create_session_factory(engine)
    port = free_port()
    world = World(f"http://127.0.0.1:{port}", sessions, settings)
    password_hash = hash_password(PASSWORD)
    director = await _staff(sessions, StaffRole.DIRECTOR, "赵敏 Director", "director@web.test", None, "east")
    l1 = await _staff(sessions, StaffRole.ACCOUNT_MANAGER_L1, "Li Lei L1", "l1@web.test", director, "east")
    l2 = await _staff(sessions, StaffRole.ACCOUNT_MANAGER_L2, "Han Mei L2", "l2@web.test", l1, "east")
    director2 = await _staff(sessions, StaffRole.DIRECTOR, "Other Director", "director2@web.test", None, "north")
    m2 = await _staff(sessions, StaffRole.ACCOUNT_MANAGER_L2, "Other Manager", "m2@web.test", director2, "north")
    for who, role, staff in (
        ("director", "director", director),
        ("l1", "manager", l1),
        ("l2", "manager", l2),
        ("director2", "director", director2),
        ("m2", "manager", m2),
        ("admin", "admin", None),
        ("ops", "ops", None),
        ("service", "service", None),
    ):
        world.people[who] = await _person(sessions, password_hash, role=role, email=f"{who}@web.test", staff=staff)
    app = create_app(settings, sessions=sessions, temporal=local_env.client)
    server = uvicorn.Server(uvicorn.Config(app, host="127.0.0.1", port=port, log_level="warning", lifespan="on"))
    async with build_worker(local_env.client, sessions, settings.task_queue):
        serving = asyncio.create_task(server.serve())
        await _wait_up(world.base_url)
        try:
            yield world
        finally:
            server.should_exit = True
            await serving
    await engine.dispose()
    if base:
        _drop_postgres(url)


@pytest.fixture(scope="module")
async def schedules(world: World, local_env) -> AsyncIterator[None]:
    """The schedules, created for this module's task queue and deleted afterwards (the server is shared)."""
    await sync_schedules(local_env.client, settings=world.settings)
    yield
    for _, run in scheduled_runs():
        try:
            await local_env.client.get_schedule_handle(run.schedule_id).delete()
        except Exception:  # noqa: BLE001 - not created
            pass


def csrf_of(html: str) -> str:
    match = re.search(r'name="csrf_token" value="([^"]+)"', html)
    assert match, "no CSRF token on the page"
    return match.group(1)


async def sign_in(client: httpx.AsyncClient, person: Person, password: str = PASSWORD) -> httpx.Response:
    """Sign in over HTTP as a browser would (the sign-in form's own CSRF token included)."""
    form = await client.get("/signin")
    return await client.post(
        "/signin", data={"email": person.email, "password": password, "csrf_token": csrf_of(form.text)}
    )


async def wait_for(predicate, timeout: float = 30.0, what: str = "condition"):
    """Poll an async predicate until it returns something truthy (no fixed sleeps)."""
    loop = asyncio.get_running_loop()
    deadline = loop.time() + timeout
    while True:
        result = await predicate()
        if result:
            return result
        assert loop.time() < deadline, f"timed out waiting for {what}"
        await asyncio.sleep(0.1)


async def pool_customer(world: World, previous_owner: Staff, **fields) -> Customer:
    """A tier-2 customer reclaimed to the pool from `previous_owner` (audited like the reclaim does)."""
    customer = await world.customer(
        None,
        tier=2,
        status=CustomerStatus.POOL,
        previous_owner_id=previous_owner.id,
        reclaimed_at=datetime.now(UTC) - timedelta(days=40),
        **fields,
    )
    async with world.sessions() as session, session.begin():
        record_audit(
            session,
            actor="system:reclaim",
            action="customer.reclaimed",
            entity_type="customer",
            entity_id=customer.id,
            customer_id=customer.id,
            reason="no follow-up for 30 days",
        )
    return customer


async def principal(world: World, principal_id: int) -> Principal:
    async with world.sessions() as session:
        return await session.scalar(select(Principal).where(Principal.id == principal_id))
