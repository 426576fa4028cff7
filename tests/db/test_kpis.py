"""The KPI catalogue against a small hand-computed data set, on SQLite and PostgreSQL."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta
from decimal import Decimal

import pytest
from sqlalchemy import select

from db.models import Complaint, Customer, FollowUp, Staff, StaffRole, Transaction
from db.repositories import kpis
from db.repositories.kpis import (
    CATALOGUE,
    Direction,
    KpiWindow,
    Unit,
    attainment,
    compute_metrics,
    compute_team_metrics,
    pace,
)

START = datetime(2026, 4, 1, tzinfo=UTC)
END = datetime(2026, 7, 1, tzinfo=UTC)
BEFORE = START - timedelta(days=60)
WINDOW = KpiWindow.between(START, END)


async def _data_set(sessions) -> dict[str, int]:
    """Three managers under one director; the expected figures are worked out by hand in the tests below."""
    async with sessions() as session, session.begin():
        director = Staff(name="D", email="d@kpi.test", role=StaffRole.DIRECTOR)
        session.add(director)
        await session.flush()
        a, b, c = (
            Staff(name=n, email=f"{n}@kpi.test", role=StaffRole.ACCOUNT_MANAGER_L2, supervisor_id=director.id)
            for n in "abc"
        )
        session.add_all([a, b, c])
        await session.flush()

        def customer(name: str, **fields) -> Customer:
            fields.setdefault("created_at", BEFORE - timedelta(days=1))
            fields.setdefault("owner_assigned_at", BEFORE)
            row = Customer(name=name, region="kpi", **fields)
            session.add(row)
            return row

        a1 = customer("a1", owner_id=a.id, tier=2)
        a2 = customer("a2", owner_id=a.id, tier=1)
        a3 = customer(
            "a3",
            owner_id=a.id,
            tier=1,
            created_at=START + timedelta(days=5),
            owner_assigned_at=START + timedelta(days=10),
        )  # won during the period, tier 1
        customer("a4", owner_id=a.id, tier=2, owner_assigned_at=START + timedelta(days=20))  # won, tier 2
        a5 = customer(
            "a5", owner_id=None, previous_owner_id=a.id, status="pool", reclaimed_at=START + timedelta(days=30)
        )  # lost to the pool during the period
        a6 = customer(
            "a6", owner_id=None, previous_owner_id=a.id, status="pool", reclaimed_at=END + timedelta(days=5)
        )  # held at the end, lost only after it
        b1 = customer("b1", owner_id=b.id)
        customer("b2", owner_id=b.id, owner_assigned_at=END + timedelta(days=1))  # won after the period
        await session.flush()

        session.add_all(
            [
                Transaction(customer_id=a1.id, amount=Decimal("1000"), occurred_on=date(2026, 4, 1)),
                Transaction(customer_id=a1.id, amount=Decimal("500"), occurred_on=date(2026, 6, 30)),
                Transaction(customer_id=a2.id, amount=Decimal("200"), occurred_on=date(2026, 7, 1)),  # after
                Transaction(customer_id=a2.id, amount=Decimal("300"), occurred_on=date(2026, 3, 31)),  # before
                Transaction(customer_id=a5.id, amount=Decimal("700"), occurred_on=date(2026, 5, 1)),  # no owner now
                Transaction(customer_id=b1.id, amount=Decimal("250.50"), occurred_on=date(2026, 5, 5)),
            ]
        )
        session.add_all(
            [
                FollowUp(customer_id=a1.id, staff_id=a.id, channel="call", occurred_at=START + timedelta(days=3)),
                FollowUp(customer_id=a1.id, staff_id=a.id, channel="call", occurred_at=START + timedelta(days=33)),
                FollowUp(customer_id=a3.id, staff_id=a.id, channel="visit", occurred_at=START + timedelta(days=40)),
                FollowUp(customer_id=a2.id, staff_id=a.id, channel="call", occurred_at=START - timedelta(days=1)),
                FollowUp(customer_id=a6.id, staff_id=a.id, channel="call", occurred_at=START + timedelta(days=50)),
            ]
        )

        def complaint(n: int, customer_row: Customer, created: datetime, **fields) -> Complaint:
            return Complaint(
                id=f"00000000-0000-0000-0000-{n:012d}",
                customer_id=customer_row.id,
                severity="high",
                category="billing",
                description="x",
                channel="api",
                created_at=created,
                **fields,
            )

        session.add_all(
            [
                complaint(
                    1,
                    a1,
                    START + timedelta(days=1),
                    sla_response_met=True,
                    sla_resolution_met=True,
                    satisfaction=5,
                    closed_at=START + timedelta(days=3),
                ),
                complaint(
                    2,
                    a2,
                    START + timedelta(days=2),
                    sla_response_met=True,
                    sla_resolution_met=False,
                    satisfaction=3,
                    closed_at=END + timedelta(days=1),
                ),
                complaint(3, a3, START + timedelta(days=40), sla_response_met=False),
                complaint(
                    4,
                    a1,
                    START - timedelta(days=5),
                    sla_response_met=True,
                    sla_resolution_met=True,
                    satisfaction=1,
                    closed_at=START + timedelta(days=1),
                ),
                complaint(5, b1, START + timedelta(days=5), satisfaction=4, closed_at=START + timedelta(days=6)),
            ]
        )
    return {"director": director.id, "a": a.id, "b": b.id, "c": c.id}


# Worked out by hand from the data set above (None: nothing to measure).
EXPECTED = {
    "a": {
        "customers_held": 5,  # a1 a2 a3 a4 + a6 (lost only after the period)
        "new_customers": 2,
        "new_customers_tier1": 1,
        "new_customers_tier2": 1,  # a3, a4
        "customers_lost": 1,  # a5
        "retention": 0.75,  # kept = 5 held − 2 won = 3; 3 ÷ (3 + 1 lost)
        "revenue": 1500.0,
        "followup_coverage": 0.4,  # a1 and a3 of 5 held (a6 is in the pool now)
        "complaints": 3,
        "complaints_closed": 2,  # complaints 1, 2, 3 raised; 1 and 4 closed within
        "sla_response": 0.6667,  # 2 of 3 measured
        "sla_resolution": 0.5,  # 1 of 2 measured
        "sla_compliance": 0.3333,  # only complaint 1 met both
        "avg_satisfaction": 4.0,  # (5 + 3) ÷ 2
        "customers_reclaimed": 1,  # a5 (a6 after the period)
    },
    "b": {
        "customers_held": 1,
        "new_customers": 0,
        "new_customers_tier1": 0,
        "new_customers_tier2": 0,
        "customers_lost": 0,
        "retention": 1.0,
        "revenue": 250.5,
        "followup_coverage": 0.0,
        "complaints": 1,
        "complaints_closed": 1,
        "sla_response": None,
        "sla_resolution": None,
        "sla_compliance": None,
        "avg_satisfaction": 4.0,
        "customers_reclaimed": 0,
    },
    "c": {
        "customers_held": 0,
        "new_customers": 0,
        "new_customers_tier1": 0,
        "new_customers_tier2": 0,
        "customers_lost": 0,
        "retention": None,
        "revenue": 0.0,
        "followup_coverage": None,
        "complaints": 0,
        "complaints_closed": 0,
        "sla_response": None,
        "sla_resolution": None,
        "sla_compliance": None,
        "avg_satisfaction": None,
        "customers_reclaimed": 0,
    },
}

TEAM = {  # a + b + c, pooled
    "customers_held": 6,
    "new_customers": 2,
    "revenue": 1750.5,
    "retention": 0.8,  # kept 3 + 1 of 4 + 1
    "followup_coverage": 0.3333,
    "avg_satisfaction": 4.0,
    "sla_response": 0.6667,
    "complaints": 4,
    "customers_reclaimed": 1,
}


async def test_every_metric_matches_the_hand_computed_figures(any_db_sessions) -> None:
    ids = await _data_set(any_db_sessions)
    managers = [ids["a"], ids["b"], ids["c"]]
    async with any_db_sessions() as session:
        figures = await compute_metrics(session, list(EXPECTED["a"]), managers, WINDOW)
    assert set(figures) == set(managers)
    for name in "abc":
        got = {key: value.value for key, value in figures[ids[name]].items()}
        assert got == EXPECTED[name], name


async def test_team_roll_up_pools_numerators_and_denominators(any_db_sessions) -> None:
    ids = await _data_set(any_db_sessions)
    async with any_db_sessions() as session:
        teams = await compute_team_metrics(
            session, list(TEAM), {"team": [ids["a"], ids["b"], ids["c"]], "b only": [ids["b"]], "empty": []}, WINDOW
        )
    assert {key: value.value for key, value in teams["team"].items()} == TEAM
    assert teams["b only"]["revenue"].value == 250.5
    assert teams["empty"]["retention"].value is None and teams["empty"]["revenue"].value == 0


async def test_a_staff_set_given_as_a_query_and_in_chunks_gives_the_same_figures(
    any_db_sessions, monkeypatch: pytest.MonkeyPatch
) -> None:
    ids = await _data_set(any_db_sessions)
    keys = ["revenue", "retention", "followup_coverage", "sla_response"]
    async with any_db_sessions() as session:
        by_query = await compute_metrics(
            session, keys, select(Staff.id).where(Staff.supervisor_id == ids["director"]), WINDOW
        )
        monkeypatch.setattr(kpis, "ID_CHUNK", 1)
        chunked = await compute_metrics(session, keys, [ids["a"], ids["b"], ids["c"]], WINDOW)
    # Given as a query, staff with no figure at all (c) are simply absent.
    assert set(by_query) == {ids["a"], ids["b"]}
    for name in "ab":
        assert {k: v.value for k, v in by_query[ids[name]].items()} == {k: EXPECTED[name][k] for k in keys}
        assert {k: v.value for k, v in chunked[ids[name]].items()} == {k: EXPECTED[name][k] for k in keys}


async def test_a_window_ending_mid_period_counts_only_what_happened_by_then(any_db_sessions) -> None:
    ids = await _data_set(any_db_sessions)
    window = KpiWindow.between(START, START + timedelta(days=15))
    async with any_db_sessions() as session:
        figures = await compute_metrics(session, ["revenue", "new_customers", "complaints"], [ids["a"]], window)
    got = {key: value.value for key, value in figures[ids["a"]].items()}
    assert got == {"revenue": 1000.0, "new_customers": 1, "complaints": 2}


def test_window_dates_are_local_dates() -> None:
    start, end = datetime(2026, 3, 31, 16, tzinfo=UTC), datetime(2026, 6, 30, 16, tzinfo=UTC)
    window = KpiWindow.between(start, end, "Asia/Shanghai")
    assert (window.first_day, window.last_day) == (date(2026, 4, 1), date(2026, 7, 1))


def test_every_metric_has_a_unit_and_a_direction() -> None:
    for key in (
        "new_customers",
        "new_customers_tier1",
        "revenue",
        "retention",
        "avg_satisfaction",
        "sla_response",
        "sla_resolution",
        "followup_coverage",
        "complaints_closed",
        "customers_reclaimed",
    ):
        assert isinstance(CATALOGUE[key].unit, Unit) and isinstance(CATALOGUE[key].direction, Direction)
    assert CATALOGUE["customers_reclaimed"].direction == Direction.LOWER
    with pytest.raises(KeyError, match="unknown metric"):
        kpis.metric("nps")


def test_attainment_and_pace_follow_the_direction() -> None:
    assert attainment("revenue", 80, 100) == 0.8
    assert attainment("customers_reclaimed", 0, 4) == 2.0 and attainment("customers_reclaimed", 8, 4) == 0.0
    assert attainment("customers_reclaimed", 2, 4) == 1.5 and attainment("revenue", None, 100) is None
    # Cumulative: 30 of 100 a third of the way through is 0.9 of the pace; a rate is due all along.
    assert pace("revenue", 30, 100, 1 / 3) == 0.9
    assert pace("retention", 0.9, 0.9, 1 / 3) == 1.0
    assert pace("revenue", 0, 100, 0) is None
