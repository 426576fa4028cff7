"""The crmflow worker: activities with their session factory, every workflow, one task queue."""

from __future__ import annotations

import asyncio
import signal
import sys
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor
from datetime import timedelta
from typing import Any

import structlog
from temporalio.client import Client
from temporalio.worker import Worker
from temporalio.worker.workflow_sandbox import SandboxedWorkflowRunner, SandboxRestrictions

from activities.base import DataErrorInterceptor
from crmflow.metrics import LogContextInterceptor
from crmflow.packaging import check_top_level_packages
from crmflow.registry import all_activity_classes, all_workflows
from crmflow.schedules import sync_schedules
from crmflow.settings import Settings, get_settings
from crmflow.temporal import connect_temporal, metrics_runtime
from crmflow.tracing import tracing_from
from db.engine import SessionFactory, create_engine, create_session_factory

log = structlog.get_logger(__name__)


def activity_methods(instance: object) -> list[Callable[..., Any]]:
    """The bound methods of an activities object that carry @activity.defn."""
    return [
        getattr(instance, name)
        for name in dir(instance)
        if not name.startswith("_") and hasattr(getattr(instance, name), "__temporal_activity_definition")
    ]


def build_activities(sessions: SessionFactory, settings: Settings | None = None) -> list[Callable[..., Any]]:
    """Every activity of every process, bound to one session factory (and settings: SMTP, webhooks)."""
    return [method for cls in all_activity_classes() for method in activity_methods(cls(sessions, settings))]


# Modules that hold no workflow code (definitions, models, settings, shared helpers, libraries): the sandbox
# uses the worker's copy instead of importing them again for every workflow run, which cost a third of the
# worker's time in the lifecycle benchmark (bench/README.md). Workflow modules themselves stay sandboxed.
SANDBOX_PASSTHROUGH = (
    "definitions",
    "db",
    "crmflow",
    "activities",
    "pydantic",
    "pydantic_core",
    "sqlalchemy",
    "structlog",
    "yaml",
    "holidays",
    "jinja2",
    "babel",
    "httpx",
    "opentelemetry",
)


def workflow_runner() -> SandboxedWorkflowRunner:
    """The sandbox with crmflow's non-workflow modules passed through."""
    # The sandbox imports the workflow modules again for every new run. Without their bytecode cached on disk
    # (PYTHONDONTWRITEBYTECODE, set on many dev machines and CI images) each of those imports compiled the source
    # anew: 8 % of the worker's profile samples in the lifecycle benchmark. Installed packages come with their bytecode.
    sys.dont_write_bytecode = False
    return SandboxedWorkflowRunner(
        restrictions=SandboxRestrictions.default.with_passthrough_modules(*SANDBOX_PASSTHROUGH)
    )


def build_worker(
    client: Client,
    sessions: SessionFactory,
    task_queue: str,
    settings: Settings | None = None,
    *,
    grace: timedelta = timedelta(0),
) -> Worker:
    """A worker for all crmflow workflows and activities on `task_queue`."""
    settings_in_force = settings or get_settings()
    return Worker(
        client,
        task_queue=task_queue,
        workflows=all_workflows(),
        activities=build_activities(sessions, settings),
        activity_executor=ThreadPoolExecutor(max_workers=8),
        workflow_runner=workflow_runner(),
        # Bounds the worker's memory: a run beyond it is evicted and replayed from history when it next acts.
        max_cached_workflows=settings_in_force.worker_max_cached_workflows,
        # Activity log lines carry workflow_id / activity_type (the API binds request_id the same way).
        interceptors=[LogContextInterceptor(), DataErrorInterceptor()],
        graceful_shutdown_timeout=grace,
    )


async def run_worker(settings: Settings | None = None) -> None:
    """Connect, then run the worker until cancelled."""
    # Another distribution's `workflows` or `activities` in site-packages would register the wrong code.
    check_top_level_packages()
    settings = settings or get_settings()
    engine = create_engine(settings.database_url)
    tracing = tracing_from(settings, service="crmflow-worker")
    if tracing is not None:
        tracing.instrument_engine(engine)
    client = await connect_temporal(
        settings,
        runtime=metrics_runtime(settings),
        interceptors=[tracing.temporal_interceptor()] if tracing is not None else [],
    )
    log.info("worker.start", task_queue=settings.task_queue, temporal=settings.temporal_address)
    if settings.schedules_sync_on_start:
        await sync_schedules(client, settings=settings)
    # Handled explicitly: as PID 1 (in a container) a process without a handler never sees SIGTERM at all.
    stop = asyncio.Event()
    loop = asyncio.get_running_loop()
    for sig in (signal.SIGTERM, signal.SIGINT):
        loop.add_signal_handler(sig, stop.set)
    grace = timedelta(seconds=settings.shutdown_grace_seconds)
    try:
        async with build_worker(client, create_session_factory(engine), settings.task_queue, settings, grace=grace):
            await stop.wait()
            # Leaving the block stops polling and lets running activities finish within the grace period.
            log.info("worker.draining", grace_seconds=settings.shutdown_grace_seconds)
        log.info("worker.stopped")
    finally:
        for sig in (signal.SIGTERM, signal.SIGINT):
            loop.remove_signal_handler(sig)
        await engine.dispose()


if __name__ == "__main__":
    asyncio.run(run_worker())
