"""The FastAPI application factory."""

from __future__ import annotations

import asyncio
import uuid
from collections.abc import AsyncIterator, Awaitable, Callable
from contextlib import asynccontextmanager

import structlog
from fastapi import FastAPI, Request, Response
from temporalio.client import Client

from api.errors import ERROR_RESPONSES, install_error_handlers
from api.limits import RequestLimits
from api.routers import ROUTERS
from crmflow.metrics import ApiMetrics, MetricsMiddleware
from crmflow.settings import Settings, get_settings
from crmflow.temporal import connect_temporal
from db.engine import SessionFactory, create_engine, create_session_factory


class LazyTemporal:
    """Connects to Temporal on first use, once, so the API starts (and /readyz answers) without it."""

    def __init__(self, settings: Settings, client: Client | None = None) -> None:
        self._settings = settings
        self._client = client
        self._lock = asyncio.Lock()

    async def __call__(self) -> Client:
        if self._client is None:
            async with self._lock:
                if self._client is None:
                    self._client = await connect_temporal(self._settings)
        return self._client


def create_app(
    settings: Settings | None = None,
    *,
    sessions: SessionFactory | None = None,
    temporal: Client | None = None,
) -> FastAPI:
    """Build the API; tests pass their own session factory and Temporal client."""
    settings = settings or get_settings()

    @asynccontextmanager
    async def lifespan(app: FastAPI) -> AsyncIterator[None]:
        engine = None
        if sessions is None:
            engine = create_engine(settings.database_url)
            app.state.sessions = create_session_factory(engine)
        yield
        if engine is not None:
            await engine.dispose()

    app = FastAPI(title="crmflow", version="0.1.0", lifespan=lifespan)
    app.state.settings = settings
    app.state.sessions = sessions
    app.state.temporal = LazyTemporal(settings, temporal)
    install_error_handlers(app)

    @app.middleware("http")
    async def bind_request_id(request: Request, call_next: Callable[[Request], Awaitable[Response]]) -> Response:
        request_id = request.headers.get("x-request-id") or uuid.uuid4().hex
        structlog.contextvars.bind_contextvars(request_id=request_id)
        try:
            response = await call_next(request)
        finally:
            structlog.contextvars.unbind_contextvars("request_id")
        response.headers["x-request-id"] = request_id
        return response

    app.add_middleware(RequestLimits, max_body_bytes=settings.max_body_bytes)
    # Outermost (added last): counts every request, error answers included; one registry per app.
    app.state.metrics = ApiMetrics()
    app.add_middleware(MetricsMiddleware, metrics=app.state.metrics)

    for router in ROUTERS:
        app.include_router(router, responses=ERROR_RESPONSES)
    return app
