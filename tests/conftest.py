"""Shared fixtures: a migrated database (PostgreSQL or SQLite), Temporal test servers, workers, the API."""

from __future__ import annotations

import os
import subprocess
import sys
import uuid
from collections.abc import AsyncIterator, Callable
from contextlib import asynccontextmanager
from pathlib import Path

import httpx
import psycopg
import pytest
from sqlalchemy import delete
from temporalio.api.enums.v1 import IndexedValueType
from temporalio.api.operatorservice.v1 import AddSearchAttributesRequest
from temporalio.client import Client
from temporalio.contrib.pydantic import pydantic_data_converter
from temporalio.testing import WorkflowEnvironment
from temporalio.worker import Worker

from api.app import create_app
from crmflow.binaries import temporal_cli, temporal_test_server
from crmflow.settings import Settings, get_settings
from crmflow.temporal import SEARCH_ATTRIBUTES
from db.engine import SessionFactory, create_engine, create_session_factory
from db.migrate import upgrade
from db.models import Base
from worker import build_worker
from tests.factories import TIME_SKIPPING_CLIENTS, Factory, worker_settings


def _fresh_postgres(base_url: str, worker_id: str) -> str:
    """A new database beside the one CRMFLOW_TEST_DATABASE_URL names, one per xdist worker."""
    head, _, name = base_url.rpartition("/")
    db_name = f"{name}_{worker_id}_{uuid.uuid4().hex[:6]}"
    with _admin(head) as admin:
        admin.execute(f'CREATE DATABASE "{db_name}"')
    return f"{head}/{db_name}"


def _admin(head: str) -> psycopg.Connection:
    """The server's maintenance database (psycopg takes no SQLAlchemy driver suffix)."""
    return psycopg.connect(f"{head}/postgres".replace("postgresql+psycopg", "postgresql"), autocommit=True)


def _drop_postgres(url: str) -> None:
    head, _, name = url.rpartition("/")
    with _admin(head) as admin:
        admin.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')


def _worker_id(request: pytest.FixtureRequest) -> str:
    return getattr(request.config, "workerinput", {}).get("workerid", "main")


@pytest.fixture(scope="session")
def sqlite_url(tmp_path_factory: pytest.TempPathFactory) -> str:
    """A migrated SQLite database file."""
    url = f"sqlite:///{tmp_path_factory.mktemp('db') / 'crmflow.db'}"
    upgrade(url)
    return url


@pytest.fixture(scope="session")
def postgres_url(request: pytest.FixtureRequest) -> AsyncIterator[str]:
    """A migrated fresh PostgreSQL database (skipped without CRMFLOW_TEST_DATABASE_URL)."""
    base = os.environ.get("CRMFLOW_TEST_DATABASE_URL")
    if not base:
        pytest.skip("CRMFLOW_TEST_DATABASE_URL is not set")
    url = _fresh_postgres(base, _worker_id(request))
    upgrade(url)
    yield url
    _drop_postgres(url)


@pytest.fixture(scope="session")
def database_url(request: pytest.FixtureRequest) -> str:
    """PostgreSQL when CRMFLOW_TEST_DATABASE_URL is set, SQLite otherwise."""
    if os.environ.get("CRMFLOW_TEST_DATABASE_URL"):
        return request.getfixturevalue("postgres_url")
    return request.getfixturevalue("sqlite_url")


async def _clean(sessions: SessionFactory) -> None:
    async with sessions() as session, session.begin():
        for table in reversed(Base.metadata.sorted_tables):
            await session.execute(delete(table))


@asynccontextmanager
async def _sessions_for(url: str) -> AsyncIterator[SessionFactory]:
    engine = create_engine(url)
    sessions = create_session_factory(engine)
    await _clean(sessions)
    try:
        yield sessions
    finally:
        await engine.dispose()


@pytest.fixture
async def sessions(database_url: str) -> AsyncIterator[SessionFactory]:
    """A session factory on an emptied database."""
    async with _sessions_for(database_url) as factory:
        yield factory


@pytest.fixture(params=["sqlite", "postgres"])
async def any_db_sessions(request: pytest.FixtureRequest) -> AsyncIterator[SessionFactory]:
    """The same test on SQLite and on PostgreSQL (the latter only where configured)."""
    url = request.getfixturevalue(f"{request.param}_url")
    async with _sessions_for(url) as factory:
        yield factory


@pytest.fixture
def factory(sessions: SessionFactory) -> Factory:
    """Builders for staff, customers and principals."""
    return Factory(sessions)


@pytest.fixture
def settings(database_url: str, tmp_path: Path) -> Settings:
    """Settings pointing at the test database and a fresh task queue."""
    get_settings.cache_clear()
    return Settings(database_url=database_url, task_queue=f"crmflow-test-{uuid.uuid4().hex[:8]}", log_json=False)


async def _register_search_attributes(client: Client) -> None:
    await client.operator_service.add_search_attributes(
        AddSearchAttributesRequest(
            namespace=client.namespace,
            search_attributes={key.name: IndexedValueType.INDEXED_VALUE_TYPE_KEYWORD for key in SEARCH_ATTRIBUTES},
        )
    )


# One time-skipping server per test module: a module that leaves it stalled (children finishing
# after their parent closed stop its clock) must not stall the next module's timers.
@pytest.fixture(scope="module")
async def time_env() -> AsyncIterator[WorkflowEnvironment]:
    """The time-skipping test server (timers jump while the test waits on a result)."""
    env = await WorkflowEnvironment.start_time_skipping(
        test_server_existing_path=temporal_test_server(), data_converter=pydantic_data_converter
    )
    await _register_search_attributes(env.client)
    TIME_SKIPPING_CLIENTS.add(id(env.client))
    yield env
    TIME_SKIPPING_CLIENTS.discard(id(env.client))
    await env.shutdown()


@pytest.fixture(scope="session")
async def local_env() -> AsyncIterator[WorkflowEnvironment]:
    """A real local dev server (updates, queries, visibility, schedules)."""
    env = await WorkflowEnvironment.start_local(
        dev_server_existing_path=temporal_cli(),
        data_converter=pydantic_data_converter,
        search_attributes=SEARCH_ATTRIBUTES,
        dev_server_extra_args=[
            "--dynamic-config-value",
            "frontend.enableUpdateWorkflowExecution=true",
            # The frontend ends every client connection after 5 minutes (GOAWAY); a call racing that once failed
            # with "h2 protocol error". One connection lives for the whole test session instead.
            "--dynamic-config-value",
            'frontend.keepAliveMaxConnectionAge="24h"',
        ],
    )
    yield env
    await env.shutdown()


@pytest.fixture
def run_worker(sessions: SessionFactory, settings: Settings) -> Callable[[Client], Worker]:
    """Start a worker with real activities on the test database: `async with run_worker(client):`."""

    def _make(client: Client) -> Worker:
        return build_worker(client, sessions, settings.task_queue, worker_settings(client))

    return _make


@pytest.fixture
async def api(
    local_env: WorkflowEnvironment, sessions: SessionFactory, settings: Settings
) -> AsyncIterator[httpx.AsyncClient]:
    """The API in-process over HTTP semantics, with a real worker behind it on the local dev server."""
    app = create_app(settings, sessions=sessions, temporal=local_env.client)
    async with build_worker(local_env.client, sessions, settings.task_queue):
        transport = httpx.ASGITransport(app=app)
        async with httpx.AsyncClient(transport=transport, base_url="http://crmflow.test") as client:
            yield client


@pytest.fixture
def crmflow_process(local_env: WorkflowEnvironment, settings: Settings) -> Callable[..., subprocess.Popen[bytes]]:
    """Start `crmflow <args>` as a real OS process on the test database and dev server; killed at teardown."""
    processes: list[subprocess.Popen[bytes]] = []
    env = {
        **os.environ,
        "CRMFLOW_DATABASE_URL": settings.database_url,
        "CRMFLOW_TEMPORAL_ADDRESS": local_env.client.service_client.config.target_host,
        "CRMFLOW_TASK_QUEUE": settings.task_queue,
        "CRMFLOW_LOG_LEVEL": "WARNING",
        "CRMFLOW_SCHEDULES_SYNC_ON_START": "false",  # schedules have tests of their own
        "CRMFLOW_WORKER_METRICS_ADDRESS": "",  # no fixed port: other workers may run beside it
    }

    def _start(*args: str) -> subprocess.Popen[bytes]:
        process = subprocess.Popen(
            [sys.executable, "-m", "crmflow", *args], env=env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL
        )
        processes.append(process)
        return process

    yield _start
    for process in processes:
        if process.poll() is None:
            process.kill()
            process.wait()
