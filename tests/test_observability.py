"""Logs keep tracebacks; a request's id reaches the access log, its workflow and its activities; one trace HTTP → SQL."""

from __future__ import annotations

import json
import subprocess
import sys

import httpx
from opentelemetry.instrumentation.sqlalchemy import SQLAlchemyInstrumentor
from opentelemetry.sdk.trace import TracerProvider
from opentelemetry.sdk.trace.export import SimpleSpanProcessor
from opentelemetry.sdk.trace.export.in_memory_span_exporter import InMemorySpanExporter
from opentelemetry.trace import SpanKind
from temporalio.client import Client
from temporalio.contrib.pydantic import pydantic_data_converter
from temporalio.converter import PayloadConverter

from api.app import create_app
from crmflow.logging import configure_logging
from crmflow.request_context import HEADER, RequestContextInterceptor
from crmflow.tracing import Tracing
from worker import build_worker

BODY = {"severity": "normal", "category": "delivery", "description": "late parcel", "channel": "web"}


def test_json_logs_keep_the_traceback() -> None:
    script = (
        "import structlog\nfrom crmflow.logging import configure_logging\nconfigure_logging('INFO', json=True)\n"
        "try:\n    1 / 0\nexcept ZeroDivisionError:\n    structlog.get_logger('t').exception('boom', order=7)\n"
    )
    result = subprocess.run([sys.executable, "-c", script], capture_output=True, text=True, timeout=60, check=True)
    line = json.loads(result.stderr.strip().splitlines()[-1])
    assert line["event"] == "boom" and line["order"] == 7
    assert "Traceback" in line["exception"] and "ZeroDivisionError" in line["exception"]


def _client(local_env, *interceptors) -> Client:
    return Client(
        local_env.client.service_client,
        namespace=local_env.client.namespace,
        data_converter=pydantic_data_converter,
        interceptors=[RequestContextInterceptor(), *interceptors],
    )


async def _post_complaint(app, org, customer, request_id: str) -> httpx.Response:
    async with httpx.AsyncClient(transport=httpx.ASGITransport(app=app), base_url="http://crmflow.test") as http:
        return await http.post(
            "/v1/complaints",
            json={**BODY, "customer_id": customer.id},
            headers={**org.headers("service"), "X-Request-Id": request_id},
        )


async def test_the_request_id_reaches_the_access_log_the_workflow_and_its_activities(
    local_env, sessions, settings, factory, capfd
) -> None:
    configure_logging("INFO", json=True)
    org = await factory.org()
    customer = await factory.customer(owner=org.l2)
    client = _client(local_env)
    async with build_worker(client, sessions, settings.task_queue):
        created = await _post_complaint(
            create_app(settings, sessions=sessions, temporal=client), org, customer, "req-obs-42"
        )
    assert created.status_code == 201, created.text
    assert created.headers["x-request-id"] == "req-obs-42"

    history = await client.get_workflow_handle(created.json()["process_id"]).fetch_history()
    decode = PayloadConverter.default.from_payload
    start = history.events[0].workflow_execution_started_event_attributes
    assert decode(start.header.fields[HEADER], str) == "req-obs-42"
    scheduled = [
        e.activity_task_scheduled_event_attributes
        for e in history.events
        if e.HasField("activity_task_scheduled_event_attributes")
    ]
    assert scheduled and all(decode(a.header.fields[HEADER], str) == "req-obs-42" for a in scheduled)

    lines = [json.loads(line) for line in capfd.readouterr().err.splitlines() if line.startswith("{")]
    access = [line for line in lines if line.get("event") == "http.request" and line.get("path") == "/v1/complaints"]
    assert access and access[-1]["request_id"] == "req-obs-42" and access[-1]["status"] == 201


async def test_one_trace_runs_from_the_complaint_post_to_its_activity_sql(
    local_env, sessions, settings, factory
) -> None:
    exporter = InMemorySpanExporter()
    provider = TracerProvider()
    provider.add_span_processor(SimpleSpanProcessor(exporter))
    tracing = Tracing(provider)
    org = await factory.org()
    customer = await factory.customer(owner=org.l2)
    tracing.instrument_engine(sessions.kw["bind"])
    try:
        client = _client(local_env, tracing.temporal_interceptor())
        app = create_app(settings, sessions=sessions, temporal=client, tracing=tracing)
        async with build_worker(client, sessions, settings.task_queue):
            created = await _post_complaint(app, org, customer, "req-trace-1")
        assert created.status_code == 201, created.text
    finally:
        SQLAlchemyInstrumentor().uninstrument()

    spans = exporter.get_finished_spans()
    server = next(s for s in spans if s.kind == SpanKind.SERVER and "/v1/complaints" in s.name)
    trace = [s for s in spans if s.context.trace_id == server.context.trace_id]
    by_id = {s.context.span_id: s for s in trace}
    names = {s.name for s in trace}
    assert any(name.startswith("RunWorkflow:ComplaintWorkflow") for name in names), names
    activities = [s for s in trace if s.name.startswith("RunActivity:")]
    assert activities, names
    sql = [s for s in trace if s.attributes and "db.system" in s.attributes or "db.system.name" in (s.attributes or {})]

    def ancestors(span):
        while span.parent is not None and span.parent.span_id in by_id:
            span = by_id[span.parent.span_id]
            yield span

    assert any(any(a.name.startswith("RunActivity:") for a in ancestors(s)) for s in sql), (
        "no SQL span under an activity span of the request's trace"
    )
