"""A definition changed while processes run leaves them on the version (snapshot) they started with."""

from __future__ import annotations

import shutil
from collections.abc import AsyncIterator
from datetime import datetime, timedelta
from pathlib import Path

import httpx
import pytest
import yaml
from temporalio.testing import WorkflowEnvironment

from api.app import create_app
from crmflow.settings import PACKAGED_DEFINITIONS_DIR, Settings
from db.engine import SessionFactory
from definitions.complaint import ComplaintStatus
from tests.factories import Factory
from worker import build_worker

BODY = {"severity": "high", "category": "billing", "description": "charged twice", "channel": "email"}


@pytest.fixture
def definitions_dir(tmp_path: Path) -> Path:
    """A private copy of the packaged definitions the test may edit (as an operator would)."""
    directory = tmp_path / "definitions"
    directory.mkdir()
    for path in PACKAGED_DEFINITIONS_DIR.glob("*.yaml"):
        shutil.copy(path, directory / path.name)
    shutil.copytree(PACKAGED_DEFINITIONS_DIR / "flows", directory / "flows")  # the processes' approval flows
    return directory


@pytest.fixture
async def api_on_dir(
    local_env: WorkflowEnvironment, sessions: SessionFactory, settings: Settings, definitions_dir: Path
) -> AsyncIterator[httpx.AsyncClient]:
    """The API and a real worker, with CRMFLOW_DEFINITIONS_DIR pointing at the editable copy."""
    app = create_app(
        settings.model_copy(update={"definitions_dir": definitions_dir}), sessions=sessions, temporal=local_env.client
    )
    async with build_worker(local_env.client, sessions, settings.task_queue):
        async with httpx.AsyncClient(transport=httpx.ASGITransport(app=app), base_url="http://crmflow.test") as c:
            yield c


def edit_complaint(directory: Path, *, version: int, high_respond: str) -> None:
    path = directory / "complaint.yaml"
    data = yaml.safe_load(path.read_text(encoding="utf-8"))
    data["version"] = version
    data["sla"]["high"] = {"respond": high_respond, "resolve": "1d"}
    data.get("tier_overrides", {}).pop(2, None)  # the test customer is tier 2: no override may apply
    path.write_text(yaml.safe_dump(data, sort_keys=False), encoding="utf-8")


def hours_between(start: str, end: str) -> float:
    return (datetime.fromisoformat(end) - datetime.fromisoformat(start)) / timedelta(hours=1)


async def test_a_changed_definition_leaves_running_processes_on_their_version(
    api_on_dir: httpx.AsyncClient, definitions_dir: Path, factory: Factory, local_env: WorkflowEnvironment
) -> None:
    org = await factory.org()
    customer = await factory.customer(owner=org.l2, tier=2)
    service, ops = org.headers("service"), org.headers("ops")

    edit_complaint(definitions_dir, version=7, high_respond="4h")
    first = await api_on_dir.post("/v1/complaints", json={**BODY, "customer_id": customer.id}, headers=service)
    assert first.status_code == 201, first.text
    first_body = first.json()
    assert first_body["definition_version"] == "7"
    assert hours_between(first_body["created_at"], first_body["respond_by"]) == pytest.approx(4, abs=0.02)

    # An operator tightens the SLA while the first complaint is running.
    edit_complaint(definitions_dir, version=8, high_respond="1h")
    loaded = (await api_on_dir.get("/v1/definitions/complaint", headers=ops)).json()
    assert loaded["version"] == 8

    second = await api_on_dir.post("/v1/complaints", json={**BODY, "customer_id": customer.id}, headers=service)
    assert second.status_code == 201, second.text
    assert second.json()["definition_version"] == "8"
    assert hours_between(second.json()["created_at"], second.json()["respond_by"]) == pytest.approx(1, abs=0.02)

    # The running process still holds its snapshot: version 7, the 4 h deadline, and keeps working on it.
    handle = local_env.client.get_workflow_handle(first_body["process_id"])
    status = await handle.query("status", result_type=ComplaintStatus)
    assert status.definition_version == 7
    assert status.respond_by == datetime.fromisoformat(first_body["respond_by"])
    acked = await api_on_dir.post(f"/v1/complaints/{first_body['id']}/acknowledge", json={}, headers=org.headers("l2"))
    assert acked.status_code == 200, acked.text
    assert acked.json()["definition_version"] == "7"
    assert acked.json()["respond_by"] == first_body["respond_by"]
    assert (await handle.query("status", result_type=ComplaintStatus)).definition_version == 7
