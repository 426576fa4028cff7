"""HTTP shapes of complaints and their actions (DESIGN §4)."""

from __future__ import annotations

from datetime import datetime
from decimal import Decimal
from typing import Annotated

from pydantic import BaseModel, ConfigDict, Field, StringConstraints, model_validator

from api.schemas.common import Id, RequestBody
from definitions.complaint import Severity, Stage

Text = Annotated[str, StringConstraints(strip_whitespace=True, min_length=1)]
Note = Annotated[str, StringConstraints(strip_whitespace=True, max_length=4000)]


class _Body(RequestBody):
    """Complaint action bodies: bounded and storable like every request."""


class ComplaintCreate(_Body):
    """POST /v1/complaints."""

    model_config = ConfigDict(
        json_schema_extra={
            "examples": [
                {
                    "customer_id": 42,
                    "severity": "high",
                    "category": "delivery",
                    "description": "The March order arrived two weeks late and the customer lost a sale.",
                    "channel": "phone",
                },
            ]
        }
    )

    customer_id: Id
    severity: Severity
    category: Annotated[str, StringConstraints(strip_whitespace=True, min_length=1, max_length=64)]
    description: Annotated[str, StringConstraints(strip_whitespace=True, min_length=1, max_length=20000)]
    channel: Annotated[str, StringConstraints(strip_whitespace=True, min_length=1, max_length=32)]


class AcknowledgeBody(_Body):
    model_config = ConfigDict(
        json_schema_extra={
            "examples": [
                {"note": "Called the customer back; checking with logistics."},
            ]
        }
    )

    note: Note | None = None


class ResolveBody(_Body):
    model_config = ConfigDict(
        json_schema_extra={
            "examples": [
                {
                    "resolution": "Refunded the shipping fee and expedited the next order.",
                    "compensation_amount": "200.00",
                },
            ]
        }
    )

    resolution: Annotated[str, StringConstraints(strip_whitespace=True, min_length=1, max_length=20000)]
    compensation_amount: Decimal | None = Field(default=None, ge=0, max_digits=16, decimal_places=2)


class WaitOnCustomerBody(_Body):
    note: Note | None = None


class ResumeBody(_Body):
    note: Note | None = None


class CustomerResponseBody(_Body):
    """The customer's answer: accept (with a satisfaction score 1–5) or reopen (accepted=false)."""

    model_config = ConfigDict(
        json_schema_extra={
            "examples": [
                {"accepted": True, "satisfaction": 4, "comment": "Thank you for the quick refund."},
                {"accepted": False, "comment": "The refund has not arrived."},
            ]
        }
    )

    accepted: bool
    satisfaction: int | None = Field(default=None, ge=1, le=5)
    comment: Note | None = None

    @model_validator(mode="after")
    def _score_when_accepted(self) -> CustomerResponseBody:
        if self.accepted and self.satisfaction is None:
            raise ValueError("satisfaction (1-5) is required when the customer accepts")
        return self


class ReassignBody(_Body):
    model_config = ConfigDict(
        json_schema_extra={
            "examples": [
                {"owner_id": 7, "note": "Li Wei knows this customer best."},
            ]
        }
    )

    owner_id: Id
    note: Note | None = None


class ComplaintOut(BaseModel):
    """A complaint with its SLA deadlines, stage and outcomes; `status` and `stage` are the same value."""

    model_config = ConfigDict(from_attributes=True)

    id: str
    customer_id: int
    severity: Severity
    category: str
    description: str
    channel: str
    status: Stage
    stage: Stage
    owner_id: int | None
    escalation_level: int
    respond_by: datetime | None  # the deadline in force: an escalation moves it to the new owner's window
    resolve_by: datetime | None
    original_respond_by: datetime | None  # the first window's deadlines
    original_resolve_by: datetime | None
    acknowledged_at: datetime | None
    resolved_at: datetime | None
    closed_at: datetime | None
    resolution: str | None
    compensation_amount: Decimal | None
    sla_response_met: bool | None
    sla_resolution_met: bool | None
    response_seconds: float | None
    resolution_seconds: float | None
    paused_seconds: float
    satisfaction: int | None
    reopen_count: int
    close_reason: str | None
    process_id: str | None
    definition_version: str | None
    created_at: datetime
    updated_at: datetime

    @classmethod
    def from_row(cls, row: object) -> ComplaintOut:
        data = {name: getattr(row, name) for name in cls.model_fields if name != "stage"}
        return cls(**data, stage=data["status"])


class ComplaintList(BaseModel):
    items: list[ComplaintOut]
    total: int
    limit: int
    offset: int
