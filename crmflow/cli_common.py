"""What every crmflow command shares: the Temporal connection (or exit 2), `--json`, and 80-column tables."""

from __future__ import annotations

import json
from collections.abc import Iterable
from typing import Annotated, Any

import typer
from pydantic import BaseModel
from rich.console import Console
from temporalio.client import Client

from crmflow.settings import get_settings
from crmflow.temporal import connect_temporal

JsonOption = Annotated[bool, typer.Option("--json", help="Print JSON (one array) instead of a table")]


async def connect_or_exit() -> Client:
    """The Temporal client, or exit 2 with where it was looked for."""
    settings = get_settings()
    try:
        return await connect_temporal(settings)
    except Exception as exc:  # noqa: BLE001 - any connection failure: say where we tried
        typer.echo(f"error: cannot reach Temporal at {settings.temporal_address} ({exc})", err=True)
        raise typer.Exit(2) from None


def print_json(items: Iterable[BaseModel | dict[str, Any]]) -> None:
    """A JSON array on stdout, one object per item (datetimes as ISO strings)."""
    rows = [item.model_dump(mode="json") if isinstance(item, BaseModel) else item for item in items]
    typer.echo(json.dumps(rows, ensure_ascii=False, indent=2, default=str))


def short_time(value: Any) -> str:
    """Minutes are enough in a table (the JSON keeps the whole timestamp)."""
    return value.strftime("%Y-%m-%d %H:%M") if value else ""


def table_console() -> Console:
    """Tables fit 80 columns when the output is not a terminal (pipes, CI logs); a terminal keeps its width."""
    console = Console()
    return console if console.is_terminal else Console(width=80)
