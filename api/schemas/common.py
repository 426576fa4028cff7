"""Bounded building blocks every request shape uses: ids, integers, dates and storable text (422 beyond them)."""

from __future__ import annotations

from datetime import date, datetime
from typing import Annotated, Any

from fastapi import Path, Query
from pydantic import AfterValidator, BaseModel, ConfigDict, Field, model_validator

# Every integer column is a 32-bit INTEGER on PostgreSQL; SQLite's 64-bit limit is wider, so one bound fits both.
MAX_INT = 2**31 - 1
# What both databases (and Python's datetime arithmetic in UTC) can hold without overflowing.
MIN_DATE = date(1900, 1, 1)
MAX_DATE = date(9999, 12, 30)


def unstorable(text: str) -> str | None:
    """Why the database cannot store `text` (NUL, lone surrogates), or None when it can."""
    if "\x00" in text:
        return "must not contain NUL characters"
    try:
        text.encode("utf-8")
    except UnicodeEncodeError:
        return "must be valid Unicode (no lone surrogates)"
    return None


def check_storable(value: Any, where: str = "") -> None:
    """Raise ValueError naming the field when any string in a (nested) value cannot be stored."""
    if isinstance(value, str):
        reason = unstorable(value)
        if reason:
            raise ValueError(f"{where or 'text'} {reason}")
    elif isinstance(value, dict):
        for key, item in value.items():
            check_storable(key, f"{where}.{key}" if where else "a key")
            check_storable(item, f"{where}.{key}" if where else str(key))
    elif isinstance(value, list | tuple):
        for index, item in enumerate(value):
            check_storable(item, f"{where}[{index}]")


class RequestBody(BaseModel):
    """Base of every request body: unknown fields and unstorable text are refused (422)."""

    model_config = ConfigDict(extra="forbid")

    @model_validator(mode="before")
    @classmethod
    def _storable(cls, data: Any) -> Any:
        check_storable(data)
        return data


def _in_range_datetime(value: datetime) -> datetime:
    # The local date is checked, not the UTC one: converting 0001-01-01T00:00+14:00 to UTC already overflows.
    # The bounds leave a day either side, so any offset still converts.
    if not MIN_DATE <= value.date() <= MAX_DATE:
        raise ValueError(f"must lie between {MIN_DATE.isoformat()} and {MAX_DATE.isoformat()}")
    return value


def _in_range_date(value: date) -> date:
    if not MIN_DATE <= value <= MAX_DATE:
        raise ValueError(f"must lie between {MIN_DATE.isoformat()} and {MAX_DATE.isoformat()}")
    return value


Id = Annotated[int, Field(ge=1, le=MAX_INT)]
BoundedInt = Annotated[int, Field(ge=-MAX_INT, le=MAX_INT)]
StoredDatetime = Annotated[datetime, AfterValidator(_in_range_datetime)]
StoredDate = Annotated[date, AfterValidator(_in_range_date)]

IdPath = Annotated[int, Path(ge=1, le=MAX_INT)]
IdQuery = Annotated[int | None, Query(ge=1, le=MAX_INT)]
Offset = Annotated[int, Query(ge=0, le=MAX_INT)]

__all__ = [
    "MAX_INT",
    "Id",
    "IdPath",
    "IdQuery",
    "Offset",
    "RequestBody",
    "StoredDate",
    "StoredDatetime",
    "BoundedInt",
    "check_storable",
    "unstorable",
]
