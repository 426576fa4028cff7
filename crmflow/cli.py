"""The `crmflow` command line (Typer + rich)."""

from __future__ import annotations

import asyncio
from typing import Annotated

import typer
from rich.console import Console

from crmflow.cli_definitions import definitions_app
from crmflow.cli_processes import processes_app
from crmflow.cli_schedules import schedules_app
from crmflow.cli_staff import staff_app, users_list, users_revoke
from crmflow.cli_surveys import surveys_app
from crmflow.cli_transactions import transactions_app
from crmflow.logging import configure_logging
from crmflow.packaging import PackageCollision, check_top_level_packages
from crmflow.settings import get_settings

app = typer.Typer(help="crmflow: durable customer-management processes on Temporal.", no_args_is_help=True)
db_app = typer.Typer(help="Database schema.", no_args_is_help=True)
users_app = typer.Typer(help="API users (principals) and their tokens.", no_args_is_help=True)
seed_app = typer.Typer(help="Demo and test data.", no_args_is_help=True)
app.add_typer(db_app, name="db")
app.add_typer(users_app, name="users")
app.add_typer(seed_app, name="seed")
app.add_typer(definitions_app, name="definitions")
app.add_typer(staff_app, name="staff")
app.add_typer(transactions_app, name="transactions")
app.add_typer(processes_app, name="processes")
app.add_typer(schedules_app, name="schedules")
app.add_typer(surveys_app, name="surveys")
users_app.command("revoke")(users_revoke)
users_app.command("list")(users_list)

console = Console()


def _print_version(value: bool) -> None:
    if value:
        from importlib.metadata import version

        typer.echo(f"crmflow {version('crmflow')}")
        raise typer.Exit()


@app.callback()
def _setup(
    _version: Annotated[
        bool, typer.Option("--version", callback=_print_version, is_eager=True, help="Print the version and exit")
    ] = False,
) -> None:
    try:
        check_top_level_packages()
    except PackageCollision as collision:
        typer.echo(f"crmflow: {collision}", err=True)
        raise typer.Exit(1) from None
    settings = get_settings()
    configure_logging(settings.log_level, json=settings.log_json)


@db_app.command("upgrade")
def db_upgrade(revision: Annotated[str, typer.Argument(help="Target revision")] = "head") -> None:
    """Apply the Alembic migrations."""
    from db.migrate import upgrade

    upgrade(get_settings().database_url, revision)
    console.print(f"[green]database at {revision}[/green]")


@app.command()
def worker() -> None:
    """Run the Temporal worker (all workflows and activities)."""
    from worker import run_worker

    asyncio.run(run_worker())


@app.command()
def api(
    host: Annotated[str | None, typer.Option(help="Bind address")] = None,
    port: Annotated[int | None, typer.Option(help="Port")] = None,
) -> None:
    """Serve the HTTP API with uvicorn."""
    import uvicorn

    from api.app import create_app

    settings = get_settings()
    # uvicorn handles SIGTERM itself (so also as PID 1): it stops accepting and drains within the grace period.
    uvicorn.run(
        create_app(settings),
        access_log=False,
        host=host or settings.api_host,
        port=port or settings.api_port,
        log_config=None,
        timeout_graceful_shutdown=max(1, round(settings.shutdown_grace_seconds)),
    )


@users_app.command("create")
def users_create(
    name: Annotated[str, typer.Option(help="Who the token is for")],
    role: Annotated[str, typer.Option(help="admin | ops | director | manager | service")],
    staff_id: Annotated[int | None, typer.Option(help="Linked staff member (manager, director)")] = None,
    expires_in: Annotated[str | None, typer.Option(help="Token lifetime, e.g. 90d, 12h, 30m or P30D")] = None,
) -> None:
    """Create an API user and print its token once (only its hash is stored)."""
    from crmflow.users import UserError, create_user

    try:
        token = asyncio.run(create_user(get_settings(), name=name, role=role, staff_id=staff_id, expires_in=expires_in))
    except UserError as exc:
        typer.echo(f"error: {exc}", err=True)
        raise typer.Exit(1) from None
    console.print(f"token (shown once): [bold]{token}[/bold]")


@users_app.command("set-password")
def users_set_password(
    email: Annotated[str, typer.Argument(help="The person's email (their principal's or their staff record's)")],
    password_stdin: Annotated[bool, typer.Option("--password-stdin", help="Read the password from stdin")] = False,
) -> None:
    """Set the web sign-in password of a person (asked twice, or read from stdin)."""
    import sys

    from crmflow.users import UserError, set_password

    if password_stdin:
        password = sys.stdin.readline().rstrip("\r\n")
    else:
        password = typer.prompt("password", hide_input=True, confirmation_prompt=True)
    try:
        name = asyncio.run(set_password(get_settings(), email=email, password=password))
    except UserError as exc:
        typer.echo(f"error: {exc}", err=True)
        raise typer.Exit(1) from None
    console.print(f"password set for {email} ({name}); their open web sessions were signed out")


@seed_app.command("demo")
def seed_demo(
    reset_tokens: Annotated[
        bool, typer.Option("--reset-tokens", help="Rotate every demo token (the old ones stop working)")
    ] = False,
) -> None:
    """Seed the demo organisation (people, customers, a year of history) and keep its tokens; idempotent.

    The demo's processes (complaints, review cycles, reclaim) need a worker: `crmflow dev` starts them.
    """
    from crmflow.seed import print_sign_in, print_tokens, seed_demo as run_seed

    org = asyncio.run(run_seed(get_settings(), reset_tokens=reset_tokens))
    if reset_tokens:
        console.print("[yellow]demo tokens rotated: the previous ones no longer work[/yellow]")
    print_tokens(console, org)
    print_sign_in(console, get_settings())


@app.command()
def dev() -> None:
    """Run the whole local stack: Temporal dev server, migrations, demo data, worker, API and an SMTP sink."""
    from rich.markup import escape

    from crmflow.binaries import MissingBinary
    from crmflow.devstack import DevStackError, run_dev

    try:
        run_dev(get_settings(), console)
    except MissingBinary as exc:
        console.print(f"[red]crmflow dev needs the Temporal dev server.[/red] {escape(str(exc))}")
        raise typer.Exit(1) from exc
    except DevStackError as exc:
        typer.echo(f"crmflow dev: {exc}", err=True)
        raise typer.Exit(1) from None


def main() -> None:
    """Entry point for `python -m crmflow`."""
    app()
