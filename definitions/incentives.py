"""Incentives (DESIGN §3.8): versioned reward rules, the pure award computation and the process contracts.

An award is a list of lines whose points add up to the total: one line per rewarded metric of the KPI catalogue (target, actual,
attainment, the band reached, weight, points), then one line per gate (a failed gate takes the bonus away),
then a cap line when the total would exceed the cap. Pure pydantic and stdlib: workflows import it too.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import datetime, timedelta
from typing import Literal

from pydantic import BaseModel, ConfigDict, Field, model_validator

from definitions.base import DefinitionMeta, DefinitionProblem, Duration, StrictModel
from definitions.review import PERIOD_PATTERN

METRIC_NAME = r"^[a-z][a-z0-9_]*$"
LINE_METRIC, LINE_GATE, LINE_CAP = "metric", "gate", "cap"


class Band(StrictModel):
    """Points earned from an attainment (actual ÷ target, inverted for lower-is-better metrics) at or above `from`."""

    model_config = ConfigDict(extra="forbid", frozen=True, populate_by_name=True)

    at_least: float = Field(alias="from", ge=0)
    points: float = Field(ge=0)


class RewardMetric(StrictModel):
    """One rewarded KPI of the catalogue: its weight, the target used when none was agreed, an optional cap."""

    metric: str = Field(pattern=METRIC_NAME, max_length=40)
    weight: float = Field(gt=0, le=1)
    target: float = Field(gt=0)  # the default target; an agreed target for the person and period wins
    max_points: float | None = Field(default=None, gt=0)  # cap on this line's weighted points


class Gate(StrictModel):
    """A condition on a KPI without which no bonus is paid (e.g. SLA compliance of at least 80 %)."""

    metric: str = Field(pattern=METRIC_NAME, max_length=40)
    at_least: float | None = None
    at_most: float | None = None
    when_missing: Literal["pass", "fail"] = "pass"  # a person with no measurement (e.g. no complaints)

    @model_validator(mode="after")
    def _bound(self) -> Gate:
        if self.at_least is None and self.at_most is None:
            raise DefinitionProblem("at_least", "a gate needs at_least or at_most")
        return self

    def passes(self, actual: float | None) -> bool:
        if actual is None:
            return self.when_missing == "pass"
        if self.at_least is not None and actual < self.at_least:
            return False
        return not (self.at_most is not None and actual > self.at_most)

    def describe(self) -> str:
        parts = ([f">= {self.at_least:g}"] if self.at_least is not None else []) + (
            [f"<= {self.at_most:g}"] if self.at_most is not None else []
        )
        return f"{self.metric} {' and '.join(parts)}"


class IncentiveDefinition(DefinitionMeta):
    """definitions/incentives.yaml: the reward rules of a period's awards, pinned on every award by content hash."""

    process: Literal["incentives"] = "incentives"
    bands: list[Band] = Field(min_length=1)
    metrics: list[RewardMetric] = Field(min_length=1)
    gates: list[Gate] = Field(default_factory=list)
    max_total_points: float | None = Field(default=None, gt=0)
    point_value: float = Field(default=1.0, gt=0)  # money per point
    currency: str = Field(default="CNY", pattern=r"^[A-Z]{3}$")
    appeal_flow: str = Field(default="incentive-appeal", pattern=r"^[a-z0-9][a-z0-9_-]*$")
    appeal_window: Duration = timedelta(days=30)  # after the award is computed

    @model_validator(mode="after")
    def _coherent(self) -> IncentiveDefinition:
        previous = None
        for index, band in enumerate(self.bands):
            if previous is not None and band.at_least <= previous:
                raise DefinitionProblem(("bands", index, "from"), "bands must ascend by `from`")
            previous = band.at_least
        seen: set[str] = set()
        for index, metric in enumerate(self.metrics):
            if metric.metric in seen:
                raise DefinitionProblem(("metrics", index, "metric"), f"metric {metric.metric!r} is listed twice")
            seen.add(metric.metric)
        total = sum(m.weight for m in self.metrics)
        if abs(total - 1.0) > 1e-6:
            raise DefinitionProblem("metrics", f"the weights must add up to 1 (they add up to {total:g})")
        return self

    @property
    def rule_version(self) -> str:
        return f"{self.version}:{self.content_hash}"

    def band_for(self, attainment: float | None) -> Band | None:
        """The highest band reached; None below the first band or without a measurement."""
        if attainment is None:
            return None
        reached = [band for band in self.bands if attainment >= band.at_least]
        return reached[-1] if reached else None

    def needed_metrics(self) -> list[str]:
        return list(dict.fromkeys([m.metric for m in self.metrics] + [g.metric for g in self.gates]))


class AwardLine(BaseModel):
    """One itemised line of an award; `points` is what the line adds (negative for gates and caps)."""

    model_config = ConfigDict(extra="forbid")

    line_no: int
    kind: Literal["metric", "gate", "cap"]
    metric: str | None = None
    target: float | None = None
    actual: float | None = None
    attainment: float | None = None
    band_from: float | None = None
    band_points: float | None = None
    weight: float | None = None
    points: float
    note: str = ""


Attain = Callable[[str, float | None, float | None], float | None]  # (metric, actual, target) → attainment


def award_lines(
    definition: IncentiveDefinition, actuals: dict[str, float | None], targets: dict[str, float], attain: Attain
) -> list[AwardLine]:
    """The lines of one person's award; their points add up to the total (pure: tested on hand-made data).

    `attain` is the KPI catalogue's attainment (it knows each metric's direction); passed in, so this module
    stays importable by workflows.
    """
    lines: list[AwardLine] = []
    subtotal = 0.0
    for rule in definition.metrics:
        target = targets.get(rule.metric, rule.target)
        actual = actuals.get(rule.metric)
        attainment = attain(rule.metric, actual, target)
        band = definition.band_for(attainment)
        points = round((band.points if band else 0.0) * rule.weight, 2)
        note = "no data" if attainment is None else ("below the first band" if band is None else "")
        if rule.max_points is not None and points > rule.max_points:
            points, note = rule.max_points, f"capped at {rule.max_points:g}"
        lines.append(
            AwardLine(
                line_no=len(lines) + 1,
                kind=LINE_METRIC,
                metric=rule.metric,
                target=target,
                actual=actual,
                attainment=attainment,
                band_from=band.at_least if band else None,
                band_points=band.points if band else None,
                weight=rule.weight,
                points=points,
                note=note,
            )
        )
        subtotal = round(subtotal + points, 2)
    for gate in definition.gates:
        actual = actuals.get(gate.metric)
        passed = gate.passes(actual)
        taken = 0.0 if passed or subtotal == 0 else -subtotal
        lines.append(
            AwardLine(
                line_no=len(lines) + 1,
                kind=LINE_GATE,
                metric=gate.metric,
                actual=actual,
                points=taken,
                note=("passed: " if passed else "failed, no bonus: ") + gate.describe(),
            )
        )
        subtotal = round(subtotal + taken, 2)
    if definition.max_total_points is not None and subtotal > definition.max_total_points:
        cut = round(definition.max_total_points - subtotal, 2)
        lines.append(
            AwardLine(
                line_no=len(lines) + 1,
                kind=LINE_CAP,
                points=cut,
                note=f"total capped at {definition.max_total_points:g}",
            )
        )
    return lines


def total_points(lines: list[AwardLine]) -> float:
    return round(sum(line.points for line in lines), 2)


# ---- process contracts ---------------------------------------------------------------------------


class _Contract(BaseModel):
    model_config = ConfigDict(extra="forbid")


class ComputeAwardsInput(_Contract):
    """Compute a period's awards: every active account manager (of a director's subtree when scoped)."""

    period: str = Field(pattern=PERIOD_PATTERN)
    period_start: datetime
    period_end: datetime
    timezone: str = "UTC"  # where the period's calendar dates are (transactions are dated)
    scope_staff_id: int | None = None
    definition: IncentiveDefinition | None = None  # None: the rules in force when the activity runs
    started_by: str = "system"
    replace: bool = False  # recompute awards that exist (never one under appeal)


class ComputeAwardsResult(_Contract):
    period: str
    rule_version: str
    awards: int  # written by this run
    skipped: int  # existed already (or under appeal)
    total_points: float


class IncentiveAwardsInput(_Contract):
    """Start of `incentive-awards-<period>`: the period and the rules snapshot pinned for it."""

    period: str = Field(pattern=PERIOD_PATTERN)
    timezone: str = "Asia/Shanghai"
    definition: IncentiveDefinition
    scope_staff_id: int | None = None
    started_by: str = "system"
    replace: bool = False


def awards_workflow_id(period: str, scope_staff_id: int | None = None) -> str:
    return f"incentive-awards-{period}" + (f"-s{scope_staff_id}" if scope_staff_id is not None else "")
