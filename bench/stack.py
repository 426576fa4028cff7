"""A benchmark's own stack on free ports: Temporal dev server, crmflow worker and API, a bare worker, a database.

Every process is a child of the benchmark, so its CPU time and RSS are read from /proc (Linux) and charged to
the figure being measured. Nothing is left running: `Stack` is a context manager that stops them all.
"""

from __future__ import annotations

import asyncio
import math
import os
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
import uuid
from contextlib import AbstractAsyncContextManager
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path

import httpx
import psycopg
from temporalio.client import Client
from temporalio.contrib.pydantic import pydantic_data_converter

from crmflow.binaries import temporal_cli
from crmflow.ports import free_port
from crmflow.temporal import SEARCH_ATTRIBUTES
from db.engine import create_engine, create_session_factory
from db.migrate import upgrade
from db.models import Customer, Staff, StaffRole
from db.repositories.staff import create_principal

ROOT = Path(__file__).resolve().parent.parent
DEFAULT_PG_SERVER = "postgresql://postgres@127.0.0.1:5432"
CLOCK_TICKS = os.sysconf("SC_CLK_TCK")
BARE_TASK_QUEUE = "bench-bare"


def log(message: str) -> None:
    """Progress goes to stderr; figures go to stdout."""
    print(message, file=sys.stderr, flush=True)


def load() -> tuple[float, float, float]:
    """The machine's 1/5/15-minute load averages, recorded with every figure (the machine is shared)."""
    return os.getloadavg()


def load_text() -> str:
    one, five, fifteen = load()
    return f"load {one:.2f}/{five:.2f}/{fifteen:.2f} on {os.cpu_count()} cores"


def _descendants(pid: int) -> list[int]:
    """The pid and every process below it (the Temporal CLI may run the server as a child)."""
    found, todo = [], [pid]
    while todo:
        current = todo.pop()
        found.append(current)
        try:
            for task in os.listdir(f"/proc/{current}/task"):
                with open(f"/proc/{current}/task/{task}/children") as children:
                    todo += [int(c) for c in children.read().split()]
        except OSError:
            continue
    return found


def cpu_seconds(pid: int) -> float:
    """User + system CPU seconds of a process tree so far."""
    total = 0
    for each in _descendants(pid):
        try:
            with open(f"/proc/{each}/stat") as stat:
                fields = stat.read().rsplit(")", 1)[1].split()
        except OSError:
            continue
        total += int(fields[11]) + int(fields[12])  # utime, stime (fields 14 and 15 of proc(5))
    return total / CLOCK_TICKS


def rss_mb(pid: int) -> float:
    """Resident memory of a process tree, MB."""
    total = 0
    for each in _descendants(pid):
        try:
            with open(f"/proc/{each}/status") as status:
                for line in status:
                    if line.startswith("VmRSS:"):
                        total += int(line.split()[1])
        except OSError:
            continue
    return total / 1024


def percentile(values: list[float], share: float) -> float:
    """The `share` percentile (nearest rank) of `values`; NaN when empty."""
    if not values:
        return float("nan")
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, max(0, math.ceil(share * len(ordered)) - 1))]


def median(values: list[float]) -> float:
    return statistics.median(values) if values else float("nan")


@dataclass
class Service:
    """One child process of the stack."""

    name: str
    process: subprocess.Popen[bytes]

    @property
    def pid(self) -> int:
        return self.process.pid

    def cpu(self) -> float:
        return cpu_seconds(self.pid)

    def rss(self) -> float:
        return rss_mb(self.pid)

    def check(self) -> None:
        if self.process.poll() is not None:
            raise RuntimeError(f"{self.name} exited with {self.process.returncode}; see its log in the stack folder")

    def stop(self) -> None:
        if self.process.poll() is None:
            self.process.terminate()
            try:
                self.process.wait(timeout=20)
            except subprocess.TimeoutExpired:
                self.process.kill()
                self.process.wait()


@dataclass
class CpuSnapshot:
    """CPU seconds of each service at one moment."""

    seconds: dict[str, float]

    def minus(self, before: CpuSnapshot) -> dict[str, float]:
        return {name: self.seconds[name] - before.seconds.get(name, 0.0) for name in self.seconds}


@dataclass
class Seeded:
    """What the benchmark acts with: a manager's token, the customers they own, their staff id."""

    token: str
    staff_id: int
    customer_ids: list[int]
    director_token: str = ""
    extra: dict = field(default_factory=dict)


def database_url(kind: str, folder: Path, pg_server: str) -> str:
    """A fresh, migrated database: a SQLite file in the stack folder, or a new PostgreSQL database."""
    if kind == "sqlite":
        url = f"sqlite:///{folder / 'crmflow.db'}"
    else:
        name = f"crmflow_bench_{uuid.uuid4().hex[:8]}"
        with psycopg.connect(f"{pg_server}/postgres", autocommit=True) as admin:
            admin.execute(f'CREATE DATABASE "{name}"')
        url = f"{pg_server}/{name}"
    upgrade(url)
    return url


def drop_database(url: str) -> None:
    if url.startswith("postgresql"):
        head, _, name = url.rpartition("/")
        with psycopg.connect(f"{head}/postgres", autocommit=True) as admin:
            admin.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')


async def seed_org(url: str, customers: int = 20) -> Seeded:
    """A director, one manager below them with `customers` customers, and a token for each of the two."""
    engine = create_engine(url)
    sessions = create_session_factory(engine)
    try:
        async with sessions() as session, session.begin():
            director = Staff(name="Bench Director", email="director@bench.test", role=StaffRole.DIRECTOR)
            session.add(director)
            await session.flush()
            manager = Staff(
                name="Bench Manager",
                email="manager@bench.test",
                role=StaffRole.ACCOUNT_MANAGER_L1,
                supervisor_id=director.id,
                capacity=10_000,
            )
            session.add(manager)
            await session.flush()
            rows = [
                Customer(
                    name=f"Bench customer {i}", region="east", owner_id=manager.id, owner_assigned_at=datetime.now(UTC)
                )
                for i in range(customers)
            ]
            session.add_all(rows)
            await session.flush()
            _, token = await create_principal(session, name="bench manager", role="manager", staff_id=manager.id)
            _, director_token = await create_principal(
                session, name="bench director", role="director", staff_id=director.id
            )
            return Seeded(
                token=token, staff_id=manager.id, customer_ids=[c.id for c in rows], director_token=director_token
            )
    finally:
        await engine.dispose()


class Stack(AbstractAsyncContextManager["Stack"]):
    """Temporal dev server + crmflow worker + crmflow API + bare worker, on free ports, for one benchmark."""

    def __init__(
        self,
        db: str = "sqlite",
        *,
        pg_server: str = DEFAULT_PG_SERVER,
        api: bool = True,
        bare: bool = True,
        worker_env: dict[str, str] | None = None,
    ) -> None:
        self.db = db
        self.pg_server = pg_server
        self.with_api = api
        self.with_bare = bare
        self.worker_env = worker_env or {}
        self.folder = Path(tempfile.mkdtemp(prefix="crmflow-bench-"))
        self.temporal_address = f"127.0.0.1:{free_port()}"
        self.api_url = f"http://127.0.0.1:{free_port()}"
        self.task_queue = f"bench-{uuid.uuid4().hex[:6]}"
        self.services: dict[str, Service] = {}
        self.url = ""
        self.client: Client | None = None
        self.bare_client: Client | None = None

    # ---- processes ----------------------------------------------------------------------------------

    def _spawn(self, name: str, args: list[str], env: dict[str, str] | None = None) -> Service:
        out = open(self.folder / f"{name}.log", "ab")  # noqa: SIM115 - lives as long as the process
        # Both workers' sandboxes import their workflow module again per run: both read it from cached bytecode,
        # as an installed package does (crmflow's worker would turn the cache on itself; bare's would not).
        env = {k: v for k, v in (os.environ if env is None else env).items() if k != "PYTHONDONTWRITEBYTECODE"}
        process = subprocess.Popen(
            args, stdout=out, stderr=subprocess.STDOUT, cwd=ROOT, env=env, start_new_session=True
        )
        self.services[name] = Service(name, process)
        return self.services[name]

    def env(self, **extra: str) -> dict[str, str]:
        """The crmflow processes' settings: this stack's database, Temporal and task queue."""
        env = {k: v for k, v in os.environ.items() if not k.startswith(("CRMFLOW_", "TEMPORAL_"))}
        env.update(
            {
                "CRMFLOW_DATABASE_URL": self.url,
                "CRMFLOW_TEMPORAL_ADDRESS": self.temporal_address,
                "CRMFLOW_TEMPORAL_ENVCONFIG": "false",
                "CRMFLOW_TASK_QUEUE": self.task_queue,
                "CRMFLOW_WORKER_METRICS_ADDRESS": "",
                "CRMFLOW_SCHEDULES_SYNC_ON_START": "false",
                # Delivery is its own process (one workflow per notification); the lifecycle measures the complaint's.
                "CRMFLOW_NOTIFICATIONS_DELIVER": "false",
                "CRMFLOW_VAR_DIR": str(self.folder),
                "CRMFLOW_TEMPORAL_DEADLINE_SECONDS": "30",
            }
        )
        env.update(extra)
        return env

    def start_temporal(self) -> None:
        host, _, port = self.temporal_address.rpartition(":")
        args = [
            temporal_cli(),
            "server",
            "start-dev",
            "--ip",
            host,
            "--port",
            port,
            "--headless",
            "--namespace",
            "default",
            "--db-filename",
            str(self.folder / "temporal.db"),
            # The same pragmas as `crmflow dev` (DESIGN §6).
            "--sqlite-pragma",
            "journal_mode=wal",
            "--sqlite-pragma",
            "synchronous=normal",
            "--log-level",
            "warn",
        ]
        for key in SEARCH_ATTRIBUTES:
            args += ["--search-attribute", f"{key.name}=Keyword"]
        self._spawn("temporal", args)

    async def _connect(self) -> Client:
        deadline = time.monotonic() + 60
        while True:
            self.services["temporal"].check()
            try:
                return await Client.connect(self.temporal_address, data_converter=pydantic_data_converter)
            except Exception:
                if time.monotonic() > deadline:
                    raise
                await asyncio.sleep(0.3)

    async def _wait_http(self, url: str) -> None:
        deadline = time.monotonic() + 90
        async with httpx.AsyncClient() as http:
            while True:
                self.services["api"].check()
                try:
                    if (await http.get(url)).status_code == 200:
                        return
                except httpx.HTTPError:
                    pass
                if time.monotonic() > deadline:
                    raise RuntimeError(f"{url} did not answer; see {self.folder}/api.log")
                await asyncio.sleep(0.3)

    async def __aenter__(self) -> Stack:
        try:
            return await self._start()
        except BaseException:
            await self.__aexit__(None, None, None)  # nothing started is left running
            raise

    async def _start(self) -> Stack:
        log(f"stack: {self.db}, folder {self.folder}")
        self.start_temporal()
        self.url = database_url(self.db, self.folder, self.pg_server)
        self.client = await self._connect()
        # Bare workflows use the SDK's default converter, as a bare Temporal app would.
        self.bare_client = await Client.connect(self.temporal_address)
        self._spawn("worker", [sys.executable, "-m", "worker"], self.env(**self.worker_env))
        if self.with_api:
            self._spawn(
                "api", [sys.executable, "-m", "crmflow", "api", "--port", self.api_url.rsplit(":", 1)[1]], self.env()
            )
            await self._wait_http(f"{self.api_url}/healthz")
        if self.with_bare:
            self._spawn("bare", [sys.executable, "-m", "bench.bare", self.temporal_address, BARE_TASK_QUEUE])
        return self

    async def __aexit__(self, *exc: object) -> None:
        for service in reversed(list(self.services.values())):
            service.stop()
        if self.url:
            drop_database(self.url)
        if not os.environ.get("CRMFLOW_BENCH_KEEP"):
            shutil.rmtree(self.folder, ignore_errors=True)

    def cpu(self) -> CpuSnapshot:
        return CpuSnapshot({name: service.cpu() for name, service in self.services.items()})

    def check(self) -> None:
        for service in self.services.values():
            service.check()
