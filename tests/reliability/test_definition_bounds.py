"""Definitions cannot take the service down (issue 13 point 4): alias bombs and oversized files are refused."""

from __future__ import annotations

import asyncio
import shutil
import subprocess
import sys
import time
from pathlib import Path

import httpx

from api.app import create_app
from crmflow.settings import PACKAGED_DEFINITIONS_DIR


def _bomb(levels: int = 10) -> str:
    lines = ['l0: &l0 ["lol", "lol", "lol", "lol", "lol", "lol", "lol", "lol", "lol", "lol"]']
    for n in range(1, levels):
        lines.append(f"l{n}: &l{n} [{', '.join([f'*l{n - 1}'] * 10)}]")
    return "\n".join(lines) + "\n"


def _folder(tmp_path: Path, complaint_text: str) -> Path:
    folder = tmp_path / "defs"
    shutil.copytree(PACKAGED_DEFINITIONS_DIR, folder, ignore=shutil.ignore_patterns("*.py", "__pycache__"))
    (folder / "complaint.yaml").write_text(complaint_text, encoding="utf-8")
    return folder


def test_definitions_check_refuses_an_alias_bomb_and_an_oversized_file_quickly(tmp_path: Path) -> None:
    folder = _folder(tmp_path, _bomb())
    started = time.monotonic()
    result = subprocess.run(
        [sys.executable, "-m", "crmflow", "definitions", "check", str(folder)],
        capture_output=True,
        text=True,
        timeout=120,
    )
    # Unbounded, the bomb never finished; bounded it is refused as fast as the CLI starts (slow on a busy CI box).
    assert time.monotonic() - started < 90
    assert result.returncode == 1
    assert "complaint.yaml" in result.stdout and "aliases expand beyond" in result.stdout

    (folder / "complaint.yaml").write_text("x: " + "a" * 600_000 + "\n", encoding="utf-8")
    result = subprocess.run(
        [sys.executable, "-m", "crmflow", "definitions", "check", str(folder)],
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert result.returncode == 1 and "bytes; refused" in result.stdout


async def test_api_on_a_bombed_folder_answers_503_and_stays_healthy(
    tmp_path: Path, settings, sessions, factory, local_env
) -> None:
    folder = _folder(tmp_path, _bomb())
    app = create_app(
        settings.model_copy(update={"definitions_dir": folder}), sessions=sessions, temporal=local_env.client
    )
    org = await factory.org()
    customer = await factory.customer(owner=org.l2)
    body = {
        "customer_id": customer.id,
        "severity": "high",
        "category": "billing",
        "description": "x",
        "channel": "email",
    }
    async with httpx.AsyncClient(transport=httpx.ASGITransport(app=app), base_url="http://crmflow.test") as client:
        started = time.monotonic()
        complaint, health, listing = await asyncio.wait_for(
            asyncio.gather(
                client.post("/v1/complaints", json=body, headers=org.headers("service")),
                client.get("/healthz"),
                client.get("/v1/definitions", headers=org.headers("ops")),
            ),
            timeout=30,
        )
        assert time.monotonic() - started < 10
    assert complaint.status_code == 503, complaint.text
    assert complaint.json()["error"]["code"] == "definition_invalid"
    assert health.status_code == 200
    assert any("aliases expand beyond" in p["message"] for p in listing.json()["problems"])
