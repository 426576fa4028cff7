"""HTTP schemas of customers, their follow-ups and transactions."""

from __future__ import annotations

from datetime import date, datetime
from decimal import Decimal
from typing import Annotated, Literal

from pydantic import AfterValidator, BaseModel, ConfigDict, Field, StringConstraints

from api.schemas.common import RequestBody, StoredDate, StoredDatetime
from db.repositories.customers import normalise_name

CustomerName = Annotated[
    str, StringConstraints(strip_whitespace=True, min_length=1, max_length=200), AfterValidator(normalise_name)
]
Region = Annotated[str, StringConstraints(strip_whitespace=True, min_length=1, max_length=64)]
Industry = Annotated[str, StringConstraints(strip_whitespace=True, max_length=64)]
ExternalRef = Annotated[str, StringConstraints(strip_whitespace=True, min_length=1, max_length=128)]
Amount = Annotated[Decimal, Field(gt=0, max_digits=16, decimal_places=2)]
Channel = Literal["phone", "email", "visit", "meeting", "wechat", "message", "other"]
CustomerStatusName = Literal["pending", "active", "rejected", "pool"]


class CustomerCreate(RequestBody):
    """POST /v1/customers: onboard a customer."""

    model_config = ConfigDict(
        json_schema_extra={
            "examples": [
                {
                    "name": "Acme Trading",
                    "region": "east",
                    "industry": "retail",
                    "declared_annual_value": "120000.00",
                    "external_ref": "CRM-1042",
                },
            ]
        }
    )

    name: CustomerName
    region: Region
    industry: Industry = ""
    declared_annual_value: Annotated[Decimal, Field(ge=0, max_digits=16, decimal_places=2)] = Decimal(0)
    external_ref: ExternalRef | None = None


class CustomerOut(BaseModel):
    """A customer as the API shows it."""

    model_config = ConfigDict(from_attributes=True)

    id: int
    name: str
    external_ref: str | None
    region: str
    industry: str
    declared_annual_value: Decimal
    tier: int
    status: str
    status_reason: str | None = None
    owner_id: int | None
    previous_owner_id: int | None
    owner_assigned_at: datetime | None
    last_follow_up_at: datetime | None
    next_contact_at: datetime | None = None  # when the owner should next contact it (None: nobody holds it)
    activated_at: datetime | None = None
    created_at: datetime
    updated_at: datetime
    process_id: str | None = None  # the onboarding workflow


class CustomerList(BaseModel):
    """One page of customers."""

    items: list[CustomerOut]
    total: int
    limit: int
    offset: int


class FollowUpCreate(RequestBody):
    """POST /v1/customers/{id}/follow-ups."""

    model_config = ConfigDict(
        json_schema_extra={
            "examples": [
                {
                    "channel": "phone",
                    "note": "Discussed the renewal; sending a quote on Friday.",
                    "occurred_at": "2026-03-02T10:00:00+08:00",
                },
            ]
        }
    )

    channel: Channel
    note: Annotated[str, StringConstraints(strip_whitespace=True, max_length=4000)] = ""
    occurred_at: StoredDatetime | None = None  # default: now; never in the future


class FollowUpOut(BaseModel):
    model_config = ConfigDict(from_attributes=True)

    id: int
    customer_id: int
    staff_id: int | None
    channel: str
    note: str
    occurred_at: datetime


class FollowUpList(BaseModel):
    items: list[FollowUpOut]
    total: int
    limit: int
    offset: int


class TransactionCreate(RequestBody):
    """POST /v1/customers/{id}/transactions."""

    model_config = ConfigDict(
        json_schema_extra={
            "examples": [
                {"amount": "15800.00", "occurred_on": "2026-03-01", "external_ref": "INV-2026-0042"},
            ]
        }
    )

    amount: Amount
    occurred_on: StoredDate
    external_ref: ExternalRef | None = None


class TransactionOut(BaseModel):
    model_config = ConfigDict(from_attributes=True)

    id: int
    customer_id: int
    amount: Decimal
    occurred_on: date
    external_ref: str | None
    created_at: datetime


class TransactionList(BaseModel):
    items: list[TransactionOut]
    total: int
    limit: int
    offset: int
