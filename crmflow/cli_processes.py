"""`crmflow processes list|show|history|export`: inspect processes straight from Temporal (ops view)."""

from __future__ import annotations

import asyncio
import json
import re
from enum import Enum
from pathlib import Path
from typing import Annotated, Any

import typer
from rich.table import Table
from temporalio.client import Client

from crmflow import inspection
from crmflow.cli_common import JsonOption, connect_or_exit, print_json, short_time, table_console
from crmflow.history import render_timeline
from crmflow.inspection import STAGE_PATTERN

processes_app = typer.Typer(
    help="Inspect processes (Temporal workflows): search, state, history, export.", no_args_is_help=True
)
console = table_console()


def _choices(values: tuple[str, ...], name: str) -> type[Enum]:
    """A string enum over `values`, so Typer lists and checks the choices."""
    return Enum(name, {v.upper().replace("-", "_"): v for v in values}, type=str)  # type: ignore[return-value]


# The same closed vocabularies and query builder as GET /v1/processes: the values end up inside a query.
TypeChoice = _choices(inspection.known_process_types(), "TypeChoice")
StatusChoice = _choices(tuple(inspection.EXECUTION_STATUS), "StatusChoice")


def _not_found(workflow_id: str) -> typer.Exit:
    typer.echo(f"error: no process {workflow_id!r}", err=True)
    return typer.Exit(1)


async def _fetch(workflow_id: str):
    """The description and full history of the latest run of `workflow_id`."""
    client = await connect_or_exit()
    description = await _describe(client, workflow_id)
    return client, description, await inspection.fetch_history(client, description)


async def _describe(client: Client, workflow_id: str):
    try:
        return await inspection.describe_process(client, workflow_id)
    except inspection.ProcessNotFound:
        raise _not_found(workflow_id) from None


def _time(value: Any) -> str:
    return value.strftime("%Y-%m-%d %H:%M:%S") if value else ""


@processes_app.command("list")
def list_processes(
    type: Annotated[TypeChoice | None, typer.Option("--type", help="Process type")] = None,  # noqa: A002
    status: Annotated[StatusChoice | None, typer.Option(help="Temporal execution status")] = None,
    customer_id: Annotated[int | None, typer.Option(min=1, help="Customer id")] = None,
    manager_id: Annotated[int | None, typer.Option(min=1, help="Owning manager's staff id")] = None,
    stage: Annotated[str | None, typer.Option(help="Stage, e.g. open, in_progress")] = None,
    limit: Annotated[int, typer.Option(min=1, max=inspection.MAX_PAGE_SIZE, help="Page size")] = 50,
    cursor: Annotated[str | None, typer.Option(help="The next-page cursor a previous page printed")] = None,
    as_json: JsonOption = False,
) -> None:
    """Search processes by type, status, customer, manager and stage, one page at a time."""
    if stage is not None and not re.fullmatch(STAGE_PATTERN, stage):
        typer.echo(f"error: --stage {stage!r} is not a stage name (lowercase letters, digits, - and _)", err=True)
        raise typer.Exit(2)
    query = inspection.visibility_query(
        None,
        process_type=type.value if type else None,
        status=status.value if status else None,
        customer_id=customer_id,
        manager_id=manager_id,
        stage=stage,
    )

    async def run() -> inspection.ProcessList:
        try:
            return await inspection.search_processes(await connect_or_exit(), query, page_size=limit, cursor=cursor)
        except inspection.BadCursor:
            typer.echo("error: --cursor is not one this command printed", err=True)
            raise typer.Exit(2) from None

    page = asyncio.run(run())
    if as_json:
        print_json(page.items)
        return
    out = table_console()
    table = Table(title=f"processes ({len(page.items)})")
    for column in ("workflow id", "type", "status", "stage", "started"):
        table.add_column(column, overflow="fold")
    for item in page.items:
        table.add_row(
            item.workflow_id, item.process_type or item.type, item.status, item.stage or "", short_time(item.started_at)
        )
    out.print(table)
    if query:
        out.print(f"query: {query}", soft_wrap=False, overflow="fold")
    if page.next_cursor:
        out.print(f"next page: --cursor {page.next_cursor}", overflow="fold")


@processes_app.command("show")
def show(workflow_id: Annotated[str, typer.Argument(help="Workflow id, e.g. complaint-<uuid>")]) -> None:
    """State, stage, search attributes and the workflow's own status query."""

    async def run():
        client = await connect_or_exit()
        description = await _describe(client, workflow_id)
        return description, await inspection.query_state(client, description)

    description, state = asyncio.run(run())
    table = Table(title=workflow_id, show_header=False)
    table.add_column("field", style="bold")
    table.add_column("value", overflow="fold")
    rows = {
        "type": description.workflow_type,
        "status": description.status.name.lower() if description.status else "unknown",
        "run id": description.run_id,
        "started": _time(description.start_time),
        "closed": _time(description.close_time),
        "history length": str(description.history_length),
        **inspection.search_attribute_values(description.typed_search_attributes),
    }
    for field, value in rows.items():
        table.add_row(field, value)
    console.print(table)
    if state is not None:
        console.print_json(json.dumps(state, default=str))


@processes_app.command("history")
def history(workflow_id: Annotated[str, typer.Argument(help="Workflow id")]) -> None:
    """The process's history as a readable timeline."""

    async def run():
        client, description, events = await _fetch(workflow_id)
        return description, await render_timeline(events, client.data_converter)

    description, entries = asyncio.run(run())
    table = Table(title=f"{workflow_id} ({description.workflow_type}, run {description.run_id})")
    for column in ("#", "time", "kind", "what", "who"):
        table.add_column(column, overflow="fold")
    for entry in entries:
        table.add_row(str(entry.event_id), _time(entry.time), entry.kind, entry.what, entry.actor or "")
    console.print(table)


@processes_app.command("export")
def export(
    workflow_id: Annotated[str, typer.Argument(help="Workflow id")],
    output: Annotated[Path | None, typer.Option("-o", "--output", help="File to write (default: stdout)")] = None,
) -> None:
    """The raw history JSON that temporalio.worker.Replayer accepts (WorkflowHistory.from_json)."""

    async def run() -> str:
        _, _, events = await _fetch(workflow_id)
        return events.to_json()

    text = asyncio.run(run())
    if output is None:
        typer.echo(text)
        return
    output.write_text(text + "\n", encoding="utf-8")
    console.print(f"[green]wrote {output}[/green]")
