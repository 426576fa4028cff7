"""The activity options each workflow passes, pinned to the values they had as hand-written dicts."""

from __future__ import annotations

from datetime import timedelta

from temporalio.common import RetryPolicy

from workflows import approval, complaint, handover, human_task, incentives, notifications, onboarding, reclaim
from workflows import review, survey, targets, tiering
from workflows.options import activity_options

MINUTE = timedelta(minutes=1)


def _opts(timeout: timedelta, retry: RetryPolicy, **more: timedelta) -> dict[str, object]:
    return {"start_to_close_timeout": timeout, "retry_policy": retry, **more}


def test_the_helper_sets_only_what_it_is_given() -> None:
    retry = RetryPolicy(maximum_interval=MINUTE)
    assert activity_options(MINUTE, retry) == _opts(MINUTE, retry)
    assert activity_options(MINUTE, retry, heartbeat=timedelta(seconds=5), schedule_to_close=timedelta(hours=1)) == (
        _opts(MINUTE, retry, heartbeat_timeout=timedelta(seconds=5), schedule_to_close_timeout=timedelta(hours=1))
    )


def test_every_workflows_options_keep_their_values() -> None:
    db_retry = RetryPolicy(initial_interval=timedelta(seconds=1), maximum_interval=MINUTE)
    long_retry = RetryPolicy(maximum_interval=timedelta(minutes=5), maximum_attempts=10)
    assert complaint.ACTIVITY_OPTIONS == _opts(timedelta(seconds=30), db_retry)
    assert notifications.DB_OPTIONS == _opts(timedelta(seconds=30), db_retry)
    assert human_task._OPTIONS == _opts(timedelta(seconds=30), RetryPolicy(maximum_interval=MINUTE))
    assert review._OPTIONS == _opts(timedelta(minutes=2), RetryPolicy(maximum_interval=MINUTE))
    assert handover._READ_OPTIONS == _opts(timedelta(seconds=30), RetryPolicy(maximum_interval=MINUTE))
    assert approval.ACTIVITY_OPTIONS == _opts(timedelta(seconds=30), RetryPolicy(maximum_interval=MINUTE))
    assert onboarding.ACTIVITY_OPTIONS == _opts(
        timedelta(seconds=30), RetryPolicy(maximum_interval=timedelta(minutes=5))
    )
    assert incentives.ACTIVITY_OPTIONS == _opts(timedelta(minutes=30), long_retry)
    assert reclaim.ACTIVITY_OPTIONS == _opts(timedelta(minutes=30), long_retry)
    assert tiering.ACTIVITY_OPTIONS == _opts(timedelta(seconds=60), RetryPolicy(maximum_interval=timedelta(minutes=5)))
    assert tiering.SCORE_OPTIONS == _opts(
        timedelta(hours=2), RetryPolicy(maximum_interval=timedelta(minutes=2)), heartbeat_timeout=timedelta(minutes=2)
    )
    assert targets._OPTIONS == _opts(timedelta(minutes=2), RetryPolicy(maximum_interval=MINUTE))
    assert targets._PROGRESS_OPTIONS == _opts(
        timedelta(minutes=15), RetryPolicy(maximum_interval=MINUTE), heartbeat_timeout=timedelta(minutes=5)
    )
    assert survey._STEP == _opts(timedelta(seconds=30), RetryPolicy(maximum_interval=MINUTE))
    assert survey._WAVE_STEP == _opts(timedelta(minutes=30), long_retry, heartbeat_timeout=timedelta(minutes=2))
