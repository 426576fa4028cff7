"""Shared pieces of every definition model: strictness, durations, version and hash."""

from __future__ import annotations

import re
from datetime import date, datetime, timedelta
from typing import Annotated, Protocol
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from pydantic import BaseModel, BeforeValidator, ConfigDict, Field, PlainSerializer, field_validator

_SHORT = re.compile(r"^\s*(\d+(?:\.\d+)?)\s*(s|m|h|d|w)\s*$")
_ISO = re.compile(
    r"^P(?:(?P<w>\d+)W)?(?:(?P<d>\d+)D)?(?:T(?:(?P<h>\d+)H)?(?:(?P<m>\d+)M)?(?:(?P<s>\d+(?:\.\d+)?)S)?)?$"
)
_UNITS = {"s": "seconds", "m": "minutes", "h": "hours", "d": "days", "w": "weeks"}


def parse_duration(value: object) -> timedelta:
    """Parse `30m` / `4h` / `3d` / ISO-8601 (`PT4H`, `P3D`) or seconds into a positive timedelta."""
    if isinstance(value, timedelta):
        result = value
    elif isinstance(value, int | float) and not isinstance(value, bool):
        result = timedelta(seconds=value)
    elif isinstance(value, str):
        short = _SHORT.match(value)
        iso = _ISO.match(value.strip().upper())
        if short:
            result = timedelta(**{_UNITS[short.group(2)]: float(short.group(1))})
        elif iso and any(iso.groupdict().values()):
            parts = {k: float(v) for k, v in iso.groupdict().items() if v}
            result = timedelta(
                weeks=parts.get("w", 0),
                days=parts.get("d", 0),
                hours=parts.get("h", 0),
                minutes=parts.get("m", 0),
                seconds=parts.get("s", 0),
            )
        else:
            raise ValueError(f"{value!r} is not a duration (use e.g. 30m, 4h, 3d or ISO-8601 PT4H)")
    else:
        raise ValueError(f"{value!r} is not a duration")
    if result <= timedelta(0):
        raise ValueError(f"duration {value!r} must be positive")
    return result


def format_duration(value: timedelta) -> str:
    """Seconds as an ISO-8601 duration (the snapshot keeps exact values)."""
    seconds = value.total_seconds()
    # Fixed-point, never exponent notation: "PT3.1536e+07S" would not parse back.
    text = str(int(seconds)) if seconds.is_integer() else f"{seconds:.6f}".rstrip("0")
    return f"PT{text}S"


Duration = Annotated[timedelta, BeforeValidator(parse_duration), PlainSerializer(format_duration, return_type=str)]


class DefinitionProblem(ValueError):
    """A cross-field check that names the key it is about, so the loader can point at that key's line.

    Raise it from a model validator: `raise DefinitionProblem("warning_fractions", "must ascend")`;
    the path is relative to the model raising it (dotted or a tuple; list indexes as ints).
    """

    def __init__(self, path: str | tuple[str | int, ...], message: str) -> None:
        super().__init__(message)
        self.path: tuple[str | int, ...] = tuple(path.split(".")) if isinstance(path, str) else tuple(path)


class StrictModel(BaseModel):
    """Unknown keys are errors; snapshots are immutable."""

    model_config = ConfigDict(extra="forbid", frozen=True)


class DefinitionMeta(StrictModel):
    """What every definition carries: its process name, version and (set by the loader) content hash."""

    process: str
    version: int = Field(ge=1)
    content_hash: str = ""


class ScheduleRule(StrictModel):
    """When a scheduled process starts: a cron expression in a time zone (None = settings.timezone)."""

    cron: str
    timezone: str | None = None
    catchup_window: Duration = timedelta(days=1)
    paused: bool = False

    @field_validator("cron")
    @classmethod
    def _five_fields(cls, value: str) -> str:
        if len(value.split()) != 5:
            raise ValueError("cron must have five fields: minute hour day-of-month month day-of-week")
        return value

    @field_validator("timezone")
    @classmethod
    def _known_zone(cls, value: str | None) -> str | None:
        if value is not None:
            try:
                ZoneInfo(value)
            except (ZoneInfoNotFoundError, ValueError) as exc:
                raise ValueError(f"unknown time zone {value!r}") from exc
        return value


class ScheduledDefinition(Protocol):
    """A definition whose process runs on a Temporal Schedule."""

    schedule: ScheduleRule


def local_date(moment: datetime, timezone: str | None) -> date:
    """The calendar date of `moment` in `timezone` (UTC when None): "today" as the company counts days."""
    return moment.astimezone(ZoneInfo(timezone)).date() if timezone else moment.date()
