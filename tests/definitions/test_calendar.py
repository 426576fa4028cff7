"""The business calendar: hand examples and properties (monotonic, lands in working time, additive)."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta
from zoneinfo import ZoneInfo

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from pydantic import ValidationError

from definitions.calendar import BusinessCalendar, add_business_time, business_time_between

SHANGHAI = ZoneInfo("Asia/Shanghai")

CN = BusinessCalendar.model_validate(
    {
        "timezone": "Asia/Shanghai",
        "working_hours": "09:00-18:00",
        "holidays_country": "CN",
        "holiday_years": [2025, 2028],
    }
)
# Lunch break, a Saturday half-day pattern expressed as weekdays, an explicit holiday and 调休 day.
LUNCH = BusinessCalendar.model_validate(
    {
        "timezone": "Europe/Berlin",
        "working_hours": ["08:00-12:00", "13:00-17:30"],
        "weekdays": ["mon", "tue", "wed", "thu", "fri", "sat"],
        "holidays": [date(2026, 12, 24)],
        "working_days": [date(2026, 12, 27)],
    }
)
NIGHT = BusinessCalendar.model_validate({"timezone": "UTC", "working_hours": ["00:00-02:00", "22:00-24:00"]})
CALENDARS = [CN, LUNCH, NIGHT]


def local(*args: int) -> datetime:
    return datetime(*args, tzinfo=SHANGHAI)


# --- hand examples ---------------------------------------------------------------------------


def test_friday_evening_plus_two_hours_lands_monday_eleven() -> None:
    assert add_business_time(local(2026, 11, 27, 19, 30), timedelta(hours=2), CN) == local(2026, 11, 30, 11, 0)


def test_within_a_day_and_across_the_evening() -> None:
    assert add_business_time(local(2026, 11, 25, 10, 0), timedelta(hours=3), CN) == local(2026, 11, 25, 13, 0)
    assert add_business_time(local(2026, 11, 25, 17, 0), timedelta(hours=2), CN) == local(2026, 11, 26, 10, 0)
    assert add_business_time(local(2026, 11, 25, 7, 0), timedelta(hours=1), CN) == local(2026, 11, 25, 10, 0)


def test_using_a_day_up_to_its_end_is_that_end() -> None:
    assert add_business_time(local(2026, 11, 25, 9, 0), timedelta(hours=9), CN) == local(2026, 11, 25, 18, 0)


def test_cn_national_day_holidays_are_skipped() -> None:
    # 2026-10-01..07 are days off (National Day golden week); the next working day is Thu 10-08.
    assert add_business_time(local(2026, 9, 30, 17, 0), timedelta(hours=2), CN) == local(2026, 10, 8, 10, 0)


def test_cn_weekend_working_day_counts() -> None:
    # Saturday 2026-10-10 is an official working day (调休) resolved from the holidays package.
    assert date(2026, 10, 10).isoweekday() == 6
    assert add_business_time(local(2026, 10, 9, 17, 0), timedelta(hours=2), CN) == local(2026, 10, 10, 10, 0)


def test_explicit_extra_working_day_on_a_saturday_counts() -> None:
    calendar = BusinessCalendar(working_hours="09:00-18:00", working_days=[date(2026, 11, 28)])
    assert add_business_time(local(2026, 11, 27, 17, 0), timedelta(hours=2), calendar) == local(2026, 11, 28, 10, 0)


def test_explicit_holiday_is_skipped() -> None:
    calendar = BusinessCalendar(working_hours="09:00-18:00", holidays=[date(2026, 11, 30)])
    assert add_business_time(local(2026, 11, 27, 17, 0), timedelta(hours=2), calendar) == local(2026, 12, 1, 10, 0)


def test_lunch_break_is_not_working_time() -> None:
    berlin = ZoneInfo("Europe/Berlin")
    start = datetime(2026, 11, 25, 11, 0, tzinfo=berlin)
    assert add_business_time(start, timedelta(hours=2), LUNCH) == datetime(2026, 11, 25, 14, 0, tzinfo=berlin)


def test_result_keeps_the_time_zone_of_the_start() -> None:
    start = datetime(2026, 11, 27, 11, 30, tzinfo=UTC)  # 19:30 in Shanghai, a Friday evening
    result = add_business_time(start, timedelta(hours=2), CN)
    assert result.tzinfo is UTC
    assert result == local(2026, 11, 30, 11, 0)


def test_zero_duration_is_the_start_and_naive_or_negative_input_is_refused() -> None:
    start = local(2026, 11, 28, 3, 0)
    assert add_business_time(start, timedelta(0), CN) == start
    with pytest.raises(ValueError, match="timezone-aware"):
        add_business_time(datetime(2026, 11, 27, 10, 0), timedelta(hours=1), CN)
    with pytest.raises(ValueError, match="negative"):
        add_business_time(start, timedelta(hours=-1), CN)


def test_snapshot_round_trip_keeps_resolved_holidays_without_the_holidays_package(monkeypatch) -> None:
    import definitions.calendar as module

    snapshot = CN.model_dump_json()

    def _no_io(*_: object, **__: object) -> None:
        raise AssertionError("the holidays package must not be consulted when a snapshot is deserialised")

    monkeypatch.setattr(module, "resolve_country_holidays", _no_io)
    again = BusinessCalendar.model_validate_json(snapshot)
    assert again == CN
    assert date(2026, 10, 1) in (again.resolved_holidays or [])


@pytest.mark.parametrize(
    ("data", "message"),
    [
        ({"working_hours": "18:00-09:00"}, "must end after it starts"),
        ({"working_hours": ["09:00-13:00", "12:00-18:00"]}, "overlap"),
        ({"working_hours": "9am-6pm"}, "not a time of day"),
        ({"working_hours": {"start": 1080, "end": "19:00"}}, "quoted strings"),
        ({"weekdays": ["funday"]}, "not a weekday"),
        ({"weekdays": []}, "at least one day"),
        ({"timezone": "Mars/Olympus"}, "unknown time zone"),
        ({"holidays_country": "XX"}, "unknown holidays_country"),
        ({"holidays": ["2026-10-10"], "working_days": ["2026-10-10"]}, "both holiday and working day"),
        ({"workhours": "09:00-18:00"}, "Extra inputs"),
    ],
)
def test_invalid_calendars_are_refused(data: dict, message: str) -> None:
    with pytest.raises(ValidationError, match=message):
        BusinessCalendar.model_validate(data)


# --- properties ------------------------------------------------------------------------------

starts = st.datetimes(min_value=datetime(2025, 1, 1), max_value=datetime(2027, 12, 31), timezones=st.just(UTC))
durations = st.integers(min_value=0, max_value=60 * 24 * 15).map(
    lambda minutes: timedelta(minutes=minutes)
) | st.integers(min_value=0, max_value=3 * 24 * 3600).map(lambda seconds: timedelta(seconds=seconds))
calendars = st.sampled_from(CALENDARS)
PROPERTY = settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])


@PROPERTY
@given(calendar=calendars, start=starts, a=durations, b=durations)
def test_monotonic_in_duration(calendar: BusinessCalendar, start: datetime, a: timedelta, b: timedelta) -> None:
    shorter, longer = sorted((a, b))
    assert add_business_time(start, shorter, calendar) <= add_business_time(start, longer, calendar)


@PROPERTY
@given(calendar=calendars, s1=starts, s2=starts, duration=durations)
def test_monotonic_in_start(calendar: BusinessCalendar, s1: datetime, s2: datetime, duration: timedelta) -> None:
    earlier, later = sorted((s1, s2))
    assert add_business_time(earlier, duration, calendar) <= add_business_time(later, duration, calendar)


@PROPERTY
@given(calendar=calendars, start=starts, duration=durations.filter(lambda d: d > timedelta(0)))
def test_never_lands_outside_working_time(calendar: BusinessCalendar, start: datetime, duration: timedelta) -> None:
    result = add_business_time(start, duration, calendar)
    assert result > start
    assert calendar.is_working_time(result)


@PROPERTY
@given(calendar=calendars, start=starts, a=durations, b=durations)
def test_additive(calendar: BusinessCalendar, start: datetime, a: timedelta, b: timedelta) -> None:
    assert add_business_time(add_business_time(start, a, calendar), b, calendar) == add_business_time(
        start, a + b, calendar
    )


@PROPERTY
@given(calendar=calendars, start=starts, duration=durations)
def test_elapsed_business_time_inverts_adding(calendar: BusinessCalendar, start: datetime, duration: timedelta) -> None:
    assert business_time_between(start, add_business_time(start, duration, calendar), calendar) == duration


async def test_add_business_time_runs_inside_the_workflow_sandbox(time_env, monkeypatch) -> None:
    """The snapshot crosses the data converter and the deadline is computed in the sandbox, without holidays I/O."""
    import uuid

    from temporalio.worker import Worker

    import definitions.calendar as module
    from tests.definitions.calendar_probe import BusinessDeadlineWorkflow, DeadlineInput

    def _no_io(*_: object, **__: object) -> None:
        raise AssertionError("the holidays package must not be consulted inside a workflow")

    monkeypatch.setattr(module, "resolve_country_holidays", _no_io)
    queue = f"calendar-{uuid.uuid4().hex[:8]}"
    async with Worker(time_env.client, task_queue=queue, workflows=[BusinessDeadlineWorkflow]):
        result = await time_env.client.execute_workflow(
            BusinessDeadlineWorkflow.run,
            DeadlineInput(start=local(2026, 9, 30, 17, 0), duration=timedelta(hours=2), calendar=CN),
            id=f"calendar-{uuid.uuid4().hex[:8]}",
            task_queue=queue,
            result_type=datetime,
        )
    assert result == local(2026, 10, 8, 10, 0)
