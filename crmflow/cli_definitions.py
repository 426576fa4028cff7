"""`crmflow definitions …`: validate a folder of process definitions."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer
from rich.console import Console
from rich.table import Table

from crmflow.settings import get_settings

definitions_app = typer.Typer(help="Process definitions (YAML).", no_args_is_help=True)


@definitions_app.command("check")
def check(
    directory: Annotated[
        Path | None, typer.Argument(help="Folder of *.yaml definitions (default: CRMFLOW_DEFINITIONS_DIR)")
    ] = None,
) -> None:
    """Validate every definition: print each problem as file:line: message (exit 1), or what loaded."""
    from definitions.loader import check_directory, check_flows

    directory = directory or get_settings().definitions_dir
    loaded, issues = check_directory(directory)
    flows, flow_issues = check_flows(directory)
    issues = issues + flow_issues
    if issues:
        err = Console(stderr=True, highlight=False, soft_wrap=True)
        for issue in issues:
            # Plain file:line: message lines, so editors and CI annotate them.
            typer.echo(str(issue))
        err.print(f"[red]{len(issues)} problem(s) in {directory}[/red]")
        raise typer.Exit(1)
    table = Table(title=f"Definitions in {directory}")
    table.add_column("process")
    table.add_column("version", justify="right")
    table.add_column("content hash")
    for process, definition in sorted(loaded.items()):
        table.add_row(process, str(definition.version), definition.content_hash)
    Console(soft_wrap=True).print(table)
    if flows:
        flow_table = Table(title=f"Approval flows in {directory / 'flows'}")
        flow_table.add_column("flow")
        flow_table.add_column("version", justify="right")
        flow_table.add_column("content hash")
        flow_table.add_column("steps", justify="right")
        for name, flow in sorted(flows.items()):
            flow_table.add_row(name, str(flow.version), flow.content_hash, str(len(flow.steps)))
        Console(soft_wrap=True).print(flow_table)
