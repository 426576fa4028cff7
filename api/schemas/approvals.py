"""HTTP schemas of approval requests on configurable flows (DESIGN §3.10)."""

from __future__ import annotations

from datetime import datetime
from typing import Any, Literal

from pydantic import BaseModel, ConfigDict, Field

from api.schemas.common import Id
from api.schemas.tasks import TaskOut

Comment = Field(default=None, max_length=4000)


class ApprovalCreate(BaseModel):
    """Start a request on a flow; `fields` are checked against the flow's form (422 per field)."""

    model_config = ConfigDict(
        extra="forbid",
        json_schema_extra={
            "examples": [
                {
                    "flow": "discount",
                    "title": "10 % for the renewal",
                    "customer_id": 42,
                    "fields": {"percent": 10, "reason": "A competitor offered 8 %."},
                },
            ]
        },
    )

    flow: str = Field(min_length=1, max_length=64)
    title: str = Field(min_length=1, max_length=300)
    customer_id: Id | None = None
    subject_type: Literal["customer", "complaint", "task", "none"] | None = None
    subject_id: str | None = Field(default=None, max_length=64)
    fields: dict[str, Any] = Field(default_factory=dict)


class ApprovalOut(BaseModel):
    """A request as lists show it."""

    model_config = ConfigDict(from_attributes=True)

    id: str
    workflow_id: str
    flow: str
    flow_version: int
    flow_hash: str
    title: str
    requester_id: int | None
    requester_label: str
    customer_id: int | None
    subject_type: str
    subject_id: str | None
    fields: dict[str, Any]
    status: str  # pending | returned | approved | rejected | recalled
    current_step: str | None
    outcome_reason: str | None
    created_at: datetime
    decided_at: datetime | None


class ApprovalDetail(ApprovalOut):
    """One request: its steps (approvers, votes, who decided), every task with its decision, and the round."""

    steps: list[dict[str, Any]] = Field(default_factory=list)
    round: int = 1
    tasks: list[TaskOut] = Field(default_factory=list)


class ApprovalList(BaseModel):
    items: list[ApprovalOut]
    total: int
    limit: int
    offset: int


class ApprovalDecisionBody(BaseModel):
    model_config = ConfigDict(
        extra="forbid",
        json_schema_extra={
            "examples": [
                {"decision": "approve", "comment": "Within budget."},
                {"decision": "send_back", "to_step": "requester", "comment": "Attach the competitor quote."},
            ]
        },
    )

    decision: Literal["approve", "reject", "send_back"]
    comment: str | None = Comment
    to_step: str | None = Field(default=None, max_length=64, description="send_back: an earlier step or 'requester'")
    fields: dict[str, Any] | None = Field(
        default=None, description="approve: the flow's decision form (e.g. a review's rating and comment)"
    )


class AddApproverBody(BaseModel):
    model_config = ConfigDict(extra="forbid")

    staff_id: Id
    position: Literal["before", "after"] = "after"
    comment: str | None = Comment


class ApprovalDelegateBody(BaseModel):
    model_config = ConfigDict(extra="forbid")

    to_staff_id: Id
    comment: str | None = Comment


class ApprovalRecallBody(BaseModel):
    model_config = ConfigDict(extra="forbid")

    comment: str | None = Comment


class ResubmitBody(BaseModel):
    model_config = ConfigDict(extra="forbid")

    fields: dict[str, Any] | None = None
    comment: str | None = Comment


class CommentBody(BaseModel):
    model_config = ConfigDict(extra="forbid")

    text: str = Field(min_length=1, max_length=4000)


class FlowOut(BaseModel):
    """A flow as a start form needs it: its fields and steps (the pinned version is what a new request gets)."""

    flow: str
    version: int
    content_hash: str
    title: str
    titles: dict[str, str] = Field(default_factory=dict)  # the title per language, when the flow gives them
    subject: str
    customer_required: bool
    form: dict[str, Any]
    steps: list[dict[str, Any]]


class FlowList(BaseModel):
    items: list[FlowOut]
    total: int


class ApprovalEvent(BaseModel):
    """One audited event of a request (submitted, step started, decision, comment, timeout, outcome)."""

    model_config = ConfigDict(from_attributes=True)

    at: datetime
    action: str  # approval.* or task.* (the approvers' tasks)
    actor: str
    reason: str | None
    details: dict[str, Any] | None


class ApprovalEvents(BaseModel):
    items: list[ApprovalEvent]
    total: int
