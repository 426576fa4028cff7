"""Observability: Prometheus metrics of the API (requests, latencies, process counts, SLA breaches) and the
log context of activities (workflow and activity ids on every log line they write)."""

from __future__ import annotations

import time
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from typing import Any

import structlog
from prometheus_client import CollectorRegistry, Counter, Histogram, generate_latest
from prometheus_client.core import GaugeMetricFamily
from prometheus_client.registry import Collector
from sqlalchemy import func, select
from sqlalchemy.ext.asyncio import AsyncSession
from starlette.types import ASGIApp, Message, Receive, Scope, Send
from temporalio import activity
from temporalio.worker import ActivityInboundInterceptor, ExecuteActivityInput, Interceptor

from db.models import Complaint, Customer, NotificationDelivery, Review, Task, TierProposal

UNMATCHED_ROUTE = "unmatched"  # 404s are not labelled by raw path: arbitrary URLs must not explode cardinality


class ApiMetrics:
    """The API's request metrics, in a registry of their own (each app gets one, so tests can build many)."""

    def __init__(self) -> None:
        self.registry = CollectorRegistry(auto_describe=True)
        self.requests = Counter(
            "crmflow_api_requests", "HTTP requests served", ["method", "route", "status"], registry=self.registry
        )
        self.latency = Histogram(
            "crmflow_api_request_duration_seconds",
            "HTTP request latency",
            ["method", "route", "status"],
            registry=self.registry,
        )

    def observe(self, method: str, route: str, status: int, seconds: float) -> None:
        self.requests.labels(method, route, str(status)).inc()
        self.latency.labels(method, route, str(status)).observe(seconds)


class MetricsMiddleware:
    """Pure ASGI middleware counting every HTTP request by method, route template and status."""

    def __init__(self, app: ASGIApp, metrics: ApiMetrics) -> None:
        self.app = app
        self.metrics = metrics

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        started = time.perf_counter()
        status = 500  # if the app raises before answering, the server answers 500

        async def send_status(message: Message) -> None:
            nonlocal status
            if message["type"] == "http.response.start":
                status = message["status"]
            await send(message)

        try:
            await self.app(scope, receive, send_status)
        finally:
            # The router writes the matched route into the (shared) scope; its template keeps labels bounded.
            route = getattr(scope.get("route"), "path", None) or UNMATCHED_ROUTE
            self.metrics.observe(scope["method"], route, status, time.perf_counter() - started)


@dataclass
class ProcessSnapshot:
    """Process counts read from the database at scrape time."""

    processes: list[tuple[str, str, int]] = field(default_factory=list)  # (process, stage, count)
    tasks: list[tuple[str, str, int]] = field(default_factory=list)  # (process_type, status, count)
    customers: list[tuple[str, int]] = field(default_factory=list)  # (status, count)
    sla_breaches: list[tuple[str, str, int]] = field(default_factory=list)  # (phase, severity, count)
    deliveries: list[tuple[str, str, int]] = field(default_factory=list)  # (channel, status, count)


async def process_snapshot(session: AsyncSession) -> ProcessSnapshot:
    """A handful of GROUP BY counts over indexed status columns (cheap enough for every scrape)."""
    snapshot = ProcessSnapshot()

    async def grouped(*columns: Any, where: Any = None) -> list[tuple[Any, ...]]:
        query = select(*columns, func.count()).group_by(*columns)
        if where is not None:
            query = query.where(where)
        return [tuple(row) for row in await session.execute(query)]

    for status, count in await grouped(Complaint.status):
        snapshot.processes.append(("complaint", status, count))
    for status, count in await grouped(Customer.status, where=Customer.process_id.is_not(None)):
        snapshot.processes.append(("onboarding", status, count))  # customers created through onboarding
    for stage, count in await grouped(Review.stage):
        snapshot.processes.append(("review", stage, count))
    for status, count in await grouped(TierProposal.status):
        snapshot.processes.append(("tiering", status, count))
    snapshot.tasks = [(p, s, c) for p, s, c in await grouped(Task.process_type, Task.status)]
    snapshot.customers = [(s, c) for s, c in await grouped(Customer.status)]
    for phase, column in (("response", Complaint.sla_response_met), ("resolution", Complaint.sla_resolution_met)):
        for severity, count in await grouped(Complaint.severity, where=column.is_(False)):
            snapshot.sla_breaches.append((phase, severity, count))
    snapshot.deliveries = [
        (c, s, n) for c, s, n in await grouped(NotificationDelivery.channel, NotificationDelivery.status)
    ]
    return snapshot


class _SnapshotCollector(Collector):
    def __init__(self, snapshot: ProcessSnapshot) -> None:
        self.snapshot = snapshot

    def collect(self) -> Iterator[GaugeMetricFamily]:
        yield _gauge(
            "crmflow_processes", "Process records by type and stage", ["process", "stage"], self.snapshot.processes
        )
        yield _gauge(
            "crmflow_tasks", "Human tasks by process type and status", ["process_type", "status"], self.snapshot.tasks
        )
        yield _gauge("crmflow_customers", "Customers by status", ["status"], self.snapshot.customers)
        yield _gauge(
            "crmflow_complaint_sla_breaches",
            "Complaints that missed an SLA, by phase and severity",
            ["phase", "severity"],
            self.snapshot.sla_breaches,
        )
        # Alert on crmflow_notification_deliveries{status="failed"} > 0: someone was not told.
        yield _gauge(
            "crmflow_notification_deliveries",
            "Notification deliveries by channel and status",
            ["channel", "status"],
            self.snapshot.deliveries,
        )


def _gauge(name: str, doc: str, labels: list[str], rows: Iterable[tuple[Any, ...]]) -> GaugeMetricFamily:
    family = GaugeMetricFamily(name, doc, labels=labels)
    for *values, count in rows:
        family.add_metric([str(v) for v in values], count)
    return family


def render(metrics: ApiMetrics, snapshot: ProcessSnapshot) -> bytes:
    """The Prometheus text exposition of the request metrics followed by the scrape-time process gauges."""
    scrape = CollectorRegistry(auto_describe=False)
    scrape.register(_SnapshotCollector(snapshot))
    return generate_latest(metrics.registry) + generate_latest(scrape)


# ---- worker log context -----------------------------------------------------------------------------


class _ActivityLogContext(ActivityInboundInterceptor):
    async def execute_activity(self, input: ExecuteActivityInput) -> Any:
        info = activity.info()
        # Each activity runs in its own task (own contextvars), so the binding cannot leak into another one.
        with structlog.contextvars.bound_contextvars(
            workflow_id=info.workflow_id,
            workflow_run_id=info.workflow_run_id,
            workflow_type=info.workflow_type,
            activity_type=info.activity_type,
            activity_id=info.activity_id,
            attempt=info.attempt,
        ):
            return await super().execute_activity(input)


class LogContextInterceptor(Interceptor):
    """Binds the workflow and activity ids into structlog's context for every activity execution."""

    def intercept_activity(self, next: ActivityInboundInterceptor) -> ActivityInboundInterceptor:
        return _ActivityLogContext(next)
