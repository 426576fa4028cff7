"""Activity options, one way for every workflow: a typed helper whose result is spread into the activity call."""

from __future__ import annotations

from datetime import timedelta
from typing import TypedDict

from temporalio.common import RetryPolicy


class ActivityOptions(TypedDict, total=False):
    """The keyword arguments of `workflow.execute_activity*` that crmflow sets; mypy checks them at each `**`."""

    start_to_close_timeout: timedelta
    schedule_to_close_timeout: timedelta
    heartbeat_timeout: timedelta
    retry_policy: RetryPolicy


def activity_options(
    start_to_close: timedelta,
    retry: RetryPolicy,
    *,
    heartbeat: timedelta | None = None,
    schedule_to_close: timedelta | None = None,
) -> ActivityOptions:
    """Options for one kind of activity call: its attempt timeout and retry policy, a heartbeat or overall bound if any."""
    options = ActivityOptions(start_to_close_timeout=start_to_close, retry_policy=retry)
    if heartbeat is not None:
        options["heartbeat_timeout"] = heartbeat
    if schedule_to_close is not None:
        options["schedule_to_close_timeout"] = schedule_to_close
    return options
