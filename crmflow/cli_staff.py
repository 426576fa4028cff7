"""`crmflow staff import FILE.csv` and `crmflow users revoke ID`."""

from __future__ import annotations

import asyncio
import csv
import io
import re
from dataclasses import dataclass, field
from pathlib import Path
from typing import Annotated

import typer
from rich.console import Console
from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn

from crmflow.cli_common import JsonOption, print_json, short_time, table_console
from crmflow.settings import Settings, get_settings
from db.models import StaffRole

staff_app = typer.Typer(help="Staff (account managers and directors).", no_args_is_help=True)

COLUMNS = ("name", "email", "role", "supervisor_email", "region", "capacity")
_EMAIL = re.compile(r"^[^@\s]+@[^@\s]+\.[^@\s]+$")
IMPORT_ACTOR = "cli:staff-import"


@dataclass
class StaffRow:
    """One validated CSV row and the file line it came from."""

    line: int
    name: str
    email: str
    role: str
    supervisor_email: str | None
    region: str
    capacity: int | None


@dataclass
class ImportSummary:
    created: int = 0
    updated: int = 0
    unchanged: int = 0
    errors: list[str] = field(default_factory=list)


def read_staff_csv(path: Path) -> tuple[list[StaffRow], list[str]]:
    """Parse and check the file; every problem is `FILE:LINE: message`."""
    from api.schemas.staff import StaffCreate
    from crmflow.csvtext import read_csv_text, schema_problems

    text, errors = read_csv_text(path)
    if text is None:
        return [], errors
    rows: list[StaffRow] = []
    seen: dict[str, int] = {}
    with io.StringIO(text, newline="") as handle:
        reader = csv.DictReader(handle)
        header = [name.strip() for name in reader.fieldnames or []]
        missing = [c for c in COLUMNS if c not in header]
        unknown = [c for c in header if c not in COLUMNS]
        if missing or unknown:
            problems = ([f"missing column(s): {', '.join(missing)}"] if missing else []) + (
                [f"unknown column(s): {', '.join(unknown)}"] if unknown else []
            )
            return [], [f"{path}:1: {'; '.join(problems)} (expected: {','.join(COLUMNS)})"]
        reader.fieldnames = header
        for record in reader:
            line = reader.line_num
            values = {k: (v or "").strip() for k, v in record.items() if k is not None}
            if not any(values.values()):
                continue  # blank line
            row_errors = []
            email = values["email"].lower()
            if not _EMAIL.match(email):
                row_errors.append(f"email {values['email']!r} is not an e-mail address")
            elif email in seen:
                row_errors.append(f"email {email} appears twice (first at line {seen[email]})")
            if not values["name"]:
                row_errors.append("name is empty")
            roles = [r.value for r in StaffRole]
            if values["role"] not in roles:
                row_errors.append(f"role {values['role']!r} is not one of {', '.join(roles)}")
            capacity: int | None = None
            if values["capacity"]:
                try:
                    capacity = int(values["capacity"])
                    if capacity < 0:
                        raise ValueError
                except ValueError:
                    row_errors.append(f"capacity {values['capacity']!r} must be a whole number >= 0")
            supervisor = values["supervisor_email"].lower() or None
            if supervisor == email:
                row_errors.append("a staff member cannot be their own supervisor")
            if None in record:
                row_errors.append("more values than columns (quote values that contain commas)")
            if not row_errors:
                # The API's own schema: the same length limits and bounds, NUL and bad text refused.
                row_errors.extend(
                    schema_problems(
                        StaffCreate,
                        {
                            "name": values["name"],
                            "email": email,
                            "role": values["role"],
                            "region": values["region"],
                            **({"capacity": capacity} if capacity is not None else {}),
                        },
                    )
                )
                row_errors.extend(
                    schema_problems(StaffCreate, {"name": "x", "email": supervisor, "role": values["role"]})
                    if supervisor
                    else []
                )
            if row_errors:
                errors.extend(f"{path}:{line}: {message}" for message in row_errors)
                continue
            seen[email] = line
            rows.append(StaffRow(line, values["name"], email, values["role"], supervisor, values["region"], capacity))
    return rows, errors


async def import_staff(
    settings: Settings, path: Path, rows: list[StaffRow], progress: Progress | None
) -> ImportSummary:
    """Upsert the rows by e-mail, then link supervisors; all or nothing (any error rolls back)."""
    from db.engine import create_engine, create_session_factory
    from db.models import Staff
    from db.repositories.audit import record_audit
    from db.repositories.staff import StaffProblem, create_staff, staff_by_email, update_staff

    summary = ImportSummary()
    engine = create_engine(settings.database_url)
    task = progress.add_task("staff", total=len(rows) * 2) if progress else None

    def step() -> None:
        if progress is not None and task is not None:
            progress.advance(task)

    try:
        async with create_session_factory(engine)() as session:
            by_email: dict[str, Staff] = {}
            created: set[str] = set()
            changed: set[str] = set()
            for row in rows:  # pass 1: the people themselves (supervisors may come later in the file)
                existing = await staff_by_email(session, row.email)
                try:
                    if existing is None:
                        by_email[row.email] = await create_staff(
                            session,
                            actor=IMPORT_ACTOR,
                            name=row.name,
                            email=row.email,
                            role=row.role,
                            region=row.region,
                            capacity=50 if row.capacity is None else row.capacity,
                        )
                        created.add(row.email)
                    else:
                        fields: dict[str, object] = {"name": row.name, "role": row.role, "region": row.region}
                        if row.capacity is not None:
                            fields["capacity"] = row.capacity
                        if await update_staff(
                            session,
                            existing,
                            actor=IMPORT_ACTOR,
                            changes=fields,
                            reason=f"import {path.name}:{row.line}",
                        ):
                            changed.add(row.email)
                        by_email[row.email] = existing
                except StaffProblem as exc:
                    summary.errors.append(f"{path}:{row.line}: {exc.message}")
                step()
            for row in rows:  # pass 2: supervisor links, checked against the whole new org chart
                staff = by_email.get(row.email)
                supervisor = None
                if row.supervisor_email:
                    supervisor = by_email.get(row.supervisor_email) or await staff_by_email(
                        session, row.supervisor_email
                    )
                    if supervisor is None:
                        summary.errors.append(
                            f"{path}:{row.line}: supervisor {row.supervisor_email} is neither in "
                            "the file nor a known staff member"
                        )
                if staff is not None and (supervisor is not None or not row.supervisor_email):
                    try:
                        if await update_staff(
                            session,
                            staff,
                            actor=IMPORT_ACTOR,
                            changes={"supervisor_id": supervisor.id if supervisor else None},
                            reason=f"import {path.name}:{row.line}",
                        ):
                            changed.add(row.email)
                    except StaffProblem as exc:
                        summary.errors.append(f"{path}:{row.line}: supervisor {row.supervisor_email}: {exc.message}")
                step()
            if summary.errors:
                await session.rollback()  # all or nothing: a half-imported org chart helps nobody
                record_audit(
                    session,
                    actor=IMPORT_ACTOR,
                    action="staff.import_rejected",
                    entity_type="import",
                    entity_id=path.name[:64],
                    details={"file": str(path), "errors": len(summary.errors)},
                )
                await session.commit()
                return summary
            summary.created = len(created)
            summary.updated = len(changed - created)
            summary.unchanged = len(rows) - summary.created - summary.updated
            record_audit(
                session,
                actor=IMPORT_ACTOR,
                action="staff.imported",
                entity_type="import",
                entity_id=path.name[:64],
                details={"file": str(path), "created": summary.created, "updated": summary.updated, "rows": len(rows)},
            )
            await session.commit()
    finally:
        await engine.dispose()
    return summary


@staff_app.command("import")
def staff_import(
    file: Annotated[Path, typer.Argument(help="CSV with columns name,email,role,supervisor_email,region,capacity")],
    dry_run: Annotated[bool, typer.Option("--dry-run", help="Check the file without writing")] = False,
) -> None:
    """Create or update staff from a CSV file (upsert by e-mail); nothing is written if any row is wrong."""
    console = Console(soft_wrap=True, highlight=False)
    rows, errors = read_staff_csv(file)
    if not errors and not dry_run:
        with Progress(
            TextColumn("importing"), BarColumn(), MofNCompleteColumn(), console=console, transient=True
        ) as progress:
            summary = asyncio.run(import_staff(get_settings(), file, rows, progress))
        errors = summary.errors
    if errors:
        for error in errors:
            typer.echo(error)
        console.print(f"[red]{len(errors)} problem(s); nothing was imported[/red]")
        raise typer.Exit(1)
    if dry_run:
        console.print(f"[green]{len(rows)} row(s) look fine[/green] (dry run, nothing written)")
        return
    console.print(
        f"[green]imported {len(rows)} row(s)[/green]: {summary.created} created, "
        f"{summary.updated} updated, {summary.unchanged} unchanged"
    )


def users_revoke(principal_id: Annotated[int, typer.Argument(help="The user's id")]) -> None:
    """Revoke an API user's token: it is refused (401) from now on."""
    from db.repositories.staff import StaffProblem

    try:
        asyncio.run(_revoke(get_settings(), principal_id))
    except StaffProblem as exc:
        typer.echo(f"error: {exc.message}", err=True)
        raise typer.Exit(1) from None
    Console().print(f"[green]user {principal_id} revoked[/green]")


async def _revoke(settings: Settings, principal_id: int) -> None:
    from db.engine import create_engine, create_session_factory
    from db.repositories.staff import revoke_principal

    engine = create_engine(settings.database_url)
    try:
        async with create_session_factory(engine)() as session, session.begin():
            await revoke_principal(session, principal_id, actor="cli")
    finally:
        await engine.dispose()


def users_list(
    include_revoked: Annotated[bool, typer.Option("--all", help="Also show revoked users")] = False,
    as_json: JsonOption = False,
) -> None:
    """List API users (id, name, role, linked staff, created, expiry, last use, revoked); tokens are never shown."""
    from rich.table import Table

    principals = asyncio.run(_principals(get_settings(), include_revoked))
    if as_json:
        print_json(
            {
                "id": p.id,
                "name": p.name,
                "role": p.role,
                "staff_id": p.staff_id,
                "created_at": p.created_at,
                "expires_at": p.expires_at,
                "last_used_at": p.last_used_at,
                "revoked_at": p.revoked_at,
            }
            for p in principals
        )
        return
    table = Table(title="API users")
    for column in ("id", "name", "role", "staff", "created", "expires", "last used", "revoked"):
        table.add_column(column, overflow="fold")
    for principal in principals:
        table.add_row(
            str(principal.id),
            principal.name,
            principal.role,
            "" if principal.staff_id is None else str(principal.staff_id),
            short_time(principal.created_at),
            short_time(principal.expires_at),
            short_time(principal.last_used_at),
            short_time(principal.revoked_at),
        )
    table_console().print(table)


async def _principals(settings: Settings, include_revoked: bool) -> list:
    from sqlalchemy import select

    from db.engine import create_engine, create_session_factory
    from db.models import Principal

    engine = create_engine(settings.database_url)
    try:
        async with create_session_factory(engine)() as session:
            query = select(Principal).order_by(Principal.id)
            if not include_revoked:
                query = query.where(Principal.revoked_at.is_(None))
            return list((await session.scalars(query)).all())
    finally:
        await engine.dispose()
