"""`crmflow dev` as a person runs it: a real OS process with its own Temporal dev server, worker, API and SMTP sink.

The demo it seeds is checked over real HTTP with the demo tokens; a restart keeps data and tokens.
"""

from __future__ import annotations

import asyncio
import os
import signal
import smtplib
import socket
import subprocess
import sys
import time
from pathlib import Path

import httpx
import pytest
from sqlalchemy import func, select

from crmflow.demo import COMPLAINTS, review_periods
from crmflow.devstack import DevStackError, preflight
from crmflow.mailbox import list_messages
from crmflow.seed import CUSTOMERS, TOKEN_FILE, read_token_file
from crmflow.settings import Settings
from db.models import Complaint, Customer, FollowUp, Principal, ReclaimWarning, Review, ReviewCycle, Task, Transaction
from db.repositories.staff import ACCESS_CACHE_SECONDS
from crmflow.ports import free_port

# The last line `crmflow dev` prints once it is up (after the addresses, tokens and sign-in help).
UP = "Ctrl-C stops everything."


@pytest.fixture
def dev_env(settings, sessions, tmp_path) -> dict[str, str]:
    """Environment for `crmflow dev` on the (emptied) test database, free ports and a var dir under tmp_path."""
    return {
        **os.environ,
        "CRMFLOW_DATABASE_URL": settings.database_url,
        "CRMFLOW_VAR_DIR": str(tmp_path / "var"),
        "CRMFLOW_TASK_QUEUE": settings.task_queue,
        "CRMFLOW_API_PORT": str(free_port()),
        "CRMFLOW_TEMPORAL_ADDRESS": f"127.0.0.1:{free_port()}",
        "CRMFLOW_TEMPORAL_UI_PORT": str(free_port()),
        "CRMFLOW_WORKER_METRICS_ADDRESS": f"127.0.0.1:{free_port()}",
        "CRMFLOW_DEV_SMTP_PORT": str(free_port()),
        "CRMFLOW_LOG_LEVEL": "WARNING",
        "COLUMNS": "120",
    }


def _crmflow(env: dict[str, str], *args: str, timeout: float = 60) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "crmflow", *args],
        env=env,
        capture_output=True,
        text=True,
        timeout=timeout,
        cwd=Path(env["CRMFLOW_VAR_DIR"]).parent,
    )


class DevStack:
    """A running `crmflow dev`, its output in a file."""

    def __init__(self, env: dict[str, str], log: Path) -> None:
        self.env, self.log = env, log
        with log.open("w") as out:
            self.process = subprocess.Popen(
                [sys.executable, "-m", "crmflow", "dev"],
                env=env,
                stdout=out,
                stderr=subprocess.STDOUT,
                cwd=log.parent,
                start_new_session=True,
            )

    async def wait_up(self, timeout: float = 240) -> str:
        deadline = time.monotonic() + timeout
        while UP not in self.log.read_text():
            assert self.process.poll() is None, f"crmflow dev exited:\n{self.log.read_text()}"
            assert time.monotonic() < deadline, f"crmflow dev did not come up:\n{self.log.read_text()}"
            await asyncio.sleep(0.5)
        return self.log.read_text()

    def stop(self) -> int:
        if self.process.poll() is None:
            self.process.send_signal(signal.SIGINT)
            try:
                return self.process.wait(timeout=60)
            except subprocess.TimeoutExpired:
                os.killpg(self.process.pid, signal.SIGKILL)
                self.process.wait()
        return self.process.returncode


@pytest.fixture
def dev_stack(dev_env, tmp_path):
    """Start `crmflow dev` (as many times as the test asks); every one still running is stopped at teardown."""
    stacks: list[DevStack] = []

    def start() -> DevStack:
        stack = DevStack(dev_env, tmp_path / f"dev-{len(stacks)}.log")
        stacks.append(stack)
        return stack

    yield start
    for stack in stacks:
        stack.stop()


async def _until(check, what: str, timeout: float = 90):
    deadline = time.monotonic() + timeout
    while True:
        result = await check()
        if result:
            return result
        assert time.monotonic() < deadline, f"gave up waiting for {what}"
        await asyncio.sleep(0.5)


async def _counts(sessions) -> dict[str, int]:
    async with sessions() as session:
        return {
            model.__name__: await session.scalar(select(func.count()).select_from(model))
            for model in (Customer, Transaction, FollowUp, Principal, Complaint, Review, ReviewCycle)
        }


async def _task_keys(sessions) -> list[tuple[str, str]]:
    """Every task as (process, task key)."""
    async with sessions() as session:
        return [(row.workflow_id, row.task_key) for row in (await session.execute(select(Task))).scalars()]


def test_a_taken_port_is_named_in_one_line_before_anything_starts(dev_env) -> None:
    port = int(dev_env["CRMFLOW_API_PORT"])
    with socket.socket() as squatter:
        squatter.bind(("127.0.0.1", port))
        squatter.listen()
        result = _crmflow(dev_env, "dev")
    assert result.returncode == 1
    lines = result.stderr.strip().splitlines()
    assert len(lines) == 1 and f"port {port} " in lines[0] and "CRMFLOW_API_PORT" in lines[0], result.stderr
    assert not Path(dev_env["CRMFLOW_VAR_DIR"]).exists()  # nothing was touched: no DB, no Temporal server


@pytest.mark.parametrize(
    "which",
    ["CRMFLOW_DEV_SMTP_PORT", "CRMFLOW_WORKER_METRICS_ADDRESS", "CRMFLOW_TEMPORAL_ADDRESS", "CRMFLOW_TEMPORAL_UI_PORT"],
)
def test_the_preflight_names_whichever_port_is_taken(dev_env, which) -> None:
    settings = Settings(
        **{key.removeprefix("CRMFLOW_").lower(): value for key, value in dev_env.items() if key.startswith("CRMFLOW_")}
    )
    assert "definitions from" in preflight(settings)  # all free
    port = int(dev_env[which].rpartition(":")[2])
    with socket.socket() as squatter:
        squatter.bind(("127.0.0.1", port))
        squatter.listen()
        with pytest.raises(DevStackError, match=f"port {port} .*{which}"):
            preflight(settings)


@pytest.mark.timeout(600)
async def test_dev_seeds_a_living_demo_and_keeps_it_and_its_tokens_between_starts(
    dev_env, dev_stack, sessions, settings
) -> None:
    var = Path(dev_env["CRMFLOW_VAR_DIR"])
    api_url = f"http://127.0.0.1:{dev_env['CRMFLOW_API_PORT']}"
    first = dev_stack()
    output = await first.wait_up()
    assert f"definitions from {Path(settings.definitions_dir).resolve()}" in output
    tokens = read_token_file(var / TOKEN_FILE)
    assert {"admin", "ops", "service", "director", "manager_l1", "manager_l2"} <= set(tokens)
    assert all(token in output for token in tokens.values())

    async with httpx.AsyncClient(base_url=api_url, timeout=30) as http:

        def as_(label: str) -> dict[str, str]:
            return {"Authorization": f"Bearer {tokens[label]}"}

        # Complaints in every stage, each a running (or, closed, completed) process in Temporal.
        complaints = (await http.get("/v1/complaints", params={"limit": 100}, headers=as_("ops"))).json()["items"]
        assert len(complaints) == len(COMPLAINTS)
        assert {c["status"] for c in complaints} == {
            "open",
            "in_progress",
            "waiting_on_customer",
            "pending_approval",
            "resolved",
            "closed",
        }
        for complaint in complaints:
            process = (await http.get(f"/v1/processes/{complaint['process_id']}", headers=as_("ops"))).json()
            assert process["stage"] == complaint["status"], process
            assert process["status"] == ("completed" if complaint["status"] == "closed" else "running"), process
        closed = [c for c in complaints if c["status"] == "closed"]
        assert sorted(c["satisfaction"] for c in closed) == [4, 5]

        async def escalated():
            rows = (await http.get("/v1/complaints", params={"severity": "critical"}, headers=as_("ops"))).json()
            return [c for c in rows["items"] if c["escalation_level"] == 1 and c["status"] == "open"]

        # The critical complaint's 15 s response window (definitions/demo/) runs out: the workflow escalates it.
        [critical] = await _until(escalated, "the critical complaint to escalate")
        customer = (await http.get(f"/v1/customers/{critical['customer_id']}", headers=as_("ops"))).json()
        assert critical["owner_id"] != customer["owner_id"]  # handed up the chain to the owner's supervisor
        escalation = (await http.get(f"/v1/processes/{critical['process_id']}", headers=as_("ops"))).json()
        assert escalation["status"] == "running" and escalation["stage"] == "open"

        # Compensation approvals wait in the director's and the L1 manager's inboxes.
        for label, amount in (("director", "8000"), ("manager_l1", "1500")):
            inbox = (await http.get("/v1/tasks", params={"status": "open"}, headers=as_(label))).json()["items"]
            assert any(t["process_type"] == "complaint" and t["context"]["amount"] == amount for t in inbox), inbox

        # Two customers in onboarding: the key account waits for the director, the other's owner has a kickoff.
        pending = (await http.get("/v1/customers", params={"status": "pending"}, headers=as_("ops"))).json()["items"]
        active = (await http.get("/v1/customers", params={"limit": 200}, headers=as_("ops"))).json()["items"]
        onboarded = {c["external_ref"]: c for c in pending + active if c["process_id"]}
        assert set(onboarded) == {"DEMO-ONB-1", "DEMO-ONB-2"}
        for customer in onboarded.values():
            process = (await http.get(f"/v1/processes/{customer['process_id']}", headers=as_("ops"))).json()
            assert process["status"] == "running", process

        async def onboarding_tasks():
            tasks = (
                await http.get("/v1/tasks", params={"status": "open", "process_type": "onboarding"}, headers=as_("ops"))
            ).json()["items"]
            return tasks if len(tasks) == 2 else None

        tasks = await _until(onboarding_tasks, "the onboarding tasks")
        assert {t["kind"] for t in tasks} == {"approval", "form"}

        # A finished review cycle (every review approved with a rating) and one in progress.
        finished, running = review_periods(settings)

        async def cycles():
            rows = (await http.get("/v1/review-cycles", headers=as_("ops"))).json()["items"]
            by_period = {c["period"]: c["status"] for c in rows}
            return by_period if by_period.get(finished) == "completed" else None

        assert await _until(cycles, "the finished cycle to complete") == {finished: "completed", running: "running"}
        done = (await http.get("/v1/reviews", params={"period": finished}, headers=as_("ops"))).json()["items"]
        assert done and all(r["status"] == "approved" and r["rating"] and r["comment"] for r in done)

        # One review added an improvement plan (tracked by its own workflow until the items are due).
        async def planned_reviews():  # the plan's own workflow writes its items a moment after the approval
            rows = (await http.get("/v1/reviews", params={"period": finished}, headers=as_("ops"))).json()["items"]
            return [r for r in rows if r["plan"]] or None

        [planned] = await _until(planned_reviews, "the improvement plan's items")
        assert [i["metric"] for i in planned["plan"]] == ["followup_coverage", "revenue"]
        open_reviews = (await http.get("/v1/reviews", params={"period": running}, headers=as_("ops"))).json()["items"]
        assert {r["stage"] for r in open_reviews} == {"self_assessment", "supervisor_approval"}
        # The finished cycle's close computed every manager's itemised award; the L2 manager appealed theirs.
        awards = (await http.get("/v1/incentive-awards", params={"period": finished}, headers=as_("manager_l2"))).json()
        [award] = awards["items"]
        assert award["appeal_status"] == "pending" and award["rule_version"].startswith("1:")
        detail = (await http.get(f"/v1/incentive-awards/{award['id']}", headers=as_("manager_l2"))).json()
        assert [line["kind"] for line in detail["lines"]][:3] == ["metric", "metric", "metric"]

        # The reclaim run put the quiet customers into the pool and warned the owners of those close to it.
        pool = (await http.get("/v1/pool", headers=as_("manager_l2"))).json()
        lapsed = {c.name for c in CUSTOMERS if c.history == "lapsed"}
        assert {c["name"] for c in pool["items"]} == lapsed and all(c["previous_owner_id"] for c in pool["items"])
        async with sessions() as session:
            warned = set(
                await session.scalars(
                    select(Customer.external_ref).join(ReclaimWarning, ReclaimWarning.customer_id == Customer.id)
                )
            )
        assert warned == {c.ref for c in CUSTOMERS if c.history == "warned"}

        # The worker's SDK metrics are served; the SMTP sink stores what it is sent.
        metrics = await http.get(f"http://{dev_env['CRMFLOW_WORKER_METRICS_ADDRESS']}/metrics")
        assert metrics.status_code == 200 and "temporal_" in metrics.text
    with smtplib.SMTP("127.0.0.1", int(dev_env["CRMFLOW_DEV_SMTP_PORT"]), timeout=10) as smtp:
        smtp.sendmail("crmflow@crmflow-demo.cn", ["li.wei@crmflow-demo.cn"], b"Subject: hello\r\n\r\nfrom the test\r\n")
    subjects = [m.subject for m in list_messages(var / "mailbox")]
    assert subjects[0] == "hello"  # newest first
    # crmflow dev mails its own sink: the demo's notifications (escalation, approvals, assignments) are there too.
    assert len(subjects) > 1

    # Seeding again (by hand, and by a second start) keeps every record and every token.
    counts, tasks = await _counts(sessions), await _task_keys(sessions)
    assert _crmflow(dev_env, "seed", "demo").returncode == 0
    assert read_token_file(var / TOKEN_FILE) == tokens
    assert first.stop() == 0
    second = dev_stack()
    await second.wait_up()
    assert read_token_file(var / TOKEN_FILE) == tokens
    assert await _counts(sessions) == counts
    # Every task is still there; running processes may have opened more meanwhile (a timer fired), and the
    # counts above show that seeding again started no process twice.
    assert set(tasks) <= set(await _task_keys(sessions))
    # A fresh connection per request: the reseed below outlasts the server's keep-alive, and a kept connection the
    # server closes just as it is reused fails with "Server disconnected".
    fresh_connections = httpx.Limits(max_keepalive_connections=0)
    async with httpx.AsyncClient(base_url=api_url, timeout=30, limits=fresh_connections) as http:
        assert (
            await http.get("/v1/complaints", headers={"Authorization": f"Bearer {tokens['ops']}"})
        ).status_code == 200

        # --reset-tokens rotates them on purpose: the new ones work, and the old ones stop working once the
        # API's cached actors lapse (the seed is another process: ACCESS_CACHE_SECONDS).
        rotated = _crmflow(dev_env, "seed", "demo", "--reset-tokens")
        assert rotated.returncode == 0, rotated.stderr
        new = read_token_file(var / TOKEN_FILE)
        assert set(new) == set(tokens) and all(new[k] != tokens[k] for k in tokens)
        await asyncio.sleep(ACCESS_CACHE_SECONDS)
        for label in ("ops", "director", "manager_l2"):
            old = await http.get("/v1/complaints", headers={"Authorization": f"Bearer {tokens[label]}"})
            assert old.status_code == 401
            fresh = await http.get("/v1/complaints", headers={"Authorization": f"Bearer {new[label]}"})
            assert fresh.status_code == 200
    assert second.stop() == 0
