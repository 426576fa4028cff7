"""What each KPI of the catalogue is (DESIGN §3.8): key, label, unit, direction; attainment and pace (pure).

The SQL that measures each metric lives in db/repositories/kpis.py under the same keys; this half is
sandbox-safe, so definitions can name metrics and workflows can carry them without importing the database.
"""

from __future__ import annotations

from dataclasses import dataclass
from enum import StrEnum


class Direction(StrEnum):
    """Whether more of a metric is better (revenue) or less (complaints)."""

    HIGHER = "higher"
    LOWER = "lower"


class Unit(StrEnum):
    COUNT = "count"  # whole things: customers, complaints
    CURRENCY = "currency"  # an amount of money in the company's currency
    RATIO = "ratio"  # 0..1 (shown as a percentage)
    SCORE = "score"  # a 1..5 satisfaction score
    NPS = "nps"  # net promoter score: % promoters − % detractors, −100..100


@dataclass(frozen=True)
class MetricInfo:
    """A catalogue entry without its SQL: stable key, label, unit, which direction is better."""

    key: str
    label: str
    unit: Unit
    direction: Direction
    cumulative: bool  # grows through the period (a count or a sum); a rate or an average does not

    @property
    def is_rate(self) -> bool:
        return self.unit in (Unit.RATIO, Unit.SCORE, Unit.NPS)

    def check_target(self, value: float) -> str | None:
        """Why `value` cannot be a target of this metric, or None."""
        if self.unit == Unit.NPS:
            return None if -100 <= value <= 100 else "is a net promoter score: between -100 and 100"
        if value < 0:
            return "must not be negative"
        if self.unit == Unit.RATIO and value > 1:
            return "is a share: between 0 and 1"
        if self.unit == Unit.SCORE and not 1 <= value <= 5:
            return "is a score: between 1 and 5"
        return None


TIERS = (1, 2)  # the tiers of definitions/tiering.yaml; each gets its own new-customers metric

METRIC_INFO: dict[str, MetricInfo] = {
    info.key: info
    for info in (
        MetricInfo("new_customers", "New customers", Unit.COUNT, Direction.HIGHER, cumulative=True),
        *(
            MetricInfo(
                f"new_customers_tier{tier}", f"New tier-{tier} customers", Unit.COUNT, Direction.HIGHER, cumulative=True
            )
            for tier in TIERS
        ),
        MetricInfo("revenue", "Revenue", Unit.CURRENCY, Direction.HIGHER, cumulative=True),
        MetricInfo("customers_held", "Customers held", Unit.COUNT, Direction.HIGHER, cumulative=False),
        MetricInfo("customers_lost", "Customers lost", Unit.COUNT, Direction.LOWER, cumulative=True),
        MetricInfo("retention", "Retention", Unit.RATIO, Direction.HIGHER, cumulative=False),
        MetricInfo("avg_satisfaction", "Average satisfaction", Unit.SCORE, Direction.HIGHER, cumulative=False),
        MetricInfo("sla_compliance", "SLA compliance", Unit.RATIO, Direction.HIGHER, cumulative=False),
        MetricInfo("sla_response", "SLA compliance (response)", Unit.RATIO, Direction.HIGHER, cumulative=False),
        MetricInfo("sla_resolution", "SLA compliance (resolution)", Unit.RATIO, Direction.HIGHER, cumulative=False),
        MetricInfo("followup_coverage", "Follow-up coverage", Unit.RATIO, Direction.HIGHER, cumulative=False),
        MetricInfo("complaints", "Complaints", Unit.COUNT, Direction.LOWER, cumulative=True),
        MetricInfo("complaints_closed", "Complaints closed", Unit.COUNT, Direction.HIGHER, cumulative=True),
        MetricInfo(
            "customers_reclaimed", "Customers reclaimed to the pool", Unit.COUNT, Direction.LOWER, cumulative=True
        ),
        # Customer surveys (DESIGN §3.9), for the owner who held the customer when it was asked.
        MetricInfo("survey_csat", "Average survey satisfaction (CSAT)", Unit.SCORE, Direction.HIGHER, cumulative=False),
        MetricInfo("survey_nps", "Net promoter score (surveys)", Unit.NPS, Direction.HIGHER, cumulative=False),
        MetricInfo("survey_response_rate", "Survey response rate", Unit.RATIO, Direction.HIGHER, cumulative=False),
    )
}
METRIC_KEYS: tuple[str, ...] = tuple(METRIC_INFO)


def attainment(key: str, actual: float | None, target: float | None) -> float | None:
    """How far `actual` reaches `target`, 1.0 = met; for lower-is-better metrics less than the target is more than 1.

    Higher is better: actual ÷ target. Lower is better: 1 + (target − actual) ÷ target, never below 0 (twice the
    allowed complaints is 0 %, none at all is 200 %). None when either is unknown.
    """
    if actual is None or target is None:
        return None
    if METRIC_INFO[key].direction == Direction.HIGHER:
        if target <= 0:
            return 1.0
        return round(actual / target, 4)
    if target <= 0:
        return 1.0 if actual <= 0 else 0.0
    return round(max(0.0, 1 + (target - actual) / target), 4)


def expected_by_now(key: str, target: float, elapsed_share: float) -> float:
    """What the target asks for by now: a cumulative metric grows with the period, a rate is due all along."""
    return target * elapsed_share if METRIC_INFO[key].cumulative else target


def pace(key: str, actual: float | None, target: float | None, elapsed_share: float) -> float | None:
    """Pace = actual ÷ (target × elapsed share), oriented so that 1.0 is on track and more is better."""
    if actual is None or target is None or elapsed_share <= 0:
        return None
    return attainment(key, actual, expected_by_now(key, target, min(elapsed_share, 1.0)))
