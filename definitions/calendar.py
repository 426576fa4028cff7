"""The business calendar: working hours, weekdays, holidays and 调休, and pure business-time arithmetic.

Workflows call `add_business_time` inside the Temporal sandbox, so everything here is pure: the
country's holidays are resolved into concrete dates when the definition is *loaded* (by the API or
the starter, outside any workflow) and travel inside the pinned snapshot. Deserialising the snapshot
in a workflow never calls the `holidays` package again (the resolved dates are already present), so
a replay computes the same deadlines even after `holidays` is upgraded or a government reschedules a
holiday.
"""

from __future__ import annotations

from datetime import date, datetime, time, timedelta
from functools import cached_property
from typing import Any
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from pydantic import Field, field_serializer, field_validator, model_validator

from definitions.base import StrictModel

WEEKDAY_NAMES = ("mon", "tue", "wed", "thu", "fri", "sat", "sun")
DEFAULT_HOLIDAY_SPAN = (-1, 4)  # years around the load date whose country holidays are resolved
_MAX_SCAN_DAYS = 3 * 366  # a calendar with no working day for three years is a definition bug


def _parse_clock(value: Any) -> time:
    if isinstance(value, time):
        return value
    if isinstance(value, int):
        # YAML 1.1 reads an unquoted 18:00 as the base-60 number 1080; say so instead of guessing.
        raise ValueError("write times as quoted strings, e.g. '18:00' (unquoted YAML reads 18:00 as a number)")
    if not isinstance(value, str):
        raise ValueError(f"{value!r} is not a time of day (use HH:MM)")
    text = value.strip()
    if text in ("24:00", "24:00:00"):
        return time.max  # "end of day"; formatted back as 24:00
    try:
        return time.fromisoformat(text if len(text) > 4 else text.zfill(5))
    except ValueError:
        raise ValueError(f"{value!r} is not a time of day (use HH:MM, e.g. 09:00)") from None


def _format_clock(value: time) -> str:
    return "24:00" if value == time.max else value.strftime("%H:%M")


class WorkingPeriod(StrictModel):
    """One stretch of working time within a day, e.g. 09:00–18:00 (`end` may be 24:00)."""

    start: time
    end: time

    @field_validator("start", "end", mode="before")
    @classmethod
    def _clock(cls, value: Any) -> time:
        return _parse_clock(value)

    @field_serializer("start", "end")
    def _clock_text(self, value: time) -> str:
        return _format_clock(value)

    @model_validator(mode="before")
    @classmethod
    def _from_text(cls, value: Any) -> Any:
        # "09:00-18:00" (or with an en dash) is the readable form used in YAML.
        if isinstance(value, str):
            parts = value.replace("–", "-").split("-")
            if len(parts) != 2:
                raise ValueError(f"{value!r} is not a period of the day (use e.g. 09:00-18:00)")
            return {"start": parts[0], "end": parts[1]}
        return value

    @model_validator(mode="after")
    def _ordered(self) -> WorkingPeriod:
        if self.start >= self.end:
            raise ValueError(f"working period must end after it starts ({self})")
        return self

    def __str__(self) -> str:
        return f"{_format_clock(self.start)}-{_format_clock(self.end)}"


def _weekday_number(value: Any) -> int:
    """Monday = 1 … Sunday = 7 (ISO), from a number or a name such as `mon` / `Monday`."""
    if isinstance(value, int) and not isinstance(value, bool) and 1 <= value <= 7:
        return value
    if isinstance(value, str) and value.strip()[:3].lower() in WEEKDAY_NAMES:
        return WEEKDAY_NAMES.index(value.strip()[:3].lower()) + 1
    raise ValueError(f"{value!r} is not a weekday (use mon..sun or 1..7)")


def resolve_country_holidays(country: str, years: range) -> tuple[list[date], list[date]]:
    """The country's public holidays and its official weekend working days (调休) for `years`."""
    import holidays  # imported here: only the loader resolves holidays, never a workflow

    try:
        calendar = holidays.country_holidays(country, years=list(years))
    except NotImplementedError:
        raise ValueError(f"unknown holidays_country {country!r} (use an ISO code such as CN)") from None
    days_off = sorted(day for day in calendar if day.year in years)
    workdays = sorted(day for day in getattr(calendar, "weekend_workdays", ()) if day.year in years)
    return days_off, workdays


class BusinessCalendar(StrictModel):
    """When the business works: time zone, daily hours, weekdays, holidays and extra working days."""

    timezone: str = "Asia/Shanghai"
    working_hours: list[WorkingPeriod] = Field(default_factory=lambda: [WorkingPeriod(start="09:00", end="18:00")])
    weekdays: list[int] = Field(default_factory=lambda: [1, 2, 3, 4, 5])
    holidays_country: str | None = None
    # Inclusive years whose country holidays are resolved (default: last year to four years ahead);
    # outside them only weekdays and the explicit dates below count.
    holiday_years: tuple[int, int] | None = None
    holidays: list[date] = Field(default_factory=list)
    working_days: list[date] = Field(default_factory=list)
    # Filled by the loader from `holidays_country` (do not write these in YAML): the snapshot carries
    # concrete dates so the workflow sandbox never calls the holidays package.
    resolved_holidays: list[date] | None = None
    resolved_working_days: list[date] | None = None

    @field_validator("timezone")
    @classmethod
    def _known_zone(cls, value: str) -> str:
        try:
            ZoneInfo(value)
        except (ZoneInfoNotFoundError, ValueError):
            raise ValueError(f"unknown time zone {value!r} (use e.g. Asia/Shanghai)") from None
        return value

    @field_validator("working_hours", mode="before")
    @classmethod
    def _one_or_many(cls, value: Any) -> Any:
        return [value] if isinstance(value, str | dict) else value

    @field_validator("working_hours")
    @classmethod
    def _disjoint(cls, value: list[WorkingPeriod]) -> list[WorkingPeriod]:
        if not value:
            raise ValueError("working_hours needs at least one period, e.g. 09:00-18:00")
        ordered = sorted(value, key=lambda p: p.start)
        for before, after in zip(ordered, ordered[1:], strict=False):
            if after.start < before.end:
                raise ValueError(f"working periods overlap: {before} and {after}")
        return ordered

    @field_validator("weekdays", mode="before")
    @classmethod
    def _weekday_numbers(cls, value: Any) -> Any:
        if not isinstance(value, list):
            return value
        numbers = sorted({_weekday_number(item) for item in value})
        if not numbers:
            raise ValueError("weekdays must name at least one day")
        return numbers

    @field_validator("holiday_years")
    @classmethod
    def _span(cls, value: tuple[int, int] | None) -> tuple[int, int] | None:
        if value is not None and not (1900 < value[0] <= value[1] <= value[0] + 50):
            raise ValueError("holiday_years must be [first, last] with first <= last (at most 50 years)")
        return value

    @model_validator(mode="before")
    @classmethod
    def _resolve_country(cls, data: Any) -> Any:
        # Runs when a definition is loaded from YAML. A snapshot being deserialised (e.g. inside a
        # workflow) already carries resolved_* lists, so the holidays package is not touched again.
        if not isinstance(data, dict) or not data.get("holidays_country") or data.get("resolved_holidays") is not None:
            return data
        span = data.get("holiday_years")
        if span is None:
            this_year = date.today().year  # load time, outside any workflow
            span = (this_year + DEFAULT_HOLIDAY_SPAN[0], this_year + DEFAULT_HOLIDAY_SPAN[1])
        first, last = (int(year) for year in span)
        days_off, workdays = resolve_country_holidays(str(data["holidays_country"]), range(first, last + 1))
        return {
            **data,
            "holiday_years": (first, last),
            "resolved_holidays": days_off,
            "resolved_working_days": workdays,
        }

    @model_validator(mode="after")
    def _consistent(self) -> BusinessCalendar:
        both = set(self.holidays) & set(self.working_days)
        if both:
            raise ValueError(f"dates both holiday and working day: {', '.join(map(str, sorted(both)))}")
        return self

    @cached_property
    def zone(self) -> ZoneInfo:
        return ZoneInfo(self.timezone)

    @cached_property
    def _days_off(self) -> frozenset[date]:
        return frozenset(self.resolved_holidays or ()) | frozenset(self.holidays)

    @cached_property
    def _extra_workdays(self) -> frozenset[date]:
        # Explicit extra working days win over everything; explicit holidays win over the country's 调休.
        return frozenset(self.working_days) | (frozenset(self.resolved_working_days or ()) - frozenset(self.holidays))

    def is_working_day(self, day: date) -> bool:
        """Whether `day` (a local date) has working hours."""
        if day in self._extra_workdays:
            return True
        return day.isoweekday() in self.weekdays and day not in self._days_off

    def working_intervals(self, day: date) -> list[tuple[datetime, datetime]]:
        """The aware local [start, end) intervals of working time on `day` (empty on days off)."""
        if not self.is_working_day(day):
            return []
        intervals = []
        for period in self.working_hours:
            start = datetime.combine(day, period.start, tzinfo=self.zone)
            end = (
                datetime.combine(day + timedelta(days=1), time(), tzinfo=self.zone)
                if period.end == time.max
                else datetime.combine(day, period.end, tzinfo=self.zone)
            )
            intervals.append((start, end))
        return intervals

    def is_working_time(self, moment: datetime) -> bool:
        """Whether `moment` lies inside working time (period ends count as inside)."""
        local = moment.astimezone(self.zone)
        days = (local.date(), local.date() - timedelta(days=1))  # a 24:00 end belongs to the day before
        return any(start <= local <= end for day in days for start, end in self.working_intervals(day))


def _require_aware(moment: datetime) -> None:
    if moment.tzinfo is None or moment.utcoffset() is None:
        raise ValueError("business time needs a timezone-aware datetime (workflow.now() is aware)")


def add_business_time(start: datetime, duration: timedelta, calendar: BusinessCalendar) -> datetime:
    """The moment `duration` of working time after `start` (pure; returns in `start`'s time zone).

    A result that uses a period up to its end is that end (18:00, not the next morning), so
    add(add(s, a), b) == add(s, a + b). Zero duration returns `start` unchanged.
    """
    _require_aware(start)
    if duration < timedelta(0):
        raise ValueError("duration must not be negative")
    if duration == timedelta(0):
        return start
    remaining = duration
    cursor = start.astimezone(calendar.zone)
    day = cursor.date()
    idle_days = 0
    while idle_days <= _MAX_SCAN_DAYS:
        intervals = calendar.working_intervals(day)
        idle_days = 0 if intervals else idle_days + 1
        for interval_start, interval_end in intervals:
            begin = max(interval_start, cursor)
            if begin >= interval_end:
                continue
            available = interval_end - begin
            if remaining <= available:
                return (begin + remaining).astimezone(start.tzinfo)
            remaining -= available
        day += timedelta(days=1)
    raise ValueError("the business calendar has no working time in the foreseeable future")


def business_time_between(start: datetime, end: datetime, calendar: BusinessCalendar) -> timedelta:
    """The working time elapsed from `start` to `end` (zero if `end` is not after `start`); pure."""
    _require_aware(start)
    _require_aware(end)
    if end <= start:
        return timedelta(0)
    local_start, local_end = start.astimezone(calendar.zone), end.astimezone(calendar.zone)
    total = timedelta(0)
    day = local_start.date()
    while day <= local_end.date():
        for interval_start, interval_end in calendar.working_intervals(day):
            overlap = min(interval_end, local_end) - max(interval_start, local_start)
            if overlap > timedelta(0):
                total += overlap
        day += timedelta(days=1)
    return total
