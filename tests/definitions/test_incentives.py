"""Reward rules: the packaged definition, its strict checks, and award lines from hand-made figures."""

from __future__ import annotations

import pytest
from pydantic import ValidationError

from crmflow.settings import PACKAGED_DEFINITIONS_DIR
from db.repositories.incentives import check_metrics
from db.repositories.kpis import CATALOGUE, attainment
from definitions.incentives import IncentiveDefinition, award_lines, total_points
from definitions.loader import load_as
from tests.incentives.dataset import RULES


def test_the_packaged_rules_load_and_use_only_catalogue_metrics() -> None:
    rules = load_as(PACKAGED_DEFINITIONS_DIR, IncentiveDefinition)
    assert rules.process == "incentives" and len(rules.content_hash) > 0
    assert rules.rule_version == f"{rules.version}:{rules.content_hash}"
    check_metrics(rules)
    assert all(metric in CATALOGUE for metric in rules.needed_metrics())


@pytest.mark.parametrize(
    ("change", "message"),
    [
        ({"metrics": [{"metric": "revenue", "weight": 0.5, "target": 1}]}, "add up to 1"),
        ({"bands": [{"from": 1.0, "points": 10}, {"from": 0.8, "points": 5}]}, "ascend"),
        ({"gates": [{"metric": "sla_compliance"}]}, "at_least or at_most"),
        (
            {
                "metrics": [
                    {"metric": "revenue", "weight": 0.5, "target": 1},
                    {"metric": "revenue", "weight": 0.5, "target": 2},
                ]
            },
            "listed twice",
        ),
        ({"surprise": 1}, "Extra inputs"),
    ],
)
def test_bad_rules_are_refused(change: dict, message: str) -> None:
    data = {**RULES.model_dump(by_alias=True, mode="json"), **change}
    with pytest.raises(ValidationError, match=message):
        IncentiveDefinition.model_validate(data)


def test_a_metric_outside_the_catalogue_is_refused() -> None:
    rules = RULES.model_copy(update={"gates": []})
    bad = IncentiveDefinition.model_validate(
        {**rules.model_dump(by_alias=True, mode="json"), "metrics": [{"metric": "happiness", "weight": 1, "target": 1}]}
    )
    with pytest.raises(ValueError, match="happiness"):
        check_metrics(bad)


def _rows(lines) -> list[tuple]:
    return [(line.kind, line.metric, line.attainment, line.band_from, line.points) for line in lines]


def test_star_earns_bands_by_weight_and_is_capped() -> None:
    lines = award_lines(
        RULES, {"new_customers": 3, "revenue": 1000.0, "avg_satisfaction": 4.5, "sla_compliance": 1.0}, {}, attainment
    )
    assert _rows(lines) == [
        ("metric", "new_customers", 1.5, 1.2, 52.0),  # 130 points × 0.4
        ("metric", "revenue", 1.0, 1.0, 40.0),  # 100 × 0.4
        ("metric", "avg_satisfaction", 1.0, 1.0, 20.0),  # 100 × 0.2
        ("gate", "sla_compliance", None, None, 0.0),
        ("cap", None, None, None, -2.0),  # 112 capped at 110
    ]
    assert [line.line_no for line in lines] == [1, 2, 3, 4, 5]
    assert total_points(lines) == 110.0
    assert lines[3].note.startswith("passed")


def test_a_failed_gate_takes_the_bonus_away_line_by_line() -> None:
    lines = award_lines(
        RULES, {"new_customers": 1, "revenue": 900.0, "avg_satisfaction": 3.0, "sla_compliance": 0.0}, {}, attainment
    )
    assert _rows(lines) == [
        ("metric", "new_customers", 0.5, None, 0.0),
        ("metric", "revenue", 0.9, 0.8, 24.0),
        ("metric", "avg_satisfaction", 0.6667, None, 0.0),
        ("gate", "sla_compliance", None, None, -24.0),
    ]
    assert total_points(lines) == 0.0 and lines[3].note.startswith("failed")


def test_agreed_targets_win_and_missing_figures_earn_nothing() -> None:
    lines = award_lines(
        RULES, {"new_customers": 3, "revenue": None, "sla_compliance": None}, {"new_customers": 3}, attainment
    )
    assert _rows(lines)[:3] == [
        ("metric", "new_customers", 1.0, 1.0, 40.0),
        ("metric", "revenue", None, None, 0.0),
        ("metric", "avg_satisfaction", None, None, 0.0),
    ]
    assert lines[0].target == 3 and lines[1].note == "no data"
    assert lines[3].points == 0.0 and lines[3].note.startswith("passed")  # no complaints: nothing breached
    strict = RULES.model_copy(update={"gates": [RULES.gates[0].model_copy(update={"when_missing": "fail"})]})
    assert (
        award_lines(strict, {"new_customers": 3, "sla_compliance": None}, {"new_customers": 3}, attainment)[-1].points
        == -40.0
    )
