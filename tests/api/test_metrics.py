"""GET /metrics (Prometheus text, ops/admin only) and the activity log context interceptor."""

from __future__ import annotations

import dataclasses
import uuid
from collections.abc import AsyncIterator
from datetime import timedelta

import httpx
import pytest
import structlog
from prometheus_client.parser import text_string_to_metric_families
from temporalio.runtime import Runtime
from temporalio.testing import ActivityEnvironment
from temporalio.worker import ExecuteActivityInput

from api.app import create_app
from crmflow.metrics import LogContextInterceptor
from crmflow.settings import Settings
from crmflow.temporal import metrics_runtime
from db.models import Complaint, utcnow
from tests.factories import Factory, Org


@pytest.fixture
async def client(sessions, settings) -> AsyncIterator[httpx.AsyncClient]:
    """The API without Temporal behind it: /metrics and the reads used here never need it."""
    app = create_app(settings, sessions=sessions)
    async with httpx.AsyncClient(transport=httpx.ASGITransport(app=app), base_url="http://crmflow.test") as http:
        yield http


async def _scrape(client: httpx.AsyncClient, org: Org) -> dict[tuple[str, tuple], float]:
    response = await client.get("/metrics", headers=org.headers("ops"))
    assert response.status_code == 200, response.text
    assert response.headers["content-type"].startswith("text/plain")
    samples = {}
    for family in text_string_to_metric_families(response.text):
        for sample in family.samples:
            samples[(sample.name, tuple(sorted(sample.labels.items())))] = sample.value
    return samples


def _requests(samples, route: str, status: str, method: str = "GET") -> float:
    return samples.get(("crmflow_api_requests_total", (("method", method), ("route", route), ("status", status))), 0)


async def test_request_counts_move_by_route_template(client, factory: Factory) -> None:
    org = await factory.org()
    customer = await factory.customer(owner=org.l2)
    before = await _scrape(client, org)

    assert (await client.get(f"/v1/customers/{customer.id}", headers=org.headers("l2"))).status_code == 200
    assert (await client.get("/v1/customers/999999", headers=org.headers("l2"))).status_code == 404
    assert (await client.get(f"/no/such/path/{uuid.uuid4().hex}")).status_code == 404
    after = await _scrape(client, org)

    route = "/v1/customers/{customer_id}"
    assert _requests(after, route, "200") == _requests(before, route, "200") + 1
    assert _requests(after, route, "404") == _requests(before, route, "404") + 1
    assert _requests(after, "unmatched", "404") == _requests(before, "unmatched", "404") + 1
    assert _requests(after, "/metrics", "200") >= 1  # the first scrape is counted by the second
    assert not any("999999" in str(labels) or "no/such" in str(labels) for _, labels in after)  # no raw paths
    count = after[
        ("crmflow_api_request_duration_seconds_count", (("method", "GET"), ("route", route), ("status", "200")))
    ]
    assert count == 1


async def test_process_counts_and_sla_breaches(client, factory: Factory, sessions) -> None:
    org = await factory.org()
    customer = await factory.customer(owner=org.l2)
    async with sessions() as session, session.begin():
        for severity, response_met, resolution_met, status in [
            ("high", False, None, "in_progress"),
            ("high", False, False, "closed"),
            ("low", True, False, "closed"),
            ("low", True, True, "closed"),
        ]:
            session.add(
                Complaint(
                    id=str(uuid.uuid4()),
                    customer_id=customer.id,
                    severity=severity,
                    category="billing",
                    description="x",
                    channel="email",
                    status=status,
                    sla_response_met=response_met,
                    sla_resolution_met=resolution_met,
                    respond_by=utcnow() + timedelta(hours=1),
                )
            )
    samples = await _scrape(client, org)

    assert samples[("crmflow_complaint_sla_breaches", (("phase", "response"), ("severity", "high")))] == 2
    assert samples[("crmflow_complaint_sla_breaches", (("phase", "resolution"), ("severity", "high")))] == 1
    assert samples[("crmflow_complaint_sla_breaches", (("phase", "resolution"), ("severity", "low")))] == 1
    assert ("crmflow_complaint_sla_breaches", (("phase", "response"), ("severity", "low"))) not in samples
    assert samples[("crmflow_processes", (("process", "complaint"), ("stage", "closed")))] == 3
    assert samples[("crmflow_processes", (("process", "complaint"), ("stage", "in_progress")))] == 1
    assert samples[("crmflow_customers", (("status", "active"),))] == 1


async def test_only_ops_and_admin_scrape(client, factory: Factory) -> None:
    org = await factory.org()
    assert (await client.get("/metrics")).status_code == 401
    for who in ("l2", "l1", "director", "service"):
        response = await client.get("/metrics", headers=org.headers(who))
        assert response.status_code == 403, who
        assert response.json()["error"]["code"]
    for who in ("ops", "admin"):
        assert (await client.get("/metrics", headers=org.headers(who))).status_code == 200
    assert (await client.get("/healthz")).status_code == 200  # health stays open


async def test_each_app_counts_on_its_own(sessions, settings, factory: Factory) -> None:
    org = await factory.org()
    first, second = create_app(settings, sessions=sessions), create_app(settings, sessions=sessions)
    async with (
        httpx.AsyncClient(transport=httpx.ASGITransport(app=first), base_url="http://a") as a,
        httpx.AsyncClient(transport=httpx.ASGITransport(app=second), base_url="http://b") as b,
    ):
        await a.get("/healthz")
        samples = await _scrape(b, org)
    assert _requests(samples, "/healthz", "200") == 0


def test_worker_metrics_runtime_follows_the_setting() -> None:
    assert metrics_runtime(Settings(worker_metrics_address="")) is None
    assert isinstance(metrics_runtime(Settings(worker_metrics_address="127.0.0.1:0")), Runtime)


async def test_activity_log_lines_carry_workflow_and_activity_ids() -> None:
    seen: dict = {}

    class Last:
        async def execute_activity(self, input: ExecuteActivityInput) -> str:
            seen.update(structlog.contextvars.get_contextvars())
            return "done"

    async def run_through_interceptor() -> str:
        interceptor = LogContextInterceptor().intercept_activity(Last())  # type: ignore[arg-type]
        return await interceptor.execute_activity(
            ExecuteActivityInput(fn=lambda: None, args=[], executor=None, headers={})
        )

    env = ActivityEnvironment()
    env.info = dataclasses.replace(
        env.info, workflow_id="complaint-42", workflow_run_id="run-1", activity_type="complaint.open", activity_id="7"
    )
    assert await env.run(run_through_interceptor) == "done"
    assert {k: seen[k] for k in ("workflow_id", "workflow_run_id", "activity_type", "activity_id")} == {
        "workflow_id": "complaint-42",
        "workflow_run_id": "run-1",
        "activity_type": "complaint.open",
        "activity_id": "7",
    }
    assert "workflow_id" not in structlog.contextvars.get_contextvars()  # unbound after the activity
