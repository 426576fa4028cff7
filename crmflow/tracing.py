"""OpenTelemetry traces from HTTP through workflow and activity to SQL: off by default, on with the OTLP endpoint.

With `OTEL_EXPORTER_OTLP_ENDPOINT` (or `…_TRACES_ENDPOINT`) set, the API and the worker export spans over
OTLP/HTTP; the exporter reads the other standard OTEL_* variables (headers, service name) itself.
"""

from __future__ import annotations

from dataclasses import dataclass

from fastapi import FastAPI
from opentelemetry.instrumentation.fastapi import FastAPIInstrumentor
from opentelemetry.instrumentation.sqlalchemy import SQLAlchemyInstrumentor
from opentelemetry.sdk.resources import Resource
from opentelemetry.sdk.trace import TracerProvider
from opentelemetry.sdk.trace.export import BatchSpanProcessor, SpanExporter
from sqlalchemy.ext.asyncio import AsyncEngine
from temporalio.contrib.opentelemetry import TracingInterceptor

from crmflow.settings import Settings
from db.engine import engines_of


@dataclass(frozen=True)
class Tracing:
    """One tracer provider and what hooks into it: the Temporal interceptor, the app and the engine."""

    provider: TracerProvider

    def temporal_interceptor(self) -> TracingInterceptor:
        return TracingInterceptor(self.provider.get_tracer("crmflow.temporal"))

    def instrument_app(self, app: FastAPI) -> None:
        FastAPIInstrumentor.instrument_app(app, tracer_provider=self.provider, excluded_urls="healthz,readyz,metrics")

    def instrument_engine(self, engine: AsyncEngine) -> None:
        # The instrumentation declares sqlalchemy < 2.1 (its range lags releases); its engine events work on 2.1.
        SQLAlchemyInstrumentor().instrument(
            engines=[e.sync_engine for e in engines_of(engine)], tracer_provider=self.provider, skip_dep_check=True
        )


def tracing_from(
    settings: Settings, *, exporter: SpanExporter | None = None, service: str = "crmflow"
) -> Tracing | None:
    """Tracing when an exporter is given (tests) or the OTLP endpoint is configured; None means off."""
    if exporter is None:
        if not settings.otlp_endpoint:
            return None
        from opentelemetry.exporter.otlp.proto.http.trace_exporter import OTLPSpanExporter

        exporter = OTLPSpanExporter()
    provider = TracerProvider(resource=Resource.create({"service.name": service}))
    provider.add_span_processor(BatchSpanProcessor(exporter))
    return Tracing(provider)
