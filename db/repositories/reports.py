"""Reports for directors and managers (DESIGN §3.8): every figure from the KPI catalogue, within a set of staff.

Each section answers a `Report`: named columns and plain rows (what the page charts and the CSV exports).
The staff set is the viewer's subtree (None: everyone); figures of anyone outside it never enter a query.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import UTC, datetime
from typing import Any
from zoneinfo import ZoneInfo

from sqlalchemy import Select, case, func, literal, select, union_all
from sqlalchemy.ext.asyncio import AsyncSession

from db.models import ACCOUNT_MANAGER_ROLES, Complaint, Customer, Staff, Task
from db.repositories.incentives import agreed_targets
from db.repositories.kpis import (
    CATALOGUE,
    KpiWindow,
    MetricValue,
    attainment,
    compute_metrics,
    metric,
    roll_up,
)

SECTIONS = ("attainment", "trends", "sla", "satisfaction", "reclaimed", "overdue")
TREND_METRICS = ("new_customers", "revenue", "retention", "sla_compliance", "complaints_closed")
SLA_METRICS = ("complaints", "sla_response", "sla_resolution", "sla_compliance")
SLA_DIMENSIONS = {"severity": Complaint.severity, "category": Complaint.category}


@dataclass
class Report:
    """One section's figures: columns (keys, in order) and rows (dicts keyed by them)."""

    section: str
    columns: list[str]
    rows: list[dict[str, Any]] = field(default_factory=list)
    period: str | None = None
    months: list[str] = field(default_factory=list)


def managers(visible: frozenset[int] | None) -> Select:
    """The account managers a viewer sees (id, name, supervisor), active or not: past figures stay theirs."""
    query = select(Staff.id, Staff.name, Staff.supervisor_id).where(Staff.role.in_(ACCOUNT_MANAGER_ROLES))
    if visible is not None:
        query = query.where(Staff.id.in_(sorted(visible)))
    return query.order_by(Staff.id)


async def figures(
    session: AsyncSession, keys: Sequence[str], visible: frozenset[int] | None, people: Sequence[int], window: KpiWindow
) -> dict[int, dict[str, MetricValue]]:
    """Each person's figures: the staff set goes to the catalogue as a SELECT (one statement, however many
    people), and someone with no figure gets the catalogue's "nothing happened" (zero amounts, no rates)."""
    if not people:
        return {}
    staff: Any = select(Staff.id).where(Staff.role.in_(ACCOUNT_MANAGER_ROLES))
    if visible is not None:
        staff = staff.where(Staff.id.in_(sorted(visible)))
    found = await compute_metrics(session, keys, staff, window)
    empty = {key: MetricValue(key, 0.0, 0.0 if CATALOGUE[key].is_rate else None) for key in keys}
    return {person: {**empty, **found.get(person, {})} for person in people}


def month_windows(end: datetime, months: int, timezone: str) -> list[tuple[str, KpiWindow]]:
    """The last `months` calendar months up to the one containing `end` (local time), oldest first."""
    local = end.astimezone(ZoneInfo(timezone))
    year, month = local.year, local.month
    found = []
    for _ in range(months):
        start = datetime(year, month, 1, tzinfo=ZoneInfo(timezone))
        after = datetime(year + month // 12, month % 12 + 1, 1, tzinfo=ZoneInfo(timezone))
        found.append((f"{year:04d}-{month:02d}", KpiWindow.between(start, after, timezone)))
        year, month = (year, month - 1) if month > 1 else (year - 1, 12)
    return found[::-1]


def _value(values: dict[str, MetricValue], key: str) -> float | int | None:
    found = values.get(key)
    return found.value if found is not None else None


async def attainment_report(
    session: AsyncSession, visible: frozenset[int] | None, *, period: str, window: KpiWindow, targets: dict[str, float]
) -> Report:
    """Target, actual and attainment per person and per team (pooled: a team rate is not an average of rates).

    A person's target is the one agreed for the period where target setting agreed one, else `targets`.
    """
    people = (await session.execute(managers(visible))).all()
    keys = list(targets)
    values = await figures(session, keys, visible, [p.id for p in people], window)
    agreed = await agreed_targets(session, period, [p.id for p in people])

    def target_of(staff_id: int, key: str) -> float:
        return agreed.get(staff_id, {}).get(key, targets[key])

    teams: dict[int | None, list[int]] = {}
    for person in people:
        teams.setdefault(person.supervisor_id, []).append(person.id)
    team_values = roll_up(values, teams)
    lead_ids = [t for t in teams if t is not None]
    leads = (
        dict((await session.execute(select(Staff.id, Staff.name).where(Staff.id.in_(lead_ids)))).all())
        if lead_ids
        else {}
    )
    report = Report(
        "attainment",
        ["level", "staff_id", "name", "team_id", "team", "metric", "unit", "target", "actual", "attainment"],
        period=period,
    )
    for team_id, members in teams.items():
        for key in keys:
            # A team's target: the sum of its members' for amounts, their mean for rates and averages.
            member_targets = [target_of(member, key) for member in members]
            target = (
                sum(member_targets)
                if CATALOGUE[key].cumulative
                else round(sum(member_targets) / len(member_targets), 4)
            )
            actual = _value(team_values.get(team_id, {}), key)
            report.rows.append(
                {
                    "level": "team",
                    "staff_id": team_id,
                    "name": leads.get(team_id, "—"),
                    "team_id": team_id,
                    "team": leads.get(team_id, "—"),
                    "metric": key,
                    "unit": CATALOGUE[key].unit.value,
                    "target": target,
                    "actual": actual,
                    "attainment": attainment(key, actual, target),
                }
            )
    for person in people:
        for key in keys:
            actual = _value(values.get(person.id, {}), key)
            report.rows.append(
                {
                    "level": "person",
                    "staff_id": person.id,
                    "name": person.name,
                    "team_id": person.supervisor_id,
                    "team": leads.get(person.supervisor_id, "—"),
                    "metric": key,
                    "unit": CATALOGUE[key].unit.value,
                    "target": target_of(person.id, key),
                    "actual": actual,
                    "attainment": attainment(key, actual, target_of(person.id, key)),
                }
            )
    return report


async def _pooled_by_month(
    session: AsyncSession, visible: frozenset[int] | None, keys: Sequence[str], windows: list[tuple[str, KpiWindow]]
) -> dict[str, dict[str, MetricValue]]:
    """Each month's figures of the whole staff set, pooled (one catalogue statement per month)."""
    staff: Any = select(Staff.id).where(Staff.role.in_(ACCOUNT_MANAGER_ROLES))
    if visible is not None:
        staff = staff.where(Staff.id.in_(sorted(visible)))
    found = {}
    for label, window in windows:
        values = await compute_metrics(session, keys, staff, window)
        pooled = roll_up(values, {"all": list(values)}).get("all", {})
        # Nobody with a figure this month: zero for amounts, no value for rates (as the catalogue answers).
        found[label] = {
            key: pooled.get(key) or MetricValue(key, 0.0, 0.0 if CATALOGUE[key].is_rate else None) for key in keys
        }
    return found


async def trends_report(
    session: AsyncSession, visible: frozenset[int] | None, *, end: datetime, months: int, timezone: str
) -> Report:
    """The key metrics month by month."""
    windows = month_windows(end, months, timezone)
    pooled = await _pooled_by_month(session, visible, TREND_METRICS, windows)
    report = Report("trends", ["month", "metric", "unit", "value"], months=[label for label, _ in windows])
    for label, _ in windows:
        for key in TREND_METRICS:
            report.rows.append(
                {"month": label, "metric": key, "unit": CATALOGUE[key].unit.value, "value": _value(pooled[label], key)}
            )
    return report


async def satisfaction_report(
    session: AsyncSession, visible: frozenset[int] | None, *, end: datetime, months: int, timezone: str
) -> Report:
    """Average satisfaction month by month, with how many scores it rests on."""
    windows = month_windows(end, months, timezone)
    pooled = await _pooled_by_month(session, visible, ("avg_satisfaction",), windows)
    report = Report("satisfaction", ["month", "avg_satisfaction", "scores"], months=[label for label, _ in windows])
    for label, _ in windows:
        value = pooled[label].get("avg_satisfaction")
        report.rows.append(
            {
                "month": label,
                "avg_satisfaction": value.value if value else None,
                "scores": int(value.denominator or 0) if value else 0,
            }
        )
    return report


async def sla_report(
    session: AsyncSession, visible: frozenset[int] | None, *, period: str, window: KpiWindow
) -> Report:
    """SLA compliance by severity and by category: the catalogue's SLA metrics, narrowed to each value in turn.

    The catalogue's `among` condition is where the narrowing goes: besides "the owner is one of the staff", it
    says "the complaint has this severity" (every SLA metric reads complaints joined to their customer).
    """
    report = Report("sla", ["dimension", "value", *SLA_METRICS], period=period)
    people = [row.id for row in (await session.execute(managers(visible))).all()]
    if not people:
        return report
    for dimension, column in SLA_DIMENSIONS.items():
        present = sorted(
            v
            for v in (
                await session.scalars(
                    select(column)
                    .distinct()
                    .join(Customer, Customer.id == Complaint.customer_id)
                    .where(
                        Customer.owner_id.in_(people),
                        Complaint.created_at >= window.start,
                        Complaint.created_at < window.end,
                    )
                )
            ).all()
            if v is not None
        )
        if not present:
            continue
        parts = []
        for value in present:

            def among(owner_column, value=value, column=column):
                return owner_column.in_(people) & (column == value)

            for key in SLA_METRICS:
                sub = metric(key).build(window, among).subquery()
                parts.append(
                    select(
                        literal(value).label("value"),
                        literal(key).label("metric"),
                        func.sum(sub.c.numerator).label("numerator"),
                        func.sum(sub.c.denominator).label("denominator"),
                    )
                )
        rows: dict[str, dict[str, Any]] = {v: {"dimension": dimension, "value": v} for v in present}
        for value, key, numerator, denominator in (await session.execute(union_all(*parts))).all():
            figure = MetricValue(
                key, float(numerator or 0), None if not CATALOGUE[key].is_rate else float(denominator or 0)
            )
            rows[value][key] = figure.value
        report.rows.extend(rows[v] for v in present)
    return report


async def reclaimed_report(
    session: AsyncSession, visible: frozenset[int] | None, *, period: str, window: KpiWindow
) -> Report:
    """Customers reclaimed to the public pool per person in the period (most first)."""
    people = (await session.execute(managers(visible))).all()
    values = await figures(session, ["customers_reclaimed", "customers_held"], visible, [p.id for p in people], window)
    report = Report("reclaimed", ["staff_id", "name", "customers_reclaimed", "customers_held"], period=period)
    for person in people:
        mine = values.get(person.id, {})
        report.rows.append(
            {
                "staff_id": person.id,
                "name": person.name,
                "customers_reclaimed": _value(mine, "customers_reclaimed") or 0,
                "customers_held": _value(mine, "customers_held") or 0,
            }
        )
    report.rows.sort(key=lambda row: (-row["customers_reclaimed"], row["staff_id"]))
    return report


async def overdue_report(session: AsyncSession, visible: frozenset[int] | None, *, now: datetime) -> Report:
    """Open tasks past their due date, by the person who holds them (the delegate when delegated)."""
    holder = func.coalesce(Task.delegate_id, Task.assignee_id)
    query = (
        select(
            holder.label("staff_id"),
            Staff.name,
            func.count(),
            func.sum(case((Task.escalation_level > 0, 1), else_=0)),
            func.min(Task.due_at),
        )
        .join(Staff, Staff.id == holder)
        .where(Task.status == "open", Task.due_at.is_not(None), Task.due_at < now)
        .group_by(holder, Staff.name)
        .order_by(func.count().desc(), holder)
    )
    if visible is not None:
        query = query.where(holder.in_(sorted(visible)))
    report = Report("overdue", ["staff_id", "name", "overdue_tasks", "escalated", "oldest_due_at"])
    for staff_id, name, count, escalated, oldest in (await session.execute(query)).all():
        oldest = oldest.replace(tzinfo=UTC) if oldest is not None and oldest.tzinfo is None else oldest
        report.rows.append(
            {
                "staff_id": staff_id,
                "name": name,
                "overdue_tasks": count,
                "escalated": int(escalated or 0),
                "oldest_due_at": oldest.isoformat() if oldest is not None else None,
            }
        )
    return report
