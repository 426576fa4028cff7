"""HTTP schemas of human tasks (inbox, decisions, form completion, delegation, recall)."""

from __future__ import annotations

from datetime import datetime
from typing import Any, Literal

from pydantic import BaseModel, ConfigDict, Field

from api.schemas.common import Id, RequestBody

Comment = Field(default=None, max_length=4000)


class TaskOut(BaseModel):
    """A task as the inbox shows it."""

    model_config = ConfigDict(from_attributes=True)

    id: int
    workflow_id: str
    task_key: str
    process_type: str
    kind: str
    title: str
    status: str  # open | approved | rejected | completed | expired | recalled | cancelled
    assignee_id: int | None
    original_assignee_id: int | None
    delegate_id: int | None
    requester_id: int | None
    customer_id: int | None
    form: dict[str, Any] | None
    context: dict[str, Any] | None
    due_at: datetime | None
    escalation_level: int
    reminders_sent: int
    allow_chain_override: bool
    decision: str | None
    comment: str | None
    data: dict[str, Any] | None
    decided_by: int | None
    decided_at: datetime | None
    created_at: datetime
    updated_at: datetime


class TaskList(BaseModel):
    """One page of tasks."""

    items: list[TaskOut]
    total: int
    limit: int
    offset: int


class DecisionBody(RequestBody):
    """POST /v1/tasks/{id}/decision."""

    model_config = ConfigDict(json_schema_extra={"examples": [{"decision": "approve", "comment": "Agreed."}]})

    decision: Literal["approve", "reject"]
    comment: str | None = Comment


class CompleteBody(RequestBody):
    """POST /v1/tasks/{id}/complete: the form's data, checked against the task's form."""

    model_config = ConfigDict(
        json_schema_extra={
            "examples": [
                {"data": {"notes": "Kick-off call held; next review in June."}, "comment": "Done."},
            ]
        }
    )

    data: dict[str, Any]
    comment: str | None = Comment


class DelegateBody(RequestBody):
    """POST /v1/tasks/{id}/delegate."""

    model_config = ConfigDict(json_schema_extra={"examples": [{"to_staff_id": 5, "comment": "Away until Monday."}]})

    to_staff_id: Id
    comment: str | None = Comment


class RecallBody(RequestBody):
    """POST /v1/tasks/{id}/recall (body optional)."""

    comment: str | None = Comment
