"""Processes (Temporal workflows) as ops and managers see them: thin over crmflow.inspection.

GET /v1/processes searches Temporal visibility; GET /v1/processes/{workflow_id} gives one process's state;
GET /v1/processes/{workflow_id}/history its timeline (or, with ?format=temporal, the Replayer's JSON).
"""

from __future__ import annotations

from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from typing import Annotated, Any, Literal

from fastapi import APIRouter, Query
from fastapi.responses import JSONResponse
from pydantic import BaseModel, ConfigDict
from temporalio.client import WorkflowExecutionDescription

from api.auth import Actor
from api.deps import Reader, Session, Temporal
from api.errors import ApiError, not_found
from api.schemas.common import IdQuery
from crmflow import inspection
from crmflow.inspection import STAGE_PATTERN, ProcessHistory, ProcessList, ProcessOut, ProcessStatus

router = APIRouter(prefix="/v1/processes", tags=["processes"])

# The registered processes' types, for validation and the OpenAPI enum.
ProcessType = Literal[inspection.known_process_types()]  # type: ignore[valid-type]


@asynccontextmanager
async def _answers(workflow_id: str) -> AsyncIterator[None]:
    """Inspection errors as HTTP: unknown or invisible → 404, Temporal down → 503, foreign cursor → 422."""
    try:
        yield
    except inspection.ProcessNotFound:
        raise not_found("process", workflow_id) from None
    except inspection.TemporalUnavailable as exc:
        raise ApiError(503, f"Temporal did not answer: {exc}") from None
    except inspection.BadCursor:
        raise ApiError(422, "cursor is not one this endpoint handed out", code="invalid_cursor") from None


async def _visible(temporal, session, actor: Actor, workflow_id: str) -> WorkflowExecutionDescription:
    description = await inspection.describe_process(temporal, workflow_id)
    await inspection.ensure_process_visible(session, actor, description.typed_search_attributes, workflow_id)
    return description


@router.get("/{workflow_id}", response_model=ProcessOut)
async def get_process(workflow_id: str, session: Session, temporal: Temporal, actor: Reader) -> ProcessOut:
    """State, stage, deadlines and pending tasks of one process (ops/admin: all; staff: their view; not service)."""
    async with _answers(workflow_id):
        return await inspection.process_view(temporal, await _visible(temporal, session, actor, workflow_id))


@router.get("", response_model=ProcessList)
async def list_processes(
    temporal: Temporal,
    actor: Reader,
    type: Annotated[ProcessType | None, Query(description="crmflow process type")] = None,  # noqa: A002
    status: Annotated[ProcessStatus | None, Query(description="Temporal execution status")] = None,
    customer_id: IdQuery = None,
    manager_id: IdQuery = None,
    stage: Annotated[str | None, Query(pattern=STAGE_PATTERN, description="e.g. open, in_progress")] = None,
    limit: Annotated[int, Query(ge=1, le=inspection.MAX_PAGE_SIZE, description="page size")] = 50,
    cursor: Annotated[str | None, Query(max_length=4096, description="next_cursor of the previous page")] = None,
) -> ProcessList:
    """Search processes (ops/admin: all; managers/directors: those of their subtree's managers; not service)."""
    query = inspection.visibility_query(
        actor.visible_staff_ids,
        process_type=type,
        status=status,
        customer_id=customer_id,
        manager_id=manager_id,
        stage=stage,
    )
    async with _answers(""):
        return await inspection.search_processes(temporal, query, page_size=limit, cursor=cursor)


class TemporalHistoryJson(BaseModel):
    """?format=temporal: the history exactly as Temporal exports it (what the SDK's Replayer accepts)."""

    model_config = ConfigDict(extra="allow")

    events: list[dict[str, Any]]


@router.get("/{workflow_id}/history", response_model=ProcessHistory | TemporalHistoryJson)
async def process_history(
    workflow_id: str,
    session: Session,
    temporal: Temporal,
    actor: Reader,
    format: Annotated[
        Literal["timeline", "temporal"],
        Query(  # noqa: A002
            description="timeline (readable) or temporal (the raw JSON the SDK's Replayer accepts)"
        ),
    ] = "timeline",
) -> ProcessHistory | JSONResponse:
    """When and what happened in a process: activities, timers, decisions with who took them, escalations."""
    async with _answers(workflow_id):
        description = await _visible(temporal, session, actor, workflow_id)
        if format == "temporal":
            return JSONResponse((await inspection.fetch_history(temporal, description)).to_json_dict())
        return await inspection.process_history(temporal, description)
