"""Printing figures: one line per figure with crmflow, bare and their ratio, plus the load they were taken at."""

from __future__ import annotations

import json
import os
from datetime import UTC, datetime
from pathlib import Path

from bench.stack import load_text

RESULTS = Path(os.environ.get("CRMFLOW_BENCH_RESULTS", "var/bench-results.jsonl"))


def header(title: str) -> None:
    print(f"\n== {title}  ({datetime.now(UTC):%Y-%m-%d %H:%M} UTC, {load_text()})", flush=True)


def ratio(crmflow: float, bare: float) -> str:
    return f"{crmflow / bare:.2f}x" if bare else "n/a"


def figure(name: str, crmflow: float, bare: float | None, unit: str, *, note: str = "") -> None:
    """One figure: crmflow's value, the bare engine's and the ratio (crmflow / bare)."""
    if bare is None:
        print(f"  {name:<34} {crmflow:>10.1f} {unit:<14} {note}", flush=True)
    else:
        print(
            f"  {name:<34} {crmflow:>10.1f} vs bare {bare:>10.1f} {unit:<14} ratio {ratio(crmflow, bare):>6}  {note}",
            flush=True,
        )


def line(text: str) -> None:
    print(f"  {text}", flush=True)


def save(benchmark: str, data: dict) -> None:
    """Append the run's figures to var/bench-results.jsonl (date and load included) for bench/README.md."""
    RESULTS.parent.mkdir(parents=True, exist_ok=True)
    record = {
        "benchmark": benchmark,
        "at": datetime.now(UTC).isoformat(timespec="seconds"),
        "loadavg": os.getloadavg(),
        **data,
    }
    with RESULTS.open("a") as out:
        out.write(json.dumps(record, default=str) + "\n")
