"""Benchmark: a full tier-scoring pass over 1 000 000 customers × 10 transactions on PostgreSQL.

Run with `make bench` (or `.venv/bin/python -m bench.scoring --help`). It creates the database
`crmflow_bench` afresh beside CRMFLOW_BENCH_DATABASE_URL (default: the local server), migrates it,
seeds it set-based with generate_series (no rows pass through Python), then times ONE call of the
real scoring code (`db.repositories.tiering.score_customers`, exactly what the `tiering.score`
activity runs, called directly rather than through Temporal) and reports the wall time and peak RSS
beside two floors measured in the same run: reading (one `GROUP BY customer_id` over the window's
transactions, before and after the pass) and writing (one bare UPDATE of every score, rolled back).
A full run keeps its database for `--reuse` (which resets the scores first); a `--quick` one drops it.
"""

from __future__ import annotations

import argparse
import asyncio
import json
import os
import resource
import sys
import time
from collections.abc import Iterator
from contextlib import contextmanager
from datetime import UTC, date, datetime

import psycopg

from crmflow.settings import PACKAGED_DEFINITIONS_DIR
from db.engine import create_engine, create_session_factory
from db.migrate import upgrade
from db.repositories.tiering import score_customers
from definitions.loader import load_as
from definitions.tiering import TieringDefinition

DEFAULT_SERVER = "postgresql://postgres@127.0.0.1:5432"
AS_OF = date(2026, 6, 30)


def _peak_rss_mb() -> float:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024  # Linux: kilobytes


def _log(message: str) -> None:
    print(message, file=sys.stderr, flush=True)


def recreate(server: str, name: str) -> str:
    with psycopg.connect(f"{server}/postgres", autocommit=True) as admin:
        admin.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
        admin.execute(f'CREATE DATABASE "{name}"')
    return f"{server}/{name}"


def drop(server: str, name: str) -> None:
    with psycopg.connect(f"{server}/postgres", autocommit=True) as admin:
        admin.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')


@contextmanager
def _bulk_load(conn: psycopg.Connection, tables: tuple[str, ...]) -> Iterator[None]:
    """Load fast: secondary indexes and unique constraints are dropped and rebuilt afterwards (one
    sorted build each instead of 10 M inserts), foreign-key triggers are skipped for the session."""
    saved: list[tuple[str, str, str, str]] = []
    for table in tables:
        for name, definition in conn.execute(
            "SELECT conname, pg_get_constraintdef(oid) FROM pg_constraint "
            "WHERE conrelid = %s::regclass AND contype = 'u'",
            (table,),
        ).fetchall():
            saved.append(("constraint", table, name, definition))
        for name, definition in conn.execute(
            "SELECT indexname, indexdef FROM pg_indexes WHERE tablename = %s AND indexname NOT IN "
            "(SELECT conname FROM pg_constraint WHERE conrelid = %s::regclass)",
            (table, table),
        ).fetchall():
            saved.append(("index", table, name, definition))
    for kind, table, name, _ in saved:
        conn.execute(
            f'ALTER TABLE {table} DROP CONSTRAINT "{name}"' if kind == "constraint" else f'DROP INDEX "{name}"'
        )
    conn.execute("SET session_replication_role = replica")
    try:
        yield
    finally:
        conn.execute("SET session_replication_role = DEFAULT")
        started = time.perf_counter()
        for kind, table, name, definition in saved:
            conn.execute(
                f'ALTER TABLE {table} ADD CONSTRAINT "{name}" {definition}' if kind == "constraint" else definition
            )
        _log(f"  rebuilt {len(saved)} indexes/constraints: {time.perf_counter() - started:.1f}s")


def seed(url: str, customers: int, per_customer: int) -> None:
    """Customers, their transactions (spread over ~13 months) and some rated complaints, all in SQL."""
    with psycopg.connect(url, autocommit=True) as conn, _bulk_load(conn, ("customers", "transactions", "complaints")):
        conn.execute("SET synchronous_commit = off")
        conn.execute("SET maintenance_work_mem = '256MB'")
        conn.execute("SELECT setseed(0.42)")
        started = time.perf_counter()
        conn.execute(
            """
            INSERT INTO customers (id, name, region, industry, declared_annual_value, tier, status,
                                   created_at, updated_at, owner_assigned_at)
            SELECT g, 'bench customer ' || g, 'region-' || (g %% 20), 'retail', 0,
                   CASE WHEN g %% 10 = 0 THEN 1 ELSE 2 END, 'active', now(), now(), now()
            FROM generate_series(1, %(n)s) AS g
            """,
            {"n": customers},
        )
        conn.execute("SELECT setval(pg_get_serial_sequence('customers', 'id'), %(n)s)", {"n": customers})
        _log(f"  customers: {time.perf_counter() - started:.1f}s")
        started = time.perf_counter()
        # Amounts are skewed (most customers small, a few large) so both tiers and the band get traffic.
        conn.execute(
            """
            INSERT INTO transactions (customer_id, amount, occurred_on, created_at)
            SELECT c, round((power(random(), 3) * 200000)::numeric, 2),
                   %(as_of)s::date - (random() * 400)::int, now()
            FROM generate_series(1, %(n)s) AS c, generate_series(1, %(k)s) AS k
            """,
            {"n": customers, "k": per_customer, "as_of": AS_OF},
        )
        _log(f"  transactions: {time.perf_counter() - started:.1f}s")
        started = time.perf_counter()
        conn.execute(
            """
            INSERT INTO complaints (id, customer_id, severity, category, description, channel, status,
                                    escalation_level, paused_seconds, reopen_count, satisfaction,
                                    created_at, updated_at)
            SELECT gen_random_uuid()::text, (random() * (%(n)s - 1))::int + 1,
                   (ARRAY['critical', 'high', 'normal', 'low'])[1 + (random() * 3)::int], 'service', 'bench',
                   'phone', 'closed', 0, 0, 0, 1 + (random() * 4)::int,
                   %(as_of)s::timestamptz - (random() * 400) * interval '1 day', now()
            FROM generate_series(1, %(m)s)
            """,
            {"n": customers, "m": customers // 10, "as_of": AS_OF},
        )
        _log(f"  complaints: {time.perf_counter() - started:.1f}s")
    with psycopg.connect(url, autocommit=True) as conn:
        # What autovacuum would do on its own before the next monthly run: statistics and the
        # visibility map (index-only scans of transactions need it).
        started = time.perf_counter()
        for table in ("customers", "transactions", "complaints"):
            conn.execute(f"VACUUM ANALYZE {table}")
        _log(f"  vacuum analyze: {time.perf_counter() - started:.1f}s")


async def score(url: str, definition: TieringDefinition, cycle_id: str) -> dict:
    engine = create_engine(url)
    sessions = create_session_factory(engine)
    chunks: list[float] = []
    last = time.perf_counter()

    def on_chunk(_next_lo: int) -> None:
        nonlocal last
        now = time.perf_counter()
        chunks.append(now - last)
        last = now

    rss_before = _peak_rss_mb()
    started = time.perf_counter()
    result = await score_customers(
        sessions,
        definition=definition,
        as_of=AS_OF,
        cycle_id=cycle_id,
        now=datetime.now(UTC),
        on_chunk=on_chunk,
    )
    elapsed = time.perf_counter() - started
    await engine.dispose()
    return {
        "seconds": round(elapsed, 1),
        "scored": result.scored,
        "proposals": result.proposals,
        "chunks": result.chunks,
        "slowest_chunk_seconds": round(max(chunks), 2) if chunks else None,
        "peak_rss_mb_before": round(rss_before, 1),
        "peak_rss_mb": round(_peak_rss_mb(), 1),
    }


def group_by_floor(url: str, window_days: int) -> float:
    """Seconds of the physical floor: one `GROUP BY customer_id` pass over the window's transactions, aggregated
    on the server (no row reaches Python), the least any scoring of these transactions must read."""
    with psycopg.connect(url, autocommit=True) as conn:
        started = time.perf_counter()
        conn.execute(
            """
            SELECT count(*), sum(total) FROM (
                SELECT customer_id, sum(amount) AS total, count(*) AS n FROM transactions
                WHERE occurred_on > %(as_of)s::date - %(days)s AND occurred_on <= %(as_of)s
                GROUP BY customer_id) AS per_customer
            """,
            {"as_of": AS_OF, "days": window_days},
        ).fetchone()
        return time.perf_counter() - started


def reset_scores(url: str) -> None:
    """Back to the state right after seeding (no scores, no proposals, rows packed as loaded) so that a
    --reuse run times the same first pass as a fresh one instead of a pass that has nothing to write."""
    with psycopg.connect(url, autocommit=True) as conn:
        started = time.perf_counter()
        conn.execute("DELETE FROM tier_proposals")
        conn.execute("UPDATE customers SET score = NULL WHERE score IS NOT NULL")
        _compact_customers(conn)
        conn.execute("VACUUM ANALYZE tier_proposals")
        _log(f"  scores and proposals reset: {time.perf_counter() - started:.1f}s")


def _compact_customers(conn: psycopg.Connection) -> None:
    # VACUUM FULL rewrites the table as a fresh load leaves it (fillfactor 80, no dead row versions), so the
    # pass finds the same free space per page, which decides how many of its updates can be HOT.
    conn.execute("VACUUM FULL customers")
    conn.execute("VACUUM ANALYZE customers")


def write_floor(url: str) -> float:
    """Seconds of the write floor: one bare `UPDATE` of the score (and updated_at) of every scored customer,
    the least any pass that stores the scores must write. Rolled back, then the table compacted again, so
    the timed pass starts from the same pages."""
    with psycopg.connect(url, autocommit=True) as conn:
        with conn.transaction(force_rollback=True):
            started = time.perf_counter()
            conn.execute(
                "UPDATE customers SET score = id / 1e6::float8, updated_at = now() WHERE status IN ('active', 'pool')"
            )
            seconds = time.perf_counter() - started
        _compact_customers(conn)
        return seconds


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument(
        "--server",
        default=os.environ.get("CRMFLOW_BENCH_SERVER", DEFAULT_SERVER),
        help="PostgreSQL server URL without a database name",
    )
    parser.add_argument("--database", default="crmflow_bench")
    parser.add_argument("--customers", type=int, default=1_000_000)
    parser.add_argument("--transactions-per-customer", type=int, default=10)
    parser.add_argument("--chunk-size", type=int, default=None, help="override the definition's chunk_size")
    parser.add_argument(
        "--reuse",
        action="store_true",
        help="score the existing database again (no reseed; its scores and proposals are reset first)",
    )
    parser.add_argument("--quick", action="store_true", help="a smoke run: 20 000 customers")
    parser.add_argument(
        "--keep", action="store_true", help="keep the database after a --quick run (a full run always keeps it)"
    )
    args = parser.parse_args(argv)
    if args.quick:
        args.customers = min(args.customers, 20_000)
        args.database = f"{args.database}_quick"

    definition = load_as(PACKAGED_DEFINITIONS_DIR, TieringDefinition)
    if args.chunk_size:
        definition = definition.model_copy(update={"chunk_size": args.chunk_size})
    url = f"{args.server}/{args.database}"
    if not args.reuse:
        _log(f"creating {url} and seeding {args.customers:,} customers × {args.transactions_per_customer} transactions")
        url = recreate(args.server, args.database)
        upgrade(url)
        started = time.perf_counter()
        seed(url, args.customers, args.transactions_per_customer)
        _log(f"seeded in {time.perf_counter() - started:.1f}s")
    else:
        reset_scores(url)
    window_days = definition.window_days
    written = write_floor(url)
    _log(f"write floor (one UPDATE of every score, rolled back): {written:.1f}s")
    # The floor before and after the pass (the same run, the same load): the ratio uses their mean.
    floors = [group_by_floor(url, window_days)]
    _log(f"GROUP BY floor: {floors[0]:.1f}s; scoring (chunk_size={definition.chunk_size}) …")
    report = asyncio.run(score(url, definition, cycle_id=f"bench-{int(time.time())}"))
    floors.append(group_by_floor(url, window_days))
    floor = sum(floors) / len(floors)
    report.update(
        {
            "group_by_floor_seconds": [round(f, 1) for f in floors],
            "ratio_to_floor": round(report["seconds"] / floor, 2) if floor else None,
            "write_floor_seconds": round(written, 1),
            "ratio_to_write_floor": round(report["seconds"] / written, 2) if written else None,
        }
    )
    report.update(
        {
            "customers": args.customers,
            "transactions": args.customers * args.transactions_per_customer,
            "chunk_size": definition.chunk_size,
            "cpus": os.cpu_count(),
            "load_average_1m": round(os.getloadavg()[0], 2),
        }
    )
    print(json.dumps(report, indent=2))
    print(
        f"  scoring {report['seconds']:.1f}s vs GROUP BY floor {floor:.1f}s  ratio {report['seconds'] / floor:.2f}x  "
        f"(target <= 2x and <= 30 s idle; load {os.getloadavg()[0]:.2f})",
        flush=True,
    )
    print(
        f"  scoring {report['seconds']:.1f}s vs write floor {written:.1f}s (one bare UPDATE of every score)  "
        f"ratio {report['seconds'] / written:.2f}x",
        flush=True,
    )
    if not args.quick:
        from bench.report import save

        save("scoring", report)
        _log(f'{url} kept for --reuse (drop it with: DROP DATABASE "{args.database}")')
    elif not args.keep:
        drop(args.server, args.database)  # a smoke run leaves nothing behind
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
