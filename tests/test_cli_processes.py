"""`crmflow processes list|show|history|export` against the local dev server."""

from __future__ import annotations

import asyncio
import json
import uuid
from pathlib import Path

import pytest
from click.testing import Result
from rich.console import Console
from temporalio.client import WorkflowHistory
from temporalio.contrib.pydantic import pydantic_data_converter
from temporalio.testing import WorkflowEnvironment
from temporalio.worker import Replayer
from typer.testing import CliRunner

import crmflow.cli_processes
from crmflow.cli import app
from crmflow.settings import PACKAGED_DEFINITIONS_DIR, get_settings
from definitions.loader import load_as
from definitions.reclaim import ReclaimDefinition, ReclaimInput
from crmflow.registry import all_workflows
from workflows.reclaim import ReclaimWorkflow


@pytest.fixture
async def reclaim_run(local_env: WorkflowEnvironment, run_worker, settings) -> str:
    """A finished reclaim run (nothing to reclaim on the empty test database)."""
    workflow_id = f"reclaim-cli-{uuid.uuid4().hex[:8]}"
    async with run_worker(local_env.client):
        await local_env.client.execute_workflow(
            ReclaimWorkflow.run,
            ReclaimInput(definition=load_as(PACKAGED_DEFINITIONS_DIR, ReclaimDefinition)),
            id=workflow_id,
            task_queue=settings.task_queue,
        )
    return workflow_id


@pytest.fixture
def cli(local_env: WorkflowEnvironment, database_url: str, monkeypatch: pytest.MonkeyPatch):
    """Run `crmflow processes ARGS…` in a thread (the CLI runs its own event loop), on a wide console."""
    monkeypatch.setattr(crmflow.cli_processes, "console", Console(width=250, force_terminal=False))
    env = {
        "CRMFLOW_TEMPORAL_ADDRESS": local_env.client.service_client.config.target_host,
        "CRMFLOW_DATABASE_URL": database_url,
        "CRMFLOW_LOG_JSON": "false",
    }

    async def run(*args: str) -> Result:
        get_settings.cache_clear()
        try:
            return await asyncio.to_thread(CliRunner().invoke, app, ["processes", *args], env=env)
        finally:
            get_settings.cache_clear()

    return run


async def test_list_show_history_and_export(cli, reclaim_run: str, tmp_path: Path) -> None:
    deadline = asyncio.get_running_loop().time() + 20
    while True:  # visibility is eventually consistent
        listed = await cli("list", "--type", "reclaim", "--status", "completed", "--limit", "500")
        assert listed.exit_code == 0, listed.output
        if reclaim_run in listed.stdout:
            break
        assert asyncio.get_running_loop().time() < deadline, listed.stdout
        await asyncio.sleep(0.1)
    assert "CrmProcessType = 'reclaim'" in listed.stdout
    assert max(len(line) for line in listed.stdout.splitlines()) <= 80  # readable in an 80-column terminal
    as_json = await cli("list", "--type", "reclaim", "--limit", "500", "--json")
    assert as_json.exit_code == 0, as_json.output
    hits = [item for item in json.loads(as_json.stdout) if item["workflow_id"] == reclaim_run]
    assert hits and hits[0]["process_type"] == "reclaim" and hits[0]["type"] == "ReclaimWorkflow"
    first_page = await cli("list", "--type", "reclaim", "--limit", "1", "--json")
    assert len(json.loads(first_page.stdout)) == 1
    assert (await cli("list", "--cursor", "not-a-cursor!")).exit_code == 2

    shown = await cli("show", reclaim_run)
    assert shown.exit_code == 0, shown.output
    assert "ReclaimWorkflow" in shown.stdout and "completed" in shown.stdout and "CrmProcessType" in shown.stdout

    history = await cli("history", reclaim_run)
    assert history.exit_code == 0, history.output
    for expected in (
        "workflow ReclaimWorkflow started",
        "stage → warning",
        "activity reclaim.warn completed",
        "workflow completed",
    ):
        assert expected in history.stdout

    target = tmp_path / "reclaim.json"
    exported = await cli("export", reclaim_run, "-o", str(target))
    assert exported.exit_code == 0, exported.output
    replayed = await Replayer(workflows=all_workflows(), data_converter=pydantic_data_converter).replay_workflow(
        WorkflowHistory.from_json(reclaim_run, target.read_text(encoding="utf-8")), raise_on_replay_failure=True
    )
    assert replayed.replay_failure is None


async def test_bad_input_is_refused(cli) -> None:
    unknown = await cli("history", "reclaim-never-ran")
    assert unknown.exit_code == 1 and "no process 'reclaim-never-ran'" in unknown.output
    assert (await cli("list", "--stage", "open' OR 1=1")).exit_code == 2
    assert (await cli("list", "--status", "sleeping")).exit_code == 2
