"""Benchmark: the complaint lifecycle through HTTP (create → acknowledge → resolve → accept) against a bare
Temporal workflow of the same shape (4 updates + 4 activities), interleaved in one run on one dev server.

`python -m bench.lifecycle --db sqlite|postgresql [-n 200] [-c 20] [--reps 3] [--quick]`
"""

from __future__ import annotations

import argparse
import asyncio
import os
import subprocess
import sys
import time
import uuid
from dataclasses import dataclass, field
from pathlib import Path

import httpx
from temporalio.client import Client, WithStartWorkflowOperation
from temporalio.common import WorkflowIDConflictPolicy

from bench import report
from bench.bare import BareComplaint
from bench.stack import BARE_TASK_QUEUE, DEFAULT_PG_SERVER, Seeded, Stack, log, median, percentile, seed_org

CALLS = ("create", "acknowledge", "resolve", "accept")


@dataclass
class Phase:
    """One repetition of one variant: wall time, per-call latencies, CPU by process, a sample workflow id."""

    lifecycles: int
    wall: float
    latencies: dict[str, list[float]] = field(default_factory=lambda: {c: [] for c in CALLS})
    cpu: dict[str, float] = field(default_factory=dict)
    sample_workflow: str = ""

    @property
    def rate(self) -> float:
        return self.lifecycles / self.wall

    def cpu_ms(self) -> dict[str, float]:
        return {name: seconds * 1000 / self.lifecycles for name, seconds in self.cpu.items() if seconds > 0.0005}


async def _pool(count: int, concurrency: int, one) -> None:
    """Run `one(i)` for i in range(count) with at most `concurrency` at a time."""
    queue = iter(range(count))

    async def runner() -> None:
        for i in queue:
            await one(i)

    await asyncio.gather(*(runner() for _ in range(concurrency)))


async def crmflow_phase(stack: Stack, seeded: Seeded, count: int, concurrency: int) -> Phase:
    """`count` complaint lifecycles through the API, `concurrency` clients at a time."""
    phase = Phase(count, 0.0)
    headers = {"Authorization": f"Bearer {seeded.token}"}
    limits = httpx.Limits(max_connections=concurrency, max_keepalive_connections=concurrency)
    async with httpx.AsyncClient(base_url=stack.api_url, headers=headers, limits=limits, timeout=120) as http:

        async def call(name: str, path: str, body: dict) -> dict:
            started = time.perf_counter()
            answer = await http.post(path, json=body)
            phase.latencies[name].append((time.perf_counter() - started) * 1000)
            if answer.status_code >= 300:
                raise RuntimeError(f"{name}: {answer.status_code} {answer.text[:300]}")
            return answer.json()

        async def lifecycle(i: int) -> None:
            customer = seeded.customer_ids[i % len(seeded.customer_ids)]
            created = await call(
                "create",
                "/v1/complaints",
                {
                    "customer_id": customer,
                    "severity": "normal",
                    "category": "billing",
                    "description": f"bench complaint {i}",
                    "channel": "phone",
                },
            )
            path = f"/v1/complaints/{created['id']}"
            await call("acknowledge", f"{path}/acknowledge", {})
            await call("resolve", f"{path}/resolve", {"resolution": "refunded the fee"})
            closed = await call("accept", f"{path}/customer-response", {"accepted": True, "satisfaction": 5})
            assert closed["status"] == "closed", closed
            phase.sample_workflow = f"complaint-{created['id']}"

        before = stack.cpu()
        started = time.perf_counter()
        await _pool(count, concurrency, lifecycle)
        phase.wall = time.perf_counter() - started
        phase.cpu = stack.cpu().minus(before)
    return phase


async def bare_phase(stack: Stack, count: int, concurrency: int) -> Phase:
    """`count` bare lifecycles straight from a Temporal client (no API: bare Temporal has none)."""
    assert stack.bare_client is not None
    client: Client = stack.bare_client
    phase = Phase(count, 0.0)
    run = uuid.uuid4().hex[:6]

    async def timed(name: str, call) -> object:
        started = time.perf_counter()
        result = await call
        phase.latencies[name].append((time.perf_counter() - started) * 1000)
        return result

    async def lifecycle(i: int) -> None:
        workflow_id = f"bare-{run}-{i}"
        start = WithStartWorkflowOperation(
            BareComplaint.run,
            workflow_id,
            id=workflow_id,
            task_queue=BARE_TASK_QUEUE,
            id_conflict_policy=WorkflowIDConflictPolicy.USE_EXISTING,
        )
        await timed(
            "create",
            client.execute_update_with_start_workflow(
                BareComplaint.intake, workflow_id, start_workflow_operation=start
            ),
        )
        handle = client.get_workflow_handle(workflow_id)
        await timed("acknowledge", handle.execute_update(BareComplaint.acknowledge))
        await timed("resolve", handle.execute_update(BareComplaint.resolve))
        status = await timed("accept", handle.execute_update(BareComplaint.accept))
        assert status == "closed", status
        phase.sample_workflow = workflow_id

    before = stack.cpu()
    started = time.perf_counter()
    await _pool(count, concurrency, lifecycle)
    phase.wall = time.perf_counter() - started
    phase.cpu = stack.cpu().minus(before)
    return phase


async def history_size(client: Client, workflow_id: str) -> tuple[int, float]:
    """Events and KiB of one workflow's history."""
    history = await client.get_workflow_handle(workflow_id).fetch_history()
    return len(history.events), sum(event.ByteSize() for event in history.events) / 1024


def _median_cpu(phases: list[Phase]) -> dict[str, float]:
    names = {name for phase in phases for name in phase.cpu_ms()}
    return {name: median([phase.cpu_ms().get(name, 0.0) for phase in phases]) for name in sorted(names)}


def start_profiles(stack: Stack, folder: Path, seconds: int, names: tuple[str, ...]) -> list[subprocess.Popen]:
    """py-spy (the `dev` extra) on each named process for `seconds`: collapsed stacks in `folder`/<name>.txt."""
    folder.mkdir(parents=True, exist_ok=True)
    py_spy = Path(sys.executable).parent / "py-spy"
    return [
        subprocess.Popen(
            [
                str(py_spy),
                "record",
                "--pid",
                str(stack.services[name].pid),
                "--duration",
                str(seconds),
                "--rate",
                "50",
                "--nonblocking",
                "--format",
                "raw",
                "-o",
                str(folder / f"{name}.txt"),
            ],
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
        )
        for name in names
        if name in stack.services
    ]


async def run(
    db: str, count: int, concurrency: int, reps: int, pg_server: str = DEFAULT_PG_SERVER, profile: Path | None = None
) -> dict:
    """Warm up both variants, then `reps` interleaved repetitions of each; print and return the figures."""
    async with Stack(db, pg_server=pg_server) as stack:
        seeded = await seed_org(stack.url, customers=50)
        warmup = max(4, concurrency)
        log(f"lifecycle [{db}]: warming up ({warmup} each)")
        await crmflow_phase(stack, seeded, warmup, concurrency)
        await bare_phase(stack, warmup, concurrency)
        if profile is not None:
            # Profiles only: the samplers cost CPU themselves, so these figures are not the benchmark's.
            for variant, names in (("crmflow", ("worker", "api")), ("bare", ("bare",))):
                spies = start_profiles(stack, profile / variant, 20, names)
                if variant == "crmflow":
                    await crmflow_phase(stack, seeded, count, concurrency)
                else:
                    await bare_phase(stack, count, concurrency)
                for spy in spies:
                    spy.wait()
            log(f"profiles in {profile}")
            return {}
        ours: list[Phase] = []
        bare: list[Phase] = []
        loads: list[float] = []
        for rep in range(reps):
            # Alternate which goes first so drift in the machine's load hits both alike.
            order = ("crmflow", "bare") if rep % 2 == 0 else ("bare", "crmflow")
            for variant in order:
                if variant == "crmflow":
                    ours.append(await crmflow_phase(stack, seeded, count, concurrency))
                else:
                    bare.append(await bare_phase(stack, count, concurrency))
                loads.append(os.getloadavg()[0])
                stack.check()
            log(f"  rep {rep + 1}: crmflow {ours[-1].rate:.2f}/s, bare {bare[-1].rate:.2f}/s")
        ours_events, ours_kib = await history_size(stack.client, ours[-1].sample_workflow)
        bare_events, bare_kib = await history_size(stack.bare_client, bare[-1].sample_workflow)

    report.header(f"complaint lifecycle [{db}]  N={count} C={concurrency}, median of {reps}")
    rate_ours, rate_bare = median([p.rate for p in ours]), median([p.rate for p in bare])
    report.figure("lifecycles/s", rate_ours, rate_bare, "/s", note="target >= 0.85x")
    cpu_ours, cpu_bare = _median_cpu(ours), _median_cpu(bare)
    total_ours, total_bare = (
        median([sum(p.cpu_ms().values()) for p in ours]),
        median([sum(p.cpu_ms().values()) for p in bare]),
    )
    report.figure("CPU ms / lifecycle", total_ours, total_bare, "ms", note="target <= 1.3x")
    report.line(
        "  by process: crmflow "
        + ", ".join(f"{k} {v:.0f}" for k, v in cpu_ours.items())
        + " | bare "
        + ", ".join(f"{k} {v:.0f}" for k, v in cpu_bare.items())
    )
    latencies = {}
    for name in CALLS:
        mine = [x for p in ours for x in p.latencies[name]]
        theirs = [x for p in bare for x in p.latencies[name]]
        latencies[name] = {
            q: (percentile(mine, share), percentile(theirs, share))
            for q, share in (("p50", 0.5), ("p95", 0.95), ("p99", 0.99))
        }
        report.line(
            f"{name:<12} ms p50/p95/p99  crmflow {latencies[name]['p50'][0]:.0f}/{latencies[name]['p95'][0]:.0f}"
            f"/{latencies[name]['p99'][0]:.0f}  bare {latencies[name]['p50'][1]:.0f}/"
            f"{latencies[name]['p95'][1]:.0f}/{latencies[name]['p99'][1]:.0f}"
        )
    report.figure("history events", ours_events, bare_events, "events")
    report.figure("history size", ours_kib, bare_kib, "KiB")
    result = {
        "db": db,
        "n": count,
        "c": concurrency,
        "reps": reps,
        "loads_1m": loads,
        "rate": [rate_ours, rate_bare],
        "cpu_ms": [total_ours, total_bare],
        "cpu_ms_by_process": [cpu_ours, cpu_bare],
        "latency_ms": latencies,
        "history_events": [ours_events, bare_events],
        "history_kib": [ours_kib, bare_kib],
        "rates_each": [[p.rate for p in ours], [p.rate for p in bare]],
    }
    report.save("lifecycle", result)
    return result


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--db", choices=("sqlite", "postgresql"), default="sqlite")
    parser.add_argument("-n", type=int, default=200, help="lifecycles per repetition")
    parser.add_argument("-c", type=int, default=20, help="concurrent clients")
    parser.add_argument("--reps", type=int, default=3)
    parser.add_argument("--quick", action="store_true", help="a smoke run: N=10, C=5, 1 repetition")
    parser.add_argument("--pg-server", default=DEFAULT_PG_SERVER)
    parser.add_argument("--profile", type=Path, help="instead of figures: py-spy profiles of one run into this folder")
    args = parser.parse_args(argv)
    if args.quick:
        args.n, args.c, args.reps = 10, 5, 1
    asyncio.run(run(args.db, args.n, args.c, args.reps, args.pg_server, args.profile))


if __name__ == "__main__":
    main()
