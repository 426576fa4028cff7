"""The KPI catalogue (DESIGN §3.8): every metric defined once, as set-based SQL over a period and a set of staff.

Each metric yields, per staff id, a numerator and (for rates and averages) a denominator. Keeping the two
apart makes a team's figure exact: a team's retention is the sum of its retained customers over the sum of
its customers at risk of loss, not the average of its members' rates. Reviews, targets, incentives and
reports all read the figures from `compute_metrics` and `compute_team_metrics`; nothing else writes KPI SQL.

Attribution follows the review's rules: a customer counts for the account manager who owns it (or, once it
left, for its previous owner), complaints and transactions for the owner of their customer.
"""

from __future__ import annotations

from collections.abc import Callable, Collection, Hashable, Iterable, Mapping, Sequence
from dataclasses import dataclass
from datetime import UTC, date, datetime
from decimal import Decimal
from zoneinfo import ZoneInfo

from sqlalchemy import Numeric, Select, and_, case, cast, func, literal, literal_column, null, or_, select, union_all
from sqlalchemy.ext.asyncio import AsyncSession
from sqlalchemy.sql.elements import ColumnElement

from db.models import Complaint, Customer, CustomerStatus, FollowUp, SurveyInvitation, Transaction
from definitions.kpis import (  # re-exported (see __all__): the catalogue is one import for its users
    METRIC_INFO,
    METRIC_KEYS,
    TIERS,
    Direction,
    MetricInfo,
    Unit,
    attainment,
    expected_by_now,
    pace,
)


@dataclass(frozen=True)
class KpiWindow:
    """The period measured: [start, end) in UTC, and the same span as calendar dates for dated rows."""

    start: datetime
    end: datetime
    first_day: date
    last_day: date  # exclusive

    @classmethod
    def between(cls, start: datetime, end: datetime, timezone: str = "UTC") -> KpiWindow:
        """A window whose calendar dates are the local dates of its bounds in `timezone`."""
        zone = ZoneInfo(timezone)
        return cls(
            start=start.astimezone(UTC),
            end=end.astimezone(UTC),
            first_day=start.astimezone(zone).date(),
            last_day=end.astimezone(zone).date(),
        )


StaffSet = Collection[int] | Select  # ids, or a SELECT of one id column (large sets stay in the database)


@dataclass(frozen=True)
class MetricValue:
    """One metric of one staff member (or team): numerator, denominator and the value they make."""

    key: str
    numerator: float
    denominator: float | None  # None: the metric is a plain amount (count or sum)

    @property
    def value(self) -> float | int | None:
        metric = CATALOGUE[self.key]
        if self.denominator is None:
            return int(self.numerator) if metric.unit == Unit.COUNT else round(float(self.numerator), 2)
        if not self.denominator:
            return None  # nothing to measure (no complaints, no customers)
        return round(self.numerator / self.denominator, 4 if metric.unit == Unit.RATIO else 2)

    def __add__(self, other: MetricValue) -> MetricValue:
        if other.key != self.key:
            raise ValueError(f"cannot add {other.key} to {self.key}")
        denominator = None if self.denominator is None else self.denominator + (other.denominator or 0)
        return MetricValue(self.key, self.numerator + other.numerator, denominator)


Among = Callable[[ColumnElement], ColumnElement]  # column → "column is one of the staff set"
Builder = Callable[[KpiWindow, Among], Select]  # → rows of (staff_id, numerator, denominator)


@dataclass(frozen=True)
class Metric:
    """A catalogue entry: what it is (definitions.kpis) and the SQL that measures it."""

    info: MetricInfo
    build: Builder

    key = property(lambda self: self.info.key)
    label = property(lambda self: self.info.label)
    unit = property(lambda self: self.info.unit)
    direction = property(lambda self: self.info.direction)
    cumulative = property(lambda self: self.info.cumulative)
    is_rate = property(lambda self: self.info.is_rate)


# ---- the SQL of each metric ---------------------------------------------------------------------------------


def _assigned_at() -> ColumnElement:
    return func.coalesce(Customer.owner_assigned_at, Customer.created_at)


def _left_at() -> ColumnElement:
    return func.coalesce(Customer.reclaimed_at, Customer.owner_assigned_at)


def _gone_from_previous_owner() -> ColumnElement:
    return or_(Customer.owner_id.is_(None), Customer.owner_id != Customer.previous_owner_id)


def _num(value) -> ColumnElement:
    """Numerators and denominators travel as numerics so the branches of one UNION agree on PostgreSQL."""
    return cast(value, Numeric(20, 4))


def _held_parts(window: KpiWindow, among: Among, *, columns: Callable[[ColumnElement], list]) -> list[Select]:
    """Customers held at the end of the window: still held, plus held then and lost only after it."""
    count = func.count()
    still_held = (
        select(Customer.owner_id.label("staff_id"), *columns(count))
        .where(
            among(Customer.owner_id),
            Customer.status == CustomerStatus.ACTIVE.value,
            _assigned_at() < window.end,
            Customer.created_at < window.end,
        )
        .group_by(Customer.owner_id)
    )
    lost_later = (
        select(Customer.previous_owner_id.label("staff_id"), *columns(count))
        .where(
            among(Customer.previous_owner_id),
            _gone_from_previous_owner(),
            _left_at() >= window.end,
            Customer.created_at < window.end,
        )
        .group_by(Customer.previous_owner_id)
    )
    return [still_held, lost_later]


def _new_select(window: KpiWindow, among: Among, tier: int | None = None) -> Select:
    query = select(Customer.owner_id.label("staff_id"), func.count().label("n")).where(
        among(Customer.owner_id), _assigned_at() >= window.start, _assigned_at() < window.end
    )
    if tier is not None:
        query = query.where(Customer.tier == tier)
    return query.group_by(Customer.owner_id)


def _lost_select(window: KpiWindow, among: Among) -> Select:
    return (
        select(Customer.previous_owner_id.label("staff_id"), func.count().label("n"))
        .where(
            among(Customer.previous_owner_id),
            _gone_from_previous_owner(),
            _left_at() >= window.start,
            _left_at() < window.end,
        )
        .group_by(Customer.previous_owner_id)
    )


def _amount(query: Select) -> Select:
    """(staff_id, n) rows → (staff_id, numerator, no denominator)."""
    sub = query.subquery()
    return select(sub.c.staff_id, _num(sub.c.n).label("numerator"), _num(null()).label("denominator"))


def customers_held(window: KpiWindow, among: Among) -> Select:
    parts = union_all(*_held_parts(window, among, columns=lambda count: [count.label("n")])).subquery()
    return select(
        parts.c.staff_id, _num(func.sum(parts.c.n)).label("numerator"), _num(null()).label("denominator")
    ).group_by(parts.c.staff_id)


def new_customers(window: KpiWindow, among: Among) -> Select:
    return _amount(_new_select(window, among))


def new_customers_of_tier(tier: int) -> Builder:
    def build(window: KpiWindow, among: Among) -> Select:
        return _amount(_new_select(window, among, tier))

    return build


def customers_lost(window: KpiWindow, among: Among) -> Select:
    return _amount(_lost_select(window, among))


def retention(window: KpiWindow, among: Among) -> Select:
    """Kept ÷ (kept + lost), where kept ≈ held at the end − won during the period."""
    zero = literal_column("0")  # inline, not a parameter: PostgreSQL must type each UNION column
    held = _held_parts(
        window, among, columns=lambda count: [count.label("held"), zero.label("won"), zero.label("lost")]
    )
    won = _new_select(window, among).subquery()
    lost = _lost_select(window, among).subquery()
    facts = union_all(
        *held,
        select(won.c.staff_id, zero.label("held"), won.c.n.label("won"), zero.label("lost")),
        select(lost.c.staff_id, zero.label("held"), zero.label("won"), lost.c.n.label("lost")),
    ).subquery()
    totals = (
        select(
            facts.c.staff_id,
            func.sum(facts.c.held).label("held"),
            func.sum(facts.c.won).label("won"),
            func.sum(facts.c.lost).label("lost"),
        )
        .group_by(facts.c.staff_id)
        .subquery()
    )
    kept = case((totals.c.held - totals.c.won > 0, totals.c.held - totals.c.won), else_=0)
    return select(totals.c.staff_id, _num(kept).label("numerator"), _num(kept + totals.c.lost).label("denominator"))


def follow_up_coverage(window: KpiWindow, among: Among) -> Select:
    """Customers held at the end with a follow-up during the period ÷ customers held at the end."""
    zero = literal_column("0")
    covered = (
        select(
            Customer.owner_id.label("staff_id"),
            func.count(func.distinct(FollowUp.customer_id)).label("covered"),
            zero.label("held"),
        )
        .join(Customer, Customer.id == FollowUp.customer_id)
        .where(
            among(Customer.owner_id),
            Customer.status == CustomerStatus.ACTIVE.value,
            _assigned_at() < window.end,
            Customer.created_at < window.end,
            FollowUp.occurred_at >= window.start,
            FollowUp.occurred_at < window.end,
        )
        .group_by(Customer.owner_id)
    )
    held = _held_parts(window, among, columns=lambda count: [zero.label("covered"), count.label("held")])
    facts = union_all(covered, *held).subquery()
    return select(
        facts.c.staff_id,
        _num(func.sum(facts.c.covered)).label("numerator"),
        _num(func.sum(facts.c.held)).label("denominator"),
    ).group_by(facts.c.staff_id)


def revenue(window: KpiWindow, among: Among) -> Select:
    """Transactions dated within the period, of the customers the staff member owns."""
    return (
        select(
            Customer.owner_id.label("staff_id"),
            _num(func.coalesce(func.sum(Transaction.amount), 0)).label("numerator"),
            _num(null()).label("denominator"),
        )
        .join(Customer, Customer.id == Transaction.customer_id)
        .where(
            among(Customer.owner_id),
            Transaction.occurred_on >= window.first_day,
            Transaction.occurred_on < window.last_day,
        )
        .group_by(Customer.owner_id)
    )


def _complaints(window: KpiWindow, among: Among, numerator, denominator, *, by=None) -> Select:
    """Complaints of the staff member's customers raised (or, with `by`, e.g. closed) within the period."""
    moment = Complaint.created_at if by is None else by
    return (
        select(
            Customer.owner_id.label("staff_id"),
            _num(numerator).label("numerator"),
            _num(denominator).label("denominator"),
        )
        .join(Customer, Customer.id == Complaint.customer_id)
        .where(among(Customer.owner_id), moment >= window.start, moment < window.end)
        .group_by(Customer.owner_id)
    )


def _share(condition: ColumnElement) -> ColumnElement:
    return func.sum(case((condition, 1), else_=0))


def complaints(window: KpiWindow, among: Among) -> Select:
    return _complaints(window, among, func.count(Complaint.id), null())


def complaints_closed(window: KpiWindow, among: Among) -> Select:
    return _complaints(window, among, func.count(Complaint.id), null(), by=Complaint.closed_at)


def sla_compliance(window: KpiWindow, among: Among) -> Select:
    """Measured complaints whose response and (where measured) resolution met their SLA."""
    met = and_(Complaint.sla_response_met.is_(True), func.coalesce(Complaint.sla_resolution_met, True).is_(True))
    return _complaints(window, among, _share(met), func.count(Complaint.sla_response_met))


def sla_response(window: KpiWindow, among: Among) -> Select:
    return _complaints(
        window, among, _share(Complaint.sla_response_met.is_(True)), func.count(Complaint.sla_response_met)
    )


def sla_resolution(window: KpiWindow, among: Among) -> Select:
    return _complaints(
        window, among, _share(Complaint.sla_resolution_met.is_(True)), func.count(Complaint.sla_resolution_met)
    )


def avg_satisfaction(window: KpiWindow, among: Among) -> Select:
    return _complaints(
        window, among, func.coalesce(func.sum(Complaint.satisfaction), 0), func.count(Complaint.satisfaction)
    )


def customers_reclaimed(window: KpiWindow, among: Among) -> Select:
    """Customers returned to the public pool from the staff member during the period."""
    return _amount(
        select(Customer.previous_owner_id.label("staff_id"), func.count().label("n"))
        .where(
            among(Customer.previous_owner_id), Customer.reclaimed_at >= window.start, Customer.reclaimed_at < window.end
        )
        .group_by(Customer.previous_owner_id)
    )


def _surveys(window: KpiWindow, among: Among, numerator, denominator, moment: ColumnElement) -> Select:
    """Surveys of customers the staff member held when they were asked, by the moment given (answered, invited)."""
    return (
        select(
            SurveyInvitation.owner_id.label("staff_id"),
            _num(numerator).label("numerator"),
            _num(denominator).label("denominator"),
        )
        .where(among(SurveyInvitation.owner_id), moment >= window.start, moment < window.end)
        .group_by(SurveyInvitation.owner_id)
    )


def survey_csat(window: KpiWindow, among: Among) -> Select:
    """Average CSAT (1–5) of the surveys answered in the period."""
    return _surveys(
        window,
        among,
        func.coalesce(func.sum(SurveyInvitation.csat), 0),
        func.count(SurveyInvitation.csat),
        SurveyInvitation.answered_at,
    )


def survey_nps(window: KpiWindow, among: Among) -> Select:
    """Net promoter score of the NPS answers of the period: 100 × (promoters 9–10 − detractors 0–6) ÷ answers."""
    return _surveys(
        window,
        among,
        100 * (_share(SurveyInvitation.nps >= 9) - _share(SurveyInvitation.nps <= 6)),
        func.count(SurveyInvitation.nps),
        SurveyInvitation.answered_at,
    )


def survey_response_rate(window: KpiWindow, among: Among) -> Select:
    """Of the surveys sent in the period, the share answered (so far)."""
    return _surveys(
        window,
        among,
        _share(SurveyInvitation.answered_at.is_not(None)),
        func.count(SurveyInvitation.id),
        SurveyInvitation.invited_at,
    )


_BUILDERS: dict[str, Builder] = {
    "new_customers": new_customers,
    **{f"new_customers_tier{tier}": new_customers_of_tier(tier) for tier in TIERS},
    "revenue": revenue,
    "customers_held": customers_held,
    "customers_lost": customers_lost,
    "retention": retention,
    "avg_satisfaction": avg_satisfaction,
    "sla_compliance": sla_compliance,
    "sla_response": sla_response,
    "sla_resolution": sla_resolution,
    "followup_coverage": follow_up_coverage,
    "complaints": complaints,
    "complaints_closed": complaints_closed,
    "customers_reclaimed": customers_reclaimed,
    "survey_csat": survey_csat,
    "survey_nps": survey_nps,
    "survey_response_rate": survey_response_rate,
}
assert set(_BUILDERS) == set(METRIC_INFO), "every metric of definitions.kpis needs its SQL here, and no other"

CATALOGUE: dict[str, Metric] = {key: Metric(info, _BUILDERS[key]) for key, info in METRIC_INFO.items()}


def metric(key: str) -> Metric:
    """The catalogue entry for `key` (KeyError names the known keys)."""
    try:
        return CATALOGUE[key]
    except KeyError:
        raise KeyError(f"unknown metric {key!r}; known: {', '.join(METRIC_KEYS)}") from None


def _among(staff: StaffSet) -> Among:
    if isinstance(staff, Select):
        return lambda column: column.in_(staff)
    ids = sorted(set(staff))
    return lambda column: column.in_(ids)


def metrics_statement(keys: Sequence[str], staff: StaffSet, window: KpiWindow) -> Select:
    """One statement for many metrics of many staff: rows of (metric key, staff_id, numerator, denominator)."""
    among = _among(staff)
    parts = []
    for key in keys:
        sub = metric(key).build(window, among).subquery()
        parts.append(
            select(literal(key).label("metric"), sub.c.staff_id, sub.c.numerator, sub.c.denominator).where(
                sub.c.staff_id.is_not(None)
            )
        )
    return union_all(*parts) if len(parts) > 1 else parts[0]


ID_CHUNK = 500  # staff ids per statement when given as a list


def _float(value: Decimal | float | int | None) -> float:
    return float(value) if value is not None else 0.0


async def compute_metrics(
    session: AsyncSession, keys: Sequence[str], staff: StaffSet, window: KpiWindow
) -> dict[int, dict[str, MetricValue]]:
    """Every requested metric of every staff member of the set, in one statement (no per-staff loop).

    Staff given as ids all appear in the answer (zero or no value where nothing happened); staff given as a
    SELECT appear when they have any figure.
    """
    keys = list(dict.fromkeys(keys))
    result: dict[int, dict[str, MetricValue]] = {}
    if not keys:
        return result
    if not isinstance(staff, Select):
        if not staff:
            return result
        for staff_id in staff:
            result[staff_id] = {key: _empty(key) for key in keys}
    if isinstance(staff, Select):
        rows = (await session.execute(metrics_statement(keys, staff, window))).all()
    else:
        # Bind parameters are bounded (SQLite, PostgreSQL): a long id list runs as a few chunks, each set-based.
        ids = sorted(set(staff))
        rows = []
        for offset in range(0, len(ids), ID_CHUNK):
            rows += (await session.execute(metrics_statement(keys, ids[offset : offset + ID_CHUNK], window))).all()
    for key, staff_id, numerator, denominator in rows:
        values = result.setdefault(staff_id, {k: _empty(k) for k in keys})
        values[key] = values[key] + MetricValue(
            key, _float(numerator), None if not CATALOGUE[key].is_rate else _float(denominator)
        )
    return result


def _empty(key: str) -> MetricValue:
    return MetricValue(key, 0.0, 0.0 if CATALOGUE[key].is_rate else None)


def roll_up(
    values: Mapping[int, Mapping[str, MetricValue]], teams: Mapping[Hashable, Iterable[int]]
) -> dict[Hashable, dict[str, MetricValue]]:
    """Team figures from member figures: numerators and denominators add up (a team rate is pooled, not averaged)."""
    rolled: dict[Hashable, dict[str, MetricValue]] = {}
    for team, members in teams.items():
        totals: dict[str, MetricValue] = {}
        for member in members:
            for key, value in values.get(member, {}).items():
                totals[key] = totals[key] + value if key in totals else value
        rolled[team] = totals
    return rolled


async def compute_team_metrics(
    session: AsyncSession, keys: Sequence[str], teams: Mapping[Hashable, Iterable[int]], window: KpiWindow
) -> dict[Hashable, dict[str, MetricValue]]:
    """Every requested metric of every team (a team is a set of staff ids), from one statement over all members."""
    teams = {team: list(members) for team, members in teams.items()}
    everyone = {member for members in teams.values() for member in members}
    values = await compute_metrics(session, keys, everyone, window)
    return {
        team: {key: totals.get(key, _empty(key)) for key in keys} for team, totals in roll_up(values, teams).items()
    }


__all__ = [
    "CATALOGUE",
    "METRIC_INFO",
    "METRIC_KEYS",
    "TIERS",
    "Direction",
    "KpiWindow",
    "Metric",
    "MetricInfo",
    "MetricValue",
    "StaffSet",
    "Unit",
    "attainment",
    "compute_metrics",
    "compute_team_metrics",
    "expected_by_now",
    "metric",
    "metrics_statement",
    "pace",
    "roll_up",
]
