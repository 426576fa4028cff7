"""The FastAPI application factory."""

from __future__ import annotations

import asyncio
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager

from fastapi import FastAPI
from fastapi.routing import APIRoute
from temporalio.client import Client

from api.errors import ERROR_RESPONSES, install_error_handlers
from api.limits import RequestLimits
from api.middleware import RequestIdMiddleware
from api.routers import ROUTERS
from crmflow.metrics import ApiMetrics, MetricsMiddleware
from crmflow.settings import Settings, get_settings
from crmflow.temporal import connect_temporal
from crmflow.tracing import Tracing, tracing_from
from db.engine import SessionFactory, create_engine, create_session_factory
from web.app import install_web


class LazyTemporal:
    """Connects to Temporal on first use, once, so the API starts (and /readyz answers) without it."""

    def __init__(self, settings: Settings, client: Client | None = None, tracing: Tracing | None = None) -> None:
        self._settings = settings
        self._client = client
        self._tracing = tracing
        self._lock = asyncio.Lock()

    async def __call__(self) -> Client:
        if self._client is None:
            async with self._lock:
                if self._client is None:
                    extra = [self._tracing.temporal_interceptor()] if self._tracing is not None else []
                    self._client = await connect_temporal(self._settings, interceptors=extra)
        return self._client


def stable_operation_id(route: APIRoute) -> str:
    """`<tag>_<function>` (e.g. complaints_create_complaint): unlike FastAPI's default it does not change
    when a path or method does, so generated clients keep their method names."""
    tag = (route.tags[0] if route.tags else "crmflow").replace("-", "_")
    return f"{tag}_{route.name}"


def create_app(
    settings: Settings | None = None,
    *,
    sessions: SessionFactory | None = None,
    temporal: Client | None = None,
    tracing: Tracing | None = None,
) -> FastAPI:
    """Build the API; tests pass their own session factory, Temporal client and tracing."""
    settings = settings or get_settings()
    tracing = tracing or tracing_from(settings, service="crmflow-api")

    @asynccontextmanager
    async def lifespan(app: FastAPI) -> AsyncIterator[None]:
        engine = None
        if sessions is None:
            engine = create_engine(settings.database_url)
            if tracing is not None:
                tracing.instrument_engine(engine)
            app.state.sessions = create_session_factory(engine)
        yield
        if engine is not None:
            await engine.dispose()

    # /docs is served by the web workspace from local Swagger UI assets (no CDN).
    app = FastAPI(
        title="crmflow",
        version="0.1.0",
        lifespan=lifespan,
        docs_url=None,
        redoc_url=None,
        generate_unique_id_function=stable_operation_id,
    )
    app.state.settings = settings
    app.state.sessions = sessions
    app.state.temporal = LazyTemporal(settings, temporal, tracing)
    install_error_handlers(app)

    app.add_middleware(RequestLimits, max_body_bytes=settings.max_body_bytes)
    # Outside the limits, so a 413/415 answer carries its request id and access line too.
    app.add_middleware(RequestIdMiddleware)
    if tracing is not None:
        tracing.instrument_app(app)

    # Outermost (added last): counts every request, error answers included; one registry per app.
    app.state.metrics = ApiMetrics()
    app.add_middleware(MetricsMiddleware, metrics=app.state.metrics)

    for router in ROUTERS:
        app.include_router(router, responses=ERROR_RESPONSES)
    install_web(app)
    return app
