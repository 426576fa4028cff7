"""`crmflow schedules sync|list|pause|unpause` against the local dev server."""

from __future__ import annotations

import asyncio
import json

import pytest
from rich.console import Console
from typer.testing import CliRunner

import crmflow.cli_schedules
from crmflow.cli import app
from crmflow.registry import scheduled_runs
from crmflow.settings import get_settings


@pytest.fixture
async def cli(local_env, database_url: str, settings, monkeypatch: pytest.MonkeyPatch):
    """Run `crmflow schedules ARGS…` in a thread; delete the schedules afterwards (the server is shared)."""
    monkeypatch.setattr(crmflow.cli_schedules, "console", Console(width=250, force_terminal=False))
    env = {
        "CRMFLOW_TEMPORAL_ADDRESS": local_env.client.service_client.config.target_host,
        "CRMFLOW_DATABASE_URL": database_url,
        "CRMFLOW_TASK_QUEUE": settings.task_queue,
        "CRMFLOW_LOG_JSON": "false",
    }

    async def run(*args: str):
        get_settings.cache_clear()
        try:
            return await asyncio.to_thread(CliRunner().invoke, app, ["schedules", *args], env=env)
        finally:
            get_settings.cache_clear()

    yield run
    for _, run in scheduled_runs():
        try:
            await local_env.client.get_schedule_handle(run.schedule_id).delete()
        except Exception:  # noqa: BLE001 - not created
            pass


async def test_sync_twice_then_pause_and_unpause(cli) -> None:
    first = await cli("sync")
    assert first.exit_code == 0, first.output
    assert "created review-quarterly" in first.stdout and "created reclaim-daily" in first.stdout
    second = await cli("sync")
    assert second.exit_code == 0, second.output
    assert "unchanged review-quarterly" in second.stdout and "created" not in second.stdout
    assert second.stdout.count("review-quarterly") == 2  # the sync line and one table row
    listed = await cli("list", "--json")
    assert listed.exit_code == 0, listed.output
    views = {view["id"]: view for view in json.loads(listed.stdout)}
    assert set(views) == {
        "review-quarterly",
        "tiering-monthly",
        "reclaim-daily",
        "survey-waves",
        "targets-open",
        "targets-progress",
    }
    assert views["review-quarterly"]["workflow_type"] == "ReviewScheduleWorkflow"
    assert "0 1 1 1,4,7,10 *" in second.stdout
    paused = await cli("pause", "reclaim-daily", "--note", "maintenance")
    assert paused.exit_code == 0 and "yes" in paused.stdout
    assert (await cli("unpause", "reclaim-daily")).exit_code == 0
    missing = await cli("trigger", "nope")
    assert missing.exit_code == 1 and "no schedule nope" in missing.stdout
