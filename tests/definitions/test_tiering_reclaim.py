"""Cross-field checks of the tiering and reclaim definitions."""

from __future__ import annotations

import pytest
from pydantic import ValidationError

from crmflow.settings import PACKAGED_DEFINITIONS_DIR
from definitions.loader import load_as
from definitions.reclaim import ReclaimDefinition
from definitions.tiering import TieringDefinition

TIERING = load_as(PACKAGED_DEFINITIONS_DIR, TieringDefinition)
RECLAIM = load_as(PACKAGED_DEFINITIONS_DIR, ReclaimDefinition)


def tiering(**changes) -> TieringDefinition:
    return TieringDefinition.model_validate({**TIERING.model_dump(), **changes})


def reclaim(**changes) -> ReclaimDefinition:
    return ReclaimDefinition.model_validate({**RECLAIM.model_dump(), **changes})


def test_packaged_definitions_load_and_round_trip() -> None:
    assert TIERING.schedule.cron == "0 2 1 * *" and RECLAIM.schedule.cron == "30 1 * * *"
    # Snapshots travel through the data converter as JSON: long durations must come back exactly.
    assert TieringDefinition.model_validate_json(TIERING.model_dump_json()) == TIERING
    assert ReclaimDefinition.model_validate_json(RECLAIM.model_dump_json()) == RECLAIM


@pytest.mark.parametrize(
    ("changes", "message"),
    [
        (
            {"weights": {"recency": 0.5, "frequency": 0.5, "monetary": 0.5, "satisfaction": 0, "complaints": 0}},
            "sum to 1",
        ),
        ({"tiers": [{"tier": 1, "min_score": 0.3}, {"tier": 2, "min_score": 0.5}]}, "strictly decrease"),
        ({"tiers": [{"tier": 1, "min_score": 0.6}, {"tier": 2, "min_score": 0.1}]}, "min_score 0"),
        ({"tiers": [{"tier": 2, "min_score": 0.6}, {"tier": 1, "min_score": 0}]}, "1, 2"),
        ({"hysteresis": -0.1}, "greater than or equal"),
        ({"hysteresis": 0.3}, "narrower"),
        ({"severity_weights": {"critical": 4}}, "missing severities"),
        ({"schedule": {"cron": "monthly"}}, "five fields"),
        ({"extra": 1}, "Extra inputs"),
    ],
)
def test_tiering_refuses_inconsistent_values(changes: dict, message: str) -> None:
    with pytest.raises(ValidationError, match=message):
        tiering(**changes)


@pytest.mark.parametrize(
    ("changes", "message"),
    [
        ({"warning_days_before": 30}, "must come after"),
        ({"lapse_days": {}}, "at least one tier"),
        ({"lapse_days": {1: 0}}, "at least 1"),
        ({"pool": {"claims_per_day": 0}}, "greater than or equal"),
    ],
)
def test_reclaim_refuses_inconsistent_values(changes: dict, message: str) -> None:
    with pytest.raises(ValidationError, match=message):
        reclaim(**changes)
