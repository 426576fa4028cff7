"""Processes (Temporal workflows) as ops and managers see them.

GET /v1/processes searches Temporal visibility; GET /v1/processes/{workflow_id} gives one process's state;
GET /v1/processes/{workflow_id}/history its timeline (or, with ?format=temporal, the Replayer's JSON).
`describe_process` and `ensure_process_visible` are the building blocks these routes share.
"""

from __future__ import annotations

from datetime import datetime, timedelta
from typing import Annotated, Any, Literal

from fastapi import APIRouter, Query
from fastapi.responses import JSONResponse
from pydantic import BaseModel, ConfigDict
from temporalio.client import Client, WorkflowExecution, WorkflowExecutionDescription
from temporalio.common import TypedSearchAttributes
from temporalio.service import RPCError, RPCStatusCode

from api.schemas.common import IdQuery
from api.auth import Actor
from api.deps import Reader, Session, Temporal
from api.errors import ApiError, not_found
from crmflow.history import TimelineEntry, render_timeline
from crmflow.temporal import SA_CUSTOMER_ID, SA_MANAGER_ID, SA_PROCESS_TYPE, SA_STAGE, SEARCH_ATTRIBUTES
from db.models import Customer

router = APIRouter(prefix="/v1/processes", tags=["processes"])

STATE_QUERY = "status"  # every crmflow workflow answers its state under this query name
QUERY_TIMEOUT = timedelta(seconds=5)


class ProcessOut(BaseModel):
    """One process: identity, Temporal status, crmflow search attributes and the workflow's own state."""

    workflow_id: str
    run_id: str | None
    type: str
    status: str  # running | completed | failed | canceled | terminated | continued_as_new | timed_out
    process_type: str | None
    stage: str | None
    customer_id: str | None
    manager_id: str | None
    started_at: datetime | None
    closed_at: datetime | None
    history_length: int
    search_attributes: dict[str, str]
    state: dict[str, Any] | None  # the workflow's `status` query (stage, deadlines, pending tasks…)


def search_attribute_values(attributes: TypedSearchAttributes) -> dict[str, str]:
    """The crmflow keyword attributes of a workflow, by name."""
    values: dict[str, str] = {}
    for key in SEARCH_ATTRIBUTES:
        value = attributes.get(key)
        if value is not None:
            values[key.name] = str(value)
    return values


async def describe_process(temporal: Client, workflow_id: str) -> WorkflowExecutionDescription:
    """Describe the latest run of `workflow_id`; 404 when Temporal does not know it."""
    try:
        return await temporal.get_workflow_handle(workflow_id).describe()
    except RPCError as exc:
        if exc.status == RPCStatusCode.NOT_FOUND:
            raise not_found("process", workflow_id) from None
        raise ApiError(503, f"Temporal did not answer: {exc.message}") from None


async def ensure_process_visible(session, actor: Actor, attributes: TypedSearchAttributes, workflow_id: str) -> None:
    """Managers/directors see processes of their subtree's staff or customers; others get a 404 (no leak)."""
    if actor.sees_all:
        return
    manager_id = attributes.get(SA_MANAGER_ID)
    if manager_id and manager_id.isdigit() and actor.can_see_staff(int(manager_id)):
        return
    customer_id = attributes.get(SA_CUSTOMER_ID)
    if customer_id and customer_id.isdigit():
        customer = await session.get(Customer, int(customer_id))
        if customer is not None and actor.can_see_staff(customer.owner_id):
            return
    raise not_found("process", workflow_id)


async def query_state(temporal: Client, workflow_id: str, run_id: str | None) -> dict[str, Any] | None:
    """The workflow's `status` query as plain JSON, or None when it has none or no worker answers."""
    try:
        state = await temporal.get_workflow_handle(workflow_id, run_id=run_id).query(
            STATE_QUERY, rpc_timeout=QUERY_TIMEOUT
        )
    except Exception:  # noqa: BLE001 - the state is optional: a missing query or idle worker leaves it out
        return None
    return state if isinstance(state, dict) else {"value": state}


@router.get("/{workflow_id}", response_model=ProcessOut)
async def get_process(workflow_id: str, session: Session, temporal: Temporal, actor: Reader) -> ProcessOut:
    """State, stage, deadlines and pending tasks of one process (ops/admin: all; staff: their view; not service)."""
    description = await describe_process(temporal, workflow_id)
    attributes = description.typed_search_attributes
    await ensure_process_visible(session, actor, attributes, workflow_id)
    status = description.status.name.lower() if description.status is not None else "unknown"
    return ProcessOut(
        workflow_id=description.id,
        run_id=description.run_id,
        type=description.workflow_type,
        status=status,
        process_type=attributes.get(SA_PROCESS_TYPE),
        stage=attributes.get(SA_STAGE),
        customer_id=attributes.get(SA_CUSTOMER_ID),
        manager_id=attributes.get(SA_MANAGER_ID),
        started_at=description.start_time,
        closed_at=description.close_time,
        history_length=description.history_length,
        search_attributes=search_attribute_values(attributes),
        state=await query_state(temporal, description.id, description.run_id),
    )


# --- search ------------------------------------------------------------------------------------

# Filter values end up inside a visibility query string: every one is either one of these known values,
# an integer, or a stage matching STAGE_PATTERN (letters, digits, - and _ only) — never free text.
ProcessType = Literal["complaint", "onboarding", "tiering", "tier_change", "reclaim", "review", "review-cycle"]
ProcessStatus = Literal[
    "running", "completed", "failed", "terminated", "canceled", "timed_out", "continued_as_new"
]
EXECUTION_STATUS = {
    "running": "Running", "completed": "Completed", "failed": "Failed", "terminated": "Terminated",
    "canceled": "Canceled", "timed_out": "TimedOut", "continued_as_new": "ContinuedAsNew",
}
STAGE_PATTERN = r"^[a-z][a-z0-9_-]{0,63}$"
MAX_LIMIT = 500


class ProcessSummary(BaseModel):
    """One search hit: identity, status and the crmflow search attributes."""

    workflow_id: str
    run_id: str
    type: str
    status: str
    process_type: str | None
    stage: str | None
    customer_id: str | None
    manager_id: str | None
    started_at: datetime | None
    closed_at: datetime | None


class ProcessList(BaseModel):
    items: list[ProcessSummary]
    query: str  # the visibility query that ran (handy to paste into the Temporal UI)


def visibility_query(
    visible_manager_ids: frozenset[int] | None,
    *,
    process_type: str | None = None,
    status: str | None = None,
    customer_id: int | None = None,
    manager_id: int | None = None,
    stage: str | None = None,
) -> str | None:
    """The Temporal list filter for already validated values (visible_manager_ids None = all; empty = nothing → None)."""
    clauses = []
    if process_type is not None:
        clauses.append(f"{SA_PROCESS_TYPE.name} = '{process_type}'")
    if status is not None:
        clauses.append(f"ExecutionStatus = '{EXECUTION_STATUS[status]}'")
    if customer_id is not None:
        clauses.append(f"{SA_CUSTOMER_ID.name} = '{int(customer_id)}'")
    if manager_id is not None:
        clauses.append(f"{SA_MANAGER_ID.name} = '{int(manager_id)}'")
    if stage is not None:
        clauses.append(f"{SA_STAGE.name} = '{stage}'")
    if visible_manager_ids is not None:
        visible = sorted(visible_manager_ids)
        if not visible:
            return None
        clauses.append(f"{SA_MANAGER_ID.name} IN ({', '.join(repr(str(i)) for i in visible)})")
    return " AND ".join(clauses)


def summarize(execution: WorkflowExecution) -> ProcessSummary:
    attributes = execution.typed_search_attributes
    return ProcessSummary(
        workflow_id=execution.id,
        run_id=execution.run_id,
        type=execution.workflow_type,
        status=execution.status.name.lower() if execution.status is not None else "unknown",
        process_type=attributes.get(SA_PROCESS_TYPE),
        stage=attributes.get(SA_STAGE),
        customer_id=attributes.get(SA_CUSTOMER_ID),
        manager_id=attributes.get(SA_MANAGER_ID),
        started_at=execution.start_time,
        closed_at=execution.close_time,
    )


@router.get("", response_model=ProcessList)
async def list_processes(
    temporal: Temporal,
    actor: Reader,
    type: Annotated[ProcessType | None, Query(description="crmflow process type")] = None,  # noqa: A002
    status: Annotated[ProcessStatus | None, Query(description="Temporal execution status")] = None,
    customer_id: IdQuery = None,
    manager_id: IdQuery = None,
    stage: Annotated[str | None, Query(pattern=STAGE_PATTERN, description="e.g. open, in_progress")] = None,
    limit: Annotated[int, Query(ge=1, le=MAX_LIMIT)] = 50,
) -> ProcessList:
    """Search processes (ops/admin: all; managers/directors: those of their subtree's managers; not service)."""
    query = visibility_query(actor.visible_staff_ids, process_type=type, status=status, customer_id=customer_id,
                             manager_id=manager_id, stage=stage)
    if query is None:
        return ProcessList(items=[], query="")
    try:
        items = [summarize(e) async for e in temporal.list_workflows(query or None, limit=limit,
                                                                      page_size=min(limit, 1000))]
    except RPCError as exc:
        raise ApiError(503, f"Temporal visibility did not answer: {exc.message}") from None
    return ProcessList(items=items, query=query)


# --- history -----------------------------------------------------------------------------------


class ProcessHistory(BaseModel):
    """The readable timeline of the latest run of a process."""

    workflow_id: str
    run_id: str
    type: str
    events: list[TimelineEntry]


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
    format: Annotated[Literal["timeline", "temporal"], Query(  # noqa: A002
        description="timeline (readable) or temporal (the raw JSON the SDK's Replayer accepts)")] = "timeline",
) -> ProcessHistory | JSONResponse:
    """When and what happened in a process: activities, timers, decisions with who took them, escalations."""
    description = await describe_process(temporal, workflow_id)
    await ensure_process_visible(session, actor, description.typed_search_attributes, workflow_id)
    try:
        history = await temporal.get_workflow_handle(workflow_id, run_id=description.run_id).fetch_history()
    except RPCError as exc:
        raise ApiError(503, f"Temporal did not answer: {exc.message}") from None
    if format == "temporal":
        return JSONResponse(history.to_json_dict())
    return ProcessHistory(
        workflow_id=description.id,
        run_id=description.run_id,
        type=description.workflow_type,
        events=await render_timeline(history, temporal.data_converter),
    )
