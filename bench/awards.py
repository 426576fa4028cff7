"""Benchmark: a quarter's incentive awards and the attainment report for N account managers on PostgreSQL.

`.venv/bin/python -m bench.awards --managers 2000` creates a throwaway database beside
CRMFLOW_BENCH_DATABASE_URL (default: the local server), seeds N managers with 10 customers and 10
transactions each, then times one call of `compute_awards` (what the `incentives.compute_awards`
activity runs at review-cycle close) and one attainment report over everyone (what ops see).
"""

from __future__ import annotations

import argparse
import asyncio
import os
import resource
import time
import uuid
from datetime import UTC, date, datetime, timedelta

from sqlalchemy import insert

from crmflow.settings import PACKAGED_DEFINITIONS_DIR
from db.engine import create_engine, create_session_factory
from db.migrate import upgrade
from db.models import Customer, Staff, Transaction
from db.repositories import reports
from db.repositories.incentives import compute_awards
from db.repositories.kpis import KpiWindow
from definitions.incentives import IncentiveDefinition
from definitions.loader import load_as

BASE_URL = os.environ.get("CRMFLOW_BENCH_DATABASE_URL", "postgresql://postgres@127.0.0.1:5432/postgres")
START, END = datetime(2025, 7, 1, tzinfo=UTC), datetime(2025, 10, 1, tzinfo=UTC)


async def run(url: str, managers: int) -> None:
    engine = create_engine(url)
    sessions = create_session_factory(engine)
    async with sessions() as session, session.begin():
        await session.execute(
            insert(Staff), [{"id": 1, "role": "director", "name": "D", "email": "d@bench", "region": "east"}]
        )
        await session.execute(
            insert(Staff),
            [
                {
                    "id": i + 2,
                    "role": "account_manager_l2",
                    "name": f"M{i}",
                    "email": f"m{i}@bench",
                    "region": "east",
                    "supervisor_id": 1,
                }
                for i in range(managers)
            ],
        )
        await session.execute(
            insert(Customer),
            [
                {
                    "id": c + 1,
                    "name": f"C{c}",
                    "region": "east",
                    "owner_id": 2 + c % managers,
                    "created_at": START - timedelta(days=1),
                    "owner_assigned_at": START + timedelta(days=c % 80),
                }
                for c in range(managers * 10)
            ],
        )
        await session.execute(
            insert(Transaction),
            [
                {"customer_id": c + 1, "amount": 1000 + c % 7, "occurred_on": date(2025, 8, 1)}
                for c in range(managers * 10)
            ],
        )
    rules = load_as(PACKAGED_DEFINITIONS_DIR, IncentiveDefinition)
    began = time.perf_counter()
    async with sessions() as session, session.begin():
        awarded = await compute_awards(session, rules, period="2025Q3", start=START, end=END, timezone="UTC")
    print(f"compute_awards: {awarded.written} managers in {time.perf_counter() - began:.2f} s")
    began = time.perf_counter()
    async with sessions() as session:
        report = await reports.attainment_report(
            session,
            None,
            period="2025Q3",
            window=KpiWindow.between(START, END, "UTC"),
            targets={m.metric: m.target for m in rules.metrics},
        )
    print(f"attainment report: {len(report.rows)} rows in {time.perf_counter() - began:.2f} s")
    print(f"peak RSS: {resource.getrusage(resource.RUSAGE_SELF).ru_maxrss // 1024} MiB")
    await engine.dispose()


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--managers", type=int, default=2000)
    args = parser.parse_args()
    import psycopg

    name = f"crmflow_bench_awards_{uuid.uuid4().hex[:6]}"
    admin = BASE_URL.replace("postgresql+psycopg://", "postgresql://")
    with psycopg.connect(admin, autocommit=True) as conn:
        conn.execute(f'CREATE DATABASE "{name}"')
    url = admin.rsplit("/", 1)[0] + f"/{name}"
    try:
        upgrade(url)
        asyncio.run(run(url, args.managers))
    finally:
        with psycopg.connect(admin, autocommit=True) as conn:
            conn.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')


if __name__ == "__main__":
    main()
