"""`crmflow transactions import FILE.csv`: set-based, batched, idempotent by external_ref."""

from __future__ import annotations

import csv
import io
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from datetime import UTC, date, datetime, timedelta
from decimal import Decimal, InvalidOperation
from pathlib import Path
from typing import Annotated

import typer
from pydantic import TypeAdapter, ValidationError
from rich.console import Console
from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeRemainingColumn
from sqlalchemy import Connection, create_engine, insert, select
from sqlalchemy.dialects import postgresql, sqlite

from crmflow.csvtext import read_csv_text
from crmflow.settings import get_settings, sync_database_url

transactions_app = typer.Typer(help="Customer transactions (deals and payments).", no_args_is_help=True)

REQUIRED = ("amount", "occurred_on", "external_ref")
CUSTOMER_COLUMNS = ("customer_id", "customer_external_ref")
IMPORT_ACTOR = "cli:transactions-import"
MAX_AMOUNT = Decimal("1e14")  # Numeric(16, 2)


@dataclass
class ParsedRow:
    """One checked CSV row and the file line it came from."""

    line: int
    customer_id: int | None
    customer_ref: str | None
    amount: Decimal
    occurred_on: date
    external_ref: str


@dataclass
class ImportSummary:
    rows: int = 0
    inserted: int = 0
    already_present: int = 0
    errors: list[str] = field(default_factory=list)


def count_data_rows(path: Path) -> int:
    """Lines after the header (for the progress bar; quoted newlines make it an upper bound)."""
    with path.open("rb") as handle:
        return max(sum(1 for _ in handle) - 1, 0)


def _parse(values: dict[str, str], today: date) -> tuple[ParsedRow | None, list[str]]:
    problems: list[str] = []
    customer_id: int | None = None
    raw_id = values.get("customer_id", "")
    customer_ref = values.get("customer_external_ref", "") or None
    if raw_id:
        try:
            customer_id = int(raw_id)
            if customer_id <= 0:
                raise ValueError
        except ValueError:
            problems.append(f"customer_id {raw_id!r} is not a positive whole number")
    if not raw_id and not customer_ref:
        problems.append("customer_id or customer_external_ref is required")
    amount = Decimal(0)
    try:
        amount = Decimal(values["amount"])
        if not amount.is_finite() or amount <= 0 or amount >= MAX_AMOUNT:
            raise InvalidOperation
        if amount.as_tuple().exponent < -2:  # type: ignore[operator]
            problems.append(f"amount {values['amount']!r} has more than 2 decimal places")
    except InvalidOperation:
        problems.append(f"amount {values['amount']!r} must be a positive number (e.g. 1250.50)")
    occurred_on = today
    try:
        occurred_on = date.fromisoformat(values["occurred_on"])
        if occurred_on > today + timedelta(days=1):
            problems.append(f"occurred_on {values['occurred_on']} is in the future")
    except ValueError:
        problems.append(f"occurred_on {values['occurred_on']!r} must be a date YYYY-MM-DD")
    external_ref = values["external_ref"]
    if not external_ref:
        problems.append("external_ref is required (it makes a re-import skip what is already there)")
    elif len(external_ref) > 128:
        problems.append("external_ref is longer than 128 characters")
    if not problems:
        # The API's own schemas: the same limits and bounds, NUL and bad text refused.
        from api.schemas.common import Id
        from api.schemas.customer import ExternalRef, TransactionCreate
        from crmflow.csvtext import schema_problems

        problems.extend(
            schema_problems(
                TransactionCreate, {"amount": amount, "occurred_on": occurred_on, "external_ref": external_ref}
            )
        )
        for name, kind, value in (
            ("customer_id", Id, customer_id),
            ("customer_external_ref", ExternalRef, customer_ref),
        ):
            if value is not None:
                try:
                    TypeAdapter(kind).validate_python(value)
                except ValidationError as exc:
                    problems.append(f"{name}: {exc.errors()[0]['msg']}")
    if problems:
        return None, problems
    return ParsedRow(0, customer_id, customer_ref, amount, occurred_on, external_ref), []


def read_rows(path: Path, errors: list[str], on_row: Callable[[], None] | None = None) -> Iterator[ParsedRow]:
    """Stream the checked rows; problems go to `errors` as `FILE:LINE: message`."""
    text, problems = read_csv_text(path)
    if text is None:
        errors.extend(problems)
        return
    with io.StringIO(text, newline="") as handle:
        reader = csv.DictReader(handle)
        header = [name.strip() for name in reader.fieldnames or []]
        missing = [c for c in REQUIRED if c not in header]
        if not any(c in header for c in CUSTOMER_COLUMNS):
            missing.append("customer_id or customer_external_ref")
        unknown = [c for c in header if c not in (*REQUIRED, *CUSTOMER_COLUMNS)]
        if missing or unknown:
            problems = ([f"missing column(s): {', '.join(missing)}"] if missing else []) + (
                [f"unknown column(s): {', '.join(unknown)}"] if unknown else []
            )
            errors.append(f"{path}:1: {'; '.join(problems)}")
            return
        reader.fieldnames = header
        today = datetime.now(UTC).date()
        seen: dict[str, int] = {}
        for record in reader:
            if on_row is not None:
                on_row()
            line = reader.line_num
            values = {k: (v or "").strip() for k, v in record.items() if k is not None}
            if not any(values.values()):
                continue  # blank line
            row, problems = _parse(values, today)
            if None in record:
                problems.append("more values than columns (quote values that contain commas)")
            if row is not None and row.external_ref in seen:
                problems.append(f"external_ref {row.external_ref} repeats line {seen[row.external_ref]}")
            if problems or row is None:
                errors.extend(f"{path}:{line}: {problem}" for problem in problems)
                continue
            seen[row.external_ref] = line
            row.line = line
            yield row


def _batches(rows: Iterator[ParsedRow], size: int) -> Iterator[list[ParsedRow]]:
    batch: list[ParsedRow] = []
    for row in rows:
        batch.append(row)
        if len(batch) >= size:
            yield batch
            batch = []
    if batch:
        yield batch


def _insert_ignoring_duplicates(connection: Connection, table, values: list[dict]) -> int:
    """INSERT … ON CONFLICT (external_ref) DO NOTHING; returns how many rows were new."""
    dialect = connection.dialect.name
    if dialect == "postgresql":
        statement = postgresql.insert(table).on_conflict_do_nothing(index_elements=["external_ref"])
    elif dialect == "sqlite":
        statement = sqlite.insert(table).on_conflict_do_nothing(index_elements=["external_ref"])
    else:  # pragma: no cover - crmflow runs on PostgreSQL and SQLite only
        raise RuntimeError(f"unsupported database {dialect}")
    # RETURNING with executemany ("insertmanyvalues") yields only the rows actually inserted.
    return len(connection.execute(statement.returning(table.c.id), values).all())


def _import_batch(
    connection: Connection, path: Path, batch: list[ParsedRow], summary: ImportSummary, *, dry_run: bool
) -> None:
    from db.models import Customer, Transaction

    refs = {row.customer_ref for row in batch if row.customer_ref and row.customer_id is None}
    by_ref: dict[str, int] = {}
    if refs:
        by_ref = dict(
            connection.execute(select(Customer.external_ref, Customer.id).where(Customer.external_ref.in_(refs))).all()
        )
    ids = {row.customer_id for row in batch if row.customer_id is not None}
    known_ids = set(connection.scalars(select(Customer.id).where(Customer.id.in_(ids)))) if ids else set()
    present = set(
        connection.scalars(
            select(Transaction.external_ref).where(Transaction.external_ref.in_([row.external_ref for row in batch]))
        )
    )
    now = datetime.now(UTC)
    values = []
    for row in batch:
        customer_id = row.customer_id if row.customer_id is not None else by_ref.get(row.customer_ref or "")
        if row.customer_id is not None and row.customer_id not in known_ids:
            summary.errors.append(f"{path}:{row.line}: customer {row.customer_id} does not exist")
        elif customer_id is None:
            summary.errors.append(f"{path}:{row.line}: no customer has external_ref {row.customer_ref}")
        elif row.external_ref in present:
            summary.already_present += 1
        else:
            values.append(
                {
                    "customer_id": customer_id,
                    "amount": row.amount,
                    "occurred_on": row.occurred_on,
                    "external_ref": row.external_ref,
                    "created_at": now,
                }
            )
    if values and not dry_run:
        inserted = _insert_ignoring_duplicates(connection, Transaction.__table__, values)
        summary.inserted += inserted
        summary.already_present += len(values) - inserted  # imported by someone else meanwhile
    elif dry_run:
        summary.inserted += len(values)


def _audit(connection: Connection, path: Path, action: str, details: dict) -> None:
    from db.models import AuditEvent

    connection.execute(
        insert(AuditEvent.__table__).values(
            occurred_at=datetime.now(UTC),
            actor=IMPORT_ACTOR,
            action=action,
            entity_type="import",
            entity_id=path.name[:64],
            details=details,
        )
    )


def import_transactions(
    database_url: str,
    path: Path,
    *,
    batch_size: int = 1000,
    dry_run: bool = False,
    on_row: Callable[[], None] | None = None,
) -> ImportSummary:
    """Import a transactions CSV in batches, all or nothing, audited; re-running skips what is already there."""
    summary = ImportSummary()
    url = sync_database_url(database_url)
    engine = create_engine(url, connect_args={"timeout": 30} if url.startswith("sqlite") else {})
    try:
        # One database transaction for the whole file: a bad row anywhere means nothing was imported.
        with engine.connect() as connection:
            with connection.begin() as transaction:
                for batch in _batches(read_rows(path, summary.errors, on_row), batch_size):
                    summary.rows += len(batch)
                    _import_batch(connection, path, batch, summary, dry_run=dry_run or bool(summary.errors))
                if summary.errors or dry_run:
                    transaction.rollback()
                else:
                    _audit(
                        connection,
                        path,
                        "transactions.imported",
                        {
                            "file": str(path),
                            "rows": summary.rows,
                            "inserted": summary.inserted,
                            "already_present": summary.already_present,
                        },
                    )
            if summary.errors and not dry_run:
                summary.inserted = 0
                with connection.begin():
                    _audit(
                        connection,
                        path,
                        "transactions.import_rejected",
                        {"file": str(path), "rows": summary.rows, "errors": len(summary.errors)},
                    )
    finally:
        engine.dispose()
    prefix = len(f"{path}:")
    # Customer lookups report at batch end: put every problem back in file order.
    summary.errors.sort(key=lambda error: int(error[prefix:].split(":", 1)[0] or 0))
    return summary


@transactions_app.command("import")
def transactions_import(
    file: Annotated[
        Path,
        typer.Argument(
            help="CSV: customer_id or customer_external_ref, amount, occurred_on, external_ref",
            exists=True,
            dir_okay=False,
            readable=True,
        ),
    ],
    batch_size: Annotated[int, typer.Option(min=1, max=50_000, help="Rows per database transaction")] = 1000,
    dry_run: Annotated[bool, typer.Option("--dry-run", help="Check the file and customers without writing")] = False,
) -> None:
    """Import transactions; rows already imported (same external_ref) are skipped, bad rows reported by line."""
    console = Console(soft_wrap=True, highlight=False)
    total = count_data_rows(file)
    with Progress(
        TextColumn("importing"),
        BarColumn(),
        MofNCompleteColumn(),
        TimeRemainingColumn(),
        console=console,
        transient=True,
    ) as progress:
        task = progress.add_task("transactions", total=total)
        summary = import_transactions(
            get_settings().database_url,
            file,
            batch_size=batch_size,
            dry_run=dry_run,
            on_row=lambda: progress.advance(task),
        )
    for error in summary.errors[:200]:
        typer.echo(error)
    if len(summary.errors) > 200:
        typer.echo(f"… and {len(summary.errors) - 200} more problem(s)")
    if summary.errors:
        console.print(f"[red]{len(summary.errors)} problem(s); nothing was imported[/red]")
        raise typer.Exit(1)
    verb = "would import" if dry_run else "imported"
    console.print(f"[green]{verb} {summary.inserted} transaction(s)[/green], {summary.already_present} already present")
