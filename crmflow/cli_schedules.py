"""`crmflow schedules sync|list|pause|unpause|trigger`: the Temporal Schedules the definitions ask for."""

from __future__ import annotations

import asyncio
from typing import Annotated

import typer
from rich.table import Table
from crmflow.cli_common import JsonOption, connect_or_exit, print_json, short_time, table_console
from crmflow.settings import get_settings

schedules_app = typer.Typer(
    help="Temporal Schedules: sync from the definitions, list, pause, trigger.", no_args_is_help=True
)
console = table_console()


def _table(views) -> Table:
    table = Table("id", "cron", "time zone", "overlap", "paused", "next run", title="schedules")
    for view in views:
        table.add_row(
            view.id,
            " | ".join(view.cron),
            view.timezone or "UTC",
            view.overlap,
            "yes" if view.paused else "no",
            short_time(view.next_runs[0]) if view.next_runs and not view.paused else "-",
        )
    return table


@schedules_app.command("sync")
def sync() -> None:
    """Create or update every schedule the definitions ask for (idempotent; keeps paused ones paused)."""
    from crmflow.schedules import list_schedules, sync_schedules

    async def _run():
        client = await connect_or_exit()
        results = await sync_schedules(client, settings=get_settings())
        return results, await list_schedules(client)

    results, views = asyncio.run(_run())
    for result in results:
        colour = {"created": "green", "updated": "cyan", "unchanged": "dim"}.get(result.action, "yellow")
        reason = f" ({result.reason})" if result.reason else ""
        console.print(f"[{colour}]{result.action}[/{colour}] {result.schedule_id}{reason}")
    console.print(_table(views))


@schedules_app.command("list")
def list_(as_json: JsonOption = False) -> None:
    """Show every crmflow schedule."""
    from crmflow.schedules import list_schedules

    async def _run():
        return await list_schedules(await connect_or_exit())

    views = asyncio.run(_run())
    if as_json:
        print_json(views)
        return
    console.print(_table(views))


def _control(schedule_id: str, action: str, note: str | None) -> None:
    from crmflow.schedules import UnknownSchedule, control_schedule

    async def _run():
        return await control_schedule(await connect_or_exit(), schedule_id, action, note=note)  # type: ignore[arg-type]

    try:
        view = asyncio.run(_run())
    except UnknownSchedule:
        console.print(f"[red]no schedule {schedule_id}[/red] (run `crmflow schedules sync`)")
        raise typer.Exit(1) from None
    console.print(_table([view]))


@schedules_app.command("pause")
def pause(schedule_id: str, note: Annotated[str | None, typer.Option(help="Why")] = None) -> None:
    """Pause a schedule."""
    _control(schedule_id, "pause", note)


@schedules_app.command("unpause")
def unpause(schedule_id: str, note: Annotated[str | None, typer.Option(help="Why")] = None) -> None:
    """Unpause a schedule."""
    _control(schedule_id, "unpause", note)


@schedules_app.command("trigger")
def trigger(schedule_id: str) -> None:
    """Start the schedule's process now."""
    _control(schedule_id, "trigger", None)
