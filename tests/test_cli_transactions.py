"""`crmflow transactions import`: batched, idempotent by external_ref, per-row errors with line numbers."""

from __future__ import annotations

import asyncio
from datetime import UTC, datetime, timedelta
from decimal import Decimal
from pathlib import Path

from sqlalchemy import select
from typer.testing import CliRunner

from crmflow.cli import app
from crmflow.settings import get_settings
from db.models import AuditEvent, Transaction
from tests.factories import Factory

HEADER = "customer_id,customer_external_ref,amount,occurred_on,external_ref\n"


async def run_cli(database_url: str, *args: str):
    get_settings.cache_clear()
    env = {"CRMFLOW_DATABASE_URL": database_url, "CRMFLOW_LOG_JSON": "false"}
    try:
        return await asyncio.to_thread(CliRunner().invoke, app, list(args), env=env)
    finally:
        get_settings.cache_clear()


async def transactions(sessions) -> list[Transaction]:
    async with sessions() as session:
        return list(await session.scalars(select(Transaction).order_by(Transaction.external_ref)))


async def test_import_is_batched_idempotent_and_reports_bad_rows(
    database_url: str, sessions, factory: Factory, tmp_path: Path
) -> None:
    by_id = await factory.customer()
    by_ref = await factory.customer(external_ref="CUST-7")
    future = (datetime.now(UTC) + timedelta(days=10)).date().isoformat()
    csv_file = tmp_path / "tx.csv"
    csv_file.write_text(
        HEADER
        + f"{by_id.id},,100.50,2026-01-03,T-1\n"  # line 2
        + ",CUST-7,2000,2026-01-04,T-2\n"  # line 3
        + f"{by_id.id},,abc,2026-01-05,T-3\n"  # line 4: amount
        + "999999,,10,2026-01-05,T-4\n"  # line 5: no such customer
        + ",NOPE,10,2026-01-05,T-5\n"  # line 6: no such customer ref
        + f"{by_id.id},,10,2026-01-05,T-1\n"  # line 7: repeats line 2
        + f"{by_id.id},,10,{future},T-6\n"  # line 8: future
        + f"{by_id.id},,10,2026-01-05,\n"  # line 9: no external_ref
        + f"{by_id.id},,10.999,2026-13-05,T-7\n"  # line 10: two problems
        + "".join(f"{by_ref.id},,{n},2026-02-{n:02d},B-{n}\n" for n in range(1, 6)),  # lines 11-15
        encoding="utf-8",
    )

    first = await run_cli(database_url, "transactions", "import", str(csv_file), "--batch-size", "2")
    assert first.exit_code == 1, first.output  # problems were reported
    for line, words in [
        (4, "amount"),
        (5, "customer 999999 does not exist"),
        (6, "NOPE"),
        (7, "repeats line 2"),
        (8, "in the future"),
        (9, "external_ref is required"),
        (10, "decimal places"),
        (10, "YYYY-MM-DD"),
    ]:
        assert any(f"tx.csv:{line}:" in row and words in row for row in first.output.splitlines()), (line, words)
    assert "8 problem(s); nothing was imported" in first.output
    numbers = [int(row.split("tx.csv:")[1].split(":")[0]) for row in first.output.splitlines() if "tx.csv:" in row]
    assert numbers == sorted(numbers)
    assert await transactions(sessions) == []  # all or nothing

    good = "".join(
        line + "\n" for n, line in enumerate(csv_file.read_text().splitlines(), 1) if n in (1, 2, 3, 11, 12, 13, 14, 15)
    )
    csv_file.write_text(good, encoding="utf-8")
    second = await run_cli(database_url, "transactions", "import", str(csv_file), "--batch-size", "2")
    assert second.exit_code == 0, second.output
    assert "imported 7 transaction(s), 0 already present" in second.output
    rows = await transactions(sessions)
    assert [r.external_ref for r in rows] == ["B-1", "B-2", "B-3", "B-4", "B-5", "T-1", "T-2"]
    t1 = next(r for r in rows if r.external_ref == "T-1")
    assert (t1.customer_id, t1.amount, t1.occurred_on.isoformat()) == (by_id.id, Decimal("100.50"), "2026-01-03")
    assert next(r for r in rows if r.external_ref == "T-2").customer_id == by_ref.id

    again = await run_cli(database_url, "transactions", "import", str(csv_file))
    assert "imported 0 transaction(s), 7 already present" in again.output
    assert len(await transactions(sessions)) == 7
    async with sessions() as session:
        audits = list(await session.scalars(select(AuditEvent).where(AuditEvent.action == "transactions.imported")))
        rejected = list(
            await session.scalars(select(AuditEvent).where(AuditEvent.action == "transactions.import_rejected"))
        )
    assert [a.details["inserted"] for a in audits] == [7, 0]
    assert [a.details["errors"] for a in rejected] == [8]


async def test_import_dry_run_writes_nothing_and_bad_header_is_line_1(
    database_url: str, sessions, factory: Factory, tmp_path: Path
) -> None:
    customer = await factory.customer()
    good = tmp_path / "good.csv"
    good.write_text(HEADER + f"{customer.id},,5,2026-01-01,D-1\n", encoding="utf-8")
    dry = await run_cli(database_url, "transactions", "import", str(good), "--dry-run")
    assert dry.exit_code == 0, dry.output
    assert "would import 1 transaction(s)" in dry.output
    assert await transactions(sessions) == []

    bad = tmp_path / "bad.csv"
    bad.write_text("customer,amount,when\n1,2,3\n", encoding="utf-8")
    result = await run_cli(database_url, "transactions", "import", str(bad))
    assert result.exit_code == 1
    assert "bad.csv:1: missing column(s): occurred_on, external_ref, customer_id or customer_external_ref" in (
        result.output
    )
