"""Benchmarks of many processes at once, each beside the bare engine in the same run:

- decisions: task decisions through HTTP (closed loop at 20 clients, then open loop at about half that
  capacity, with the inbox GET alongside) against bare updates that run one activity;
- open: worker RSS with N open complaints against a bare worker with N open workflows of the same shape;
- fanout: a review cycle until every account manager has their self-assessment task, against a bare batched
  fan-out of as many child workflows with one activity each; plus the longest history of any run.

`python -m bench.processes decisions|open|fanout [--quick] [--db sqlite|postgresql] [--size N]`; `decisions --profile DIR`
"""

from __future__ import annotations

import argparse
import asyncio
import os
import signal
import time
import uuid
from datetime import UTC, datetime
from pathlib import Path

import httpx
from sqlalchemy import func, insert, select
from temporalio.client import Client, WithStartWorkflowOperation
from temporalio.common import WorkflowIDConflictPolicy

from bench import report
from bench.bare import BareApproval, BareComplaint, BareFanOut, FanOut
from bench.lifecycle import _pool, start_profiles
from bench.stack import BARE_TASK_QUEUE, DEFAULT_PG_SERVER, Stack, log, median, percentile, seed_org
from db.engine import create_engine, create_session_factory
from db.models import Staff, StaffRole, Task

DECISION_CLIENTS = 20


# ---- decisions ------------------------------------------------------------------------------------------


async def _open_approvals(stack: Stack, token: str, customer_ids: list[int], count: int) -> None:
    """`count` discount requests by the manager: each opens one approval task for their director."""
    async with httpx.AsyncClient(
        base_url=stack.api_url, headers={"Authorization": f"Bearer {token}"}, timeout=120
    ) as http:

        async def one(i: int) -> None:
            answer = await http.post(
                "/v1/approvals",
                json={
                    "flow": "discount",
                    "title": f"bench discount {i}",
                    "customer_id": customer_ids[i % len(customer_ids)],
                    "fields": {"percent": 5, "reason": "bench discount request"},
                },
            )
            if answer.status_code >= 300:
                raise RuntimeError(f"approval: {answer.status_code} {answer.text[:300]}")

        await _pool(count, 10, one)


async def _open_task_ids(http: httpx.AsyncClient) -> list[int]:
    ids: list[int] = []
    while True:
        page = (await http.get("/v1/tasks", params={"status": "open", "limit": 500, "offset": len(ids)})).json()
        ids += [t["id"] for t in page["items"]]
        if len(ids) >= page["total"] or not page["items"]:
            return ids


async def _bare_open(client: Client, count: int) -> list[str]:
    run = uuid.uuid4().hex[:6]
    ids = [f"bare-approval-{run}-{i}" for i in range(count)]

    async def one(i: int) -> None:
        await client.start_workflow(BareApproval.run, ids[i], id=ids[i], task_queue=BARE_TASK_QUEUE)

    await _pool(count, 20, one)
    return ids


async def _open_loop(rate: float, count: int, send) -> list[float]:
    """Send `count` requests at a fixed `rate` per second whatever the answers' latency; their latencies (ms)."""
    latencies: list[float] = []

    async def timed(i: int) -> None:
        started = time.perf_counter()
        await send(i)
        latencies.append((time.perf_counter() - started) * 1000)

    tasks = []
    began = time.perf_counter()
    for i in range(count):
        delay = began + i / rate - time.perf_counter()
        if delay > 0:
            await asyncio.sleep(delay)
        tasks.append(asyncio.ensure_future(timed(i)))
    await asyncio.gather(*tasks)
    return latencies


async def decisions(db: str, quick: bool, pg_server: str, size: int | None = None, profile: Path | None = None) -> dict:
    closed_n = 20 if quick else 200  # quick: a smoke run (CI), it only has to run
    reps = 1 if quick else 3
    # The bare worker's workflow cache (the SDK's default 1 000) for crmflow's too: the 750 open approvals exceed
    # crmflow's default 500, and the first decisions would then measure the replay of evicted runs.
    same_cache = {"CRMFLOW_WORKER_MAX_CACHED_WORKFLOWS": "1000"}
    async with Stack(db, pg_server=pg_server, worker_env=same_cache) as stack:
        seeded = await seed_org(stack.url, customers=50)
        director = {"Authorization": f"Bearer {seeded.director_token}"}
        # Closed loop: reps x closed_n decisions with 20 clients; then the open loop takes what is left.
        open_n = 10 if quick else 150
        total = closed_n * reps + open_n
        log(f"decisions [{db}]: opening {total} approvals")
        await _open_approvals(stack, seeded.token, seeded.customer_ids, total)
        bare_ids = await _bare_open(stack.bare_client, total)
        async with httpx.AsyncClient(
            base_url=stack.api_url, headers=director, timeout=120, limits=httpx.Limits(max_connections=40)
        ) as http:
            # Each approval's process opens its task just after answering the request: wait for all of them.
            deadline = time.monotonic() + 300
            while len(task_ids := await _open_task_ids(http)) < total:
                stack.check()
                if time.monotonic() > deadline:
                    raise RuntimeError(f"only {len(task_ids)} of {total} approval tasks opened")
                await asyncio.sleep(0.5)

            async def decide(task_id: int) -> None:
                answer = await http.post(f"/v1/tasks/{task_id}/decision", json={"decision": "approve"})
                if answer.status_code >= 300:
                    raise RuntimeError(f"decision: {answer.status_code} {answer.text[:300]}")

            async def bare_decide(workflow_id: str) -> None:
                await stack.bare_client.get_workflow_handle(workflow_id).execute_update(BareApproval.decide, "approve")

            ours, bare = [], []
            for rep in range(reps):
                mine = task_ids[rep * closed_n : (rep + 1) * closed_n]
                theirs = bare_ids[rep * closed_n : (rep + 1) * closed_n]
                for variant in ("crmflow", "bare") if rep % 2 == 0 else ("bare", "crmflow"):
                    # --profile: py-spy on the first repetition of each variant (the samplers cost CPU themselves).
                    names = ("worker", "api") if variant == "crmflow" else ("bare",)
                    spies = start_profiles(stack, profile / variant, 120, names) if profile and rep == 0 else []
                    started = time.perf_counter()
                    if variant == "crmflow":
                        await _pool(len(mine), DECISION_CLIENTS, lambda i, m=mine: decide(m[i]))
                        ours.append(len(mine) / (time.perf_counter() - started))
                    else:
                        await _pool(len(theirs), DECISION_CLIENTS, lambda i, t=theirs: bare_decide(t[i]))
                        bare.append(len(theirs) / (time.perf_counter() - started))
                    for spy in spies:
                        spy.send_signal(signal.SIGINT)  # py-spy writes what it sampled so far, then exits
                        spy.wait()
                log(f"  rep {rep + 1}: crmflow {ours[-1]:.1f}/s, bare {bare[-1]:.1f}/s")
            capacity = median(ours)
            rate = capacity / 2
            left = task_ids[reps * closed_n : reps * closed_n + open_n]
            bare_left = bare_ids[reps * closed_n : reps * closed_n + open_n]
            log(f"  open loop at {rate:.1f}/s: {len(left)} decisions, inbox GETs alongside")
            inbox: list[float] = []

            async def read_inbox(_: int) -> None:
                answer = await http.get("/v1/tasks", params={"status": "open", "limit": 50})
                assert answer.status_code == 200, answer.text

            decided, inbox = await asyncio.gather(
                _open_loop(rate, len(left), lambda i: decide(left[i])), _open_loop(rate, len(left), read_inbox)
            )
            bare_decided = await _open_loop(rate, len(bare_left), lambda i: bare_decide(bare_left[i]))

    report.header(f"decisions [{db}]  {closed_n} per repetition, {DECISION_CLIENTS} clients, median of {reps}")
    report.figure("decisions/s at 20 clients", median(ours), median(bare), "/s", note="target >= 0.85x")
    report.figure(
        f"decision p99 at {rate:.1f}/s (open)",
        percentile(decided, 0.99),
        percentile(bare_decided, 0.99),
        "ms",
        note="target <= 150 ms",
    )
    report.figure("decision p50 (open loop)", percentile(decided, 0.5), percentile(bare_decided, 0.5), "ms")
    report.figure(
        "inbox GET p99 (open loop)", percentile(inbox, 0.99), None, "ms", note=f"p50 {percentile(inbox, 0.5):.0f} ms"
    )
    result = {
        "db": db,
        "throughput": [median(ours), median(bare)],
        "offered_rate": rate,
        "decision_p99": [percentile(decided, 0.99), percentile(bare_decided, 0.99)],
        "decision_p50": [percentile(decided, 0.5), percentile(bare_decided, 0.5)],
        "inbox_p99": percentile(inbox, 0.99),
        "each": [ours, bare],
    }
    report.save("decisions", result)
    return result


# ---- open processes ---------------------------------------------------------------------------------------


async def open_processes(db: str, quick: bool, pg_server: str, size: int | None = None) -> dict:
    levels = (100, 300) if quick else ((size // 5, size) if size else (2000, 10000))
    async with Stack(db, pg_server=pg_server) as stack:
        seeded = await seed_org(stack.url, customers=100)
        await asyncio.sleep(3)
        rows = [("idle", 0, stack.services["worker"].rss(), stack.services["bare"].rss())]
        opened = 0
        headers = {"Authorization": f"Bearer {seeded.token}"}
        run = uuid.uuid4().hex[:6]
        async with httpx.AsyncClient(
            base_url=stack.api_url, headers=headers, timeout=120, limits=httpx.Limits(max_connections=20)
        ) as http:
            for level in levels:
                log(f"open [{db}]: opening complaints up to {level}")

                async def create(i: int, offset: int = opened) -> None:
                    answer = await http.post(
                        "/v1/complaints",
                        json={
                            "customer_id": seeded.customer_ids[i % len(seeded.customer_ids)],
                            "severity": "low",
                            "category": "billing",
                            "description": f"open {offset + i}",
                            "channel": "email",
                        },
                    )
                    if answer.status_code >= 300:
                        raise RuntimeError(f"create: {answer.status_code} {answer.text[:300]}")

                async def bare_create(i: int, offset: int = opened) -> None:
                    workflow_id = f"bare-open-{run}-{offset + i}"
                    start = WithStartWorkflowOperation(
                        BareComplaint.run,
                        workflow_id,
                        id=workflow_id,
                        task_queue=BARE_TASK_QUEUE,
                        id_conflict_policy=WorkflowIDConflictPolicy.USE_EXISTING,
                    )
                    await stack.bare_client.execute_update_with_start_workflow(
                        BareComplaint.intake, workflow_id, start_workflow_operation=start
                    )

                await _pool(level - opened, 20, create)
                await _pool(level - opened, 20, bare_create)
                opened = level
                await asyncio.sleep(2)
                rows.append((f"{level} open", level, stack.services["worker"].rss(), stack.services["bare"].rss()))
                log(f"  {rows[-1]}")
    report.header(
        f"open processes [{db}]  worker RSS (cache: CRMFLOW_WORKER_MAX_CACHED_WORKFLOWS, "
        f"default 500; bare: SDK default 1000)"
    )
    for name, _, ours, bare in rows:
        report.figure(
            f"worker RSS, {name}", ours, bare, "MB", note="target <= 400 MB at 10 000" if _ == levels[-1] else ""
        )
    result = {"db": db, "rss_mb": [[name, ours, bare] for name, _, ours, bare in rows]}
    report.save("open", result)
    return result


# ---- review fan-out ---------------------------------------------------------------------------------------


async def _seed_managers(url: str, count: int) -> None:
    """`count` account managers under one director (set-based), the population of a company-wide cycle."""
    engine = create_engine(url)
    sessions = create_session_factory(engine)
    try:
        async with sessions() as session, session.begin():
            director = Staff(name="Fan-out Director", email="fanout-director@bench.test", role=StaffRole.DIRECTOR)
            session.add(director)
            await session.flush()
            now = datetime.now(UTC)
            await session.execute(
                insert(Staff),
                [
                    {
                        "name": f"Manager {i}",
                        "email": f"m{i}@bench.test",
                        "role": StaffRole.ACCOUNT_MANAGER_L2.value,
                        "supervisor_id": director.id,
                        "region": "east",
                        "capacity": 50,
                        "active": True,
                        "created_at": now,
                        "updated_at": now,
                    }
                    for i in range(count)
                ],
            )
    finally:
        await engine.dispose()


async def _count_tasks(url: str) -> int:
    engine = create_engine(url)
    try:
        async with create_session_factory(engine)() as session:
            return await session.scalar(select(func.count()).select_from(Task).where(Task.process_type == "review"))
    finally:
        await engine.dispose()


async def _longest_history(client: Client, query: str, sample: int = 20) -> int:
    """The most events among up to `sample` runs of the query (each run's history is fetched)."""
    longest = 0
    async for execution in client.list_workflows(query, limit=sample):
        handle = client.get_workflow_handle(execution.id, run_id=execution.run_id)
        longest = max(longest, len((await handle.fetch_history()).events))
    return longest


async def fanout(db: str, quick: bool, pg_server: str, size: int | None = None) -> dict:
    managers = 200 if quick else (size or 10_000)
    async with Stack(db, pg_server=pg_server) as stack:
        await _seed_managers(stack.url, managers)
        admin_token = await _admin_token(stack.url)
        async with httpx.AsyncClient(
            base_url=stack.api_url, headers={"Authorization": f"Bearer {admin_token}"}, timeout=120
        ) as http:
            log(f"fanout [{db}]: review cycle for {managers} managers")
            before = stack.cpu()
            started = time.perf_counter()
            answer = await http.post("/v1/review-cycles", json={})
            assert answer.status_code == 202, answer.text
            while (done := await _count_tasks(stack.url)) < managers:
                stack.check()
                await asyncio.sleep(1)
            ours = time.perf_counter() - started
            ours_cpu = stack.cpu().minus(before)
            log(f"  crmflow: {done} tasks in {ours:.1f}s")
        client = stack.bare_client
        log(f"fanout [{db}]: bare fan-out of {managers} children")
        before = stack.cpu()
        started = time.perf_counter()
        run_id = f"bare-fanout-{uuid.uuid4().hex[:6]}"
        await client.execute_workflow(BareFanOut.run, FanOut(managers), id=run_id, task_queue=BARE_TASK_QUEUE)
        children = f"WorkflowType = 'BareSelfAssessment' AND ExecutionStatus = 'Completed' AND WorkflowId STARTS_WITH '{run_id}'"
        while (await client.count_workflows(children)).count < managers:
            stack.check()
            await asyncio.sleep(1)
        bare = time.perf_counter() - started
        bare_cpu = stack.cpu().minus(before)
        ours_longest = await _longest_history(stack.client, "WorkflowType = 'ReviewCycleWorkflow'")
        bare_longest = await _longest_history(client, "WorkflowType = 'BareFanOut'")
    report.header(f"review fan-out [{db}]  {managers} account managers")
    report.figure("managers with their task /s", managers / ours, managers / bare, "/s", note="target >= 0.8x")
    report.figure("time until all have it", ours, bare, "s")
    report.figure("CPU s (all processes)", sum(ours_cpu.values()), sum(bare_cpu.values()), "s")
    report.figure("longest cycle history", ours_longest, bare_longest, "events", note="target <= 10 000")
    result = {
        "db": db,
        "managers": managers,
        "seconds": [ours, bare],
        "cpu_s": [ours_cpu, bare_cpu],
        "longest_history": [ours_longest, bare_longest],
    }
    report.save("fanout", result)
    return result


async def _admin_token(url: str) -> str:
    from db.repositories.staff import create_principal

    engine = create_engine(url)
    try:
        async with create_session_factory(engine)() as session, session.begin():
            _, token = await create_principal(session, name="bench admin", role="admin")
            return token
    finally:
        await engine.dispose()


BENCHMARKS = {"decisions": decisions, "open": open_processes, "fanout": fanout}


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("benchmark", choices=sorted(BENCHMARKS))
    parser.add_argument("--db", choices=("sqlite", "postgresql"), default="sqlite")
    parser.add_argument("--quick", action="store_true")
    parser.add_argument("--size", type=int, help="open: the largest level; fanout: managers (default 10 000)")
    parser.add_argument("--pg-server", default=os.environ.get("CRMFLOW_BENCH_SERVER", DEFAULT_PG_SERVER))
    parser.add_argument(
        "--profile", type=Path, help="decisions: py-spy profiles of the first repetition, in this folder"
    )
    args = parser.parse_args(argv)
    if args.profile is not None:
        if args.benchmark != "decisions":
            parser.error("--profile is for decisions (bench.lifecycle has its own)")
        asyncio.run(decisions(args.db, args.quick, args.pg_server, args.size, args.profile))
        return
    asyncio.run(BENCHMARKS[args.benchmark](args.db, args.quick, args.pg_server, args.size))


if __name__ == "__main__":
    main()
