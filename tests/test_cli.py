"""The CLI (Typer CliRunner): definitions check, users create/revoke, staff import."""

from __future__ import annotations

import asyncio
import json
from collections.abc import Awaitable, Callable
from pathlib import Path

import pytest
from click.testing import Result
from sqlalchemy import select
from typer.testing import CliRunner

from crmflow.cli import app
from crmflow.settings import PACKAGED_DEFINITIONS_DIR, get_settings
from db.engine import SessionFactory
from db.models import AuditEvent, Principal, Staff, StaffRole
from db.repositories.staff import hash_token, principal_by_token
from tests.factories import Factory

Cli = Callable[..., Awaitable[Result]]
HEADER = "name,email,role,supervisor_email,region,capacity\n"


@pytest.fixture
def cli(database_url: str, sessions: SessionFactory) -> Cli:
    """Run `crmflow ARGS…` against the (emptied) test database, in a thread (the CLI runs its own loop)."""

    async def run(*args: str) -> Result:
        get_settings.cache_clear()
        env = {"CRMFLOW_DATABASE_URL": database_url, "CRMFLOW_LOG_JSON": "false"}
        try:
            return await asyncio.to_thread(CliRunner().invoke, app, list(args), env=env)
        finally:
            get_settings.cache_clear()

    return run


# --- definitions check ---------------------------------------------------------------------


async def test_definitions_check_lists_the_packaged_definitions(cli: Cli) -> None:
    result = await cli("definitions", "check", str(PACKAGED_DEFINITIONS_DIR))
    assert result.exit_code == 0, result.output
    for process in ("complaint", "onboarding", "review"):
        assert process in result.stdout


async def test_definitions_check_names_file_line_and_problem(cli: Cli, tmp_path: Path) -> None:
    for path in PACKAGED_DEFINITIONS_DIR.glob("*.yaml"):
        (tmp_path / path.name).write_text(path.read_text(encoding="utf-8"), encoding="utf-8")
    broken = tmp_path / "complaint.yaml"
    lines = broken.read_text(encoding="utf-8").splitlines()
    number = next(i for i, line in enumerate(lines, 1) if line.startswith("confirmation_window:"))
    lines[number - 1] = "confirmation_window: next week"
    broken.write_text("\n".join(lines) + "\n", encoding="utf-8")

    result = await cli("definitions", "check", str(tmp_path))
    assert result.exit_code == 1
    assert f"{broken}:{number}: confirmation_window: 'next week' is not a duration" in result.stdout


async def test_version(cli: Cli) -> None:
    result = await cli("--version")
    assert result.exit_code == 0 and result.stdout.startswith("crmflow ")


# --- users ---------------------------------------------------------------------------------


async def test_users_create_prints_the_token_once_and_stores_only_its_hash(
    cli: Cli, factory: Factory, sessions: SessionFactory
) -> None:
    staff = await factory.staff(StaffRole.ACCOUNT_MANAGER_L1)
    result = await cli("users", "create", "--name", "Li Lei", "--role", "manager", "--staff-id", str(staff.id))
    assert result.exit_code == 0, result.output
    token = result.stdout.split("token (shown once):", 1)[1].split()[0]
    assert len(token) >= 43 and result.stdout.count(token) == 1
    async with sessions() as session:
        principal = await principal_by_token(session, token)
        assert principal is not None and (principal.role, principal.staff_id) == ("manager", staff.id)
        assert principal.token_hash == hash_token(token) and token not in principal.token_hash


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["--role", "king"], "unknown role"),
        (["--role", "manager"], "needs --staff-id"),
        (["--role", "director", "--staff-id", "999999"], "does not exist"),
    ],
)
async def test_users_create_refuses_bad_input(cli: Cli, args: list[str], message: str) -> None:
    result = await cli("users", "create", "--name", "X", *args)
    assert result.exit_code == 1
    assert message in result.output


async def test_users_revoke_refuses_the_token_from_then_on(
    cli: Cli, factory: Factory, sessions: SessionFactory
) -> None:
    token = await factory.token("ops")
    async with sessions() as session:
        principal = await principal_by_token(session, token)
    assert principal is not None
    listed = await cli("users", "list")
    assert listed.exit_code == 0 and principal.name in listed.stdout and token not in listed.stdout
    result = await cli("users", "revoke", str(principal.id))
    assert result.exit_code == 0, result.output
    assert principal.name not in (await cli("users", "list")).stdout
    assert principal.name in (await cli("users", "list", "--all")).stdout
    revoked = [u for u in json.loads((await cli("users", "list", "--all", "--json")).stdout) if u["id"] == principal.id]
    assert revoked and revoked[0]["revoked_at"] is not None and "token" not in revoked[0]
    async with sessions() as session:
        assert await principal_by_token(session, token) is None
        row = await session.get(Principal, principal.id)
        assert row is not None and row.revoked_at is not None
        assert await session.scalar(select(AuditEvent).where(AuditEvent.action == "principal.revoked"))
    again = await cli("users", "revoke", str(principal.id))
    assert again.exit_code == 1 and "already revoked" in again.output
    missing = await cli("users", "revoke", "999999")
    assert missing.exit_code == 1 and "does not exist" in missing.output


# --- staff import ----------------------------------------------------------------------------


async def staff_by_email(sessions: SessionFactory) -> dict[str, Staff]:
    async with sessions() as session:
        return {s.email: s for s in (await session.scalars(select(Staff))).all()}


async def test_staff_import_creates_then_upserts_by_email(cli: Cli, tmp_path: Path, sessions: SessionFactory) -> None:
    csv_file = tmp_path / "staff.csv"
    # The L2 comes before their supervisor: links are made after everyone exists.
    csv_file.write_text(
        "\ufeff"
        + HEADER
        + "王芳,wang.fang@example.test,account_manager_l2,li.na@example.test,east,40\n"
        + "李娜,Li.Na@example.test,account_manager_l1,zhang.wei@example.test,east,\n"
        + "\n"
        + "张伟,zhang.wei@example.test,director,,east,10\n",
        encoding="utf-8",
    )
    result = await cli("staff", "import", str(csv_file))
    assert result.exit_code == 0, result.output
    assert "3 created, 0 updated, 0 unchanged" in result.stdout
    staff = await staff_by_email(sessions)
    assert staff["wang.fang@example.test"].supervisor_id == staff["li.na@example.test"].id
    assert staff["li.na@example.test"].supervisor_id == staff["zhang.wei@example.test"].id
    assert staff["li.na@example.test"].capacity == 50  # empty capacity: the default
    assert staff["wang.fang@example.test"].name == "王芳"

    csv_file.write_text(
        HEADER
        + "王芳,wang.fang@example.test,account_manager_l1,zhang.wei@example.test,west,45\n"
        + "张伟,zhang.wei@example.test,director,,east,10\n",
        encoding="utf-8",
    )
    result = await cli("staff", "import", str(csv_file))
    assert result.exit_code == 0, result.output
    assert "0 created, 1 updated, 1 unchanged" in result.stdout
    moved = (await staff_by_email(sessions))["wang.fang@example.test"]
    assert (moved.role, moved.region, moved.capacity) == ("account_manager_l1", "west", 45)
    assert moved.supervisor_id == staff["zhang.wei@example.test"].id
    async with sessions() as session:
        actions = (await session.scalars(select(AuditEvent.action).where(AuditEvent.actor == "cli:staff-import"))).all()
    assert actions.count("staff.created") == 3 and "staff.updated" in actions


async def test_staff_import_reports_every_bad_row_and_writes_nothing(
    cli: Cli, tmp_path: Path, sessions: SessionFactory
) -> None:
    csv_file = tmp_path / "bad.csv"
    csv_file.write_text(
        HEADER
        + "Ok Person,ok@example.test,account_manager_l2,,east,5\n"  # line 2: fine
        + "Bad Role,badrole@example.test,boss,,east,5\n"  # line 3
        + "Bad Capacity,cap@example.test,director,,east,-3\n"  # line 4
        + ",noname@example.test,director,,east,1\n"  # line 5
        + "Twice,OK@example.test,director,,east,1\n"  # line 6
        + "Orphan,orphan@example.test,account_manager_l2,nobody@example.test,east,1\n",  # line 7
        encoding="utf-8",
    )
    result = await cli("staff", "import", str(csv_file))
    assert result.exit_code == 1
    out = result.stdout
    assert f"{csv_file}:3: role 'boss' is not one of account_manager_l1, account_manager_l2, director" in out
    assert f"{csv_file}:4: capacity '-3' must be a whole number >= 0" in out
    assert f"{csv_file}:5: name is empty" in out
    assert f"{csv_file}:6: email ok@example.test appears twice (first at line 2)" in out
    assert await staff_by_email(sessions) == {}

    # Only the unknown supervisor left: found in the database pass, still nothing written.
    csv_file.write_text(
        HEADER + "Orphan,orphan@example.test,account_manager_l2,nobody@example.test,east,1\n", encoding="utf-8"
    )
    result = await cli("staff", "import", str(csv_file))
    assert result.exit_code == 1
    assert (
        f"{csv_file}:2: supervisor nobody@example.test is neither in the file nor a known staff member" in result.stdout
    )
    assert await staff_by_email(sessions) == {}


async def test_staff_import_refuses_cycles_and_bad_headers(
    cli: Cli, tmp_path: Path, factory: Factory, sessions: SessionFactory
) -> None:
    boss = await factory.staff(StaffRole.DIRECTOR, email="boss@example.test")
    await factory.staff(StaffRole.ACCOUNT_MANAGER_L1, email="mid@example.test", supervisor_id=boss.id)
    csv_file = tmp_path / "cycle.csv"
    csv_file.write_text(HEADER + "Boss,boss@example.test,director,mid@example.test,east,5\n", encoding="utf-8")
    result = await cli("staff", "import", str(csv_file))
    assert result.exit_code == 1
    assert f"{csv_file}:2: supervisor mid@example.test:" in result.stdout and "cycle" in result.stdout
    assert (await staff_by_email(sessions))["boss@example.test"].supervisor_id is None

    csv_file.write_text("name,mail,role\nA,a@example.test,director\n", encoding="utf-8")
    result = await cli("staff", "import", str(csv_file))
    assert result.exit_code == 1
    assert (
        f"{csv_file}:1: missing column(s): email, supervisor_email, region, capacity; unknown column(s): mail"
        in result.stdout
    )

    dry = tmp_path / "dry.csv"
    dry.write_text(HEADER + "New,new@example.test,director,,east,5\n", encoding="utf-8")
    result = await cli("staff", "import", "--dry-run", str(dry))
    assert result.exit_code == 0 and "1 row(s) look fine" in result.stdout
    assert "new@example.test" not in await staff_by_email(sessions)
