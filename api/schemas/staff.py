"""HTTP schemas of staff (account managers and directors)."""

from __future__ import annotations

from datetime import datetime
from typing import Annotated

from pydantic import AfterValidator, BaseModel, ConfigDict, Field, StringConstraints, model_validator

from api.schemas.common import Id, RequestBody, StoredDatetime
from db.models import StaffRole

EMAIL_PATTERN = r"^[^@\s]+@[^@\s]+\.[^@\s]+$"


def _lower(value: str) -> str:
    return value.strip().lower()


Email = Annotated[
    str, StringConstraints(strip_whitespace=True, max_length=320, pattern=EMAIL_PATTERN), AfterValidator(_lower)
]
Name = Annotated[str, StringConstraints(strip_whitespace=True, min_length=1, max_length=200)]
Region = Annotated[str, StringConstraints(strip_whitespace=True, max_length=64)]


class StaffOut(BaseModel):
    """A staff member as the API shows it."""

    model_config = ConfigDict(from_attributes=True)

    id: int
    name: str
    email: str
    role: StaffRole
    supervisor_id: int | None
    region: str
    capacity: int
    active: bool
    out_of_office_until: datetime | None
    delegate_id: int | None
    created_at: datetime
    updated_at: datetime


class StaffList(BaseModel):
    """One page of staff."""

    items: list[StaffOut]
    total: int
    limit: int
    offset: int


class StaffCreate(RequestBody):
    """POST /v1/staff."""

    model_config = ConfigDict(
        json_schema_extra={
            "examples": [
                {
                    "name": "Wang Fang",
                    "email": "wang.fang@example.com",
                    "role": "account_manager_l2",
                    "supervisor_id": 3,
                    "region": "east",
                    "capacity": 50,
                },
            ]
        }
    )

    name: Name
    email: Email
    role: StaffRole
    supervisor_id: Id | None = None
    region: Region = ""
    capacity: int = Field(default=50, ge=0, le=100_000)
    out_of_office_until: StoredDatetime | None = None
    delegate_id: Id | None = None


class StaffUpdate(RequestBody):
    """PATCH /v1/staff/{id}: only the fields sent change (null clears supervisor, delegate, out of office)."""

    model_config = ConfigDict(
        json_schema_extra={
            "examples": [
                {"active": False},
                {"out_of_office_until": "2026-08-15T18:00:00+08:00", "delegate_id": 5},
            ]
        }
    )

    name: Name | None = None
    email: Email | None = None
    role: StaffRole | None = None
    supervisor_id: Id | None = None
    region: Region | None = None
    capacity: int | None = Field(default=None, ge=0, le=100_000)
    active: bool | None = None
    out_of_office_until: StoredDatetime | None = None
    delegate_id: Id | None = None

    @model_validator(mode="after")
    def _null_only_where_it_clears(self) -> StaffUpdate:
        cannot_clear = sorted(n for n in self.model_fields_set - CLEARABLE if getattr(self, n) is None)
        if cannot_clear:
            raise ValueError(f"{', '.join(cannot_clear)} cannot be null")
        return self

    def changes(self) -> dict[str, object]:
        """The fields the client sent (null clears supervisor, delegate and out of office)."""
        return {name: getattr(self, name) for name in sorted(self.model_fields_set)}


CLEARABLE = frozenset({"supervisor_id", "out_of_office_until", "delegate_id"})
