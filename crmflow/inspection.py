"""Process inspection for ops, the API and the CLI alike: search, one process's state, its history.

Filter values end up inside a visibility query string: every one is a registered process type, a known
status, an integer, or a stage matching STAGE_PATTERN (letters, digits, - and _ only), never free text.
"""

from __future__ import annotations

import base64
import binascii
import hashlib
from datetime import datetime, timedelta
from typing import TYPE_CHECKING, Any, Literal

from pydantic import BaseModel
from sqlalchemy.ext.asyncio import AsyncSession
from temporalio.client import Client, WorkflowExecution, WorkflowExecutionDescription, WorkflowHistory
from temporalio.common import TypedSearchAttributes
from temporalio.service import RPCError, RPCStatusCode

from crmflow.history import TimelineEntry, render_timeline
from crmflow.registry import STATE_QUERY, process_types, spec_for_workflow_type
from crmflow.temporal import SA_CUSTOMER_ID, SA_MANAGER_ID, SA_PROCESS_TYPE, SA_STAGE, SEARCH_ATTRIBUTES
from db.models import Customer

if TYPE_CHECKING:
    from api.auth import Actor

QUERY_TIMEOUT = timedelta(seconds=5)
ProcessStatus = Literal["running", "completed", "failed", "terminated", "canceled", "timed_out", "continued_as_new"]
EXECUTION_STATUS = {
    "running": "Running",
    "completed": "Completed",
    "failed": "Failed",
    "terminated": "Terminated",
    "canceled": "Canceled",
    "timed_out": "TimedOut",
    "continued_as_new": "ContinuedAsNew",
}
STAGE_PATTERN = r"^[a-z][a-z0-9_-]{0,63}$"
MAX_PAGE_SIZE = 500


class ProcessNotFound(LookupError):
    """Temporal knows no process with that workflow id (or the caller may not see it)."""


class TemporalUnavailable(RuntimeError):
    """Temporal did not answer."""


class BadCursor(ValueError):
    """A page cursor that this service did not hand out."""


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


class ProcessOut(ProcessSummary):
    """One process: its search hit, every crmflow search attribute and the workflow's own state."""

    history_length: int
    search_attributes: dict[str, str]
    state: dict[str, Any] | None  # the workflow's state query (stage, deadlines, pending tasks…)


class ProcessList(BaseModel):
    """One page of a process search."""

    items: list[ProcessSummary]
    next_cursor: str | None = None  # pass as `cursor` for the next page; null on the last one
    query: str  # the visibility query that ran (handy to paste into the Temporal UI)


class ProcessHistory(BaseModel):
    """The readable timeline of the latest run of a process."""

    workflow_id: str
    run_id: str
    type: str
    events: list[TimelineEntry]


def known_process_types() -> tuple[str, ...]:
    """Every CrmProcessType a registered process stamps on its runs."""
    return process_types()


def search_attribute_values(attributes: TypedSearchAttributes) -> dict[str, str]:
    """The crmflow keyword attributes of a workflow, by name."""
    values: dict[str, str] = {}
    for key in SEARCH_ATTRIBUTES:
        value = attributes.get(key)
        if value is not None:
            values[key.name] = str(value)
    return values


def _status_name(status: Any) -> str:
    return status.name.lower() if status is not None else "unknown"


async def describe_process(client: Client, workflow_id: str) -> WorkflowExecutionDescription:
    """Describe the latest run of `workflow_id`."""
    try:
        return await client.get_workflow_handle(workflow_id).describe()
    except RPCError as exc:
        if exc.status == RPCStatusCode.NOT_FOUND:
            raise ProcessNotFound(workflow_id) from None
        raise TemporalUnavailable(exc.message) from None


async def ensure_process_visible(
    session: AsyncSession, actor: Actor, attributes: TypedSearchAttributes, workflow_id: str
) -> None:
    """Managers/directors see processes of their subtree's staff or customers; others: ProcessNotFound (no leak)."""
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
    raise ProcessNotFound(workflow_id)


async def query_state(client: Client, description: WorkflowExecutionDescription) -> dict[str, Any] | None:
    """The workflow's state query (named by its process's spec) as plain JSON; None when no worker answers."""
    spec = spec_for_workflow_type(description.workflow_type)
    query = spec.state_query if spec is not None else STATE_QUERY
    try:
        state = await client.get_workflow_handle(description.id, run_id=description.run_id).query(
            query, rpc_timeout=QUERY_TIMEOUT
        )
    except Exception:  # noqa: BLE001 - the state is optional: an idle worker or an unknown type leaves it out
        return None
    if state is None or isinstance(state, dict):
        return state
    return {"value": state}


async def process_view(client: Client, description: WorkflowExecutionDescription) -> ProcessOut:
    """A described process with its search attributes and its state."""
    return ProcessOut(
        **summarize(description).model_dump(),
        history_length=description.history_length,
        search_attributes=search_attribute_values(description.typed_search_attributes),
        state=await query_state(client, description),
    )


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
        status=_status_name(execution.status),
        process_type=attributes.get(SA_PROCESS_TYPE),
        stage=attributes.get(SA_STAGE),
        customer_id=attributes.get(SA_CUSTOMER_ID),
        manager_id=attributes.get(SA_MANAGER_ID),
        started_at=execution.start_time,
        closed_at=execution.close_time,
    )


def _encode_cursor(token: bytes) -> str:
    """Temporal's page token, with a checksum so that a made-up cursor never reaches the server."""
    return base64.urlsafe_b64encode(hashlib.sha256(token).digest()[:8] + token).decode("ascii").rstrip("=")


def _decode_cursor(cursor: str) -> bytes:
    try:
        raw = base64.urlsafe_b64decode(cursor.encode("ascii") + b"=" * (-len(cursor) % 4))
    except (binascii.Error, ValueError, UnicodeEncodeError):
        raise BadCursor(cursor) from None
    check, token = raw[:8], raw[8:]
    if not token or hashlib.sha256(token).digest()[:8] != check:
        raise BadCursor(cursor)
    return token


async def search_processes(
    client: Client, query: str | None, *, page_size: int = 50, cursor: str | None = None
) -> ProcessList:
    """One page of the processes matching `query` (None: the caller may see nothing)."""
    if query is None:
        return ProcessList(items=[], query="")
    token = _decode_cursor(cursor) if cursor else None
    pages = client.list_workflows(query or None, page_size=min(page_size, MAX_PAGE_SIZE), next_page_token=token)
    try:
        await pages.fetch_next_page()
    except RPCError as exc:
        raise TemporalUnavailable(exc.message) from None
    items = [summarize(e) for e in pages.current_page or ()]
    next_token = pages.next_page_token
    next_cursor = _encode_cursor(next_token) if next_token else None
    return ProcessList(items=items, next_cursor=next_cursor, query=query)


async def fetch_history(client: Client, description: WorkflowExecutionDescription) -> WorkflowHistory:
    """The full history of the described run."""
    try:
        return await client.get_workflow_handle(description.id, run_id=description.run_id).fetch_history()
    except RPCError as exc:
        raise TemporalUnavailable(exc.message) from None


async def process_history(client: Client, description: WorkflowExecutionDescription) -> ProcessHistory:
    """The described run's history as a readable timeline."""
    history = await fetch_history(client, description)
    return ProcessHistory(
        workflow_id=description.id,
        run_id=description.run_id,
        type=description.workflow_type,
        events=await render_timeline(history, client.data_converter),
    )
