"""The review definition: strict validation and the pure period helpers."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest
import yaml
from pydantic import ValidationError

from crmflow.settings import PACKAGED_DEFINITIONS_DIR
from definitions.loader import load_as
from definitions.review import ReviewDefinition, period_bounds, period_for


def raw() -> dict:
    return yaml.safe_load((PACKAGED_DEFINITIONS_DIR / "review.yaml").read_text())


def test_packaged_definition_loads_with_the_quarterly_schedule() -> None:
    definition = load_as(PACKAGED_DEFINITIONS_DIR, ReviewDefinition)
    assert definition.schedule.cron == "0 1 1 1,4,7,10 *" and definition.schedule.timezone is None
    assert definition.form_spec()["fields"]["self_rating"] == {"type": "integer", "required": True, "min": 1, "max": 5}


@pytest.mark.parametrize(
    "change",
    [
        {"schedule": {"cron": "0 1 1 *"}},
        {"schedule": {"cron": "0 1 1 1,4,7,10 *", "timezone": "Mars/Olympus"}},
        {"batch_size": 0},
        {"unknown_key": 1},
        {"self_assessment_form": {}},
        {"self_assessment_due": "soon"},
    ],
)
def test_bad_values_are_rejected(change: dict) -> None:
    with pytest.raises(ValidationError):
        ReviewDefinition.model_validate({**raw(), **change})


@pytest.mark.parametrize(
    ("moment", "zone", "period"),
    [
        (datetime(2026, 6, 30, 17, 0, tzinfo=UTC), "Asia/Shanghai", "2026Q2"),  # 01:00 on 1 July in Shanghai
        (datetime(2026, 6, 30, 17, 0, tzinfo=UTC), "UTC", "2026Q1"),  # still June in UTC
        (datetime(2026, 1, 1, 1, 0, tzinfo=UTC), "UTC", "2025Q4"),
        (datetime(2026, 11, 27, 3, 0, tzinfo=UTC), "Asia/Shanghai", "2026Q3"),
    ],
)
def test_period_is_the_quarter_just_ended_in_the_zone(moment: datetime, zone: str, period: str) -> None:
    assert period_for(moment, zone) == period


def test_period_bounds_are_local_quarter_edges_in_utc() -> None:
    assert period_bounds("2026Q2", "Asia/Shanghai") == (
        datetime(2026, 3, 31, 16, tzinfo=UTC),
        datetime(2026, 6, 30, 16, tzinfo=UTC),
    )
    assert period_bounds("2025Q4", "UTC") == (datetime(2025, 10, 1, tzinfo=UTC), datetime(2026, 1, 1, tzinfo=UTC))
