"""Processes (Temporal workflows) as ops and managers see them: GET /v1/processes/{workflow_id}.

Extend here with search (GET /v1/processes) and history (…/history): `describe_process` and
`ensure_process_visible` are the building blocks those routes share.
"""

from __future__ import annotations

from datetime import datetime, timedelta
from typing import Any

from fastapi import APIRouter
from pydantic import BaseModel
from temporalio.client import Client, WorkflowExecutionDescription
from temporalio.common import TypedSearchAttributes
from temporalio.service import RPCError, RPCStatusCode

from api.auth import Actor
from api.deps import Reader, Session, Temporal
from api.errors import ApiError, not_found
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
