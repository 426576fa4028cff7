"""Benchmark: the contact cadence's set-based statements over 1 000 000 customers on PostgreSQL.

Run with `.venv/bin/python -m bench.contacts --help`. It creates the database `crmflow_bench_contacts`
afresh on the local server, migrates it, seeds managers and customers with generate_series (no rows
pass through Python), then times the real repository code the daily reclaim run and the API call:
deriving every next-contact date (first pass: every row changes; second pass: nothing does), the
reminders before the date, and one page of overdue contacts for a manager and for ops.
"""

from __future__ import annotations

import argparse
import asyncio
import json
import os
import sys
import time
from datetime import UTC, datetime

import psycopg

from bench.scoring import DEFAULT_SERVER, _bulk_load, recreate
from crmflow.settings import PACKAGED_DEFINITIONS_DIR
from db.engine import create_engine, create_session_factory
from db.migrate import upgrade
from db.repositories.contacts import list_contacts, remind_due_contacts, schedule_next_contacts
from definitions.loader import load_as
from definitions.reclaim import ReclaimDefinition

MANAGERS = 2_000


def _log(message: str) -> None:
    print(message, file=sys.stderr, flush=True)


def seed(url: str, customers: int) -> None:
    """Managers, and customers (10 % tier 1) each held by one, last contacted 0–40 days ago."""
    with psycopg.connect(url, autocommit=True) as conn, _bulk_load(conn, ("customers",)):
        conn.execute("SET synchronous_commit = off")
        conn.execute("SELECT setseed(0.42)")
        conn.execute(
            """
            INSERT INTO staff (id, name, email, role, region, capacity, active, created_at, updated_at)
            SELECT g, 'manager ' || g, 'm' || g || '@bench.test', 'account_manager_l2', 'east', 1000, true,
                   now(), now()
            FROM generate_series(1, %(m)s) AS g
            """,
            {"m": MANAGERS},
        )
        conn.execute(
            """
            INSERT INTO customers (id, name, region, industry, declared_annual_value, tier, status, owner_id,
                                   created_at, updated_at, owner_assigned_at, last_follow_up_at)
            SELECT g, 'bench customer ' || g, 'east', 'retail', 0, CASE WHEN g %% 10 = 0 THEN 1 ELSE 2 END,
                   'active', 1 + g %% %(m)s, now() - interval '400 days', now(), now() - interval '300 days',
                   now() - random() * interval '40 days'
            FROM generate_series(1, %(n)s) AS g
            """,
            {"n": customers, "m": MANAGERS},
        )
    with psycopg.connect(url, autocommit=True) as conn:
        for table in ("staff", "customers"):
            conn.execute(f"VACUUM ANALYZE {table}")


async def measure(url: str, definition: ReclaimDefinition) -> dict:
    engine = create_engine(url)
    sessions = create_session_factory(engine)
    timings: dict[str, float] = {}
    now = datetime.now(UTC)

    async def timed(name: str, work) -> object:
        started = time.perf_counter()
        async with sessions() as session, session.begin():
            result = await work(session)
        timings[name] = round(time.perf_counter() - started, 2)
        return result

    await timed("schedule_all_first_pass", lambda s: schedule_next_contacts(s, definition=definition))
    with psycopg.connect(url.replace("+psycopg", ""), autocommit=True) as conn:
        conn.execute("VACUUM ANALYZE customers")  # what autovacuum does after a million updated rows; not timed
    await timed("schedule_all_unchanged", lambda s: schedule_next_contacts(s, definition=definition))
    reminded = await timed(
        "remind_due_contacts",
        lambda s: remind_due_contacts(s, definition=definition, now=now, run_key="bench", workflow_id=None),
    )
    _, manager_total = await timed(
        "overdue_page_one_manager",
        lambda s: list_contacts(
            s, visible_staff_ids=frozenset({7}), status="overdue", now=now, within_days=7, limit=50
        ),
    )
    _, all_total = await timed(
        "overdue_page_ops",
        lambda s: list_contacts(s, visible_staff_ids=None, status="overdue", now=now, within_days=7, limit=50),
    )
    await engine.dispose()
    return {"seconds": timings, "reminded": reminded, "overdue_one_manager": manager_total, "overdue_all": all_total}


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument(
        "--server",
        default=os.environ.get("CRMFLOW_BENCH_SERVER", DEFAULT_SERVER),
        help="PostgreSQL server URL without a database name",
    )
    parser.add_argument("--database", default="crmflow_bench_contacts")
    parser.add_argument("--customers", type=int, default=1_000_000)
    args = parser.parse_args(argv)

    definition = load_as(PACKAGED_DEFINITIONS_DIR, ReclaimDefinition)
    _log(f"creating {args.server}/{args.database} and seeding {args.customers:,} customers")
    url = recreate(args.server, args.database)
    upgrade(url)
    started = time.perf_counter()
    seed(url, args.customers)
    _log(f"seeded in {time.perf_counter() - started:.1f}s")
    report = asyncio.run(measure(url, definition))
    report.update(
        {
            "customers": args.customers,
            "managers": MANAGERS,
            "cpus": os.cpu_count(),
            "load_average_1m": round(os.getloadavg()[0], 2),
        }
    )
    print(json.dumps(report, indent=2))
    with psycopg.connect(f"{args.server}/postgres", autocommit=True) as admin:
        admin.execute(f'DROP DATABASE IF EXISTS "{args.database}" WITH (FORCE)')
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
