"""Target sets: their daily progress (set-based, from the KPI catalogue) and what the API and pages read."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Sequence
from datetime import datetime
from typing import Any

from sqlalchemy import delete, insert, select
from sqlalchemy.ext.asyncio import AsyncSession

from db.models import Staff, TargetProgress, TargetSet, utcnow
from db.repositories.kpis import KpiWindow, compute_metrics
from definitions.kpis import METRIC_INFO, attainment, expected_by_now, pace
from definitions.targets import elapsed_share, local_day

AGREED = "agreed"


async def first_director_above(session: AsyncSession, staff_id: int) -> int | None:
    """The nearest director up the supervisor chain of `staff_id` (not the person themselves)."""
    seen: set[int] = set()
    current = await session.get(Staff, staff_id)
    while current is not None and current.supervisor_id is not None and current.supervisor_id not in seen:
        seen.add(current.supervisor_id)
        current = await session.get(Staff, current.supervisor_id)
        if current is not None and current.role == "director" and current.active:
            return current.id
    return None


def progress_rows(target_set: TargetSet, figures: dict[str, Any], as_of: datetime, timezone: str) -> list[dict]:
    """The snapshot rows of one target set from its actuals (one per metric with an agreed value)."""
    share = elapsed_share(target_set.period_start, target_set.period_end, as_of)
    day = local_day(as_of, timezone)
    rows = []
    for key, target in (target_set.agreed_values or {}).items():
        if key not in METRIC_INFO:
            continue
        value = figures.get(key)
        actual = None if value is None else value.value
        actual = None if actual is None else float(actual)
        rows.append(
            {
                "target_set_id": target_set.id,
                "metric": key,
                "day": day,
                "target": float(target),
                "actual": actual,
                "expected": round(expected_by_now(key, float(target), share), 4),
                "elapsed_share": round(share, 4),
                "pace": pace(key, actual, float(target), share),
                "attainment": attainment(key, actual, float(target)),
                "computed_at": utcnow(),
            }
        )
    return rows


async def snapshot_progress(
    session: AsyncSession, target_sets: Sequence[TargetSet], as_of: datetime, timezone: str
) -> list[dict]:
    """Today's snapshot of every given target set: one catalogue statement per distinct period, one write.

    Re-running the same day replaces that day's rows (a retried activity or a second run writes nothing twice).
    """
    by_window: dict[tuple[datetime, datetime], list[TargetSet]] = defaultdict(list)
    for target_set in target_sets:
        if target_set.agreed_values and as_of > target_set.period_start:
            by_window[(target_set.period_start, target_set.period_end)].append(target_set)
    rows: list[dict] = []
    for (start, end), group in by_window.items():
        keys = sorted({key for s in group for key in (s.agreed_values or {}) if key in METRIC_INFO})
        window = KpiWindow.between(start, min(as_of, end), timezone)
        figures = await compute_metrics(session, keys, [s.staff_id for s in group], window)
        for target_set in group:
            rows += progress_rows(target_set, figures.get(target_set.staff_id, {}), min(as_of, end), timezone)
    if rows:
        day = rows[0]["day"]
        await session.execute(
            delete(TargetProgress).where(
                TargetProgress.target_set_id.in_({r["target_set_id"] for r in rows}), TargetProgress.day == day
            )
        )
        await session.execute(insert(TargetProgress), rows)
    return rows


async def agreed_targets_of(session: AsyncSession, staff_ids: Sequence[int], period: str) -> dict[int, TargetSet]:
    """The target sets with agreed values of these staff for the period (reviews show them beside the actuals)."""
    if not staff_ids:
        return {}
    rows = await session.scalars(
        select(TargetSet).where(
            TargetSet.period == period, TargetSet.staff_id.in_(list(staff_ids)), TargetSet.agreed_values.is_not(None)
        )
    )
    return {row.staff_id: row for row in rows}


def target_vs_actual(agreed: dict[str, Any] | None, actuals: dict[str, Any]) -> list[dict[str, Any]]:
    """Per metric: target, actual, attainment, unit and direction (the review's table)."""
    lines = []
    for key, target in (agreed or {}).items():
        info = METRIC_INFO.get(key)
        if info is None:
            continue
        actual = actuals.get(key)
        lines.append(
            {
                "metric": key,
                "label": info.label,
                "unit": info.unit.value,
                "direction": info.direction.value,
                "target": float(target),
                "actual": actual,
                "attainment": attainment(key, actual, float(target)),
            }
        )
    return lines


async def team_targets(
    session: AsyncSession,
    staff_ids: Sequence[int],
    period: str,
    start: datetime,
    end: datetime,
    as_of: datetime,
    timezone: str,
    default_metrics: Sequence[str],
) -> dict[str, Any]:
    """Each account manager's target, actual and attainment per metric, and the team's: targets add up (rates are
    averaged), actuals are pooled from the catalogue over the members who have agreed targets."""
    from db.models import ACCOUNT_MANAGER_ROLES
    from db.repositories.kpis import roll_up

    members = (
        await session.execute(
            select(Staff.id, Staff.name)
            .where(Staff.id.in_(list(staff_ids)), Staff.role.in_(ACCOUNT_MANAGER_ROLES))
            .order_by(Staff.name, Staff.id)
        )
    ).all()
    ids = [m.id for m in members]
    sets = (
        {
            row.staff_id: row
            for row in await session.scalars(
                select(TargetSet).where(TargetSet.period == period, TargetSet.staff_id.in_(ids))
            )
        }
        if ids
        else {}
    )
    keys = list(
        dict.fromkeys([k for row in sets.values() for k in (row.agreed_values or {}) if k in METRIC_INFO])
    ) or list(default_metrics)
    window = KpiWindow.between(start, max(start, min(as_of, end)), timezone)
    figures = await compute_metrics(session, keys, ids, window) if ids else {}
    out_members = []
    for member in members:
        row = sets.get(member.id)
        agreed = (row.agreed_values or {}) if row is not None else {}
        lines = []
        for key in keys:
            value = figures.get(member.id, {}).get(key)
            actual = value.value if value is not None else None
            target = agreed.get(key)
            lines.append(_line(key, target, actual))
        out_members.append(
            {
                "staff_id": member.id,
                "name": member.name,
                "target_id": row.id if row else None,
                "status": row.status if row else None,
                "lines": lines,
            }
        )
    with_targets = [m for m in ids if sets.get(m) is not None and sets[m].agreed_values]
    team = roll_up(figures, {"team": with_targets})["team"]
    team_lines = []
    for key in keys:
        targets = [float(sets[m].agreed_values[key]) for m in with_targets if key in (sets[m].agreed_values or {})]
        if not targets:
            team_lines.append(_line(key, None, None))
            continue
        target = sum(targets) if METRIC_INFO[key].cumulative else round(sum(targets) / len(targets), 4)
        value = team.get(key)
        team_lines.append(_line(key, target, value.value if value is not None else None))
    return {"members": out_members, "team": team_lines}


def _line(key: str, target: float | None, actual: float | int | None) -> dict[str, Any]:
    info = METRIC_INFO[key]
    return {
        "metric": key,
        "label": info.label,
        "unit": info.unit.value,
        "direction": info.direction.value,
        "target": target,
        "actual": actual,
        "attainment": attainment(key, None if actual is None else float(actual), target),
    }
