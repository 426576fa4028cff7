"""GET /v1/definitions and /v1/definitions/{process}: what is loaded, its version and hash, for any role."""

from __future__ import annotations

import shutil
from collections.abc import AsyncIterator, Callable
from contextlib import asynccontextmanager
from pathlib import Path

import httpx
import pytest

from api.app import create_app
from crmflow.settings import PACKAGED_DEFINITIONS_DIR, Settings
from db.engine import SessionFactory
from definitions.loader import models, load_all
from tests.factories import Factory, Org

ROLES = ["admin", "ops", "service", "director", "l1", "l2"]


@pytest.fixture
def client_for(sessions: SessionFactory, settings: Settings) -> Callable[..., AsyncIterator[httpx.AsyncClient]]:
    """An API client (no Temporal needed) reading definitions from `directory`."""

    @asynccontextmanager
    async def _client(directory: Path = PACKAGED_DEFINITIONS_DIR) -> AsyncIterator[httpx.AsyncClient]:
        app = create_app(settings.model_copy(update={"definitions_dir": directory}), sessions=sessions)
        async with httpx.AsyncClient(transport=httpx.ASGITransport(app=app), base_url="http://crmflow.test") as c:
            yield c

    return _client


@pytest.fixture
async def org(factory: Factory) -> Org:
    return await factory.org()


@pytest.mark.parametrize("who", ROLES)
async def test_every_role_sees_the_loaded_definitions(client_for, org: Org, who: str) -> None:
    expected = {p: (d.version, d.content_hash) for p, d in load_all(PACKAGED_DEFINITIONS_DIR).items()}
    async with client_for() as client:
        response = await client.get("/v1/definitions", headers=org.headers(who))
        assert response.status_code == 200, response.text
        body = response.json()
        assert {i["process"]: (i["version"], i["content_hash"]) for i in body["items"]} == expected
        assert body["problems"] == []
        one = await client.get("/v1/definitions/complaint", headers=org.headers(who))
        assert one.status_code == 200


async def test_one_definition_shows_its_content(client_for, org: Org) -> None:
    async with client_for() as client:
        body = (await client.get("/v1/definitions/complaint", headers=org.headers("l2"))).json()
    assert body["process"] == "complaint" and body["version"] >= 1 and len(body["content_hash"]) == 16
    assert set(body["definition"]["sla"]) == {"critical", "high", "normal", "low"}
    assert body["definition"]["content_hash"] == body["content_hash"]


async def test_unknown_process_is_404_and_anonymous_is_401(client_for, org: Org) -> None:
    async with client_for() as client:
        response = await client.get("/v1/definitions/payroll", headers=org.headers("admin"))
        assert response.status_code == 404
        assert response.json()["error"]["code"] == "not_found"
        assert (await client.get("/v1/definitions")).status_code == 401
        assert (await client.get("/v1/definitions/complaint")).status_code == 401


async def test_a_broken_folder_is_reported_not_a_500(client_for, org: Org, tmp_path: Path) -> None:
    shutil.copytree(
        PACKAGED_DEFINITIONS_DIR, tmp_path, dirs_exist_ok=True, ignore=shutil.ignore_patterns("*.py", "__pycache__")
    )
    complaint = tmp_path / "complaint.yaml"
    complaint.write_text(complaint.read_text(encoding="utf-8").replace("version: 1", "version: one"), encoding="utf-8")
    async with client_for(tmp_path) as client:
        listing = (await client.get("/v1/definitions", headers=org.headers("ops"))).json()
        assert "complaint" not in {i["process"] for i in listing["items"]}
        assert len(listing["items"]) == len(models()) - 1
        (problem,) = listing["problems"]
        assert problem["file"].endswith("complaint.yaml") and problem["line"] >= 1
        assert "version" in problem["message"]
        response = await client.get("/v1/definitions/complaint", headers=org.headers("ops"))
    assert response.status_code == 503
    assert response.json()["error"]["code"] == "definition_invalid"
    assert "complaint.yaml" in response.json()["error"]["details"][0]
