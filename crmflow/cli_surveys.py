"""`crmflow surveys wave`: start a customer survey wave now (DESIGN §3.9), e.g. for a demo or after a missed run."""

from __future__ import annotations

import asyncio
from datetime import UTC, datetime
from typing import Annotated

import typer

from crmflow.cli_common import connect_or_exit, table_console
from crmflow.settings import get_settings

surveys_app = typer.Typer(help="Customer satisfaction surveys.", no_args_is_help=True)
console = table_console()


@surveys_app.command("wave")
def wave(
    customer: Annotated[list[int] | None, typer.Option("--customer", "-c", help="only these customer ids")] = None,
    wait: Annotated[bool, typer.Option(help="wait until every invited customer's survey has started")] = True,
) -> None:
    """Invite every due customer (or only --customer ids; never twice within the definition's N days)."""
    from crmflow.schedules import schedule_timezone
    from definitions.loader import load_as
    from definitions.survey import SurveyDefinition, SurveyWaveInput
    from workflows.survey import SurveyWaveWorkflow, wave_workflow_id

    settings = get_settings()
    definition = load_as(settings.definitions_dir, SurveyDefinition)
    wave_id = f"manual-{datetime.now(UTC):%Y%m%dT%H%M%S%f}"
    workflow_id = wave_workflow_id(wave_id)

    async def _run():
        client = await connect_or_exit()
        handle = await client.start_workflow(
            SurveyWaveWorkflow.run,
            SurveyWaveInput(
                definition=definition,
                wave_id=wave_id,
                customer_ids=customer or None,
                trigger="manual",
                timezone=schedule_timezone(definition, settings),
            ),
            id=workflow_id,
            task_queue=settings.task_queue,
        )
        return await handle.result() if wait else None

    result = asyncio.run(_run())
    if result is None:
        console.print(f"started {workflow_id}")
    else:
        console.print(f"wave {result.wave_id}: {result.invited} customer(s) invited ({workflow_id})")
