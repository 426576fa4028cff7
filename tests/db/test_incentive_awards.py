"""Awards computed set-based from the KPI catalogue on a hand-made quarter, on SQLite and PostgreSQL."""

from __future__ import annotations

from decimal import Decimal

from sqlalchemy import func, select

from db.models import AuditEvent, IncentiveAward, IncentiveAwardLine, TargetSet
from db.repositories.incentives import compute_awards
from tests.factories import Factory
from tests.incentives.dataset import END, PERIOD, RULES, START, build_quarter


async def _compute(sessions, **options):
    async with sessions() as session, session.begin():
        return await compute_awards(
            session, RULES, period=PERIOD, start=START, end=END, timezone="UTC", computed_by="test", **options
        )


async def _lines(sessions) -> dict[int, list[tuple]]:
    async with sessions() as session:
        rows = (
            await session.execute(
                select(
                    IncentiveAward.manager_id,
                    IncentiveAwardLine.kind,
                    IncentiveAwardLine.metric,
                    IncentiveAwardLine.actual,
                    IncentiveAwardLine.attainment,
                    IncentiveAwardLine.points,
                )
                .join(IncentiveAward, IncentiveAward.id == IncentiveAwardLine.award_id)
                .order_by(IncentiveAward.manager_id, IncentiveAwardLine.line_no)
            )
        ).all()
    found: dict[int, list[tuple]] = {}
    for manager_id, *line in rows:
        found.setdefault(manager_id, []).append(tuple(line))
    return found


async def test_awards_are_itemised_with_the_rule_version(any_db_sessions) -> None:
    q = await build_quarter(Factory(any_db_sessions), tokens=False)
    run = await _compute(any_db_sessions)
    assert (run.written, run.skipped, run.total_points) == (3, 0, 110.0)
    lines = await _lines(any_db_sessions)
    assert lines[q.a1.id] == [
        ("metric", "new_customers", 3.0, 1.5, 52.0),
        ("metric", "revenue", 1000.0, 1.0, 40.0),
        ("metric", "avg_satisfaction", 4.5, 1.0, 20.0),
        ("gate", "sla_compliance", 1.0, None, 0.0),
        ("cap", None, None, None, -2.0),
    ]
    assert lines[q.a2.id] == [
        ("metric", "new_customers", 1.0, 0.5, 0.0),
        ("metric", "revenue", 900.0, 0.9, 24.0),
        ("metric", "avg_satisfaction", 3.0, 0.6667, 0.0),
        ("gate", "sla_compliance", 0.0, None, -24.0),
    ]
    assert lines[q.b1.id] == [
        ("metric", "new_customers", 0.0, 0.0, 0.0),
        ("metric", "revenue", 0.0, 0.0, 0.0),
        ("metric", "avg_satisfaction", None, None, 0.0),
        ("gate", "sla_compliance", None, None, 0.0),
    ]
    async with any_db_sessions() as session:
        awards = {a.manager_id: a for a in await session.scalars(select(IncentiveAward))}
        assert {m: (a.total_points, a.amount, a.gated) for m, a in awards.items()} == {
            q.a1.id: (110.0, Decimal("5500.00"), False),
            q.a2.id: (0.0, Decimal("0.00"), True),
            q.b1.id: (0.0, Decimal("0.00"), False),
        }
        assert {a.rule_version for a in awards.values()} == {"3:hand-made-rules"}
        assert {a.supervisor_id for a in awards.values()} == {q.director_a.id, q.director_b.id}
        audit = (
            await session.scalars(select(AuditEvent).where(AuditEvent.action == "incentive_awards.computed"))
        ).one()
        assert audit.details["written"] == 3 and audit.details["rule_version"] == "3:hand-made-rules"


async def test_a_second_run_writes_nothing_and_a_replace_stays_in_its_subtree(any_db_sessions) -> None:
    q = await build_quarter(Factory(any_db_sessions), tokens=False)
    await _compute(any_db_sessions)
    again = await _compute(any_db_sessions)
    assert (again.written, again.skipped) == (0, 3)
    async with any_db_sessions() as session:
        assert await session.scalar(select(func.count()).select_from(IncentiveAwardLine)) == 13
    scoped = await _compute(any_db_sessions, scope_staff_id=q.director_b.id, replace=True)
    assert (scoped.written, scoped.skipped) == (1, 0)  # only director B's subtree is recomputed
    async with any_db_sessions() as session:
        assert await session.scalar(select(func.count()).select_from(IncentiveAwardLine)) == 13
        assert await session.scalar(select(func.count()).select_from(IncentiveAward)) == 3


async def test_the_agreed_target_of_the_period_wins_over_the_rules_default(any_db_sessions) -> None:
    q = await build_quarter(Factory(any_db_sessions), tokens=False)
    async with any_db_sessions() as session, session.begin():
        session.add(
            TargetSet(
                period=PERIOD,
                staff_id=q.a2.id,
                workflow_id=f"target-{PERIOD}-{q.a2.id}",
                status="agreed",
                metrics=["new_customers"],
                agreed_values={"new_customers": 1},
                period_start=START,
                period_end=END,
            )
        )
    await _compute(any_db_sessions)
    lines = await _lines(any_db_sessions)
    # a2 won one customer against an agreed target of one: band 1.0 → 100 × 0.4; the failed gate still applies.
    assert lines[q.a2.id][0] == ("metric", "new_customers", 1.0, 1.0, 40.0)
    assert lines[q.a2.id][-1] == ("gate", "sla_compliance", 0.0, None, -64.0)
    assert lines[q.a1.id][0] == ("metric", "new_customers", 3.0, 1.5, 52.0)  # no agreed target: the default
