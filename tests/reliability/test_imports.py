"""CSV imports check rows with the API's schemas, report bad UTF-8 by line, and are all or nothing (point 3)."""

from __future__ import annotations

from pathlib import Path

from sqlalchemy import select

from db.models import AuditEvent, Staff, Transaction
from tests.factories import Factory
from tests.test_cli_transactions import HEADER, run_cli

STAFF_HEADER = "name,email,role,supervisor_email,region,capacity\n"


async def _audits(sessions, action: str) -> list[AuditEvent]:
    async with sessions() as session:
        return list(await session.scalars(select(AuditEvent).where(AuditEvent.action == action)))


async def test_transactions_import_bad_utf8_nul_and_ranges_write_nothing(
    database_url: str, sessions, factory: Factory, tmp_path: Path
) -> None:
    customer = await factory.customer()
    good = "".join(f"{customer.id},,{n},2026-01-{n % 28 + 1:02d},G-{n}\n" for n in range(1, 2600))
    csv_file = tmp_path / "tx.csv"
    # Line 2502 carries a byte that is not UTF-8: nothing before it may be committed.
    lines = good.splitlines(keepends=True)
    data = (HEADER + "".join(lines[:2500])).encode() + b"\xff\xfe,,1,2026-01-01,X-1\n" + "".join(lines[2500:]).encode()
    csv_file.write_bytes(data)
    result = await run_cli(database_url, "transactions", "import", str(csv_file), "--batch-size", "1000")
    assert result.exit_code == 1, result.output
    assert "tx.csv:2502: not valid UTF-8 (byte 0xff at column 1)" in result.output
    assert "Traceback" not in result.output
    async with sessions() as session:
        assert list(await session.scalars(select(Transaction))) == []

    csv_file.write_text(
        HEADER
        + "".join(lines[:2000])
        + f"{customer.id},,10,2026-01-05,NUL\x00REF\n"  # line 2002
        + f"{2**31},,10,2026-01-05,BIG-1\n"  # line 2003
        + f"{customer.id},,10,0001-01-01,OLD-1\n"  # line 2004
        + f",{'R' * 129},10,2026-01-05,LONG-1\n",  # line 2005
        encoding="utf-8",
    )
    result = await run_cli(database_url, "transactions", "import", str(csv_file), "--batch-size", "500")
    assert result.exit_code == 1, result.output
    for line, words in [(2002, "NUL"), (2003, "customer_id"), (2004, "occurred_on"), (2005, "customer_external_ref")]:
        assert any(f"tx.csv:{line}:" in row and words in row for row in result.output.splitlines()), (line, words)
    assert "4 problem(s); nothing was imported" in result.output
    async with sessions() as session:
        assert list(await session.scalars(select(Transaction))) == []
    assert [a.details["errors"] for a in await _audits(sessions, "transactions.import_rejected")] == [1, 4]
    assert await _audits(sessions, "transactions.imported") == []


async def test_staff_import_bad_utf8_and_schema_limits_write_nothing(
    database_url: str, sessions, tmp_path: Path
) -> None:
    csv_file = tmp_path / "staff.csv"
    csv_file.write_bytes(
        (STAFF_HEADER + "Ok,ok@example.test,director,,east,5\n").encode()
        + b"Bad \xc3(,bad@example.test,director,,east,5\n"
    )
    result = await run_cli(database_url, "staff", "import", str(csv_file))
    assert result.exit_code == 1, result.output
    assert "staff.csv:3: not valid UTF-8" in result.output and "Traceback" not in result.output

    csv_file.write_text(
        STAFF_HEADER
        + "Ok,ok@example.test,director,,east,5\n"
        + "Nul\x00Name,nul@example.test,director,,east,5\n"  # line 3
        + f"Huge,huge@example.test,director,,east,{2**40}\n"  # line 4
        + f"{'N' * 201},long@example.test,director,,east,5\n",
        encoding="utf-8",
    )  # line 5
    result = await run_cli(database_url, "staff", "import", str(csv_file))
    assert result.exit_code == 1, result.output
    for line, words in [(3, "NUL"), (4, "capacity"), (5, "name")]:
        assert any(f"staff.csv:{line}:" in row and words in row for row in result.output.splitlines()), (line, words)
    async with sessions() as session:
        assert list(await session.scalars(select(Staff))) == []

    csv_file.write_text(STAFF_HEADER + "Ok,ok@example.test,director,,east,5\n", encoding="utf-8")
    result = await run_cli(database_url, "staff", "import", str(csv_file))
    assert result.exit_code == 0, result.output
    assert [a.details["created"] for a in await _audits(sessions, "staff.imported")] == [1]
