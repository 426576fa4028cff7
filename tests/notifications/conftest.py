"""A crmflow stack wired to real mail and webhook servers, on short SLAs and short delivery retries."""

from __future__ import annotations

import asyncio
import shutil
from collections.abc import AsyncIterator, Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import httpx
import pytest
import yaml

from api.app import create_app
from pydantic import SecretStr

from crmflow.settings import PACKAGED_DEFINITIONS_DIR, Settings, WebhookEndpoint
from tests.notify_servers import SmtpSink, WebhookReceiver
from worker import build_worker

SECRET = "test-webhook-secret"


def write_definitions(directory: Path, *, respond: str = "2s", retry: dict[str, Any] | None = None) -> Path:
    """The packaged definitions with a short `high` respond window and short delivery retries."""
    shutil.copytree(PACKAGED_DEFINITIONS_DIR, directory, ignore=shutil.ignore_patterns("*.py", "__pycache__"))
    complaint = yaml.safe_load((directory / "complaint.yaml").read_text())
    for severity in ("high", "critical"):
        complaint["sla"][severity] = {"respond": respond, "resolve": "1h"}
    complaint.pop("tier_overrides", None)
    (directory / "complaint.yaml").write_text(yaml.safe_dump(complaint, allow_unicode=True))
    notifications = yaml.safe_load((directory / "notifications.yaml").read_text())
    notifications["retry"] = retry or {
        "initial_interval": "0.2s",
        "backoff": 2,
        "maximum_interval": "1s",
        "give_up_after": "10s",
        "send_timeout": "5s",
    }
    (directory / "notifications.yaml").write_text(yaml.safe_dump(notifications, allow_unicode=True))
    return directory


@pytest.fixture
async def smtp() -> AsyncIterator[SmtpSink]:
    sink = SmtpSink().start()
    yield sink
    sink.stop()


@pytest.fixture
async def receiver() -> AsyncIterator[WebhookReceiver]:
    hook = await WebhookReceiver(secret=SECRET).start()
    yield hook
    await hook.stop()


@pytest.fixture
def notify_settings(settings: Settings, smtp: SmtpSink, receiver: WebhookReceiver, tmp_path: Path) -> Settings:
    return settings.model_copy(
        update={
            "definitions_dir": write_definitions(tmp_path / "definitions"),
            "smtp_host": "127.0.0.1",
            "smtp_port": smtp.port,
            "smtp_timeout": 3.0,
            "public_url": "https://crm.example.test",
            "webhook_endpoints": {"team": WebhookEndpoint(url=receiver.url, secret=SecretStr(SECRET))},
            "webhook_default": "team",
        }
    )


@dataclass
class Stack:
    http: httpx.AsyncClient
    settings: Settings


@pytest.fixture
async def stack(local_env, sessions, notify_settings: Settings) -> AsyncIterator[Stack]:
    """The API in-process and a worker, both on the notification settings."""
    settings = notify_settings
    app = create_app(settings, sessions=sessions, temporal=local_env.client)
    async with build_worker(local_env.client, sessions, settings.task_queue, settings):
        async with httpx.AsyncClient(transport=httpx.ASGITransport(app=app), base_url="http://crmflow.test") as http:
            yield Stack(http=http, settings=settings)


async def eventually(check: Callable[[], Any], timeout: float = 20.0, what: str = "condition") -> Any:
    """Poll `check` (sync or async) until it returns something truthy."""
    deadline = asyncio.get_running_loop().time() + timeout
    while True:
        result = check()
        if asyncio.iscoroutine(result):
            result = await result
        if result:
            return result
        assert asyncio.get_running_loop().time() < deadline, f"{what} never happened"
        await asyncio.sleep(0.1)
