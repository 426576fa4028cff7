"""Incentive awards (DESIGN §3.8): computed set-based from the KPI catalogue, stored line by line, read by role."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime
from decimal import Decimal

from sqlalchemy import Select, delete, func, insert, select
from sqlalchemy.ext.asyncio import AsyncSession

from db.models import (
    ACCOUNT_MANAGER_ROLES,
    ApprovalRequest,
    IncentiveAward,
    IncentiveAwardLine,
    Staff,
    TargetSet,
    utcnow,
)
from db.repositories.audit import record_audit
from db.repositories.kpis import CATALOGUE, KpiWindow, attainment, compute_metrics
from db.repositories.staff import subtree_ids
from definitions.approval import FINAL_STATUSES
from definitions.incentives import LINE_GATE, IncentiveDefinition, award_lines, total_points

CHUNK = 1000  # managers per round trip: memory stays flat however many managers there are


class UnknownMetric(ValueError):
    """The rules name a metric the KPI catalogue does not define."""


@dataclass(frozen=True)
class AwardRun:
    written: int
    skipped: int
    total_points: float


def check_metrics(definition: IncentiveDefinition) -> None:
    """Every metric the rules use is in the KPI catalogue (one set of metric SQL for reviews, targets and awards)."""
    unknown = [m for m in definition.needed_metrics() if m not in CATALOGUE]
    if unknown:
        raise UnknownMetric(
            f"the incentive rules use metrics the KPI catalogue does not define: {', '.join(unknown)}"
            f" (known: {', '.join(CATALOGUE)})"
        )


async def agreed_targets(session: AsyncSession, period: str, staff_ids: Sequence[int]) -> dict[int, dict[str, float]]:
    """The pinned (agreed) target values of each person for the period, where target setting agreed any."""
    rows = (
        (
            await session.execute(
                select(TargetSet.staff_id, TargetSet.agreed_values).where(
                    TargetSet.period == period,
                    TargetSet.staff_id.in_(list(staff_ids)),
                    TargetSet.agreed_values.is_not(None),
                )
            )
        ).all()
        if staff_ids
        else []
    )
    return {
        staff_id: {key: float(value) for key, value in (values or {}).items() if value is not None}
        for staff_id, values in rows
    }


def eligible_managers(scope_ids: set[int] | None) -> Select:
    """Active account managers (of a subtree when scoped), by id."""
    query = select(Staff.id, Staff.supervisor_id).where(Staff.active.is_(True), Staff.role.in_(ACCOUNT_MANAGER_ROLES))
    if scope_ids is not None:
        query = query.where(Staff.id.in_(sorted(scope_ids)))
    return query.order_by(Staff.id)


def chunk_select(first_id: int, last_id: int, scope_ids: set[int] | None) -> Select:
    """The eligible managers with ids in [first_id, last_id] (one chunk of `eligible_managers`), as a SELECT."""
    inner = eligible_managers(scope_ids).where(Staff.id >= first_id, Staff.id <= last_id).subquery()
    return select(inner.c.id)


async def compute_awards(
    session: AsyncSession,
    definition: IncentiveDefinition,
    *,
    period: str,
    start: datetime,
    end: datetime,
    timezone: str,
    scope_staff_id: int | None = None,
    computed_by: str = "system",
    replace: bool = False,
    operation_key: str | None = None,
    workflow_id: str | None = None,
) -> AwardRun:
    """Every eligible manager's award for the period, in chunks: a few statements per chunk, never one per manager.

    An award that exists is kept (a retried run writes nothing twice) unless `replace`; an award under appeal is
    never replaced. One audit event records the run, with the rule version.
    """
    check_metrics(definition)
    window = KpiWindow.between(start, end, timezone)
    scope = await subtree_ids(session, scope_staff_id) if scope_staff_id is not None else None
    managers = (await session.execute(eligible_managers(scope))).all()
    existing = dict(
        (
            await session.execute(
                select(IncentiveAward.manager_id, IncentiveAward.appeal_id).where(IncentiveAward.period == period)
            )
        ).all()
    )
    if replace:
        appealed = {m for m, appeal in existing.items() if appeal is not None}
        stale = [m for m, _ in managers if m in existing and m not in appealed]
        for offset in range(0, len(stale), CHUNK):
            await session.execute(
                delete(IncentiveAward).where(
                    IncentiveAward.period == period, IncentiveAward.manager_id.in_(stale[offset : offset + CHUNK])
                )
            )
        existing = {m: a for m, a in existing.items() if m in appealed or m not in set(stale)}
    todo = [(m, s) for m, s in managers if m not in existing]
    keys = definition.needed_metrics()
    written, points_sum, now = 0, 0.0, utcnow()
    for offset in range(0, len(todo), CHUNK):
        chunk = todo[offset : offset + CHUNK]
        # The chunk as a SELECT over its id range (two parameters), not a list of ids: the statements stay
        # small however many managers a chunk holds.
        values = await compute_metrics(session, keys, chunk_select(chunk[0][0], chunk[-1][0], scope), window)
        targets = await agreed_targets(session, period, [m for m, _ in chunk])
        computed = []
        for manager_id, supervisor_id in chunk:
            # Nobody's figure missing means "nothing happened": zero for amounts, no value for rates.
            actuals = {
                key: values[manager_id][key].value
                if key in values.get(manager_id, {})
                else (None if CATALOGUE[key].is_rate else 0)
                for key in keys
            }
            lines = award_lines(definition, actuals, targets.get(manager_id, {}), attainment)
            computed.append((manager_id, supervisor_id, lines))
        rows = [
            {
                "period": period,
                "manager_id": manager_id,
                "supervisor_id": supervisor_id,
                "rule_version": definition.rule_version,
                "total_points": total_points(lines),
                "amount": (Decimal(str(total_points(lines))) * Decimal(str(definition.point_value))).quantize(
                    Decimal("0.01")
                ),
                "currency": definition.currency,
                "computed_at": now,
                "computed_by": computed_by,
                "gated": any(line.kind == LINE_GATE and line.points < 0 for line in lines),
                "created_at": now,
                "updated_at": now,
            }
            for manager_id, supervisor_id, lines in computed
        ]
        # Core inserts (executemany, batched into multi-row VALUES), not the ORM's per-object bookkeeping.
        awards_table, lines_table = IncentiveAward.__table__, IncentiveAwardLine.__table__
        ids = dict(
            (
                await session.execute(
                    insert(awards_table).returning(awards_table.c.manager_id, awards_table.c.id), rows
                )
            ).all()
        )
        await session.execute(
            insert(lines_table),
            [{"award_id": ids[manager_id], **line.model_dump()} for manager_id, _, lines in computed for line in lines],
        )
        written += len(chunk)
        points_sum += sum(row["total_points"] for row in rows)
    record_audit(
        session,
        actor=computed_by,
        action="incentive_awards.computed",
        entity_type="incentive_period",
        entity_id=period,
        workflow_id=workflow_id,
        operation_key=operation_key,
        reason=f"awards for {period} under rules {definition.rule_version}",
        details={
            "period": period,
            "rule_version": definition.rule_version,
            "written": written,
            "skipped": len(managers) - written,
            "scope_staff_id": scope_staff_id,
            "replace": replace,
        },
    )
    return AwardRun(written=written, skipped=len(managers) - written, total_points=round(points_sum, 2))


@dataclass
class AwardView:
    award: IncentiveAward
    manager_name: str
    lines: list[IncentiveAwardLine]
    appeal_status: str | None
    appeal_outcome: str | None


def visible_awards(visible_staff_ids: frozenset[int] | None) -> Select:
    """Awards a viewer may read: their subtree's (themselves included), or all for read-all roles."""
    query = select(IncentiveAward, Staff.name).join(Staff, Staff.id == IncentiveAward.manager_id)
    if visible_staff_ids is not None:
        query = query.where(IncentiveAward.manager_id.in_(sorted(visible_staff_ids)))
    return query


def _filtered_awards(visible_staff_ids: frozenset[int] | None, period: str | None, manager_id: int | None):
    query = visible_awards(visible_staff_ids)
    if period:
        query = query.where(IncentiveAward.period == period)
    if manager_id is not None:
        query = query.where(IncentiveAward.manager_id == manager_id)
    return query


async def list_awards(
    session: AsyncSession,
    visible_staff_ids: frozenset[int] | None,
    *,
    period: str | None = None,
    manager_id: int | None = None,
    limit: int = 100,
    offset: int = 0,
) -> list[AwardView]:
    query = _filtered_awards(visible_staff_ids, period, manager_id).order_by(
        IncentiveAward.period.desc(), IncentiveAward.manager_id
    )
    found = (await session.execute(query.limit(limit).offset(offset))).all()
    return await _views(session, found, with_lines=False)


async def count_awards(
    session: AsyncSession,
    visible_staff_ids: frozenset[int] | None,
    *,
    period: str | None = None,
    manager_id: int | None = None,
) -> int:
    """How many awards `list_awards` pages through with the same filters."""
    query = _filtered_awards(visible_staff_ids, period, manager_id)
    return await session.scalar(select(func.count()).select_from(query.subquery())) or 0


async def get_award(session: AsyncSession, visible_staff_ids: frozenset[int] | None, award_id: int) -> AwardView | None:
    found = (
        await session.execute(
            visible_awards(visible_staff_ids)
            .where(IncentiveAward.id == award_id)
            .execution_options(populate_existing=True)
        )
    ).all()
    views = await _views(session, found, with_lines=True)
    return views[0] if views else None


async def _views(session: AsyncSession, found: Sequence, *, with_lines: bool) -> list[AwardView]:
    appeal_ids = [award.appeal_id for award, _ in found if award.appeal_id]
    appeals = (
        {
            row.id: row
            for row in await session.scalars(select(ApprovalRequest).where(ApprovalRequest.id.in_(appeal_ids)))
        }
        if appeal_ids
        else {}
    )
    lines: dict[int, list[IncentiveAwardLine]] = {}
    if with_lines and found:
        for line in await session.scalars(
            select(IncentiveAwardLine)
            .where(IncentiveAwardLine.award_id.in_([award.id for award, _ in found]))
            .order_by(IncentiveAwardLine.line_no)
        ):
            lines.setdefault(line.award_id, []).append(line)
    views = []
    for award, name in found:
        appeal = appeals.get(award.appeal_id) if award.appeal_id else None
        views.append(
            AwardView(
                award=award,
                manager_name=name,
                lines=lines.get(award.id, []),
                appeal_status=appeal.status if appeal else None,
                appeal_outcome=appeal.outcome_reason if appeal and appeal.status in FINAL_STATUSES else None,
            )
        )
    return views
