"""The crmflow worker: activities with their session factory, every workflow, one task queue."""

from __future__ import annotations

import asyncio
from collections.abc import Callable, Sequence
from concurrent.futures import ThreadPoolExecutor
from typing import Any

import structlog
from temporalio.client import Client
from temporalio.worker import Worker

from activities.complaint import ComplaintActivities
from activities.notifications import NotificationActivities
from activities.onboarding import OnboardingActivities
from activities.reclaim import ReclaimActivities
from activities.review import ReviewActivities
from activities.tasks import TaskActivities
from activities.tiering import TieringActivities
from crmflow.metrics import LogContextInterceptor
from crmflow.schedules import sync_schedules
from crmflow.settings import Settings, get_settings
from crmflow.temporal import connect_temporal, metrics_runtime
from db.engine import SessionFactory, create_engine, create_session_factory
from workflows.complaint import ComplaintWorkflow
from workflows.notifications import NotificationDeliveryWorkflow
from workflows.onboarding import OnboardingWorkflow
from workflows.reclaim import ReclaimWorkflow
from workflows.review import AccountReviewWorkflow, ReviewCycleWorkflow, ReviewScheduleWorkflow
from workflows.tiering import TierChangeWorkflow, TieringCycleWorkflow

log = structlog.get_logger(__name__)

WORKFLOWS: Sequence[type] = (
    ComplaintWorkflow,
    OnboardingWorkflow,
    ReviewScheduleWorkflow,
    ReviewCycleWorkflow,
    AccountReviewWorkflow,
    TieringCycleWorkflow,
    TierChangeWorkflow,
    ReclaimWorkflow,
    NotificationDeliveryWorkflow,
)

ACTIVITY_CLASSES: Sequence[type] = (
    ComplaintActivities,
    OnboardingActivities,
    ReviewActivities,
    TaskActivities,
    TieringActivities,
    ReclaimActivities,
    NotificationActivities,
)


def activity_methods(instance: object) -> list[Callable[..., Any]]:
    """The bound methods of an activities object that carry @activity.defn."""
    return [
        getattr(instance, name)
        for name in dir(instance)
        if not name.startswith("_") and hasattr(getattr(instance, name), "__temporal_activity_definition")
    ]


def build_activities(sessions: SessionFactory, settings: Settings | None = None) -> list[Callable[..., Any]]:
    """Every activity of every process, bound to one session factory (and settings: SMTP, webhooks)."""
    return [method for cls in ACTIVITY_CLASSES for method in activity_methods(cls(sessions, settings))]


def build_worker(client: Client, sessions: SessionFactory, task_queue: str, settings: Settings | None = None) -> Worker:
    """A worker for all crmflow workflows and activities on `task_queue`."""
    return Worker(
        client,
        task_queue=task_queue,
        workflows=list(WORKFLOWS),
        activities=build_activities(sessions, settings),
        activity_executor=ThreadPoolExecutor(max_workers=8),
        # Activity log lines carry workflow_id / activity_type (the API binds request_id the same way).
        interceptors=[LogContextInterceptor()],
    )


async def run_worker(settings: Settings | None = None) -> None:
    """Connect, then run the worker until cancelled."""
    settings = settings or get_settings()
    engine = create_engine(settings.database_url)
    client = await connect_temporal(settings, runtime=metrics_runtime(settings))
    log.info("worker.start", task_queue=settings.task_queue, temporal=settings.temporal_address)
    if settings.schedules_sync_on_start:
        await sync_schedules(client, settings=settings)
    try:
        await build_worker(client, create_session_factory(engine), settings.task_queue, settings).run()
    finally:
        await engine.dispose()


if __name__ == "__main__":
    asyncio.run(run_worker())
