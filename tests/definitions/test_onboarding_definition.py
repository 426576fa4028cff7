"""The onboarding definition: initial tier rules, the kickoff's business days, validation."""

from __future__ import annotations

from datetime import timedelta
from decimal import Decimal

import pytest
from pydantic import ValidationError

from crmflow.settings import PACKAGED_DEFINITIONS_DIR
from definitions.loader import load_as
from definitions.onboarding import OnboardingDefinition

PACKAGED = load_as(PACKAGED_DEFINITIONS_DIR, OnboardingDefinition)


def definition(**changes) -> OnboardingDefinition:
    raw = {
        "process": "onboarding",
        "version": 1,
        "manual_assignment": {"due_in": "1d"},
        "approval": {"due_in": "2d"},
        "kickoff": {"due_in_business_days": 3},
        **changes,
    }
    return OnboardingDefinition.model_validate(raw)


@pytest.mark.parametrize(
    ("value", "industry", "expected"),
    [
        ("999999.99", "retail", (2, "default")),
        ("1000000", "retail", (1, "key account by value")),
        ("10", "  BANKING ", (1, "strategic industry")),
        ("0", "", (2, "default")),
    ],
)
def test_packaged_initial_tier_rules(value: str, industry: str, expected: tuple[int, str]) -> None:
    assert PACKAGED.tier_for(declared_annual_value=Decimal(value), industry=industry) == expected


def test_first_matching_rule_wins_and_default_applies() -> None:
    d = definition(
        initial_tier={
            "default": 1,
            "rules": [{"tier": 2, "industries": ["retail"]}, {"tier": 1, "min_annual_value": 5}],
        }
    )
    assert d.tier_for(declared_annual_value=Decimal(100), industry="Retail") == (2, "rule 1")
    assert d.tier_for(declared_annual_value=Decimal(100), industry="mining") == (1, "rule 2")
    assert d.tier_for(declared_annual_value=Decimal(1), industry="mining") == (1, "default")


def test_kickoff_due_is_business_days_of_the_calendar() -> None:
    assert PACKAGED.kickoff_due_in() == timedelta(hours=27)  # 3 × 09:00-18:00
    split = definition(calendar={"working_hours": ["09:00-12:00", "13:00-17:30"]})
    assert split.kickoff_due_in() == 3 * timedelta(hours=7, minutes=30)


@pytest.mark.parametrize(
    "changes",
    [
        {"initial_tier": {"rules": [{"tier": 1}]}},  # a rule without a criterion
        {"initial_tier": {"rules": [{"tier": 3, "min_annual_value": 1}]}},
        {"approval": {"due_in": "2d", "reminders_before": ["3d"]}},
        {"kickoff": {"due_in_business_days": 1, "reminders_before": ["10h"]}},
        {"kickoff": {"due_in_business_days": 0}},
        {"approval": {"due_in": "2d", "final_outcome": "maybe"}},
        {"surprise": True},
    ],
)
def test_invalid_definitions_are_refused(changes: dict) -> None:
    with pytest.raises(ValidationError):
        definition(**changes)


def test_snapshot_round_trips() -> None:
    assert OnboardingDefinition.model_validate_json(PACKAGED.model_dump_json()) == PACKAGED
