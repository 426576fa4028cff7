"""GET /metrics: Prometheus text for the API and the processes behind it.

Decision: unlike /healthz and /readyz, /metrics needs a bearer token of an ops or admin principal (scrape
with `authorization: {type: Bearer, credentials: <token>}` in the Prometheus job). The process gauges
describe the business (counts of complaints, tasks, customers, SLA breaches), which is not for anonymous
eyes, and DESIGN §4 asks for a token on everything but health. The Temporal SDK's worker metrics are
served by the worker itself (CRMFLOW_WORKER_METRICS_ADDRESS, default 127.0.0.1:9464), not here.
"""

from __future__ import annotations


from fastapi import APIRouter, Request, Response
from prometheus_client import CONTENT_TYPE_LATEST

from api.deps import Inspector, Session
from crmflow.metrics import process_snapshot, render

router = APIRouter(tags=["health"])


@router.get("/metrics", response_class=Response)
async def metrics(request: Request, session: Session, _: Inspector) -> Response:
    """Request counts and latencies by route, process counts by type and stage, SLA breaches (ops/admin)."""
    snapshot = await process_snapshot(session)
    return Response(render(request.app.state.metrics, snapshot), media_type=CONTENT_TYPE_LATEST)
