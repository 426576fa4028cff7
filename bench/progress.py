"""Benchmark: one day's target progress for 10 000 account managers × 8 metrics over 1 M customers and 10 M
transactions on PostgreSQL (DESIGN §3.8, issue 10 item 8).

Run with `.venv/bin/python -m bench.progress` (`--help` for options). It creates the database
`crmflow_bench_progress` afresh, migrates it and seeds it set-based with generate_series (no rows pass through
Python): the managers, their customers (owned, some won this quarter, some reclaimed to the pool), the scoring
benchmark's transaction shape, rated complaints, and one agreed target set per manager. Then it times the real
daily progress code — what the `targets.progress_batch` activity runs, chunk after chunk
(`db.repositories.targets.snapshot_progress` over the KPI catalogue), called directly rather than through
Temporal — and reports the wall time, the snapshots written and the peak RSS.
"""

from __future__ import annotations

import argparse
import asyncio
import json
import os
import resource
import sys
import time
from datetime import UTC, datetime, timedelta

import psycopg
from sqlalchemy import select

from bench.scoring import DEFAULT_SERVER, _bulk_load, recreate
from db.engine import create_engine, create_session_factory
from db.migrate import upgrade
from db.models import TargetSet
from db.repositories.targets import AGREED, snapshot_progress
from definitions.review import period_bounds

PERIOD = "2026Q2"
TIMEZONE = "UTC"
METRICS = (
    "new_customers",
    "new_customers_tier1",
    "revenue",
    "retention",
    "avg_satisfaction",
    "sla_response",
    "complaints_closed",
    "customers_reclaimed",
)
TARGETS = {
    "new_customers": 12,
    "new_customers_tier1": 2,
    "revenue": 2_000_000,
    "retention": 0.9,
    "avg_satisfaction": 4.0,
    "sla_response": 0.9,
    "complaints_closed": 10,
    "customers_reclaimed": 2,
}


def _peak_rss_mb() -> float:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024  # Linux: kilobytes


def _log(message: str) -> None:
    print(message, file=sys.stderr, flush=True)


def seed(url: str, managers: int, customers: int, per_customer: int) -> None:
    """Managers, customers spread over them, transactions, complaints and one agreed target set each."""
    start, end = period_bounds(PERIOD, TIMEZONE)
    targets = json.dumps(TARGETS)
    metrics = json.dumps(list(METRICS))
    tables = ("staff", "customers", "transactions", "complaints", "target_sets")
    with psycopg.connect(url, autocommit=True) as conn, _bulk_load(conn, tables):
        conn.execute("SET synchronous_commit = off")
        conn.execute("SET maintenance_work_mem = '256MB'")
        conn.execute("SELECT setseed(0.42)")
        steps = [
            (
                "staff",
                """
                INSERT INTO staff (id, name, email, role, region, capacity, active, created_at, updated_at)
                SELECT g, 'manager ' || g, 'm' || g || '@bench.test',
                       CASE WHEN g %% 5 = 0 THEN 'account_manager_l1' ELSE 'account_manager_l2' END,
                       'region-' || (g %% 20), 500, true, now(), now()
                FROM generate_series(1, %(m)s) AS g""",
            ),
            # Every customer has an owner; one in eight was won this quarter, one in fifty went to the pool.
            (
                "customers",
                """
                INSERT INTO customers (id, name, region, industry, declared_annual_value, tier, status, owner_id,
                                       previous_owner_id, reclaimed_at, created_at, updated_at, owner_assigned_at)
                SELECT g, 'bench customer ' || g, 'region-' || (g %% 20), 'retail', 0,
                       CASE WHEN g %% 10 = 0 THEN 1 ELSE 2 END,
                       CASE WHEN g %% 50 = 0 THEN 'pool' ELSE 'active' END,
                       CASE WHEN g %% 50 = 0 THEN NULL ELSE 1 + g %% %(m)s END,
                       CASE WHEN g %% 50 = 0 THEN 1 + g %% %(m)s END,
                       CASE WHEN g %% 50 = 0 THEN %(start)s::timestamptz + (g %% 60) * interval '1 day' END,
                       %(start)s::timestamptz - interval '400 days', now(),
                       CASE WHEN g %% 8 = 0 THEN %(start)s::timestamptz + (g %% 70) * interval '1 day'
                            ELSE %(start)s::timestamptz - interval '300 days' END
                FROM generate_series(1, %(n)s) AS g""",
            ),
            (
                "transactions",
                """
                INSERT INTO transactions (customer_id, amount, occurred_on, created_at)
                SELECT c, round((power(random(), 3) * 200000)::numeric, 2),
                       %(end)s::date - (random() * 400)::int, now()
                FROM generate_series(1, %(n)s) AS c, generate_series(1, %(k)s) AS k""",
            ),
            (
                "complaints",
                """
                INSERT INTO complaints (id, customer_id, severity, category, description, channel, status,
                                        escalation_level, paused_seconds, reopen_count, satisfaction,
                                        sla_response_met, sla_resolution_met, closed_at, created_at, updated_at)
                SELECT gen_random_uuid()::text, (random() * (%(n)s - 1))::int + 1, 'normal', 'service', 'bench',
                       'phone', 'closed', 0, 0, 0, 1 + (random() * 4)::int, random() < 0.85, random() < 0.8,
                       t + interval '2 days', t, now()
                FROM (SELECT %(end)s::timestamptz - (random() * 200) * interval '1 day' AS t
                      FROM generate_series(1, %(c)s)) AS s""",
            ),
            (
                "target_sets",
                """
                INSERT INTO target_sets (period, staff_id, supervisor_id, workflow_id, status, metrics,
                                         counter_rounds, current_version, agreed_version, agreed_values,
                                         period_start, period_end, created_at, updated_at)
                SELECT %(period)s::text, g, NULL, 'target-' || %(period)s::text || '-' || g, %(agreed)s, %(metrics)s::json,
                       0, 1, 1, %(targets)s::json, %(start)s, %(end)s, now(), now()
                FROM generate_series(1, %(m)s) AS g""",
            ),
        ]
        params = {
            "m": managers,
            "n": customers,
            "k": per_customer,
            "c": customers // 10,
            "start": start,
            "end": end,
            "period": PERIOD,
            "agreed": AGREED,
            "metrics": metrics,
            "targets": targets,
        }
        for name, sql in steps:
            started = time.perf_counter()
            conn.execute(sql, params)
            _log(f"  {name}: {time.perf_counter() - started:.1f}s")
        for table in ("staff", "customers"):
            conn.execute(f"SELECT setval(pg_get_serial_sequence('{table}', 'id'), (SELECT max(id) FROM {table}))")
    with psycopg.connect(url, autocommit=True) as conn:
        started = time.perf_counter()
        for table in tables:
            conn.execute(f"VACUUM ANALYZE {table}")
        _log(f"  vacuum analyze: {time.perf_counter() - started:.1f}s")


async def progress(url: str, as_of: datetime, chunk: int) -> dict:
    """The daily run exactly as the activity does it: chunks of agreed target sets by id, one transaction each."""
    engine = create_engine(url)
    sessions = create_session_factory(engine)
    rss_before = _peak_rss_mb()
    started = time.perf_counter()
    cursor, sets, snapshots, slowest = 0, 0, 0, 0.0
    while True:
        chunk_started = time.perf_counter()
        async with sessions() as session, session.begin():
            batch = list(
                await session.scalars(
                    select(TargetSet)
                    .where(
                        TargetSet.id > cursor,
                        TargetSet.status == AGREED,
                        TargetSet.period_start < as_of,
                        TargetSet.period_end > as_of,
                    )
                    .order_by(TargetSet.id)
                    .limit(chunk)
                )
            )
            rows = await snapshot_progress(session, batch, as_of, TIMEZONE)
        slowest = max(slowest, time.perf_counter() - chunk_started)
        sets, snapshots = sets + len(batch), snapshots + len(rows)
        if len(batch) < chunk:
            break
        cursor = batch[-1].id
    elapsed = time.perf_counter() - started
    await engine.dispose()
    return {
        "seconds": round(elapsed, 1),
        "target_sets": sets,
        "snapshots": snapshots,
        "slowest_chunk_seconds": round(slowest, 2),
        "peak_rss_mb_before": round(rss_before, 1),
        "peak_rss_mb": round(_peak_rss_mb(), 1),
    }


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--server", default=os.environ.get("CRMFLOW_BENCH_SERVER", DEFAULT_SERVER))
    parser.add_argument("--database", default="crmflow_bench_progress")
    parser.add_argument("--managers", type=int, default=10_000)
    parser.add_argument("--customers", type=int, default=1_000_000)
    parser.add_argument("--transactions-per-customer", type=int, default=10)
    parser.add_argument("--chunk", type=int, default=1000, help="target sets per chunk (definition: progress_chunk)")
    parser.add_argument("--reuse", action="store_true", help="measure the existing database again (no reseed)")
    args = parser.parse_args(argv)
    url = f"{args.server}/{args.database}"
    if not args.reuse:
        _log(
            f"creating {url}: {args.managers:,} managers, {args.customers:,} customers × "
            f"{args.transactions_per_customer} transactions"
        )
        url = recreate(args.server, args.database)
        upgrade(url)
        started = time.perf_counter()
        seed(url, args.managers, args.customers, args.transactions_per_customer)
        _log(f"seeded in {time.perf_counter() - started:.1f}s")
    start, _ = period_bounds(PERIOD, TIMEZONE)
    as_of = start + timedelta(days=45, hours=3)
    _log(f"progress as of {as_of.isoformat()} in chunks of {args.chunk} …")
    report = asyncio.run(progress(url, as_of.astimezone(UTC), args.chunk))
    report.update(
        {
            "managers": args.managers,
            "metrics": len(METRICS),
            "customers": args.customers,
            "transactions": args.customers * args.transactions_per_customer,
            "chunk": args.chunk,
            "cpus": os.cpu_count(),
            "load_average_1m": round(os.getloadavg()[0], 2),
        }
    )
    print(json.dumps(report, indent=2))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
